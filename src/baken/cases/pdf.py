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
    """The summary of a hand-over: the reports it holds (handover.reports: not one restricted
    on a request of the person concerned, work.handover_record)."""
    case = handover.case
    reports = case.reports.filter(pk__in=handover.reports).order_by("pk")
    return _pdf("cases/pdf/handover.html", {"case": case, "handover": handover, "reports": reports})
