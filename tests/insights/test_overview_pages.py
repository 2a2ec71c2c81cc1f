"""The weekly overview's pages and API per role: each reader sees their own team's week (or,
management, suppressed aggregates), nobody else gets in, and every read is logged."""

import pytest
from django.urls import reverse

from baken.accounts.models import Team
from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.insights import overview
from baken.insights.overview_week import Week
from baken.insights.suppression import suppress
from baken.reports.models import Report
from tests.insights.test_overview import (  # noqa: F401 (fixtures)
    BEGINS,
    ENDS,
    WEEK,
    demo_data,
    walk,
    week_work,
)

pytestmark = pytest.mark.django_db

PAGE = "/werkruimte/inzicht/weekoverzicht/"


@pytest.fixture
def week(work):
    return overview.overview_build(week=Week.parse(WEEK))


def refs(team: Team) -> set[str]:
    """The team's reports of the week that the overview lists: not the sealed ones ('no
    action', reports/sealing.py), which it counts but never lists."""
    week = Report.objects.filter(team=team, received_at__gte=BEGINS, received_at__lt=ENDS)
    return set(week.exclude(status="no_action").values_list("reference", flat=True))


def test_the_paths_are_the_ones_promised():
    assert reverse("insights:overview") == PAGE
    assert reverse("insights:overview_week", args=[WEEK]) == PAGE + WEEK
    assert reverse("insights:overview_pdf", args=[WEEK]) == PAGE + WEEK + ".pdf"


