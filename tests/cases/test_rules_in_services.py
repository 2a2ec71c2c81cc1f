"""The rules that had drifted between the case pages and the API live in the services, which
take the actor and refuse on their own (issue 14, ADR 0027): the report of a hand-over
notice, who may mark a task done, the team and handler of a new case. A management command or
a third surface cannot skip them; the page and the API show the same refusal."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from baken.cases import services, tasks_work, work
from baken.cases.models import HandoverNotice, Task
from baken.core.refusals import Kind, Refused
from baken.core.roles import Role
from baken.reports.models import Report
from tests.api.test_triage_api import auth
from tests.cases.test_cases import in_analysis

pytestmark = pytest.mark.django_db

NOT_PART_NL = "Deze melding hoorde niet bij de overdracht."
NOT_PART_EN = "This report was not part of the hand-over."


@pytest.fixture
def handover(case, analyst):
    record, _package = work.handover_record(
        case=case,
        recipient_kind="police",
        recipient="Politie",
        what="Samenvatting.",
        legal_basis="Wpg art. 4:3",
        actor=analyst,
    )
    return record


@pytest.fixture
def foreign(north):
    """A report of the analyst's team that was not part of the hand-over."""
    return in_analysis(north)


def test_the_service_refuses_a_notice_about_a_report_the_hand_over_did_not_hold(
    handover, analyst, foreign
):
    with pytest.raises(Refused) as refused:
        work.handover_informed(handover=handover, report=foreign, actor=analyst)
    assert refused.value.kind == Kind.INVALID and "report" in refused.value.problems
    assert not HandoverNotice.objects.exists()
    # The report that was part of it is accepted.
    own = Report.objects.get(pk=handover.reports[0])
    assert work.handover_informed(handover=handover, report=own, actor=analyst).report == own


def test_the_service_refuses_a_notice_from_someone_outside_the_case(handover, make_user, north):
    lead_elsewhere = make_user(role=Role.TEAM_LEAD)  # another team: may not know the case
    own = Report.objects.get(pk=handover.reports[0])
    with pytest.raises(Refused) as refused:
        work.handover_informed(handover=handover, report=own, actor=lead_elsewhere)
    assert refused.value.kind == Kind.NOT_FOUND
    assert not HandoverNotice.objects.exists()


def test_the_api_and_the_page_give_the_same_refusal(
    client, verified_client, case, handover, analyst, foreign
):
    url = reverse("api:case-handover-notices", args=[case.pk, handover.pk])
    dutch = client.post(
        url, {"report": foreign.pk}, content_type="application/json", **auth(analyst)
    )
    assert dutch.status_code == 400 and dutch["Content-Type"] == "application/problem+json"
    [param] = dutch.json()["invalid_params"]
    assert param["name"] == "report" and param["reason"] == NOT_PART_NL
    english = client.post(
        url,
        {"report": foreign.pk},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **auth(analyst),
    )
    assert english.json()["invalid_params"][0]["reason"] == NOT_PART_EN
    page = verified_client(analyst).post(
        reverse("cases:handover_informed", args=[case.pk, handover.pk]), {"report": foreign.pk}
    )
    # Before, the page answered 403 without saying why.
    assert page.status_code == 400 and NOT_PART_NL in page.content.decode()
    assert not HandoverNotice.objects.exists()


@pytest.fixture
def task(case, analyst):
    return tasks_work.task_add(
        case=case,
        title="Bel de politie",
        assignee=analyst,
        deadline=timezone.localdate() + datetime.timedelta(days=3),
        actor=analyst,
    )


def test_who_may_mark_a_task_done_is_the_services_rule(task, case, make_user, north):
    intake = make_user(role=Role.INTAKE, team=north)
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    services.member_add(case=case, user=intake, actor=lead, reason="Meelezen.")
    with pytest.raises(Refused) as refused:  # sees the case, does not work in it
        tasks_work.task_done(task=task, actor=intake)
    assert refused.value.kind == Kind.FORBIDDEN
    with pytest.raises(Refused) as refused:  # may not know the case
        tasks_work.task_done(task=task, actor=make_user(role=Role.ANALYST, team=north))
    assert refused.value.kind == Kind.NOT_FOUND
    assert Task.objects.get(pk=task.pk).state == "open"
    assert tasks_work.task_done(task=task, actor=lead).state == "done"  # the team lead may


