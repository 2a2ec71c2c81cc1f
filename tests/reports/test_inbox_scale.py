"""The inbox and the API's list of reports at scale (issue 18): the number of queries does not
grow with the data, the counts are bounded, the reports of an analyst's cases are read from
their memberships, and need-to-know is exactly what it was."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from baken.accounts.models import Team
from baken.cases import services as case_services
from baken.cases.models import CaseMember, CaseReport
from baken.core.roles import Role
from baken.reports import inbox
from baken.reports.inbox import InboxFilter, inbox_count, inbox_counts, inbox_page
from baken.reports.models import Report
from baken.reports.selectors import SEALED, report_list
from baken.reports.workflow import Status
from tests.cases.test_cases import open_case
from tests.reports.test_triage import file_report

pytestmark = pytest.mark.django_db
INBOX = reverse("reports:inbox")
API = "/api/v1/reports"


@pytest.fixture
def people(make_user, north, south):
    return {
        "analyst": make_user(role=Role.ANALYST, team=north),
        "lead": make_user(role=Role.TEAM_LEAD, team=north),
        "south_analyst": make_user(role=Role.ANALYST, team=south),
        "south_lead": make_user(role=Role.TEAM_LEAD, team=south),
        "intake": make_user(role=Role.INTAKE, team=north),
    }


def grow(people, north, south, n: int) -> dict:
    """n more of everything the analyst's inbox reads: reports of their team in the triage
    queue (those in triage overdue, half in 1781), cases of their team they opened, and cases of the
    other team they were added to (a report outside their team, shared with them)."""
    now = timezone.now()
    made: dict[str, list] = {"north": [], "shared": [], "south": []}
    for i in range(n):
        report = file_report(
            description=f"Melding nummer {i} met voldoende tekst.",
            location={"address": {"postcode": f"17{81 + i % 2}AB", "house_number": i + 1}},
        )
        Report.objects.filter(pk=report.pk).update(
            team=north,
            status=Status.IN_TRIAGE if i % 2 else Status.RECEIVED,
            received_at=now - (timedelta(days=40 + i) if i % 2 else timedelta(hours=i)),
        )
        made["north"].append(report)
        open_case(north, people["analyst"], title=f"Casus noord {i}")
        theirs = open_case(south, people["south_analyst"], title=f"Casus zuid {i}")
        case_services.member_add(
            case=theirs, user=people["analyst"], actor=people["south_lead"], reason="Meekijken."
        )
        shared = theirs.case_reports.get().report
        # Back in triage, so the inbox (the triage queue) shows it.
        Report.objects.filter(pk=shared.pk).update(status=Status.IN_TRIAGE)
        made["shared"].append(shared)
        made["south"].append(open_case(south, people["south_analyst"], title=f"Niet van ons {i}"))
    return made


def queries(browser, url, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = browser.get(url, data or {})
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


SCENARIOS = [
    ("lead", INBOX, {}),
    ("analyst", INBOX, {}),
    ("analyst", INBOX, {"status": "in_triage", "overdue": "on"}),
    ("analyst", INBOX, {"category": "drugs"}),
    ("analyst", INBOX, {"area": "1781"}),
    ("analyst", INBOX, {"assignee": "niemand", "sort": "nieuwste"}),
    ("analyst", INBOX, {"pagina": "2"}),
    ("analyst", API, {}),
    ("analyst", API, {"status": "in_triage", "overdue": "true"}),
    ("analyst", API, {"page": "2", "pageSize": "2"}),
    ("lead", API, {"category": "drugs"}),
    ("intake", INBOX, {}),
    ("intake", INBOX, {"status": "in_triage", "overdue": "on"}),
]


def test_the_number_of_queries_does_not_grow_with_the_data(
    people, north, south, verified_client, monkeypatch
):
    """Each page of the inbox and the API list for a team lead and for an analyst who is a
    member of many cases, of their own team and of another: the same number of queries with
    3 and with 9 reports and cases of each kind (some counts then over the cap)."""
    monkeypatch.setattr(inbox, "COUNT_CAP", 5)
    grow(people, north, south, 3)
    few = {}
    for who, url, data in SCENARIOS:
        few[(who, url, str(data))] = queries(verified_client(people[who]), url, data)
    grow(people, north, south, 6)
    assert CaseMember.objects.filter(user=people["analyst"], removed_at=None).count() == 18
    many = {}
    for who, url, data in SCENARIOS:
        many[(who, url, str(data))] = queries(verified_client(people[who]), url, data)
    assert many == few
    assert max(few.values()) <= 25, few


def test_an_analyst_sees_exactly_the_reports_of_their_cases_outside_their_team(
    people, north, south, verified_client, make_user
):
    made = grow(people, north, south, 2)
    analyst = people["analyst"]
    shared, south_only = made["shared"], [c.case_reports.get().report for c in made["south"]]
    visible = set(report_list(user=analyst).values_list("pk", flat=True))
    assert {r.pk for r in shared} <= visible
    assert not {r.pk for r in south_only} & visible
    # Sealed and restricted reports of their cases stay out; a removed membership ends it.
    Report.objects.filter(pk=shared[0].pk).update(restricted_at=timezone.now())
    membership = CaseMember.objects.get(
        user=analyst, case__case_reports__report=shared[1], removed_at=None
    )
    case_services.member_remove(
        case=membership.case, user=analyst, actor=people["south_lead"], reason="Klaar."
    )
    filters = InboxFilter()
    counts = inbox_counts(user=analyst, filters=filters)
    page = [
        r.pk
        for r in inbox_page(user=analyst, filters=filters, counts=counts, number=1, per_page=50)
    ]
    expected = {r.pk for r in made["north"]}
    assert set(page) == expected
    assert inbox.inbox_total(counts, filters) == len(expected)
    body = verified_client(analyst).get(API, {"status": "in_triage"}).json()
    in_triage = set(
        Report.objects.filter(pk__in=expected, status=Status.IN_TRIAGE).values_list("pk", flat=True)
    )
    assert in_triage and {r["id"] for r in body["results"]} == in_triage
    assert body["count"] == len(body["results"]) and body["count_capped"] is False
    # Back in the case: the report of their case is in their inbox again.
    case_services.member_add(
        case=membership.case, user=analyst, actor=people["south_lead"], reason="Terug."
    )
    counts = inbox_counts(user=analyst, filters=filters)
    page = [
        r.pk
        for r in inbox_page(user=analyst, filters=filters, counts=counts, number=1, per_page=50)
    ]
    assert set(page) == expected | {shared[1].pk}
    assert counts[Status.IN_TRIAGE] == 1 + len(in_triage)


def test_counts_over_the_cap_say_more_and_every_page_can_still_be_reached(
    people, north, south, verified_client, monkeypatch
):
    monkeypatch.setattr(inbox, "COUNT_CAP", 3)
    made = grow(people, north, south, 4)
    analyst = people["analyst"]
    filters = InboxFilter()
    counts = inbox_counts(user=analyst, filters=filters)
    # 2 received and 2 + 4 shared in triage: more than 3 in triage, exactly 2 received.
    assert counts[Status.RECEIVED] == 2 and counts[Status.IN_TRIAGE] == 4
    assert inbox.is_capped(counts[Status.IN_TRIAGE])
    assert inbox_count(user=analyst, filters=filters) == 4
    browser = verified_client(analyst)
    page = browser.get(INBOX).content.decode()
    assert "Meer dan 3 meldingen" in page and '<span class="count">3+</span>' in page
    assert '<span class="count">2</span>' in page
    seen = []
    for number in (1, 2, 3, 4, 5, 6, 7, 8):
        got = inbox_page(user=analyst, filters=filters, counts=counts, number=number, per_page=1)
        seen += [r.pk for r in got]
        assert got.has_next() == (number < 8)
    assert sorted(seen) == sorted(r.pk for r in made["north"] + made["shared"])
    monkeypatch.setattr("baken.reports.views.PAGE_SIZE", 2)
    second = browser.get(INBOX, {"pagina": "2", "status": "in_triage"}).content.decode()
    # Page 2 of 3: "Pagina 2", not "of" a number of pages nobody counted; both directions.
    assert "<span>Pagina 2</span>" in second and "pagina=1" in second and "pagina=3" in second
    # The API: the same cap, and `next` as long as there are more.
    body = browser.get(API, {"pageSize": "5"}).json()
    assert body["count"] == 3 and body["count_capped"] is True and body["next"]
    assert len(body["results"]) == 5
    ids, number = [], 1
    while True:
        got = browser.get(API, {"pageSize": "5", "page": str(number)}).json()
        ids += [r["id"] for r in got["results"]]
        assert (got["previous"] is None) == (number == 1)
        if got["next"] is None:
            break
        number += 1
    # Every report the analyst may see, each once: the team's (also those in its cases)
    # and the reports of the other team's cases they are a member of.
    assert len(ids) == len(set(ids)) == 12 and number == 3
    assert set(ids) == set(report_list(user=analyst).values_list("pk", flat=True))
    past = browser.get(API, {"pageSize": "5", "page": "4"})
    assert past.status_code == 400 and past.json()["invalid_params"][0]["name"] == "page"
    # Pages asked in odd shapes: a whole number written with a decimal is that number; one
    # beyond any list is a 400 naming `page` (and in the inbox the first page), never a 500.
    same = browser.get(API, {"pageSize": "5", "page": "2.0"})
    assert same.status_code == 200 and same.json()["previous"]
    huge = browser.get(API, {"page": "99999999999999999999"})
    assert huge.status_code == 400 and huge.json()["invalid_params"][0]["name"] == "page"
    first = browser.get(INBOX, {"pagina": "99999999999999999999"})
    assert first.status_code == 200 and "<span>Pagina 1</span>" in first.content.decode()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="An EXPLAIN of PostgreSQL's planner: SQLite's plans name no such choice",
)
def test_the_analysts_inbox_reads_the_reports_of_their_cases_from_their_memberships(
    people, north, south
):
    """With enough rows and statistics that the planner could walk the date index of the
    reports (the plan the issue measured: 941,619 rows read for none), the analyst's inbox
    (its page and its counts) starts from the membership index instead."""
    grow(people, north, south, 2)
    analyst = people["analyst"]
    # Many more reports, cases and memberships of other people, copied in bulk.
    template = Report.objects.filter(team=north).first()
    now = timezone.now()
    rows = []
    for i in range(20000):
        copy = Report(
            **{
                f.attname: getattr(template, f.attname)
                for f in Report._meta.concrete_fields
                if not f.primary_key
            }
        )
        copy.reference = f"M-X{i:07d}"
        copy.received_at = now - timedelta(minutes=i)
        copy.team_id = north.pk if i % 3 else south.pk
        rows.append(copy)
    Report.objects.bulk_create(rows, batch_size=2000)
    others = [people["lead"], people["south_analyst"], people["south_lead"]]
    case = CaseMember.objects.filter(user=analyst).first().case
    members = []
    for i in range(3000):
        clone = type(case).objects.get(pk=case.pk)
        clone.pk = None
        clone.reference = f"Z-X{i:06d}"
        members.append(clone)
    cases = type(case).objects.bulk_create(members, batch_size=1000)
    CaseMember.objects.bulk_create(
        [
            CaseMember(
                case=c,
                case_team_id=c.team_id,
                user=others[i % 3],
                added_at=now,
                added_by=others[i % 3],
                reason="Bulk.",
            )
            for i, c in enumerate(cases)
        ]
        + [
            CaseMember(
                case=c,
                case_team_id=c.team_id,
                user=analyst,
                added_at=now,
                added_by=analyst,
                reason="Bulk.",
            )
            for c in cases[:300]
        ],
        batch_size=1000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    filters = InboxFilter()
    with CaptureQueriesContext(connection) as ctx:
        counts = inbox_counts(user=analyst, filters=filters)
        list(inbox_page(user=analyst, filters=filters, counts=counts, number=1, per_page=50))
    plans = {}
    with connection.cursor() as cursor:
        for query in ctx.captured_queries:
            if "cases_casemember" not in query["sql"]:
                continue
            cursor.execute("EXPLAIN " + query["sql"])
            plans[query["sql"]] = "\n".join(row[0] for row in cursor.fetchall())
    # The capped counts of the team's and the assignee's part (whose "not of my cases" is a
    # lookup per assigned report), the count of the reports of their cases, the page.
    assert len(plans) == 3, list(plans)
    for sql, plan in plans.items():
        assert "reports_report_received_at" not in plan, plan
        if not sql.startswith("SELECT (SELECT COUNT(*)"):
            assert "case_member_current_idx" in plan, plan


def test_an_area_without_reports_gives_an_empty_inbox_not_an_error(people, north, verified_client):
    """An imported area in which none of the user's reports lie: the inbox, its counts and the
    API list say 'none' (a filter that matches nothing once gave a 500 in the capped counts)."""
    from baken.places.models import Area

    ring = [[5.0, 52.0], [5.01, 52.0], [5.01, 52.01], [5.0, 52.01], [5.0, 52.0]]
    Area.objects.create(
        code="leeg",
        name="Leeg gebied",
        geometry={"type": "Polygon", "coordinates": [ring]},
        min_lat=52.0,
        min_lon=5.0,
        max_lat=52.01,
        max_lon=5.01,
    )
    file_report(description="Melding buiten het gebied, met genoeg tekst.")
    for who in ("analyst", "lead"):
        browser = verified_client(people[who])
        page = browser.get(INBOX, {"area": "leeg"})
        assert page.status_code == 200
        api = browser.get(API, {"area": "leeg"})
        assert api.status_code == 200, api.content[:300]
        assert api.json()["count"] == 0


def test_the_intake_officer_sees_the_unrouted_queue_and_their_own_teams(
    people, north, south, verified_client
):
    """The intake officer's scope read as two parts (reports not yet routed, and their own
    team's queue), each from the queue index: exactly the reports it was before, no other
    team's, nothing past triage."""
    made = grow(people, north, south, 2)
    unrouted = file_report(description="Nog niet doorgezet naar een team, genoeg tekst.")
    Report.objects.filter(pk=unrouted.pk).update(team=None, status=Status.RECEIVED)
    past = made["north"][0]
    Report.objects.filter(pk=past.pk).update(status=Status.IN_ANALYSIS)
    officer = people["intake"]
    expected = set(
        Report.objects.filter(status__in=inbox.OPEN, merged_into=None)
        .filter(Q(team=None) | Q(team=north))
        .values_list("pk", flat=True)
    )
    assert unrouted.pk in expected and past.pk not in expected
    assert set(report_list(user=officer).values_list("pk", flat=True)) == expected
    page = inbox_page(
        user=officer,
        filters=InboxFilter(),
        counts=inbox_counts(user=officer, filters=InboxFilter()),
        number=1,
        per_page=50,
    )
    assert {r.pk for r in page} == expected
    assert inbox_count(user=officer, filters=InboxFilter()) == len(expected)
    html = verified_client(officer).get(INBOX).content.decode()
    assert unrouted.reference in html and past.reference not in html


