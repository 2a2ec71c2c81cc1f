"""Retention and destruction over the API (issue 15): the rules, legal holds, the
destruction list, the runs with their statements and what is coming, with the page's rules.
Each write is checked on the page /bewaren/ too (the same result), and in the audit log (one
entry, as the page's write makes); every other role is refused as the page refuses it, and
bad input is a problem naming the field."""

import re
from datetime import timedelta

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from baken.accounts.models import Team
from baken.audit.actions import AuditAction
from baken.audit.models import AuditEntry
from baken.cases.models import CaseType
from baken.core.roles import Role
from baken.privacy import retention
from baken.privacy.models import (
    DestroyedItem,
    DestructionProposal,
    LegalHold,
    ProposalState,
    RetentionRule,
    RuleKind,
    RuleState,
)
from baken.privacy.rules import DEFAULTS
from baken.reports.models import Report
from tests.api.test_schema_fuzz import CHECKS, _failure, _schema
from tests.api.test_triage_api import auth
from tests.pdf import pdf_text
from tests.privacy.test_case_destruction import SECRET, _closed_case
from tests.privacy.test_retention import _report

pytestmark = pytest.mark.django_db

API = "/api/v1/retention"
PROBLEM = "application/problem+json"
OTHER_ROLES = [Role.INTAKE, Role.ANALYST, Role.CASE_HANDLER, Role.TEAM_LEAD, Role.MANAGEMENT]


class Api:
    """A client with a user's token, in English unless told otherwise."""

    def __init__(self, user):
        self.client = Client()
        self.headers = {**auth(user), "HTTP_ACCEPT_LANGUAGE": "en"}

    def get(self, path: str, **extra):
        return self.client.get(API + path, **{**self.headers, **extra})

    def post(self, path: str, body: dict | None = None):
        return self.client.post(
            API + path, body or {}, content_type="application/json", **self.headers
        )


def _params(response) -> dict[str, str]:
    assert response["Content-Type"] == PROBLEM, response.content
    return {p["name"]: p["code"] for p in response.json().get("invalid_params", [])}


