"""Retention rules as data, legal holds, and `baken retention run` for what it applies today
(issue 15, first part): each rule a version that is in force only after the privacy officer
approves it; the run deletes resend records and sign-in records past their term, lists
reports never weighed, counts decided reports and closed cases as due, skips what is held,
and a dry run changes nothing."""

import io
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.management import call_command
from django.utils import timezone

from baken.accounts.models import Team
from baken.audit.models import AuditEntry
from baken.core.refusals import Refused
from baken.core.roles import Role
from baken.intake.models import IdempotencyRecord
from baken.privacy import retention, services
from baken.privacy.models import RetentionRule, RetentionRun, RuleKind, RuleState
from baken.reports.models import Report

pytestmark = pytest.mark.django_db

REPORT = {
    "category": "drugs",
    "description": "Sterke hennepgeur bij de loods achter de garage, ramen afgeplakt.",
    "location": {"address": {"postcode": "1234 ab", "house_number": 12}},
    "reporter": {"anonymous": True},
}


def _report(client, key: str = "") -> Report:
    payload = dict(REPORT, idempotency_key=key) if key else REPORT
    answer = client.post("/api/v1/reports", payload, content_type="application/json")
    assert answer.status_code == 201, answer.content
    return Report.objects.get(reference=answer.json()["reference"])


def _line(lines, kind):
    return next(line for line in lines if line.rule.kind == kind)


def test_every_kind_has_a_default_rule_in_force():
    in_force = RetentionRule.objects.filter(state=RuleState.IN_FORCE)
    assert sorted(in_force.values_list("kind", flat=True)) == sorted(RuleKind.values)
    no_action = in_force.get(kind=RuleKind.REPORT_NO_ACTION)
    assert (no_action.period_amount, no_action.period_unit) == (1, "years")
    assert "Modelprotocol" in no_action.legal_source


def test_a_change_is_a_new_version_in_force_only_after_the_privacy_officer_approves(make_user):
    admin = make_user(role=Role.ADMIN)
    officer = make_user(role=Role.PRIVACY_OFFICER)
    proposed = services.rule_propose(
        actor=admin,
        kind=RuleKind.LOGIN_RECORDS,
        period_amount=6,
        period_unit="months",
        legal_source="Privacyprotocol gemeente, art. 7",
        explanation="Zes maanden, zoals de BIO-beoordeling van de gemeente vraagt.",
    )
    assert proposed.version == 2 and proposed.state == RuleState.PROPOSED
    in_force = RetentionRule.objects.get(kind=RuleKind.LOGIN_RECORDS, state=RuleState.IN_FORCE)
    assert in_force.version == 1  # nothing changes before the approval

    with pytest.raises(Refused) as refused:
        services.rule_approve(actor=admin, pk=proposed.pk)  # not the proposer's to approve
    assert refused.value.status == 403
    services.rule_approve(actor=officer, pk=proposed.pk, note="Akkoord.")
    states = dict(
        RetentionRule.objects.filter(kind=RuleKind.LOGIN_RECORDS).values_list("version", "state")
    )
    assert states == {1: RuleState.SUPERSEDED, 2: RuleState.IN_FORCE}
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["retention.rule_propose", "retention.rule_approve"]


def test_only_the_functional_administrator_proposes_and_says_why(make_user):
    for role in (Role.PRIVACY_OFFICER, Role.TEAM_LEAD, Role.ANALYST):
        with pytest.raises(Refused) as refused:
            services.rule_propose(
                actor=make_user(role=role),
                kind=RuleKind.IDEMPOTENCY,
                period_amount=2,
                period_unit="days",
                legal_source="x",
                explanation="y",
            )
        assert refused.value.status == 403
    with pytest.raises(Refused) as refused:
        services.rule_propose(
            actor=make_user(role=Role.ADMIN),
            kind=RuleKind.IDEMPOTENCY,
            period_amount=0,
            period_unit="days",
            legal_source=" ",
            explanation="",
        )
    assert set(refused.value.problems) == {"period_amount", "legal_source", "explanation"}
    assert not RetentionRule.objects.filter(state=RuleState.PROPOSED).exists()


def test_a_rejection_needs_a_reason_and_leaves_the_rule_in_force(make_user):
    proposed = services.rule_propose(
        actor=make_user(role=Role.ADMIN),
        kind=RuleKind.REPORT_NO_ACTION,
        period_amount=3,
        period_unit="years",
        legal_source="Eigen wens",
        explanation="Langer bewaren.",
    )
    officer = make_user(role=Role.PRIVACY_OFFICER)
    with pytest.raises(Refused):
        services.rule_reject(actor=officer, pk=proposed.pk, note="")
    services.rule_reject(actor=officer, pk=proposed.pk, note="Strijdig met het protocol.")
    in_force = RetentionRule.objects.get(kind=RuleKind.REPORT_NO_ACTION, state=RuleState.IN_FORCE)
    assert in_force.version == 1 and in_force.period_amount == 1


