"""The retention page's "due now and within 30 days" (issue 18): counted in about one
aggregate per rule in force instead of two dry runs of every rule, with the same figures as
the run's own dry run and as what the real run then destroys, lists or hands to the privacy
officer. The data are made through the API and the services; time moves by asking about
later moments, not by changing the data."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from baken.core.roles import Role
from baken.privacy import retention, selectors, services
from baken.privacy.models import RetentionRule, RuleKind, RuleState
from baken.reports.models import Report
from tests.exports.test_destroyed_rows import _file, _refer
from tests.privacy.test_case_destruction import _closed_case
from tests.privacy.test_retention import _report
from tests.privacy.test_run_killed import _decided

pytestmark = pytest.mark.django_db

MOMENTS = [
    timedelta(hours=12),
    timedelta(days=2),  # resend records due
    timedelta(days=170),  # the unweighed due within 30 days
    timedelta(days=200),
    timedelta(days=366),  # decided reports due
    timedelta(days=5 * 365 + 3),  # closed cases due
]


def _figures(lines) -> dict:
    return {line.rule.pk: (line.found.due, line.found.held) for line in lines}


def _data(client, make_user):
    """Reports decided 'no action' (one of them on hold) and referred, reports never weighed
    with their resend records, a failed sign-in, two closed cases (one of them on hold)."""
    lead = make_user(role=Role.TEAM_LEAD)
    analyst = make_user(role=Role.ANALYST, team=lead.team)
    officer = make_user(role=Role.PRIVACY_OFFICER)
    decided = [_decided(client, analyst, n) for n in range(3)]
    referred = _file(client, "Vergunning horeca Kadestraat lijkt op naam van een stroman.")
    Report.objects.filter(pk=referred.pk).update(team=analyst.team)  # as routing would
    _refer(client, analyst, referred)
    for n in range(2):
        _report(client, key=f"offline-{n:04d}-1111")  # never weighed, with a resend record
    client.post("/inloggen", {"username": "niemand", "password": "fout"})
    cases = [_closed_case(lead.team, analyst, lead, f"Loods {n}") for n in range(2)]
    until = timezone.localdate() + timedelta(days=6 * 365)
    for target in (decided[0], cases[1]):
        services.hold_place(
            actor=officer,
            target=target,
            reason="court",
            explanation="Rechtszaak 26/5120.",
            until=until,
        )
    return officer


def test_the_figures_are_those_of_the_runs_dry_run_and_of_the_real_run(client, make_user):
    officer = _data(client, make_user)
    start = timezone.now()
    seen = set()
    for ahead in MOMENTS:
        now = start + ahead
        coming = selectors.coming(actor=officer, now=now)
        _, dry_now = retention.run(dry_run=True, now=now)
        _, dry_later = retention.run(dry_run=True, now=now + timedelta(days=30))
        assert _figures(coming.now) == _figures(dry_now)
        assert _figures(coming.within_30_days) == _figures(dry_later)
        assert [line.rule.pk for line in coming.now] == [line.rule.pk for line in dry_now]
        seen |= {(line.rule.kind, line.found.held > 0) for line in coming.now if line.found.due}
    # Every kind was due at some moment, and the holds counted.
    assert {kind for kind, _held in seen} == set(RuleKind.values)
    assert (RuleKind.REPORT_NO_ACTION, True) in seen and (RuleKind.CASE_CLOSED, True) in seen

    # The real run at the last moment: it finds what the page said, and destroys, lists or
    # hands to the privacy officer exactly what is due and not held.
    now = start + MOMENTS[-1]
    coming = _figures(selectors.coming(actor=officer, now=now).now)
    _record, lines = retention.run(now=now)
    for line in lines:
        due, held = coming[line.rule.pk]
        assert (line.found.due, line.found.held) == (due, held), line.rule.kind
        if line.rule.kind == RuleKind.CASE_CLOSED:
            assert line.found.listed == due - held  # on the destruction list
        else:
            assert line.found.done == due - held, line.rule.kind


def test_the_figures_take_about_one_query_per_rule(client, make_user):
    officer = _data(client, make_user)
    in_force = RetentionRule.objects.filter(state=RuleState.IN_FORCE)
    # Those whose rows a hold keeps: reports never weighed, decided reports, closed cases.
    held = in_force.exclude(kind__in=[RuleKind.IDEMPOTENCY, RuleKind.LOGIN_RECORDS]).count()

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            selectors.coming(actor=officer, now=timezone.now() + timedelta(days=400))
        return len(ctx.captured_queries)

    few = queries()
    # The rules, then one aggregate of the due counts per rule (the sign-in records are three
    # tables) and one of the held counts per rule whose rows a hold keeps.
    assert few == 1 + in_force.count() + 2 + held
    _data(client, make_user)
    assert queries() == few