def _audited(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


def _browser(user) -> Client:
    """A browser session of `user` past both factors (a second login in one test would
    spend the same TOTP code twice)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def _page(login, user) -> str:
    return _browser(user).get("/bewaren/").content.decode()


def _until(days: int = 60) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


# --- rules ----------------------------------------------------------------------------------


def test_the_officer_and_the_administrator_read_the_rules_as_the_page_lists_them(make_user):
    for role in (Role.PRIVACY_OFFICER, Role.ADMIN):
        answer = Api(make_user(role=role)).get("/rules")
        assert answer.status_code == 200, answer.content
        rules = answer.json()
        assert [rule["kind"] for rule in rules["in_force"]] == [d.kind for d in DEFAULTS]
        assert rules["proposals"] == []
    unweighed = next(r for r in rules["in_force"] if r["kind"] == RuleKind.REPORT_UNWEIGHED)
    assert (unweighed["period_amount"], unweighed["period_unit"]) == (6, "months")
    assert unweighed["state"] == "in_force" and unweighed["version"] == 1
    assert unweighed["period"] == "6 months" and unweighed["counted_from"] == "the report's receipt"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT.*", unweighed["proposed_at"])  # ISO 8601


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_read_no_rules(make_user, role):
    answer = Api(make_user(role=role)).get("/rules")
    assert answer.status_code == 403 and answer["Content-Type"] == PROBLEM


def test_the_administrator_proposes_and_the_officer_approves_as_on_the_page(login, make_user):
    admin, officer = make_user(role=Role.ADMIN), make_user(role=Role.PRIVACY_OFFICER)
    as_admin, as_officer = Api(admin), Api(officer)
    body = {
        "kind": RuleKind.CASE_CLOSED,
        "period_amount": 7,
        "period_unit": "years",
        "legal_source": "Archiefwet; selectielijst gemeenten",
        "explanation": "",
    }
    # Bad input: each field named, in the service's words; nothing proposed.
    refused = as_admin.post("/rules", {**body, "period_amount": "7"})
    assert refused.status_code == 400 and _params(refused) == {"period_amount": "invalid"}
    refused = as_admin.post("/rules", {**body, "kind": "everything"})
    assert _params(refused) == {"kind": "invalid_choice"}
    refused = as_admin.post("/rules", {**body, "period_unit": "days", "period_amount": 40000})
    assert _params(refused) == {"period_amount": "max_value"}
    refused = as_admin.post("/rules", {**body, "period_amount": 101})
    assert _params(refused) == {"period_amount": "period_amount", "explanation": "explanation"}
    reasons = {p["name"]: p["reason"] for p in refused.json()["invalid_params"]}
    assert reasons["explanation"] == "Say why the rule changes."
    assert not RetentionRule.objects.filter(state=RuleState.PROPOSED).exists()
    # The officer does not propose.
    body["explanation"] = "De selectielijst vraagt zeven jaar."
    assert as_officer.post("/rules", body).status_code == 403
    # A scope (case type, result) only for closed cases, as on the page.
    scoped = as_admin.post(
        "/rules", {**body, "kind": RuleKind.IDEMPOTENCY, "case_type": CaseType.objects.first().pk}
    )
    assert scoped.status_code == 400 and "case_type" in _params(scoped)

    proposed = as_admin.post("/rules", body)
    assert proposed.status_code == 201, proposed.content
    rule = proposed.json()
    assert (rule["state"], rule["version"], rule["period"]) == ("proposed", 2, "7 years")
    assert rule["proposed_by"] == str(admin) and rule["decided_at"] is None
    assert _audited(AuditAction.RETENTION_RULE_PROPOSE) == 1
    again = as_admin.post("/rules", body)
    assert again.status_code == 409 and again.json()["code"] == "rule_proposed_already"
    # The page shows the same proposal; the API lists it as the page does.
    assert "De selectielijst vraagt zeven jaar." in _page(login, officer)
    assert [p["id"] for p in as_officer.get("/rules").json()["proposals"]] == [rule["id"]]

    # Only the officer decides; a rejection needs a note.
    assert as_admin.post(f"/rules/{rule['id']}/approve").status_code == 403
    no_note = as_officer.post(f"/rules/{rule['id']}/reject", {"note": "  "})
    assert no_note.status_code == 400 and _params(no_note) == {"note": "note_required"}
    assert as_officer.post(f"/rules/{rule['id']}/approve", {"note": 5}).status_code == 400
    assert as_officer.post("/rules/987654/approve").status_code == 404
    approved = as_officer.post(f"/rules/{rule['id']}/approve", {"note": "Akkoord."})
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == "in_force"
    assert approved.json()["decided_by"] == str(officer)
    assert _audited(AuditAction.RETENTION_RULE_APPROVE) == 1
    twice = as_officer.post(f"/rules/{rule['id']}/reject", {"note": "Toch niet."})
    assert twice.status_code == 409 and twice.json()["code"] == "rule_decided_already"
    in_force = RetentionRule.objects.get(kind=RuleKind.CASE_CLOSED, state=RuleState.IN_FORCE)
    assert (in_force.version, in_force.period_amount) == (2, 7)
    closed = next(
        r for r in as_admin.get("/rules").json()["in_force"] if r["kind"] == RuleKind.CASE_CLOSED
    )
    assert closed["id"] == rule["id"]
    assert "Archiefwet; selectielijst gemeenten" in _page(login, admin)


def test_the_officer_rejects_with_a_note_and_the_rule_in_force_stays(make_user):
    admin, officer = make_user(role=Role.ADMIN), make_user(role=Role.PRIVACY_OFFICER)
    proposed = (
        Api(admin)
        .post(
            "/rules",
            {
                "kind": RuleKind.LOGIN_RECORDS,
                "period_amount": 2,
                "period_unit": "years",
                "legal_source": "Eigen beleid",
                "explanation": "Langer bewaren voor onderzoek.",
            },
        )
        .json()
    )
    rejected = Api(officer).post(f"/rules/{proposed['id']}/reject", {"note": "Te lang."})
    assert rejected.status_code == 200
    assert (rejected.json()["state"], rejected.json()["decision_note"]) == ("rejected", "Te lang.")
    assert _audited(AuditAction.RETENTION_RULE_REJECT) == 1
    in_force = RetentionRule.objects.get(kind=RuleKind.LOGIN_RECORDS, state=RuleState.IN_FORCE)
    assert in_force.version == 1


# --- legal holds ------------------------------------------------------------------------------


def test_the_officer_places_a_hold_by_reference_and_lifts_it(client, login, make_user):
    report = _report(client)
    officer = make_user(role=Role.PRIVACY_OFFICER)
    api = Api(officer)
    body = {"reference": "M-XXXX-XXXX", "reason": "woo", "explanation": "Woo 2026-7"}
    unknown = api.post("/holds", {**body, "until": _until()})
    assert unknown.status_code == 404 and unknown["Content-Type"] == PROBLEM
    body["reference"] = report.reference.lower()
    past = api.post("/holds", {**body, "until": timezone.localdate().isoformat()})
    assert past.status_code == 400 and _params(past) == {"until": "until"}
    wrong = api.post("/holds", {**body, "reason": "whim", "until": "morgen"})
    assert _params(wrong) == {"reason": "invalid_choice", "until": "invalid"}
    blank = api.post("/holds", {**body, "explanation": " ", "until": _until()})
    assert _params(blank) == {"explanation": "explanation"}
    assert not LegalHold.objects.exists()

    placed = api.post("/holds", {**body, "until": _until()})
    assert placed.status_code == 201, placed.content
    hold = placed.json()
    assert hold["reference"] == report.reference and hold["object_type"] == "report"
    assert (hold["reason"], hold["until"], hold["lifted_at"]) == ("woo", _until(), None)
    assert _audited(AuditAction.RETENTION_HOLD_PLACE) == 1
    assert [h["id"] for h in api.get("/holds").json()] == [hold["id"]]
    assert report.reference in _page(login, officer)

    no_reason = api.post(f"/holds/{hold['id']}/lift", {"explanation": ""})
    assert no_reason.status_code == 400 and _params(no_reason) == {
        "explanation": "explanation_required"
    }
    lifted = api.post(f"/holds/{hold['id']}/lift", {"explanation": "Verzoek afgehandeld."})
    assert lifted.status_code == 200
    assert lifted.json()["lifted_by"] == str(officer) and lifted.json()["lifted_at"]
    assert _audited(AuditAction.RETENTION_HOLD_LIFT) == 1
    assert api.get("/holds").json() == []
    assert api.post(f"/holds/{hold['id']}/lift", {"explanation": "Nog eens."}).status_code == 404
    assert "Er geldt geen bewaarplicht." in _page(login, officer)


def test_a_team_lead_holds_their_own_teams_report_and_knows_of_no_other(client, login, make_user):
    north, south = Team.objects.create(name="Noord"), Team.objects.create(name="Zuid")
    lead, stranger = (make_user(role=Role.TEAM_LEAD, team=team) for team in (north, south))
    own, other = _report(client), _report(client)
    Report.objects.filter(pk=own.pk).update(team=north)
    Report.objects.filter(pk=other.pk).update(team=south)
    body = {"reason": "court", "explanation": "Rechtszaak 26/77", "until": _until()}
    as_lead, as_stranger = Api(lead), Api(stranger)

    # Another team's reference reads as one that does not exist.
    foreign = as_lead.post("/holds", {**body, "reference": other.reference})
    ghost = as_lead.post("/holds", {**body, "reference": "M-XXXX-XXXX"})
    assert foreign.status_code == ghost.status_code == 404
    assert foreign.json() == {**ghost.json(), "instance": foreign.json()["instance"]}
    assert not LegalHold.objects.exists()
    placed = as_lead.post("/holds", {**body, "reference": own.reference})
    assert placed.status_code == 201, placed.content
    hold = placed.json()
    assert hold["placed_by"] == str(lead)
    assert [h["reference"] for h in as_lead.get("/holds").json()] == [own.reference]
    assert own.reference in _page(login, lead)

    # The other team's lead neither sees the hold nor lifts it: as if there were none.
    assert as_stranger.get("/holds").json() == []
    assert own.reference not in as_stranger.get("/holds").content.decode()
    refused = as_stranger.post(f"/holds/{hold['id']}/lift", {"explanation": "Klaar."})
    assert refused.status_code == 404 and refused["Content-Type"] == PROBLEM
    assert LegalHold.objects.get().lifted_at is None
    assert own.reference not in _page(login, stranger)
    assert _audited(AuditAction.RETENTION_HOLD_LIFT) == 0
    # The privacy officer sees every team's hold.
    officer = Api(make_user(role=Role.PRIVACY_OFFICER))
    assert [h["reference"] for h in officer.get("/holds").json()] == [own.reference]


@pytest.mark.parametrize(
    "role", [Role.INTAKE, Role.ANALYST, Role.CASE_HANDLER, Role.MANAGEMENT, Role.ADMIN]
)
def test_roles_that_hold_nothing_are_refused_the_holds(client, make_user, role):
    report = _report(client)
    officer = make_user(role=Role.PRIVACY_OFFICER)
    hold = Api(officer).post(
        "/holds",
        {"reference": report.reference, "reason": "woo", "explanation": "W", "until": _until()},
    )
    user = make_user(role=role)
    Report.objects.filter(pk=report.pk).update(team=user.team)
    api = Api(user)
    for answer in (
        api.get("/holds"),
        api.post("/holds", {"reference": report.reference, "reason": "woo"}),
        api.post(f"/holds/{hold.json()['id']}/lift", {"explanation": "Klaar."}),
    ):
        assert answer.status_code == 403 and answer["Content-Type"] == PROBLEM
    assert LegalHold.objects.get().lifted_at is None


# --- the destruction list, the runs and their statements --------------------------------------


@pytest.fixture
def listed(make_user):
    """Two closed cases on the destruction list, five years and a bit after closing."""
    lead = make_user(role=Role.TEAM_LEAD)
    analyst = make_user(role=Role.ANALYST, team=lead.team)
    destroyed = _closed_case(lead.team, analyst, lead, "Loods Zilverreigerlaan")
    kept = _closed_case(lead.team, analyst, lead, "Schuur aan de dijk", street="Kwartelweg")
    later = timezone.now() + timedelta(days=5 * 365 + 2)
    retention.run(now=later)
    return destroyed, kept, later


def test_the_officer_keeps_one_case_approves_the_list_and_reads_the_statement(
    login, make_user, listed
):
    destroyed, kept, later = listed
    officer = make_user(role=Role.PRIVACY_OFFICER)
    api = Api(officer)
    shown = api.get("/destruction-list")
    assert shown.status_code == 200
    proposals = {p["reference"]: p for p in shown.json()}
    assert set(proposals) == {destroyed.reference, kept.reference}
    assert proposals[kept.reference]["state"] == "proposed"
    assert proposals[kept.reference]["closed_at"].startswith(
        timezone.localtime(kept.closed_at).date().isoformat()[:4]
    )
    off = proposals[kept.reference]["id"]

    no_reason = api.post(f"/destruction-list/{off}/remove", {"reason": ""})
    assert no_reason.status_code == 400 and _params(no_reason) == {"reason": "reason_required"}
    assert api.post("/destruction-list/987654/remove", {"reason": "Zo."}).status_code == 404
    removed = api.post(f"/destruction-list/{off}/remove", {"reason": "Bezwaar loopt nog."})
    assert removed.status_code == 200
    assert (removed.json()["state"], removed.json()["reason"]) == ("removed", "Bezwaar loopt nog.")
    assert _audited(AuditAction.RETENTION_LIST_REMOVE) == 1

    approved = api.post("/destruction-list/approve")
    assert approved.status_code == 200 and approved.json() == {"approved": 1}
    assert _audited(AuditAction.RETENTION_LIST_APPROVE) == 1
    empty = api.post("/destruction-list/approve")
    assert empty.status_code == 409 and empty.json()["code"] == "list_empty"
    assert [p["state"] for p in api.get("/destruction-list").json()] == ["approved"]
    page = _page(login, officer)
    assert "Goedgekeurd voor vernietiging" in page and kept.reference not in page

    record, _lines = retention.run(now=later)
    assert DestructionProposal.objects.get(case=None).state == ProposalState.DESTROYED
    runs = api.get("/runs").json()
    assert [run["id"] for run in runs][0] == record.pk
    newest = runs[0]
    assert newest["finished"] and newest["started_by"] is None
    closed_line = next(line for line in newest["lines"] if line["kind"] == RuleKind.CASE_CLOSED)
    assert (closed_line["due"], closed_line["done"]) == (2, 1)

    reads = _audited(AuditAction.RETENTION_STATEMENT_READ)
    answer = api.get(newest["statement_url"].removeprefix(API))
    assert answer.status_code == 200, answer.content
    statement = answer.json()
    assert _audited(AuditAction.RETENTION_STATEMENT_READ) == reads + 1
    items = {item["reference"]: item for item in statement["items"]}
    expected = set(DestroyedItem.objects.filter(run=record).values_list("reference", flat=True))
    assert set(items) == expected and destroyed.reference in items
    case_item = items[destroyed.reference]
    assert case_item["object_type"] == "case" and case_item["rule_kind"] == RuleKind.CASE_CLOSED
    assert statement["digest"] == record.digest and statement["digest_holds"] is True
    assert SECRET not in answer.content.decode()  # no content of what was destroyed
    # The page's statement names the same objects.
    page = _browser(officer).get(f"/bewaren/runs/{record.pk}").content.decode()
    assert all(reference in page for reference in items)

    pdf = api.get(statement["pdf_url"].removeprefix(API), HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert destroyed.reference in pdf_text(pdf.content)
    assert _audited(AuditAction.RETENTION_STATEMENT_READ) == reads + 3  # API, page, PDF
    assert api.get("/runs/987654").status_code == 404
    assert api.get("/runs/987654/statement.pdf").status_code == 404


@pytest.mark.parametrize("role", [*OTHER_ROLES, Role.ADMIN])
def test_other_roles_are_refused_the_list_the_runs_and_what_is_coming(make_user, listed, role):
    record, _lines = retention.run(now=listed[2])
    api = Api(make_user(role=role, team=listed[0].team))
    proposal = DestructionProposal.objects.first()
    reads = _audited(AuditAction.RETENTION_STATEMENT_READ)
    for answer in (
        api.get("/destruction-list"),
        api.post("/destruction-list/approve"),
        api.post(f"/destruction-list/{proposal.pk}/remove", {"reason": "Zo."}),
        api.get("/runs"),
        api.get(f"/runs/{record.pk}"),
        api.get(f"/runs/{record.pk}/statement.pdf"),
        api.get("/coming"),
        api.get("/unweighed"),
    ):
        assert answer.status_code == 403 and answer["Content-Type"] == PROBLEM
    assert _audited(AuditAction.RETENTION_STATEMENT_READ) == reads
    assert not DestructionProposal.objects.exclude(state=ProposalState.PROPOSED).exists()


def test_what_is_coming_counts_as_the_page_does(client, login, make_user):
    old, held = _report(client), _report(client)
    Report.objects.filter(pk__in=[old.pk, held.pk]).update(
        received_at=timezone.now() - timedelta(days=200)
    )
    officer = make_user(role=Role.PRIVACY_OFFICER)
    api = Api(officer)
    api.post(
        "/holds",
        {"reference": held.reference, "reason": "woo", "explanation": "W", "until": _until()},
    )
    young = _report(client)
    Report.objects.filter(pk=young.pk).update(received_at=timezone.now() - timedelta(days=170))
    answer = api.get("/coming")
    assert answer.status_code == 200
    lines = {line["kind"]: line for line in answer.json()}
    assert list(lines) == [d.kind for d in DEFAULTS]
    unweighed = lines[RuleKind.REPORT_UNWEIGHED]
    assert (unweighed["due_now"], unweighed["held_now"], unweighed["due_within_30_days"]) == (
        2,
        1,
        3,
    )
    page = _page(login, officer)
    assert re.search(r"Melding nooit gewogen</td>\s*<td>2</td>\s*<td>1</td>\s*<td>3</td>", page)


# --- the answers match the OpenAPI document -----------------------------------------------------


@pytest.fixture
def one_connection(client, listed):
    """As tests/api/test_schema_fuzz.py: the app is called in this thread, inside the test's
    transaction, so the handler must not close the connection after each request (after the
    test client's requests, which connect the handler again)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_answers_match_the_document(client, make_user, listed, one_connection):
    """Schemathesis: a valid request to each retention endpoint as the role that may make it,
    its answer checked against the document (status, content type, schema)."""
    schema = _schema()
    admin, officer = make_user(role=Role.ADMIN), make_user(role=Role.PRIVACY_OFFICER)
    as_admin, as_officer = (
        {"Authorization": auth(user)["HTTP_AUTHORIZATION"]} for user in (admin, officer)
    )
    report = Report.objects.filter(cases=listed[1]).get()
    failures: list[str] = []

    def send(method, path, *, status, headers, body=None, **path_parameters):
        given = {"body": body} if body is not None else {}
        case = schema[f"/api/v1/retention{path}"][method].Case(
            path_parameters=path_parameters or None, **given
        )
        try:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            assert response.status_code == status, f"{response.status_code}: {response.text[:400]}"
            return None if path.endswith(".pdf") else response.json()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 (collect them all)
            failures.append(_failure(f"{method} {path}", error))
            return None

    proposal = {
        "kind": RuleKind.IDEMPOTENCY,
        "period_amount": 2,
        "period_unit": "days",
        "legal_source": "Eigen beleid",
        "explanation": "Twee dagen.",
    }
    made = send("POST", "/rules", status=201, headers=as_admin, body=proposal)
    if made:
        send(
            "POST",
            "/rules/{id}/reject",
            status=200,
            headers=as_officer,
            body={"note": "Nee."},
            id=made["id"],
        )
    made = send("POST", "/rules", status=201, headers=as_admin, body=proposal)
    if made:
        send("POST", "/rules/{id}/approve", status=200, headers=as_officer, body={}, id=made["id"])
    send("GET", "/rules", status=200, headers=as_admin)
    hold = send(
        "POST",
        "/holds",
        status=201,
        headers=as_officer,
        body={
            "reference": report.reference,
            "reason": "woo",
            "explanation": "W",
            "until": _until(),
        },
    )
    send("GET", "/holds", status=200, headers=as_officer)
    if hold:
        send(
            "POST",
            "/holds/{id}/lift",
            status=200,
            headers=as_officer,
            body={"explanation": "Klaar."},
            id=hold["id"],
        )
    proposals = send("GET", "/destruction-list", status=200, headers=as_officer) or []
    if proposals:
        send(
            "POST",
            "/destruction-list/{id}/remove",
            status=200,
            headers=as_officer,
            body={"reason": "Bezwaar."},
            id=proposals[0]["id"],
        )
    send("POST", "/destruction-list/approve", status=200, headers=as_officer)
    record, _lines = retention.run(now=listed[2])
    send("GET", "/runs", status=200, headers=as_officer)
    send("GET", "/runs/{id}", status=200, headers=as_officer, id=record.pk)
    send("GET", "/runs/{id}/statement.pdf", status=200, headers=as_officer, id=record.pk)
    send("GET", "/coming", status=200, headers=as_officer)
    assert not failures, "\n\n".join(failures)


def test_the_reports_never_weighed_are_listed_by_reference_as_on_the_page(client, login, make_user):
    old, young = _report(client), _report(client)
    Report.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=200))
    officer = make_user(role=Role.PRIVACY_OFFICER)
    answer = Api(officer).get("/unweighed")
    assert answer.status_code == 200
    assert [row["reference"] for row in answer.json()] == [old.reference]
    assert set(answer.json()[0]) == {"reference", "team", "received_at", "status"}
    assert old.reference in _page(login, officer) and young.reference not in _page(login, officer)