def test_a_report_of_their_case_stays_in_the_analysts_inbox_whatever_team_it_moves_to(
    people, north, south, verified_client, make_user
):
    """The analyst's scope reads the reports of their cases outside their team by the team
    each case report keeps of its report (ADR 0035): reports of their cases, one of another
    team and one of their own, handed on through the assignment form to their team, to the
    other, to a third and to none (the intake queue), are in their inbox, their API list and
    report_list each time, exactly as the tables say they may see them."""
    made = grow(people, north, south, 1)
    analyst, shared = people["analyst"], made["shared"][0]
    own = CaseMember.objects.filter(user=analyst, case__team=north).first().case
    theirs = own.case_reports.get().report  # a report of their own team, in their case
    third = Team.objects.create(name="Havenwaard")
    third_lead = make_user(role=Role.TEAM_LEAD, team=third)

    def may_see() -> set[int]:
        """What the analyst may see, from the tables: their team's, assigned to them, or of
        a case they are a current member of; never sealed."""
        cases = CaseMember.objects.filter(user=analyst, removed_at=None).values("case_id")
        of_cases = CaseReport.objects.filter(case_id__in=cases).values("report_id")
        rows = Report.objects.filter(Q(team=north) | Q(assignee=analyst) | Q(pk__in=of_cases))
        return set(rows.exclude(SEALED).values_list("pk", flat=True))

    def seen() -> set[int]:
        browser = verified_client(analyst)  # one test client, logged in as each in turn
        page = browser.get(INBOX)
        assert page.status_code == 200
        api = {r["id"] for r in browser.get(API, {"pageSize": "100"}).json()["results"]}
        listed = set(report_list(user=analyst).values_list("pk", flat=True))
        truth = may_see()
        queue = set(
            Report.objects.filter(pk__in=truth, status__in=inbox.OPEN).values_list("pk", flat=True)
        )
        shown = {r.pk for r in page.context["page"].object_list}
        assert api == listed == truth and shown == queue, (api, listed, truth, shown, queue)
        return api

    assert {shared.pk, theirs.pk} <= seen()
    for report in (shared, theirs):
        handing = [
            (north, (people["south_lead"], people["lead"])),  # to the analyst's own team
            (south, (people["lead"], people["south_lead"])),  # to the other
            (third, (people["lead"], people["south_lead"])),  # to a third
            (None, (third_lead,)),  # to none: the intake queue
        ]
        for team, leads in handing:
            now = Report.objects.get(pk=report.pk).team_id
            lead = next(p for p in (*leads, third_lead) if p.team_id == now)
            if team is not None and team.pk == now:
                continue
            response = verified_client(lead).post(
                reverse("reports:assign", args=[report.pk]),
                {"team": str(team.pk) if team else "", "assignee": ""},
            )
            assert response.status_code == 302, response.content[:300]
            assert Report.objects.get(pk=report.pk).team_id == (team.pk if team else None)
            assert report.pk in seen()
