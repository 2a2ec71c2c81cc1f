"""GET /api/v1/figures: the team's figures, or the municipality's suppressed; 403 for roles
without figures; problem+json for bad parameters."""

import pytest

from baken.accounts.models import Team
from baken.core.roles import Role
from baken.reports.models import Report

from .figures_helpers import make_report

pytestmark = pytest.mark.django_db
URL = "/api/v1/figures"


@pytest.fixture
def teams():
    north, south = Team.objects.create(name="Noord"), Team.objects.create(name="Zuid")
    for i in range(12):
        make_report(north, days_ago=8 + i, channel="web")
    make_report(north, days_ago=9, channel="phone")
    for i in range(3):
        make_report(south, days_ago=8 + i)
    return north, south


def section(body, key):
    return next(s for s in body["sections"] if s["key"] == key)


def test_an_analyst_gets_their_teams_figures(make_user, verified_client, teams):
    client = verified_client(make_user(role=Role.ANALYST, team=teams[0]))
    body = client.get(URL, {"period": "12"}).json()
    assert body["scope"] == "team" and body["suppressed"] is False
    assert section(body, "per_week")["total"] == Report.objects.filter(team=teams[0]).count()
    channels = {c["name"]: c["value"] for c in section(body, "by_channel")["cells"]}
    assert 1 in channels.values()  # the team sees its own small counts


def test_management_gets_suppressed_figures_only(make_user, verified_client, teams):
    body = verified_client(make_user(role=Role.MANAGEMENT, team=None)).get(URL).json()
    assert body["scope"] == "municipality" and body["suppressed"] is True
    for s in body["sections"]:
        if s["unit"] in ("dagen", "days"):
            continue
        for value in [c["value"] for c in s["cells"]] + [s["total"]]:
            assert value is None or value in ("< 5", "x") or value >= 5, (s["key"], value)
    assert section(body, "per_week")["total"] == 15  # 16, rounded to fives


def test_a_team_lead_gets_the_team_not_the_municipality(make_user, verified_client, teams):
    """The municipality minus the own team would give the other teams' small counts."""
    client = verified_client(make_user(role=Role.TEAM_LEAD, team=teams[0]))
    assert client.get(URL, {"view": "management"}).status_code == 403
    assert client.get(URL).json()["scope"] == "team"


@pytest.mark.parametrize("role", [Role.INTAKE, Role.CASE_HANDLER, Role.ADMIN, Role.PRIVACY_OFFICER])
def test_roles_without_figures_get_403(make_user, verified_client, teams, role):
    response = verified_client(make_user(role=role, team=teams[0])).get(URL)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_bad_parameters_are_named(make_user, verified_client, teams):
    client = verified_client(make_user(role=Role.ANALYST, team=teams[0]))
    response = client.get(URL, {"period": "7", "category": "nope"})
    assert response.status_code == 400
    names = {p["name"] for p in response.json()["invalid_params"]}
    assert names == {"period", "category"}


def test_anonymous_gets_401_or_403(client):
    assert client.get(URL).status_code in (401, 403)
