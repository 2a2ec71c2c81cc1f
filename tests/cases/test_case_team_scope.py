"""The reports of a user's cases outside their team (ADR 0035, addendum of the case's team):
read from the case reports of another team than their case's (`case_report_outside_idx`) and
from the user's memberships of other teams' cases (`case_member_team_idx`), the set is exactly
what the tables say, for every team of report, case and user, whatever moves."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baken.accounts.models import Team
from baken.cases import services
from baken.cases.models import Case, CaseMember, CaseReport
from baken.cases.selectors import member_case_reports
from baken.core.roles import Role
from baken.reports import inbox, routing
from baken.reports.inbox import InboxFilter, inbox_counts, inbox_page
from baken.reports.models import Report
from baken.reports.selectors import report_list
from baken.reports.workflow import Status
from tests.cases.test_cases import in_analysis, open_case

pytestmark = pytest.mark.django_db


def truth(user) -> set[int]:
    """What `user` may see, computed in Python from every row of the tables (the report's own
    team, never a copy; docs/product.md#roles): an analyst their team's reports, those
    assigned to them and those of a case they are a current member of; a case handler the
    last two; a team lead their team's; never a sealed one."""
    cases = {
        m.case_id for m in CaseMember.objects.all() if m.user_id == user.pk and not m.removed_at
    }
    of_cases = {cr.report_id for cr in CaseReport.objects.all() if cr.case_id in cases}
    seen = set()
    for report in Report.objects.all():
        if report.status == Status.NO_ACTION or report.restricted_at is not None:
            continue
        own = bool(user.team_id) and report.team_id == user.team_id
        mine = report.assignee_id == user.pk or report.pk in of_cases
        if user.role == Role.TEAM_LEAD:
            mine = own
        elif user.role == Role.ANALYST:
            mine = mine or own
        if mine:
            seen.add(report.pk)
    return seen


def of_cases_outside(user) -> set[int]:
    """The reports of the user's current cases that are not of their team (or of none)."""
    cases = set(
        CaseMember.objects.filter(user=user, removed_at=None).values_list("case_id", flat=True)
    )
    teams = dict(Report.objects.values_list("pk", "team_id"))
    return {
        cr.report_id
        for cr in CaseReport.objects.all()
        if cr.case_id in cases and teams[cr.report_id] != user.team_id
    }


def check(users: list) -> None:
    # The copies are true: of the report's team and of the case's.
    for row in CaseReport.objects.select_related("case", "report"):
        assert (row.report_team_id, row.case_team_id) == (row.report.team_id, row.case.team_id)
    for row in CaseMember.objects.select_related("case"):
        assert row.case_team_id == row.case.team_id
    for user in users:
        expected = truth(user)
        listed = set(report_list(user=user).values_list("pk", flat=True))
        assert listed == expected, (user.username, listed ^ expected)
        # The inbox's scope: its terms are disjoint (it adds their counts up), and together
        # they are the user's scope (each term written as the inbox reads it).
        terms = [
            set(Report.objects.filter(t.q).values_list("pk", flat=True))
            for t in inbox._scope_terms(user)
        ]
        assert sum(map(len, terms)) == len(set().union(*terms)), user.username
        assert set().union(*terms) == expected, (user.username, set().union(*terms) ^ expected)
        if user.role == Role.ANALYST and user.team_id:
            rows = member_case_reports(user, user.team_id)
            asked = {r for part in rows for r in part.values_list("report_id", flat=True)}
            assert asked == of_cases_outside(user), (user.username, asked)


def test_the_reports_of_their_cases_outside_their_team_are_exactly_what_the_tables_say(
    make_user, north, south, verified_client
):
    """Analysts of three teams (and one of none, and a case handler) in cases of two teams;
    a report of one team added to a case of another; a report in two cases; a membership
    ended. Every report of a case handed through the assignment form to each team in turn,
    then to none; the case's team changed twice (no page does it: Case.save, as whatever
    would), each time with a member and a report added afterwards through the services. After
    every step each user's report_list, the inbox's terms and the case rule's part outside
    their team are what the tables say, and the copies are true."""
    third = Team.objects.create(name="Havenwaard")
    lead = {t.pk: make_user(role=Role.TEAM_LEAD, team=t) for t in (north, south, third)}
    a_north = make_user(role=Role.ANALYST, team=north)
    a_south = make_user(role=Role.ANALYST, team=south)
    a_third = make_user(role=Role.ANALYST, team=third)
    a_none = make_user(role=Role.ANALYST, team=None)
    handler = make_user(role=Role.CASE_HANDLER, team=north)
    # Members from the moment their case is of their team (below).
    later = {t.pk: make_user(role=Role.ANALYST, team=t) for t in (south, third)}
    users = [a_north, a_south, a_third, a_none, handler, *lead.values(), *later.values()]

    case_n = open_case(north, a_north, title="Noord", handler=handler)
    case_s = open_case(south, a_south, title="Zuid")
    for who in (a_north, a_third, a_none):
        services.member_add(case=case_s, user=who, actor=lead[south.pk], reason="Meekijken.")
    services.member_add(case=case_n, user=a_south, actor=lead[north.pk], reason="Meekijken.")
    services.member_add(case=case_n, user=a_third, actor=lead[north.pk], reason="Even.")
    services.member_remove(case=case_n, user=a_third, actor=lead[north.pk], reason="Klaar.")
    # A report of the north analyst's team into the south case, by them (a member of it),
    # and the north case's report into the south case as well.
    first_n = case_n.case_reports.get().report
    services.case_add_report(
        case=case_s, report=in_analysis(north), actor=a_north, rationale="Zelfde adres."
    )
    services.case_add_report(case=case_s, report=first_n, actor=a_north, rationale="Ook.")
    services.case_add_report(
        case=case_n, report=in_analysis(north), actor=a_north, rationale="Tweede."
    )
    check(users)

    def hand(report_pk: int, team: Team | None) -> None:
        now = Report.objects.get(pk=report_pk).team_id
        response = verified_client(lead[now]).post(
            reverse("reports:assign", args=[report_pk]),
            {"team": str(team.pk) if team else "", "assignee": ""},
        )
        assert response.status_code == 302, response.content[:300]
        assert Report.objects.get(pk=report_pk).team_id == (team.pk if team else None)

    def every_report_to_every_team() -> None:
        for pk in set(CaseReport.objects.values_list("report_id", flat=True)):
            for team in (north, south, third):
                if Report.objects.get(pk=pk).team_id != team.pk:
                    hand(pk, team)
                    check(users)

    every_report_to_every_team()
    # The south case moves to the third team, the north case to the south team.
    case_s.team = third
    case_s.save()
    check(users)
    services.member_add(
        case=case_s, user=later[third.pk], actor=lead[third.pk], reason="Nu van ons."
    )
    services.case_add_report(
        case=case_s, report=in_analysis(third), actor=a_third, rationale="Derde."
    )
    check(users)
    case_n.team = south
    case_n.save(update_fields=["team"])
    check(users)
    services.member_add(
        case=case_n, user=later[south.pk], actor=lead[south.pk], reason="Nu van ons."
    )
    services.member_add(case=case_n, user=a_third, actor=lead[south.pk], reason="Weer.")
    services.case_add_report(
        case=case_n, report=in_analysis(south), actor=a_south, rationale="Zuid."
    )
    check(users)
    every_report_to_every_team()
    # Last, each to no team (the intake queue), from where no lead hands it on.
    for pk in set(CaseReport.objects.values_list("report_id", flat=True)):
        hand(pk, None)
        check(users)
    assert CaseReport.objects.filter(report_team=None).count() == CaseReport.objects.count() == 7


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="An EXPLAIN of PostgreSQL's planner: SQLite's plans name no such choice",
)
def test_the_analysts_inbox_reads_their_cases_outside_their_team_from_the_partial_index(
    make_user, north, south
):
    """With 3,000 cases of their team the analyst is a member of, each with a report of their
    team (the demo's shape, and the plan the issue measured: every membership hash-joined with
    the case reports outside the team), the inbox reads the reports of their cases outside
    their team from the few case reports of another team than their case's
    (case_report_outside_idx) and from their memberships of other teams' cases
    (case_member_team_idx), not from all their memberships."""
    analyst = make_user(role=Role.ANALYST, team=north)
    south_analyst = make_user(role=Role.ANALYST, team=south)
    south_lead = make_user(role=Role.TEAM_LEAD, team=south)
    case = open_case(north, analyst, title="Noord")
    moved = open_case(north, analyst, title="Verhuisd").case_reports.get().report
    routing.report_assign(
        report=moved,
        actor=make_user(role=Role.TEAM_LEAD, team=north),
        team_id=south.pk,
        assignee_id=None,
    )
    theirs = open_case(south, south_analyst, title="Zuid")
    services.member_add(case=theirs, user=analyst, actor=south_lead, reason="Meekijken.")
    template = case.case_reports.get()
    reports = []
    base = Report.objects.get(pk=template.report_id)
    for i in range(3000):
        copy = Report(
            **{
                f.attname: getattr(base, f.attname)
                for f in Report._meta.concrete_fields
                if not f.primary_key
            }
        )
        copy.reference = f"M-Y{i:07d}"
        reports.append(copy)
    reports = Report.objects.bulk_create(reports, batch_size=1000)
    clones = []
    for i in range(3000):
        clone = Case.objects.get(pk=case.pk)
        clone.pk = None
        clone.reference = f"Z-Y{i:06d}"
        clones.append(clone)
    clones = Case.objects.bulk_create(clones, batch_size=1000)
    CaseReport.objects.bulk_create(
        [
            CaseReport(
                case=c,
                report=r,
                report_team=north,
                case_team=north,
                added_at=template.added_at,
                added_by=analyst,
            )
            for c, r in zip(clones, reports, strict=True)
        ],
        batch_size=1000,
    )
    CaseMember.objects.bulk_create(
        [
            CaseMember(
                case=c,
                case_team=north,
                user=analyst,
                added_at=template.added_at,
                added_by=analyst,
                reason="Bulk.",
            )
            for c in clones
        ],
        batch_size=1000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    filters = InboxFilter()
    with CaptureQueriesContext(connection) as ctx:
        counts = inbox_counts(user=analyst, filters=filters)
        list(inbox_page(user=analyst, filters=filters, counts=counts, number=1, per_page=50))
    plans = []
    with connection.cursor() as cursor:
        for query in ctx.captured_queries:
            if "case_team_id" not in query["sql"]:
                continue
            cursor.execute("EXPLAIN " + query["sql"])
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    # The count of the reports of their cases outside their team (and the page, when it
    # has any in the queue); the capped counts of the other terms leave those reports out
    # by a lookup per report (NOT EXISTS), without this rule's parts.
    assert plans, [q["sql"] for q in ctx.captured_queries]
    for plan in plans:
        # From the few case reports outside their case's team, each looked up in the
        # memberships, and the memberships of other teams' cases: never every membership.
        assert "case_report_outside_idx" in plan and "case_member_team_idx" in plan, plan
        assert "Hash" not in plan and "Seq Scan on cases_casemember" not in plan, plan
        # The memberships of other teams' cases as ranges of that index (team below theirs,
        # team above), not all 3,000 of the analyst's memberships read and filtered.
        assert not re.search(r"Filter: .*case_team_id [<>]", plan), plan
    shown = set(report_list(user=analyst).values_list("pk", flat=True))
    assert {moved.pk, theirs.case_reports.get().report_id} <= shown


@pytest.mark.django_db(transaction=True)
def test_migration_0013_gives_existing_case_reports_and_memberships_their_cases_team(
    make_user, north, south
):
    """Case reports and memberships made before 0013 get their case's team, and the case
    report whose report went to another team (or none) is outside its case's team."""
    from django.db.migrations.executor import MigrationExecutor

    before, after = ("cases", "0012_case_report_team"), ("cases", "0013_case_team_copies")
    analyst = make_user(role=Role.ANALYST, team=north)
    case = open_case(north, analyst, title="Noord")
    services.case_add_report(
        case=case, report=in_analysis(north), actor=analyst, rationale="Tweede."
    )
    services.case_add_report(
        case=case, report=in_analysis(north), actor=analyst, rationale="Derde."
    )
    inside, moved, gone = case.case_reports.order_by("pk").values_list("report_id", flat=True)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([before])
        old = executor.loader.project_state([before]).apps
        rows = old.get_model("cases", "CaseReport").objects
        rows.filter(report_id=moved).update(report_team_id=south.pk)
        rows.filter(report_id=gone).update(report_team_id=None)
        executor.loader.build_graph()
        executor.migrate([after])
        new = executor.loader.project_state([after]).apps
        links = new.get_model("cases", "CaseReport").objects.filter(case_id=case.pk)
        assert {r.report_id: (r.case_team_id, r.outside_case_team) for r in links} == {
            inside: (north.pk, False),
            moved: (north.pk, True),
            gone: (north.pk, True),
        }
        members = new.get_model("cases", "CaseMember").objects.filter(case_id=case.pk)
        assert {m.case_team_id for m in members} == {north.pk}
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
