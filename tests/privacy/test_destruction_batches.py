"""The retention run destroys decided reports in batches (issue 15: the nightly run must not
slow the inbox): a batch is one transaction with a fixed number of statements, however many
reports it holds — plus one insert per report, the dashboard's stale week (Report's
post_delete) — and a report in the batch that is held or in a case stays while the others go.

The reports are made through the API (report, weighing, decision); their decision then lies
13 months back: the time a rule counts from, moved, not slept."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from baken.cases.models import CaseReport
from baken.core.roles import Role
from baken.privacy import retention, services
from baken.privacy.destruction import destroy_reports
from baken.privacy.models import DestroyedItem, RetentionRule, RetentionRun, RuleKind, RuleState
from baken.reports.models import ClosedReceipt, Decision, Report, StatusChange
from tests.cases.test_cases import open_case
from tests.privacy.test_run_killed import _decided

pytestmark = pytest.mark.django_db

# Statements of one batch, beside the one insert per report (the dashboard's stale week):
# the transaction's begin and end, the locking read, the reports merged into them, holds,
# cases, attachments, decisions, categories, the statement lines, status changes, figures,
# receipts, closed receipts, named subjects, split-off pointers, relations, Django's delete
# of the reports and of what hangs off them (a statement per related table, not per report),
# the reports' own keys among them, and the audit entries (the head read under its lock, then
# the entries and the head written: one statement on PostgreSQL, two on SQLite; since issue
# 18 without a savepoint). These reports name no registered subject and lie nowhere on the
# map, so neither is looked up. Since issue 17 Django's delete also clears the signs the
# reporters ticked (reports_report_signs): one statement more per batch; since issue 18 the
# areas the reports lay in (places_areareport): one more.
PER_BATCH = 44 if connection.vendor == "postgresql" else 45


def _due(client, make_user, count: int) -> list[Report]:
    analyst = make_user(role=Role.ANALYST)
    reports = [_decided(client, analyst, n) for n in range(count)]
    moved = timezone.now() - timedelta(days=400)
    Decision.objects.update(at=moved)
    StatusChange.objects.update(at=moved)
    Report.objects.update(weighed_at=moved)  # the decision's moment on the report too
    return reports


def _destroy(pks: list[int]):
    rule = RetentionRule.objects.get(kind=RuleKind.REPORT_NO_ACTION, state=RuleState.IN_FORCE)
    now = timezone.now()
    run = RetentionRun.objects.create(started_at=now)
    with CaptureQueriesContext(connection) as queries:
        outcome = destroy_reports(
            pks=pks,
            statuses=retention.STATUSES[RuleKind.REPORT_NO_ACTION],
            run=run,
            rule=rule,
            now=now,
        )
    return outcome, len(queries)


def test_a_batch_takes_the_same_statements_for_three_reports_as_for_twelve(client, make_user):
    reports = _due(client, make_user, 15)
    small, big = [r.pk for r in reports[:3]], [r.pk for r in reports[3:]]

    outcome, statements = _destroy(small)
    assert (outcome.destroyed, outcome.kept) == (3, 0)
    assert statements == PER_BATCH + 3

    outcome, statements = _destroy(big)
    assert (outcome.destroyed, outcome.kept) == (12, 0)
    assert statements == PER_BATCH + 12  # was 43 per report, one transaction each
    assert not Report.objects.exists()
    assert DestroyedItem.objects.filter(object_type="report").count() == 15
    assert ClosedReceipt.objects.count() == 15


def test_a_held_report_and_a_report_in_a_case_stay_while_the_rest_of_their_batch_goes(
    client, make_user
):
    held, in_case, *rest = _due(client, make_user, 4)
    services.hold_place(
        actor=make_user(role=Role.PRIVACY_OFFICER),
        target=held,
        reason="objection",
        explanation="Bezwaar 2026-31",
        until=timezone.localdate() + timedelta(days=500),
    )
    analyst = make_user(role=Role.ANALYST)
    case = open_case(analyst.team, analyst)  # a case of its own report
    CaseReport.objects.create(case=case, report=in_case, added_by=analyst, added_at=timezone.now())
    gone = [r.pk for r in rest]

    outcome, _statements = _destroy([held.pk, in_case.pk, *(r.pk for r in rest)])
    assert (outcome.destroyed, outcome.kept) == (2, 2)
    assert not Report.objects.filter(pk__in=gone).exists()
    assert Report.objects.filter(pk__in=[held.pk, in_case.pk]).count() == 2
    assert sorted(DestroyedItem.objects.values_list("reference", flat=True)) == sorted(
        r.reference for r in rest
    )
