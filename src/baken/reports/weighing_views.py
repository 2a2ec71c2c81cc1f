"""The weighing form: all criteria saved at once, as a normal POST or with htmx (the weighing
panel comes back in place, no reload). Thin: parse, call weighing_form, render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from baken.accounts.decorators import capability_required
from baken.core.roles import Capability

from .access import report_for
from .page import report_page_context
from .permissions import Action
from .weighing import WeighingRefused, criterion_list
from .weighing_form import criteria_answers_save, posted_answers


def _general(refused: WeighingRefused) -> list[tuple[str, str]]:
    """Refusals of the whole weighing (not of one criterion), for the error summary."""
    return [
        ("weighing-form", str(message))
        for key, message in refused.problems.items()
        if key in ("merged", "status")
    ]


@capability_required(Capability.WORKSPACE)
@require_POST
def weighing_save(request, pk: int):
    report = report_for(request.user, pk, Action.WEIGH, parts=["weighing", "decisions"])
    htmx = bool(request.headers.get("HX-Request"))
    answers = posted_answers(request.POST, list(criterion_list()))
    try:
        saved = criteria_answers_save(report=report, actor=request.user, answers=answers)
    except WeighingRefused as refused:
        context = report_page_context(
            request=request,
            report=report,
            criterion_values=request.POST,
            criterion_problems=refused.problems,
        )
        context["weighing_problems"] = [*_general(refused), *context["weighing_problems"]]
        # htmx swaps only a 2xx answer: the panel with its problems comes back as 200.
        if htmx:
            return render(request, "reports/_weighing.html", context)
        return render(request, "reports/detail.html", context, status=400)
    if saved:
        done = ngettext(
            "%(count)s answer was saved.", "%(count)s answers were saved.", len(saved)
        ) % {"count": len(saved)}
    else:
        done = _("Nothing was changed.")
    if htmx:
        context = report_page_context(request=request, report=report, weighing_saved=done)
        return render(request, "reports/_weighing.html", context)
    messages.success(request, done)
    return redirect(f"{reverse('reports:detail', args=[pk])}#weging")