def test_the_api_refuses_a_task_done_as_the_page_does(
    client, verified_client, task, case, make_user, north
):
    intake = make_user(role=Role.INTAKE, team=north)
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    services.member_add(case=case, user=intake, actor=lead, reason="Meelezen.")
    api = client.post(f"/api/v1/cases/{case.pk}/tasks/{task.pk}/done", **auth(intake))
    assert api.status_code == 403 and api["Content-Type"] == "application/problem+json"
    page = verified_client(intake).post(reverse("cases:task_done", args=[case.pk, task.pk]))
    assert page.status_code == 403
    assert Task.objects.get(pk=task.pk).state == "open"


def test_the_team_and_handler_of_a_new_case_are_the_services_rule(analyst, make_user, north):
    report = in_analysis(north)
    intake_of_north = make_user(role=Role.INTAKE, team=north)
    with pytest.raises(Refused) as refused:  # the API used to accept any role of the team
        services.case_open(
            reports=[report],
            title="Loods",
            summary="",
            handler=intake_of_north,
            actor=analyst,
            rationale="Ernstig.",
        )
    assert "handler" in refused.value.problems
    other = make_user(role=Role.ANALYST).team
    with pytest.raises(Refused) as refused:
        services.case_open(
            reports=[report], title="Loods", summary="", handler=None, team=other,
            actor=analyst, rationale="Ernstig.",
        )  # fmt: skip
    assert "team" in refused.value.problems
    with pytest.raises(Refused) as refused:  # intake may not open a case
        services.case_open(
            reports=[report], title="Loods", summary="", handler=None,
            actor=intake_of_north, rationale="Ernstig.",
        )  # fmt: skip
    assert refused.value.kind in (Kind.FORBIDDEN, Kind.NOT_FOUND)
    case = services.case_open(
        reports=[report], title="Loods", summary="", handler=None, actor=analyst,
        rationale="Ernstig.",
    )  # fmt: skip
    assert case.team == north


def test_the_api_refuses_a_handler_outside_the_working_roles(client, analyst, make_user, north):
    report = in_analysis(north)
    intake_of_north = make_user(role=Role.INTAKE, team=north)
    body = {
        "reports": [report.pk],
        "title": "Loods",
        "handler": intake_of_north.pk,
        "rationale": "Ernstig.",
    }
    refused = client.post("/api/v1/cases", body, content_type="application/json", **auth(analyst))
    assert refused.status_code == 400
    assert refused.json()["invalid_params"][0]["name"] == "handler"
    assert not report.cases.exists()


# --- every write service of the cases app refuses on its own (access.require) -------------
#
# Called directly, as a management command or a third surface would: whom the case is not
# known to gets not_found (404, as for a case that does not exist), a member who may not do
# this forbidden (403) — the rule access.case_for applies for the pages and the API. Nothing
# is written, not even a read in the audit log: the service's check is a pure check.


@pytest.fixture
def world(case, analyst, lead, make_user, north):
    """The case with one of everything a service works on, and who may and may not."""
    from baken.cases.models import InterventionType, Source, StageCriterion

    intake = make_user(role=Role.INTAKE, team=north)  # a member who sees, does not work
    services.member_add(case=case, user=intake, actor=lead, reason="Meelezen.")
    officer = make_user(role=Role.PRIVACY_OFFICER, team=None)
    asked = work.consultation_request(
        case=case, source=Source.objects.filter(is_active=True).first(), purpose="Doel.",
        actor=analyst,
    )  # fmt: skip
    work.consultation_decide(consultation=asked, officer=officer, approve=True, motivation="Ja.")
    kind = InterventionType.objects.filter(is_active=True).first()
    intervention = work.intervention_add(
        case=case, kind=kind, start_date=datetime.date(2026, 11, 2), actor=analyst
    )
    record, _package = work.handover_record(
        case=case, recipient_kind="police", recipient="Politie", what="Samenvatting.",
        legal_basis="Wpg art. 4:3", actor=analyst,
    )  # fmt: skip
    criterion = StageCriterion.objects.filter(stage=case.stage, fact="").first()
    return {
        "case": case,
        "analyst": analyst,
        "intake": intake,
        "consultation": asked,
        "kind": kind,
        "intervention": intervention,
        "handover": record,
        "criterion": criterion,
        "report": in_analysis(north),
        "newcomer": make_user(role=Role.CASE_HANDLER, team=north),
        "source": asked.source,
    }


DEADLINE = datetime.date(2026, 12, 1)

