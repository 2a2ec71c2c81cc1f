"""The retention page and the run's finding of what is due, at scale (issue 18): the number of
queries does not grow with the data, a decided report is due a period after its decision's
moment as the decision service wrote it on the report, and on PostgreSQL the counts read one
range of an index instead of grouping every decided report's decisions."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from baken.core.roles import Role
from baken.privacy import retention, selectors
from baken.privacy.models import RetentionRule, RuleKind, RuleState
from baken.reports.models import Decision, Report
from baken.reports.workflow import Status
from tests.privacy.test_run_killed import _decided
from tests.reports.test_triage import file_report

pytestmark = pytest.mark.django_db
URL = "/bewaren/"


def _rule(kind: str) -> RetentionRule:
    return RetentionRule.objects.get(kind=kind, state=RuleState.IN_FORCE)


def grow(n: int) -> None:
    """n reports of each kind the page counts: decided 'no action' and referred more than a
    year ago, decided recently, and never weighed for more than six months."""
    now = timezone.now()
    for i in range(n):
        for status, days in (
            (Status.NO_ACTION, 400 + i),
            (Status.REFERRED, 380 + i),
            (Status.NO_ACTION, 10 + i),
            (Status.IN_TRIAGE, 200 + i),
        ):
            report = file_report(description=f"Melding nummer {i} met voldoende tekst.")
            decided = status in (Status.NO_ACTION, Status.REFERRED)
            Report.objects.filter(pk=report.pk).update(
                status=status,
                received_at=now - timedelta(days=days + 3),
                weighed_at=now - timedelta(days=days) if decided else None,
            )


def queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(URL)
    assert page.status_code == 200
    return len(ctx.captured_queries)


def test_the_number_of_queries_of_the_retention_page_does_not_grow_with_the_data(
    make_user, verified_client
):
    officer = make_user(role=Role.PRIVACY_OFFICER)
    client = verified_client(officer)
    queries(client)  # the first request of a session reads a few things once
    grow(2)
    few = queries(client)
    _, lines = retention.run(dry_run=True)
    due = {line.rule.kind: line.found.due for line in lines}
    assert due[RuleKind.REPORT_NO_ACTION] == 2
    assert due[RuleKind.REPORT_REFERRED] == 2
    assert due[RuleKind.REPORT_UNWEIGHED] == 2
    grow(5)
    assert queries(client) == few
    _, lines = retention.run(dry_run=True)
    due = {line.rule.kind: line.found.due for line in lines}
    assert due[RuleKind.REPORT_NO_ACTION] == 7
    assert due[RuleKind.REPORT_UNWEIGHED] == 7
    assert [r.received_at for r in selectors.unweighed_list(actor=officer)] == sorted(
        Report.objects.filter(status=Status.IN_TRIAGE).values_list("received_at", flat=True)
    )


def test_a_decided_report_is_due_a_year_after_the_moment_of_its_decision(client, make_user):
    """The decision service writes the decision's moment on the report (weighed_at); the run
    counts the period from it, to the second, and a report decided later is due later."""
    analyst = make_user(role=Role.ANALYST)
    first, second = _decided(client, analyst, 1), _decided(client, analyst, 2)
    one = Decision.objects.get(report=first)
    assert first.weighed_at == one.at
    later = one.at + timedelta(days=20)  # the second decided twenty days after the first
    Decision.objects.filter(report=second).update(at=later)
    Report.objects.filter(pk=second.pk).update(weighed_at=later)
    rule = _rule(RuleKind.REPORT_NO_ACTION)
    year = one.at.replace(year=one.at.year + 1)

    def due(now) -> set[int]:
        return set(retention.reports_decided(rule, now).values_list("pk", flat=True))

    assert due(year) == set()  # not before the year has passed: strictly after
    assert due(year + timedelta(seconds=1)) == {first.pk}
    assert due(year + timedelta(days=20, seconds=1)) == {first.pk, second.pk}
    _, lines = retention.run(dry_run=True, now=year + timedelta(seconds=1))
    assert (
        next(line for line in lines if line.rule.kind == RuleKind.REPORT_NO_ACTION).found.due == 1
    )


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="An EXPLAIN of PostgreSQL's planner: SQLite's plans name no such choice",
)
def test_the_due_counts_and_the_unweighed_list_read_their_indexes():
    """With enough decided reports that grouping their decisions would be the cost the issue
    measured (4.8 s at a million), each count is one range of report_decided_idx and the
    privacy officer's list walks report_unweighed_idx oldest first."""
    grow(1)
    template = Report.objects.filter(status=Status.NO_ACTION).first()
    now = timezone.now()
    rows = []
    for i in range(20000):
        copy = Report(
            **{
                f.attname: getattr(template, f.attname)
                for f in Report._meta.concrete_fields
                if not f.primary_key and not f.generated
            }
        )
        copy.reference = f"M-R{i:07d}"
        copy.received_at = now - timedelta(minutes=i)
        copy.weighed_at = now - timedelta(minutes=i)
        copy.status = (Status.NO_ACTION, Status.REFERRED, Status.LINKED_TO_CASE)[i % 3]
        rows.append(copy)
    Report.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    plans = []
    for kind in (RuleKind.REPORT_NO_ACTION, RuleKind.REPORT_REFERRED):
        query = retention.reports_decided(_rule(kind), now).values("pk")
        plans.append(("decided", query.explain()))
    unweighed = (
        retention.reports_unweighed(_rule(RuleKind.REPORT_UNWEIGHED), now)
        .order_by("received_at")
        .values("pk")[:200]
    )
    plans.append(("unweighed", unweighed.explain()))
    for name, plan in plans:
        assert f"report_{name}_idx" in plan, plan
        assert "Seq Scan on reports_report" not in plan, plan
        assert "HashAggregate" not in plan and "GroupAggregate" not in plan, plan
