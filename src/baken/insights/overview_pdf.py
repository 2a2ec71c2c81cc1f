"""The weekly overview as a PDF (WeasyPrint), made per reader from their own reading of the
week (overview_scope.py): charts as inline SVG, fonts and styles local (no network)."""

from django.template.loader import render_to_string
from django.utils import timezone

from baken.core.pdf import render_pdf


def overview_pdf(context: dict) -> bytes:
    html = render_to_string("insights/pdf/overview.html", {**context, "made_at": timezone.now()})
    return render_pdf(html)