def test_team_readers_see_their_own_team_only(week, work, make_user, verified_client):
    harbour, villages = work["harbour"], Team.objects.get(name="OOV Dorpen")
    analyst = make_user(role=Role.ANALYST, team=villages)
    for user, own, other in (
        (work["lead"], refs(harbour), refs(villages)),
        (analyst, refs(villages), refs(harbour)),
    ):
        browser = verified_client(user)
        for url in (PAGE, PAGE + WEEK):
            page = browser.get(url)
            assert page.status_code == 200
            html = page.content.decode()
            assert all(r in html for r in own) and not any(r in html for r in other)
            assert 'role="img"' in html and f'href="{PAGE}{WEEK}.pdf"' in html
        pdf = browser.get(PAGE + WEEK + ".pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        api = browser.get(f"/api/v1/weekly-overviews/{WEEK}").json()
        assert api["scope"] == "team" and api["team"] == user.team.name
        listed = {r["reference"] for r in api["new_reports"]["results"]}
        assert listed == own and not listed & other
        assert browser.get("/api/v1/weekly-overviews").json()["results"][0]["week"] == WEEK
    reads = AuditEntry.objects.filter(action="insights.overview_read")
    assert {e.detail["form"] for e in reads} == {"html", "pdf", "api"}
    listed_ids = {
        i for e in AuditEntry.objects.filter(action="report.list") for i in e.detail["ids"]
    }
    assert set(Report.objects.filter(reference__in=refs(harbour)).values_list("pk", flat=True)) <= (
        listed_ids
    )


def test_management_sees_suppressed_aggregates_without_reports(
    week, work, make_user, verified_client, settings
):
    settings.INSIGHTS_SMALL_COUNT = 5
    boss = verified_client(make_user(role=Role.MANAGEMENT, team=None))
    html = boss.get(PAGE + WEEK).content.decode()
    everything = refs(work["harbour"]) | refs(Team.objects.get(name="OOV Dorpen"))
    assert not any(r in html for r in everything)
    assert "&lt; 5" in html
    for section in week.data["teams"].values():
        for pc, nr, _n in section["hotspots"]["addresses"]:
            assert f"{pc} {nr}" not in html
    # No count per category and no mean: no table or chart of categories on the page.
    assert 'role="img"' not in html and "Gemiddelde, 4 weken" not in html
    api = boss.get(f"/api/v1/weekly-overviews/{WEEK}").json()
    assert api["scope"] == "aggregates" and api["team"] is None
    assert api["new_reports"]["count"] == 0 and api["new_reports"]["results"] == []
    assert api["cases"] == {"opened": "< 5", "closed": "< 5"}
    assert api["hotspots"]["addresses"] == [] and api["hotspots"]["subjects"] == []
    overall = week.data["overall"]
    assert api["reports"] == {"total": suppress(overall["reports"]["total"])}
    keys = {key for key, _value in walk(api)}
    assert not keys & {"by_category", "mean4", "mean52", "change4", "change52"}
    for row in api["trends"]:
        assert set(row) == {"code", "label", "change"}
        assert overall["trends"][row["code"]]["count"] >= 5
    assert boss.get(PAGE + WEEK + ".pdf").status_code == 200


@pytest.mark.parametrize("role", [Role.INTAKE, Role.CASE_HANDLER, Role.ADMIN, Role.PRIVACY_OFFICER])
def test_other_roles_get_403_everywhere(week, make_user, verified_client, role):
    browser = verified_client(make_user(role=role))
    for url in (PAGE, PAGE + WEEK, PAGE + WEEK + ".pdf"):
        assert browser.get(url).status_code == 403, url
    assert browser.post(PAGE + "abonnement", {"subscribed": "on"}).status_code == 403
    for url in ("/api/v1/weekly-overviews", f"/api/v1/weekly-overviews/{WEEK}"):
        answer = browser.get(url)
        assert answer.status_code == 403 and answer["Content-Type"] == "application/problem+json"
    assert 'href="/werkruimte/inzicht/weekoverzicht/"' not in browser.get("/").content.decode()
    assert not AuditEntry.objects.filter(action="insights.overview_read").exists()


def test_a_week_not_built_is_a_404_that_says_so(week, work, verified_client, client):
    browser = verified_client(work["lead"])
    missing = browser.get(PAGE + "2026-W40")
    assert missing.status_code == 404 and "2026-W40" in missing.content.decode()
    assert browser.get(PAGE + "2026-W40.pdf").status_code == 404
    assert browser.get(PAGE + "2026-W99").status_code == 404
    answer = browser.get("/api/v1/weekly-overviews/2026-W40")
    assert answer.status_code == 404 and answer["Content-Type"] == "application/problem+json"
    assert browser.get("/api/v1/weekly-overviews/volgende").status_code == 404
    # A week whose year lies outside what Baken computes: 404, never 500.
    for far in ("0001-W01", "1999-W52", "2101-W01", "9999-W52"):
        assert browser.get(PAGE + far).status_code == 404, far
        assert browser.get(PAGE + far + ".pdf").status_code == 404, far
        assert browser.get(f"/api/v1/weekly-overviews/{far}").status_code == 404, far
    assert (
        browser.post(PAGE + "abonnement", {"subscribed": "on", "week": "9999-W52"})["Location"]
        == PAGE
    )
    client.logout()
    assert client.get("/api/v1/weekly-overviews").status_code == 401


def test_a_reader_subscribes_and_unsubscribes_on_the_page(week, work, verified_client):
    lead = work["lead"]
    browser = verified_client(lead)
    assert f'href="{PAGE}"' in browser.get("/").content.decode()  # the menu entry
    done = browser.post(PAGE + "abonnement", {"subscribed": "on", "week": WEEK})
    assert done.status_code == 302 and done["Location"] == PAGE + WEEK
    assert overview.is_subscribed(lead)
    assert 'name="subscribed" value="off"' in browser.get(PAGE).content.decode()
    browser.post(PAGE + "abonnement", {"subscribed": "off"})
    assert not overview.is_subscribed(lead)
    actions = AuditEntry.objects.filter(action__startswith="insights.overview_").values_list(
        "action", flat=True
    )
    assert {"insights.overview_subscribe", "insights.overview_unsubscribe"} <= set(actions)


def test_no_week_built_yet(make_user, verified_client, db):
    browser = verified_client(make_user(role=Role.TEAM_LEAD))
    page = browser.get(PAGE)
    assert page.status_code == 200 and b"weekly-overview" not in page.content
    assert browser.get("/api/v1/weekly-overviews").json() == {"results": []}
