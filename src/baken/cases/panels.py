"""The case panels of the report and subject pages, loaded by htmx like the other panels:
opening a case from a report or adding it to a running case, and the hand-overs outside the
team to tell of a correction. The cases app serves them, so that reports and subjects, below
it in the order of the apps (docs/adr/0026-layers-of-apps.md), need not import it."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from baken.accounts.decorators import capability_required
from baken.audit.page_views import PARAMETER, page_view_covers
from baken.audit.services import Target
from baken.core.roles import Capability
from baken.reports.access import int_or_404, report_or_404
from baken.reports.permissions import Action, can
from baken.reports.workflow import Status
from baken.subjects.selectors import subject_get

from .forms import CaseJoinForm, CaseOpenForm
from .selectors import JOIN_FOUND_MAX, case_list, join_search, join_suggestions, workable_case_list
from .work import handovers_to_inform

PART = "cases"


@capability_required(Capability.WORKSPACE)
@require_GET
def report_panel(request, pk: int):
    report = report_or_404(request, pk, part=PART)
    user = request.user
    context: dict = {
        "report": report,
        # Shared outside the team in a case this user may see: whom to tell of a correction.
        "handovers": handovers_to_inform(report_ids=[report.pk], within=case_list(user=user)),
    }
    if (
        can(user, Action.CASE)
        and report.status == Status.IN_ANALYSIS
        and report.merged_into_id is None
    ):
        context["case_open_form"] = CaseOpenForm(team=report.team)
        if workable_case_list(user=user).exists():
            context.update(join_context(request, report=report))
    return render(request, "cases/_report_panel.html", context)


def join_context(request, *, report, form: CaseJoinForm | None = None) -> dict:
    """The "add to a running case" form of a report: a search by case number or title
    (`zoek`, at most selectors.JOIN_FOUND_MAX results) and a few suggestions, never a list
    of every open case the user may add to. A case chosen in a form that came back, or
    ticked before a search (htmx sends the ticked one along: `join-case`), is offered again
    and stays ticked. The suggestions leave out the cases the search found."""
    user = request.user
    query = request.GET.get("zoek", "")
    found, more = join_search(user=user, query=query)
    shown = {case.pk for case in found}
    suggested = [
        (case, why)
        for case, why in join_suggestions(user=user, report=report)
        if case.pk not in shown
    ]
    shown |= {case.pk for case, _why in suggested}
    chosen = getattr(form, "cleaned_data", {}).get("case")
    selected = str(form["case"].value() or "") if form is not None else ""
    if form is None and (ticked := request.GET.get("join-case", "")).isdigit():
        selected = ticked
        if int(ticked) not in shown:  # only a case this user may add to is offered again
            chosen = workable_case_list(user=user).filter(pk=int(ticked)).first()
    if chosen is not None and chosen.pk not in shown:
        found.insert(0, chosen)
    return {
        "report": report,
        "case_join_form": form or CaseJoinForm(prefix="join"),
        "join_query": query,
        "join_found": found,
        "join_more": more,
        "join_suggested": suggested,
        "join_selected": selected,
        "join_limit": JOIN_FOUND_MAX,
        "view_token": request.GET.get(PARAMETER, ""),
    }


@capability_required(Capability.WORKSPACE)
@require_GET
def subject_panel(request, pk: int):
    pk = int_or_404(pk)
    covered = page_view_covers(request, target=Target("subjects.subject", str(pk)), part=PART)
    subject = subject_get(user=request.user, pk=pk, parts=[PART], log=not covered)
    if subject is None:
        raise Http404
    ids = [subject.pk, *subject.merged_subjects.values_list("pk", flat=True)]
    handovers = handovers_to_inform(subject_ids=ids, within=case_list(user=request.user))
    return render(
        request, "cases/_subject_panel.html", {"subject": subject, "handovers": handovers}
    )
