"""The map: only reports the user may see, bounded (cells when there are too many), filters,
the counts per area as text, the menu entry, and 403 for roles outside the workspace."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.places.areas import DEMO_AREAS
from baken.reports.models import Report
from baken.subjects import map_data
from tests.api.test_triage_api import auth

from .helpers import subject, team_report
from .test_areas import BOX_ONLY, DORPEN, HAVENWAARD, located

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(make_user):
    call_command("areas", "import", str(DEMO_AREAS), verbosity=0)
    return make_user(role=Role.ANALYST)


@pytest.fixture
def outsider(make_user):
    return make_user(role=Role.ANALYST, team__name="Andere gemeente")


def points(client, user, **params):
    response = client.get("/api/v1/map/points", params, **auth(user))
    assert response.status_code == 200, response.content
    return response.json()


def test_points_are_only_the_visible_located_reports(analyst, outsider, client):
    mine = located(analyst.team, *HAVENWAARD)
    located(outsider.team, *HAVENWAARD)
    team_report(analyst.team)  # no place: not on the map
    address = subject(
        "Havenkade 1, Havenwaard", "address", report=mine, judge=analyst, lat=52.94, lon=4.74
    )
    hidden = team_report(outsider.team)
    subject("Geheim adres", "address", report=hidden, judge=outsider, lat=52.95, lon=4.75)
    body = points(client, analyst)
    assert body["aggregated"] is False and body["total"] == 1
    assert [p["id"] for p in body["points"]] == [mine.pk]
    assert body["points"][0]["reference"] == mine.reference
    assert [a["id"] for a in body["addresses"]] == [address.pk]
    logged = AuditEntry.objects.filter(action="report.list").latest("seq")
    assert logged.detail == {"ids": [mine.pk]}


def test_points_are_bounded_and_aggregated(analyst, client, monkeypatch):
    for i in range(5):
        located(analyst.team, HAVENWAARD[0] + i * 0.05, HAVENWAARD[1])
    monkeypatch.setattr(map_data, "MAX_POINTS", 3)
    body = points(client, analyst)
    assert body["aggregated"] is True and body["points"] == []
    assert 1 <= len(body["cells"]) <= 3
    assert sum(c["count"] for c in body["cells"]) == body["total"] == 5
    assert "id" not in body["cells"][0]


def test_filters_by_area_category_and_period(analyst, client):
    inside = located(analyst.team, *HAVENWAARD)
    located(analyst.team, *BOX_ONLY)
    dorpen = located(analyst.team, *DORPEN)
    Report.objects.filter(pk=dorpen.pk).update(received_at="2020-01-01T12:00:00Z")
    assert [p["id"] for p in points(client, analyst, area="havenwaard")["points"]] == [inside.pk]
    assert [p["id"] for p in points(client, analyst, until="2020-01-31")["points"]] == [dorpen.pk]
    assert points(client, analyst, since="2020-02-01")["total"] == 2
    assert points(client, analyst, category="drugs")["total"] == 3
    assert points(client, analyst, category="")["total"] == 3
    backwards = {"since": "2021-01-01", "until": "2020-01-01"}
    bad = client.get("/api/v1/map/points", backwards, **auth(analyst))
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    bad = client.get("/api/v1/map/points", {"area": "atlantis"}, **auth(analyst))
    assert bad.status_code == 400


def test_counts_per_area_api_and_page(analyst, outsider, client, verified_client):
    located(analyst.team, *HAVENWAARD)
    located(analyst.team, *HAVENWAARD)
    located(analyst.team, *DORPEN)
    located(analyst.team, *BOX_ONLY)
    located(outsider.team, *DORPEN)
    body = client.get("/api/v1/map/areas", **auth(analyst)).json()
    assert body["exact"] is True
    assert {(a["code"], a["count"]) for a in body["areas"]} == {
        ("havenwaard", 2),
        ("dorpen", 1),
        (None, 1),
    }
    page = verified_client(analyst).get(reverse("subjects:map"))
    html = page.content.decode()
    assert page.status_code == 200
    assert '<th scope="row">Havenwaard</th>' in html and "map-areas" in html
    assert 'data-points-url="/api/v1/map/points"' in html
    assert "<script>" not in html  # no inline script (CSP); the outlines are JSON data


def test_map_is_in_the_menu_for_the_workspace(analyst, verified_client):
    page = verified_client(analyst).get(reverse("reports:inbox")).content.decode()
    assert reverse("subjects:map") in page and reverse("subjects:search") in page


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.ADMIN, Role.PRIVACY_OFFICER])
def test_roles_outside_the_workspace_get_403(role, make_user, verified_client, client):
    user = make_user(role=role)
    assert verified_client(user).get(reverse("subjects:map")).status_code == 403
    for url in ("/api/v1/map/points", "/api/v1/map/areas"):
        response = client.get(url, **auth(user))
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"


def test_query_counts_do_not_grow_with_reports(analyst, verified_client, client):
    headers = auth(analyst)
    browser = verified_client(analyst)

    def get(url):
        response = client.get(url, **headers) if url.startswith("/api") else browser.get(url)
        assert response.status_code == 200

    def count(n, url):
        for _ in range(n):
            located(analyst.team, *HAVENWAARD)
        get(url)  # the session's and token's first use write once
        with CaptureQueriesContext(connection) as queries:
            get(url)
        return len(queries)

    for url in ("/api/v1/map/points", reverse("subjects:map")):
        assert count(1, url) == count(5, url)
