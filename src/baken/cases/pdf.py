"""PDFs of a case with WeasyPrint: the accountability report and the summary in a hand-over
package. Rendered from HTML templates, fonts and styles local (no network)."""

from django.template.loader import render_to_string
from django.utils import timezone

from baken.core.pdf import render_pdf

from .models import Case, Handover
from .timeline import case_timeline


def _pdf(template: str, context: dict) -> bytes:
    html = render_to_string(template, {**context, "made_at": timezone.now()})
    return render_pdf(html)


def accountability_pdf(case: Case) -> bytes:
    """Every decision with its rationale and criteria answers, every source consulted (hit
    or no hit), every hand-over and every intervention with its outcome, in time order."""
    return _pdf(
        "cases/pdf/accountability.html",
        {"case": case, "events": case_timeline(case), "reports": case.reports.order_by("pk")},
    )


def handover_pdf(handover: Handover) -> bytes:
    case = handover.case
    return _pdf(
        "cases/pdf/handover.html",
        {"case": case, "handover": handover, "reports": case.reports.order_by("pk")},
    )