# name: (who in the case may not do it, the call). "Work" is for members who work in the
# case (not intake); "steer" for the team lead and the case's handler only (not an analyst).
WRITES = {
    "case_answer": ("intake", lambda w, a: services.case_answer(
        case=w["case"], criterion=w["criterion"], choice=w["criterion"].choices[0],
        motivation="Vastgelegd.", actor=a)),
    "case_advance": ("intake", lambda w, a: services.case_advance(
        case=w["case"], actor=a, rationale="Verder.")),
    "case_add_report": ("intake", lambda w, a: services.case_add_report(
        case=w["case"], report=w["report"], actor=a, rationale="Hoort erbij.")),
    "case_close": ("analyst", lambda w, a: services.case_close(
        case=w["case"], actor=a, result=w["case"].version.results.first(), rationale="Klaar.")),
    "case_reopen": ("analyst", lambda w, a: services.case_reopen(
        case=w["case"], actor=a, reason="Nieuwe signalen.")),
    "member_add": ("analyst", lambda w, a: services.member_add(
        case=w["case"], user=w["newcomer"], actor=a, reason="Erbij.")),
    "member_remove": ("analyst", lambda w, a: services.member_remove(
        case=w["case"], user=w["intake"], actor=a, reason="Klaar.")),
    "case_handler_set": ("analyst", lambda w, a: services.case_handler_set(
        case=w["case"], handler=w["analyst"], actor=a, rationale="Trekt het.")),
    "case_note_add": ("intake", lambda w, a: work.case_note_add(
        case=w["case"], actor=a, text="Notitie.")),
    "consultation_request": ("intake", lambda w, a: work.consultation_request(
        case=w["case"], source=w["source"], purpose="Doel.", actor=a)),
    "consultation_hit": ("intake", lambda w, a: work.consultation_hit(
        consultation=w["consultation"], hit=True, actor=a)),
    "consultation_findings": ("intake", lambda w, a: work.consultation_findings(
        consultation=w["consultation"], findings="Bekend.", actor=a)),
    "intervention_add": ("intake", lambda w, a: work.intervention_add(
        case=w["case"], kind=w["kind"], start_date=DEADLINE, actor=a)),
    "intervention_update": ("intake", lambda w, a: work.intervention_update(
        intervention=w["intervention"], state="done", outcome="Gesloten.",
        end_date=DEADLINE, actor=a)),
    "handover_record": ("intake", lambda w, a: work.handover_record(
        case=w["case"], recipient_kind="riec", recipient="RIEC", what="Samenvatting.",
        legal_basis="Convenant", actor=a)),
    "handover_informed": ("intake", lambda w, a: work.handover_informed(
        handover=w["handover"], report=Report.objects.get(pk=w["handover"].reports[0]),
        actor=a)),
    "task_add": ("intake", lambda w, a: tasks_work.task_add(
        case=w["case"], title="Bellen", assignee=w["analyst"], deadline=DEADLINE, actor=a)),
}  # fmt: skip


def _refused(call, world, actor) -> Refused:
    from baken.audit.models import AuditEntry

    before = AuditEntry.objects.count()
    with pytest.raises(Refused) as refused:
        call(world, actor)
    assert AuditEntry.objects.count() == before  # nothing written, no read recorded
    return refused.value


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_write_service_refuses_whom_the_case_is_not_known_to(name, world, make_user):
    _lacking, call = WRITES[name]
    outsider = make_user(role=Role.TEAM_LEAD)  # the lead of another team
    assert _refused(call, world, outsider).kind == Kind.NOT_FOUND


@pytest.mark.parametrize("name", sorted(WRITES))
def test_a_write_service_refuses_a_member_without_the_right(name, world):
    lacking, call = WRITES[name]
    refused = _refused(call, world, world[lacking])
    assert refused.kind == Kind.FORBIDDEN and refused.status == 403


@pytest.mark.parametrize("name", sorted(WRITES))
def test_the_system_actor_works_in_no_case(name, world):
    """Baken itself (the scheduler, a command) writes no case's work: none does so today."""
    from baken.core.actors import SYSTEM

    _lacking, call = WRITES[name]
    assert _refused(call, world, SYSTEM).kind == Kind.NOT_FOUND


def test_the_services_check_records_no_second_read(case, analyst, verified_client):
    """The page looks the case up once (case_for, one read in the log); the service's own
    check adds none."""
    from baken.audit.models import AuditEntry

    response = verified_client(analyst).post(
        reverse("cases:note", args=[case.pk]), {"note-text": "Eigenaar belde."}
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="case.read").count() == 1
    assert AuditEntry.objects.filter(action="case.note").count() == 1


def test_who_has_the_right_is_not_refused(world, lead, handler):
    """The team lead steers; the case's handler too once appointed."""
    services.member_add(case=world["case"], user=handler, actor=lead, reason="Trekker.")
    services.case_handler_set(case=world["case"], handler=handler, actor=lead, rationale="Ja.")
    removed = services.member_remove(
        case=world["case"], user=world["intake"], actor=handler, reason="Klaar."
    )
    assert removed.removed_by == handler
