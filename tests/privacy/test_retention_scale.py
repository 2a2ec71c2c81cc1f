"""The retention page and the run's finding of what is due, at scale (issue 18): the number of
queries does not grow with the data, a decided report is due a period after its decision's
moment as the decision service wrote it on the report, and on PostgreSQL the counts read one
range of an index instead of grouping every decided report's decisions."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from baken.core.roles import Role
from baken.privacy import retention, selectors
from baken.privacy.models import RetentionRule, RuleKind, RuleState
from baken.reports.models import Decision, Report
from baken.reports.workflow import Status
from tests.api.test_retention_api import Api
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


def _page_due(client) -> list[list[str]]:
    """The rows of the page's table "due now and within 30 days": kind, now, held, later."""
    html = client.get(URL).content.decode()
    table = html.split("Nu en binnen 30 dagen aan de beurt", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    return [[unescape(c.strip()) for c in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in rows]


def test_the_page_counts_what_is_due_up_to_its_cap_and_then_says_more_than(
    make_user, verified_client, monkeypatch
):
    """The page's due counts stop at selectors.COMING_CAP (issue 18: a backlog of hundreds of
    thousands read as many index entries on every request); below it they are exact and the
    same as the run's dry run, above it the page says "meer dan" the cap. The held counts
    and the API's figures stay exact."""
    officer = make_user(role=Role.PRIVACY_OFFICER)
    client = verified_client(officer)
    grow(3)  # 3 due 'no action', 3 referred, 3 never weighed (and 3 decided recently)
    now = timezone.now()
    exact = selectors.coming(actor=officer, now=now)
    for cap in (3, 5, 1000):  # at the cap, and above it: every count exact
        capped = selectors.coming(actor=officer, now=now, cap=cap)
        for mine, theirs in (
            (capped.now, exact.now),
            (capped.within_30_days, exact.within_30_days),
        ):
            assert [(line.found.due, line.found.held, line.found.more) for line in mine] == [
                (line.found.due, line.found.held, False) for line in theirs
            ]
    capped = selectors.coming(actor=officer, now=now, cap=2)
    by_kind = {line.rule.kind: line.found for line in capped.now}
    assert (by_kind[RuleKind.REPORT_NO_ACTION].due, by_kind[RuleKind.REPORT_NO_ACTION].more) == (
        2,
        True,
    )
    assert (by_kind[RuleKind.REPORT_UNWEIGHED].due, by_kind[RuleKind.REPORT_UNWEIGHED].more) == (
        2,
        True,
    )
    # Within 30 days the recent 'no action' ones are not due yet: 3 stays over the cap of 2.
    later = {line.rule.kind: line.found for line in capped.within_30_days}
    assert later[RuleKind.REPORT_NO_ACTION].more and later[RuleKind.REPORT_NO_ACTION].due == 2

    shown = {row[0]: row[1:] for row in _page_due(client)}
    no_action = RetentionRule.objects.get(
        kind=RuleKind.REPORT_NO_ACTION, state=RuleState.IN_FORCE
    ).label
    assert shown[str(no_action)] == ["3", "0", "3"]
    monkeypatch.setattr(selectors, "COMING_CAP", 2)
    shown = {row[0]: row[1:] for row in _page_due(client)}
    assert shown[str(no_action)] == ["meer dan 2", "0", "meer dan 2"]
    # The API's figures are exact whatever the page's cap.
    answer = Api(officer).get("/coming")
    assert answer.status_code == 200
    figures = {row["kind"]: row["due_now"] for row in answer.json()}
    assert figures[RuleKind.REPORT_NO_ACTION] == 3


def test_the_capped_counts_take_no_more_queries_while_under_the_cap(make_user, verified_client):
    officer = make_user(role=Role.PRIVACY_OFFICER)
    grow(2)

    def count(cap) -> int:
        with CaptureQueriesContext(connection) as ctx:
            selectors.coming(actor=officer, cap=cap)
        return len(ctx.captured_queries)

    assert count(selectors.COMING_CAP) == count(None)
