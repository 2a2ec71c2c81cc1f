"""Every write service of the reports app takes the actor and refuses on its own (issue 14,
ADR 0027), with the rule reports.access.report_for applies for the pages and the API: whom
the report is not known to gets not_found (404, as for a report that does not exist), who
may know it but whose role may not do this forbidden (403). Called directly here, as a
management command or a third surface would; nothing is written, not even a read in the
audit log (access.require is a pure check)."""

import io

import pytest
from PIL import Image

from baken.audit.models import AuditEntry
from baken.core.actors import SYSTEM
from baken.core.refusals import Kind, Refused
from baken.core.roles import Role
from baken.notifications.models import Notification
from baken.reports import duplicates, editing, routing, weighing
from baken.reports.models import (
    Attachment,
    Criterion,
    CriterionAnswer,
    Decision,
    Message,
    Note,
    Report,
    ReportVersion,
    StatusChange,
)
from baken.reports.validation import check_report
from baken.reports.weighing_form import criteria_answers_save
from tests.reports.test_closed_reports import file_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_user, north, south):
    """Reports of team north, who works there in each role, and who does not."""
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    handler = make_user(role=Role.CASE_HANDLER, team=north)
    report = file_report(north)
    # Its person is a case handler: they see it (it is theirs) and may only add notes.
    Report.objects.filter(pk=report.pk).update(assignee=handler)
    leading = file_report(north, description="Weer hennepgeur bij Dorpsstraat 3, overdag.")
    merged = duplicates.report_merge(
        leading=leading,
        duplicate=file_report(north, description="Hennepgeur Dorpsstraat 3, 's nachts ook."),
        actor=lead,
        reason="Zelfde schuur.",
    )
    split_off = duplicates.report_split(
        report=leading,
        actor=lead,
        description="Contante autoverkoop bij de garage.",
        reason="Twee.",
    )
    return {
        "report": Report.objects.get(pk=report.pk),
        "other": file_report(north, description="Nog eens hennepgeur bij de schuur, nu 's avonds."),
        "merged": merged,
        "split_off": split_off,
        "lead": lead,
        "analyst": make_user(role=Role.ANALYST, team=north),
        "intake": make_user(role=Role.INTAKE, team=north),
        "handler": handler,
        "stranger": make_user(role=Role.ANALYST, team=south),  # another team's analyst
        "criterion": Criterion.objects.filter(is_active=True, mandatory=True).first(),
    }


def _image() -> bytes:
    image = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(image, "PNG")
    return image.getvalue()


def _improve(w, actor):
    report = w["report"]
    data = {**editing.working_data(report), "channel": "web", "description": "Een betere tekst."}
    return editing.report_improve(
        report=report,
        actor=actor,
        revision=report.revision,
        changes={},
        reason="Beter.",
        checked=check_report(data, require_answers=False),
    )


# name: (who sees the report but may not do this — None when every role that sees it may —,
# the call).
WRITES = {
    "criterion_answer_save": ("intake", lambda w, a: weighing.criterion_answer_save(
        report=w["report"], actor=a, criterion=w["criterion"],
        choice=w["criterion"].choices[0], motivation="Vastgesteld.")),
    "criteria_answers_save": ("intake", lambda w, a: criteria_answers_save(
        report=w["report"], actor=a, answers={w["criterion"].code: {
            "choice": w["criterion"].choices[0], "motivation": "Vastgesteld."}})),
    "decision_make": ("intake", lambda w, a: weighing.decision_make(
        report=w["report"], actor=a, kind="in_analysis", rationale="Verder.")),
    "question_ask": ("handler", lambda w, a: weighing.question_ask(
        report=w["report"], actor=a, text="Welk huisnummer?")),
    "report_improve": ("handler", _improve),
    "note_add": (None, lambda w, a: editing.note_add(
        report=w["report"], actor=a, text="Notitie.")),
    "attachment_add": ("handler", lambda w, a: editing.attachment_add(
        report=w["report"], actor=a, data=_image())),
    "report_assign": ("analyst", lambda w, a: routing.report_assign(
        report=w["report"], actor=a, team_id=w["stranger"].team_id, assignee_id=None)),
    "report_route": ("handler", lambda w, a: routing.report_route(report=w["report"], actor=a)),
    "report_merge": ("intake", lambda w, a: duplicates.report_merge(
        leading=w["report"], duplicate=w["other"], actor=a, reason="Zelfde.")),
    "report_unmerge": ("intake", lambda w, a: duplicates.report_unmerge(
        duplicate=w["merged"], actor=a, reason="Toch niet.")),
    "report_split": ("intake", lambda w, a: duplicates.report_split(
        report=w["report"], actor=a, description="Een tweede zaak, elders.", reason="Twee.")),
    "report_unsplit": ("intake", lambda w, a: duplicates.report_unsplit(
        report=w["split_off"], actor=a, reason="Toch één.")),
}  # fmt: skip

