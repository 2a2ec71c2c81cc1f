"""The case panels of the report and subject pages, loaded by htmx like the other panels:
opening a case from a report or adding it to a running case, and the hand-overs outside the
team to tell of a correction. The cases app serves them, so that reports and subjects, below
it in the order of the apps (docs/adr/0026-layers-of-apps.md), need not import it."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from baken.accounts.decorators import capability_required
from baken.audit.page_views import page_view_covers
from baken.audit.services import Target
from baken.core.roles import Capability
from baken.reports.access import int_or_404, report_or_404
from baken.reports.permissions import Action, can
from baken.reports.workflow import Status
from baken.subjects.selectors import subject_get

from .forms import CaseJoinForm, CaseOpenForm
from .selectors import case_list, workable_case_list
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
        cases = workable_case_list(user=user)
        if cases.exists():
            context["case_join_form"] = CaseJoinForm(prefix="join", cases=cases)
    return render(request, "cases/_report_panel.html", context)


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
