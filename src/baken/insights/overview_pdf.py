"""The weekly overview as a PDF (WeasyPrint), made per reader from their own reading of the
week (overview_scope.py): charts as inline SVG, fonts and styles local (no network)."""

from django.template.loader import render_to_string
from django.utils import timezone


def overview_pdf(context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("insights/pdf/overview.html", {**context, "made_at": timezone.now()})
    return HTML(string=html, base_url=None).write_pdf()