ROWS = (
    Report,
    ReportVersion,
    StatusChange,
    CriterionAnswer,
    Decision,
    Message,
    Note,
    Attachment,
    Notification,
    AuditEntry,
)


def _state() -> tuple:
    """The rows a write could add, and what a write could change on a report."""
    counts = {model.__name__: model.objects.count() for model in ROWS}
    fields = ("status", "team_id", "assignee_id", "revision", "merged_into_id", "description")
    return counts, list(Report.objects.order_by("pk").values_list(*fields))


def _refused(name, world, actor) -> Refused:
    before = _state()
    with pytest.raises(Refused) as refused:
        WRITES[name][1](world, actor)
    assert _state() == before  # nothing written, no read recorded
    return refused.value


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_write_service_refuses_another_teams_analyst_as_not_found(name, world):
    refused = _refused(name, world, world["stranger"])
    assert refused.kind == Kind.NOT_FOUND and refused.status == 404


@pytest.mark.parametrize("name", sorted(name for name, (who, _c) in WRITES.items() if who))
def test_a_write_service_refuses_a_role_that_may_not_do_it(name, world):
    refused = _refused(name, world, world[WRITES[name][0]])
    assert refused.kind == Kind.FORBIDDEN and refused.status == 403


@pytest.mark.parametrize("name", sorted(WRITES))
def test_the_system_actor_writes_no_report_work(name, world):
    """Baken itself (the scheduler, a command) does no person's work on a report: it knows
    no report here, so it is refused as for one that does not exist."""
    assert _refused(name, world, SYSTEM).kind == Kind.NOT_FOUND


def test_an_intake_officer_does_the_triage_that_is_theirs(world):
    """The same services let through whom the rule allows (here: check, note, ask, assign)."""
    intake = world["intake"]
    assert editing.note_add(report=world["report"], actor=intake, text="Gebeld.").pk
    weighing.question_ask(report=world["report"], actor=intake, text="Welk huisnummer?")
    assigned = routing.report_assign(
        report=world["report"], actor=intake, team_id=world["report"].team_id, assignee_id=None
    )
    assert assigned.assignee_id is None and assigned.status == "awaiting_reporter"


def test_the_reports_current_team_decides_not_the_callers_copy(world):
    """A copy read before the report was handed to another team does not let its old team
    work on it: the service reads who may know it now."""
    copy = world["report"]
    routing.report_assign(
        report=copy, actor=world["lead"], team_id=world["stranger"].team_id, assignee_id=None
    )
    with pytest.raises(Refused) as refused:
        editing.note_add(report=copy, actor=world["analyst"], text="Te laat.")
    assert refused.value.kind == Kind.NOT_FOUND
    assert editing.note_add(report=copy, actor=world["stranger"], text="Nu van ons.").pk


def test_a_merge_into_a_report_the_actor_may_not_know_is_refused_as_not_found(world, south):
    """A merge into a report of another team is refused as not found, as if it did not exist,
    before the reason is looked at."""
    elsewhere = file_report(south, description="Hennepgeur bij een schuur in het zuiden.")
    with pytest.raises(Refused) as refused:
        duplicates.report_merge(
            leading=elsewhere, duplicate=world["other"], actor=world["lead"], reason=""
        )
    assert refused.value.kind == Kind.NOT_FOUND
