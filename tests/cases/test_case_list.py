"""The list of cases (issue 18): a member sees the cases they are a current member of, 50 a
page, with the number of pages; the count is read from their memberships, so the list reads
the same number of queries, and no case row is read only to be counted, however many cases
they are in."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from baken.cases.models import CaseMember
from baken.core.roles import Role
from tests.cases.test_case_join_search import many_cases

pytestmark = pytest.mark.django_db


def _member_of(cases, user, by) -> None:
    CaseMember.objects.bulk_create(
        CaseMember(
            case=c, case_team=c.team, user=user, added_at=c.opened_at, added_by=by, reason="Mee."
        )
        for c in cases
    )


def _listed(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', html)


def _read(browser, url: str) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries], response.content.decode()


def test_a_member_of_many_cases_sees_each_current_one_once_with_the_number_of_pages(
    case, analyst, lead, north, make_user, verified_client
):
    browser = verified_client(analyst)
    url = reverse("cases:list")
    few, html = _read(browser, url)
    assert _listed(html) == [case.reference] and "Pagina 1 van" not in html

    mine = many_cases(case, 60)
    _member_of(mine, analyst, lead)
    # Cases they left (a removed membership), and cases of their team they never joined,
    # nor counted nor listed; a colleague's memberships of the same cases change nothing.
    gone = many_cases(case, 5, prefix="GONE")
    _member_of(gone, analyst, lead)
    CaseMember.objects.filter(case__in=gone, user=analyst).update(
        removed_at=timezone.now(), removed_by=lead
    )
    many_cases(case, 7, prefix="NOTM")
    _member_of(mine, make_user(role=Role.ANALYST, team=north), lead)

    many, html = _read(browser, url)
    assert len(many) == len(few), (few, many)
    # Counted from the memberships: no case read only to be counted.
    counts = [sql for sql in many if "COUNT(" in sql.upper()]
    assert sum('FROM "cases_casemember"' in sql for sql in counts) == 1, counts
    assert not any('FROM "cases_case"' in sql for sql in counts), counts
    first = _listed(html)
    assert len(first) == 50 and "Pagina 1 van 2" in html
    _q, html = _read(browser, url + "?pagina=2")
    second = _listed(html)
    assert len(second) == 11 and "Pagina 2 van 2" in html
    assert set(first + second) == {case.reference, *(c.reference for c in mine)}


def test_the_team_lead_counts_every_case_of_the_team(case, lead, verified_client):
    many_cases(case, 55, prefix="NOTM")
    _q, html = _read(verified_client(lead), reverse("cases:list") + "?pagina=2")
    assert len(_listed(html)) == 6 and "Pagina 2 van 2" in html


def test_open_cases_come_first_then_the_latest_closed(case, lead, verified_client):
    # "Open cases first", as the page says, on both databases: PostgreSQL sorts a NULL
    # closing date last in ascending order, which put every open case after the closed ones.
    older = many_cases(case, 3, prefix="OPEN")
    closed = many_cases(case, 3, prefix="CLSD")
    now = timezone.now()
    for i, c in enumerate(closed):
        c.closed_at = now - timedelta(days=10 - i)  # CLSD-0002 closed last
        c.save(update_fields=["closed_at"])
    _q, html = _read(verified_client(lead), reverse("cases:list"))
    assert _listed(html) == [
        case.reference,
        *(c.reference for c in older),  # open: the newest opened first
        "Z-CLSD-0002",
        "Z-CLSD-0001",
        "Z-CLSD-0000",  # closed: the latest closed first
    ]