def test_the_run_deletes_resend_records_after_a_day_and_keeps_younger_ones(client):
    _report(client, key="offline-aaaa-1111")
    now = timezone.now()
    _record, lines = retention.run(now=now + timedelta(hours=23))
    assert IdempotencyRecord.objects.count() == 1
    assert _line(lines, RuleKind.IDEMPOTENCY).found.due == 0
    _record, lines = retention.run(now=now + timedelta(days=1, minutes=1))
    assert IdempotencyRecord.objects.count() == 0
    assert _line(lines, RuleKind.IDEMPOTENCY).found.done == 1
    assert Report.objects.count() == 1  # the report itself is not the resend record's to take


def test_sign_in_records_go_after_90_days(client):
    client.post("/inloggen", {"username": "niemand", "password": "fout"})
    assert AccessFailureLog.objects.count() + AccessAttempt.objects.count() >= 1
    now = timezone.now()
    retention.run(now=now + timedelta(days=89))
    assert AccessFailureLog.objects.count() + AccessAttempt.objects.count() >= 1
    retention.run(now=now + timedelta(days=91))
    assert AccessFailureLog.objects.count() + AccessAttempt.objects.count() == 0


def test_a_dry_run_counts_and_changes_nothing(client):
    _report(client, key="offline-bbbb-2222")
    record, lines = retention.run(dry_run=True, now=timezone.now() + timedelta(days=2))
    assert record is None and not RetentionRun.objects.exists()
    found = _line(lines, RuleKind.IDEMPOTENCY).found
    assert (found.due, found.done) == (1, 0)
    assert IdempotencyRecord.objects.count() == 1


def test_reports_never_weighed_are_listed_after_six_months_and_a_hold_is_counted(client, make_user):
    held, listed = _report(client), _report(client)
    officer = make_user(role=Role.PRIVACY_OFFICER)
    services.hold_place(
        actor=officer,
        target=held,
        reason="woo",
        explanation="Woo-verzoek 2026-114",
        until=timezone.localdate() + timedelta(days=400),
    )
    _record, lines = retention.run(now=timezone.now() + timedelta(days=150))
    assert _line(lines, RuleKind.REPORT_UNWEIGHED).found.due == 0
    _record, lines = retention.run(now=timezone.now() + timedelta(days=190))
    found = _line(lines, RuleKind.REPORT_UNWEIGHED).found
    assert (found.due, found.held, found.done) == (2, 1, 1)
    assert Report.objects.filter(pk__in=[held.pk, listed.pk]).count() == 2  # listed, not gone


def test_the_command_prints_each_rule_in_dutch_and_the_run_is_recorded():
    out = io.StringIO()
    call_command("retention", "run", stdout=out)
    text = out.getvalue()
    assert "Herkenning van opnieuw verstuurde meldingen (versie 1, 1 dag): te doen 0" in text
    assert "Melding met besluit 'geen actie' (versie 1, 1 jaar)" in text
    assert "Afgesloten casus (versie 1, 5 jaar): te doen 0, vastgehouden 0, vernietigd: 0" in text
    run = RetentionRun.objects.get()
    assert run.finished_at is not None and run.lines.count() == len(RuleKind.values)
    assert list(
        AuditEntry.objects.filter(object_type="privacy.retentionrun").values_list(
            "action", flat=True
        )
    ) == ["retention.run_start", "retention.run_finish"]

    dry = io.StringIO()
    call_command("retention", "run", "--dry-run", stdout=dry)
    assert dry.getvalue().startswith("Proefrun: er is niets veranderd.")
    assert RetentionRun.objects.count() == 1


def test_a_hold_is_placed_by_the_team_lead_of_the_report_s_team_or_the_privacy_officer(
    client, make_user
):
    report = _report(client)
    north, south = Team.objects.create(name="Noord"), Team.objects.create(name="Zuid")
    Report.objects.filter(pk=report.pk).update(team=north)
    report.refresh_from_db()
    until = timezone.localdate() + timedelta(days=30)
    # Another team's lead may not know of it (404); roles that hold nothing are refused (403).
    for actor, status in (
        (make_user(role=Role.TEAM_LEAD, team=south), 404),
        (make_user(role=Role.ANALYST, team=north), 403),
        (make_user(role=Role.ADMIN), 403),
    ):
        with pytest.raises(Refused) as refused:
            services.hold_place(
                actor=actor, target=report, reason="court", explanation="Zaak 12", until=until
            )
        assert refused.value.status == status
    assert (
        services.hold_place(
            actor=make_user(role=Role.TEAM_LEAD, team=north),
            target=report,
            reason="police",
            explanation="Verzoek politie, PL0900-2026-1",
            until=until,
        ).placed_by.team
        == north
    )
    officer = make_user(role=Role.PRIVACY_OFFICER)
    with pytest.raises(Refused) as refused:
        services.hold_place(
            actor=officer,
            target=report,
            reason="court",
            explanation="Zaak 12",
            until=timezone.localdate(),
        )
    assert set(refused.value.problems) == {"until"}
    hold = services.hold_place(
        actor=officer, target=report, reason="court", explanation="Zaak 12", until=until
    )
    with pytest.raises(Refused):
        services.hold_lift(actor=officer, pk=hold.pk, explanation="")
    services.hold_lift(actor=officer, pk=hold.pk, explanation="Uitspraak onherroepelijk.")
    hold.refresh_from_db()
    assert hold.lifted_at is not None and hold.lifted_by == officer
