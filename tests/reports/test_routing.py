"""Routing: ordered rules route a report on arrival; the functional administrator keeps the
rules and tests them; team leads and intake officers hand reports on; team leads see the
workload of their team."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from baken.accounts.models import Team
from baken.audit.models import AuditEntry
from baken.audit.verification import verify_chain
from baken.core.navigation import menu_for
from baken.core.roles import Role
from baken.reports import routing
from baken.reports.models import Category, Report, RoutingRule
from baken.reports.workflow import Status

pytestmark = pytest.mark.django_db


def auth(user) -> dict:
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    return {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}


def submit(client, postcode="1781AB", category="drugs", **extra) -> Report:
    """A report as it arrives: anonymous, over the public API."""
    payload = {
        "description": "Hennepgeur bij de schuur achter het huis.",
        "category": category,
        "location": {"address": {"postcode": postcode, "house_number": 3}},
        **extra,
    }
    response = client.post("/api/v1/reports", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    return Report.objects.get(pk=response.json()["id"])


@pytest.fixture
def teams():
    return Team.objects.create(name="Noord"), Team.objects.create(name="Zuid")


@pytest.fixture
def people(make_user, teams):
    north, south = teams
    return {
        "admin": make_user(role=Role.ADMIN, team=None),
        "lead_north": make_user(role=Role.TEAM_LEAD, team=north),
        "analyst_north": make_user(role=Role.ANALYST, team=north),
        "intake_north": make_user(role=Role.INTAKE, team=north),
        "analyst_south": make_user(role=Role.ANALYST, team=south),
        "lead_south": make_user(role=Role.TEAM_LEAD, team=south),
    }


def drugs() -> Category:
    return Category.objects.get(code="drugs")


# --- the rules: order, arrival, tester --------------------------------------------------


def test_the_first_active_matching_rule_wins(teams, people):
    north, south = teams
    admin = people["admin"]
    off = routing.routing_rule_create(actor=admin, name="Uit", team=south, is_active=False)
    drugs_17 = routing.routing_rule_create(
        actor=admin, name="Drugs 17", team=north, category=drugs(), postcode_prefix="17"
    )
    rest = routing.routing_rule_create(actor=admin, name="De rest", team=south)
    assert [off.position, drugs_17.position, rest.position] == [1, 2, 3]

    def test(category, postcode="", channel="web"):
        return routing.routing_rule_test(category=category, channel=channel, postcode=postcode)

    assert test(drugs(), "1781AB") == drugs_17  # the inactive rule above it is skipped
    assert test(drugs(), "1011AB") == rest
    assert test(None, "1781AB") == rest
    # Moving the catch-all up makes it win everything.
    routing.routing_rule_move(actor=admin, rule=rest, offset=-1)
    assert test(drugs(), "1781AB") == rest
    assert list(RoutingRule.objects.values_list("name", flat=True)) == [
        "Uit",
        "De rest",
        "Drugs 17",
    ]
    routing.routing_rule_set_active(actor=admin, rule=rest, active=False)
    assert test(drugs(), "1781AB") == drugs_17
    assert test(None, "") is None


def test_a_report_is_routed_on_arrival(client, teams, people):
    north, _south = teams
    analyst = people["analyst_north"]
    rule = routing.routing_rule_create(
        actor=people["admin"],
        name="Drugs Noord",
        team=north,
        assignee=analyst,
        category=drugs(),
        postcode_prefix="1781",
    )
    routed = submit(client, postcode="1781 AB")
    assert (routed.team, routed.assignee) == (north, analyst)
    created = AuditEntry.objects.get(action="report.create", object_id=str(routed.pk))
    assert created.detail["rule"] == rule.pk
    unrouted = submit(client, postcode="9711AA")
    assert unrouted.team is None and unrouted.assignee is None


def test_the_rule_tester_shows_the_matching_rule_or_none(verified_client, teams, people):
    north, _south = teams
    rule = routing.routing_rule_create(
        actor=people["admin"], name="Drugs Noord", team=north, category=drugs()
    )
    browser = verified_client(people["admin"])
    url = reverse("reports:routing_test")
    hit = browser.get(url, {"category": drugs().pk, "channel": "web", "postcode": "1781 ab"})
    assert hit.status_code == 200 and hit.context["rule"] == rule
    assert "Drugs Noord" in hit.content.decode() and "Noord" in hit.content.decode()
    miss = browser.get(url, {"category": "", "channel": "phone", "postcode": ""})
    assert miss.context["tested"] and miss.context["rule"] is None
    bad = browser.get(url, {"channel": "web", "postcode": "ABCD"})
    assert bad.status_code == 400 and "postcode" in bad.context["form"].errors
    assert browser.get(url).status_code == 200  # the empty form


@pytest.fixture
def districts():
    from baken.places.areas import DEMO_AREAS, areas_import, parse_areas

    areas_import(areas=parse_areas(DEMO_AREAS.read_bytes()))
    from baken.places.models import Area

    return Area.objects.get(code="havenwaard"), Area.objects.get(code="dorpen")


def _inside(area) -> tuple[float, float]:
    """A point of the area's first ring's first corner, nudged to the inside of its box."""
    from baken.places.areas import point_in_geometry

    steps = 40
    for i in range(1, steps):
        for j in range(1, steps):
            lat = area.min_lat + (area.max_lat - area.min_lat) * i / steps
            lon = area.min_lon + (area.max_lon - area.min_lon) * j / steps
            if point_in_geometry(lat, lon, area.geometry):
                return lat, lon
    raise AssertionError("no point inside the area")


def test_a_report_is_routed_by_the_area_its_point_lies_in(client, teams, people, districts):
    north, south = teams
    havenwaard, dorpen = districts
    admin = people["admin"]
    routing.routing_rule_create(actor=admin, name="Havenwaard", team=north, area=havenwaard)
    routing.routing_rule_create(actor=admin, name="Dorpen", team=south, area=dorpen)
    lat, lon = _inside(dorpen)
    response = client.post(
        "/api/v1/reports",
        {
            "description": "Een loods waar 's nachts steeds busjes komen en gaan.",
            "category": "drugs",
            "location": {"point": {"lat": lat, "lon": lon}},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Report.objects.get(pk=response.json()["id"]).team == south
    # Without a point, the address register places the address.
    from baken.places.models import RegisteredAddress

    lat, lon = _inside(havenwaard)
    RegisteredAddress.objects.create(
        postcode="1781AB", house_number=3, street="Dorpsstraat", city="Havenwaard", lat=lat, lon=lon
    )
    assert submit(client, postcode="1781AB").team == north
    assert submit(client, postcode="9711AA").team is None  # unknown place: the intake queue


def test_the_rule_tester_and_the_rule_form_know_areas(verified_client, teams, people, districts):
    north, _south = teams
    havenwaard, _dorpen = districts
    browser = verified_client(people["admin"])
    saved = browser.post(
        reverse("reports:routing_rule_add"),
        {"name": "Wijk Havenwaard", "team": north.pk, "area": havenwaard.pk, "is_active": "on"},
    )
    assert saved.status_code == 302
    rule = RoutingRule.objects.get(name="Wijk Havenwaard")
    assert rule.area == havenwaard
    assert "Havenwaard" in browser.get(reverse("reports:routing_rules")).content.decode()
    from baken.places.models import RegisteredAddress

    lat, lon = _inside(havenwaard)
    RegisteredAddress.objects.create(
        postcode="1781AB", house_number=3, street="Dorpsstraat", city="Havenwaard", lat=lat, lon=lon
    )
    url = reverse("reports:routing_test")
    hit = browser.get(url, {"channel": "web", "postcode": "1781 AB", "house_number": 3})
    assert hit.context["rule"] == rule
    miss = browser.get(url, {"channel": "web", "postcode": "1781 AB", "house_number": 5})
    assert miss.context["rule"] is None


def test_an_area_a_rule_routes_by_is_not_removed_by_an_import(teams, people, districts):
    from baken.places.areas import AreaFileError, areas_import, parse_areas

    north, _south = teams
    havenwaard, dorpen = districts
    routing.routing_rule_create(actor=people["admin"], name="Dorpen", team=north, area=dorpen)
    only_havenwaard = [a for a in parse_areas(_demo_bytes()) if a.code == "havenwaard"]
    with pytest.raises(AreaFileError, match="dorpen"):
        areas_import(areas=only_havenwaard, replace=True)
    assert RoutingRule.objects.get(name="Dorpen").area == dorpen


def _demo_bytes() -> bytes:
    from baken.places.areas import DEMO_AREAS

    return DEMO_AREAS.read_bytes()


# --- the administrator's pages ----------------------------------------------------------


def test_the_administrator_keeps_the_rules_without_code(verified_client, teams, people):
    north, south = teams
    browser = verified_client(people["admin"])
    form = {
        "name": "Drugs Noord",
        "category": drugs().pk,
        "channel": "",
        "postcode_prefix": " 1781 ",
        "team": north.pk,
        "assignee": people["analyst_north"].pk,
        "is_active": "on",
    }
    assert browser.get(reverse("reports:routing_rule_add")).status_code == 200
    response = browser.post(reverse("reports:routing_rule_add"), form)
    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    assert (rule.postcode_prefix, rule.team, rule.is_active) == ("1781", north, True)
    listing = browser.get(reverse("reports:routing_rules"))
    assert listing.status_code == 200 and "Drugs Noord" in listing.content.decode()

    edit = reverse("reports:routing_rule_edit", args=[rule.pk])
    assert browser.get(edit).context["form"].initial["name"] == "Drugs Noord"
    browser.post(edit, {**form, "name": "Drugs Zuid", "team": south.pk, "assignee": ""})
    rule.refresh_from_db()
    assert (rule.name, rule.team, rule.assignee) == ("Drugs Zuid", south, None)

    browser.post(reverse("reports:routing_rule_toggle", args=[rule.pk]), {"active": "0"})
    rule.refresh_from_db()
    assert not rule.is_active

    other = routing.routing_rule_create(actor=people["admin"], name="Rest", team=north)
    browser.post(reverse("reports:routing_rule_move", args=[other.pk]), {"direction": "up"})
    assert list(RoutingRule.objects.values_list("name", flat=True)) == ["Rest", "Drugs Zuid"]

    delete = reverse("reports:routing_rule_delete", args=[rule.pk])
    assert browser.get(delete).status_code == 200
    assert browser.post(delete).status_code == 302
    assert not RoutingRule.objects.filter(pk=rule.pk).exists()

    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "routing_rule.create",
        "routing_rule.update",
        "routing_rule.deactivate",
        "routing_rule.move",
        "routing_rule.delete",
    } <= actions
    assert verify_chain().ok


def test_a_rule_with_a_person_outside_its_team_is_refused(verified_client, teams, people):
    north, _south = teams
    browser = verified_client(people["admin"])
    response = browser.post(
        reverse("reports:routing_rule_add"),
        {
            "name": "Fout",
            "team": north.pk,
            "assignee": people["analyst_south"].pk,
            "postcode_prefix": "",
        },
    )
    assert response.status_code == 400
    assert "assignee" in response.context["form"].errors
    bad_prefix = browser.post(
        reverse("reports:routing_rule_add"),
        {"name": "Fout", "team": north.pk, "postcode_prefix": "17AB"},
    )
    assert "postcode_prefix" in bad_prefix.context["form"].errors
    assert not RoutingRule.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="routing_rule").exists()


OTHER_ROLES = [role for role in Role if role != Role.ADMIN]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_gets_403_on_the_api(role, client, make_user, teams, people):
    north, _south = teams
    rule = routing.routing_rule_create(actor=people["admin"], name="Regel", team=north)
    headers = auth(make_user(role=role, team=north))
    for method, path, body in [
        ("get", "/api/v1/routing-rules", None),
        ("post", "/api/v1/routing-rules", {"name": "X", "team": north.pk}),
        ("get", f"/api/v1/routing-rules/{rule.pk}", None),
        ("put", f"/api/v1/routing-rules/{rule.pk}", {"name": "X", "team": north.pk}),
        ("delete", f"/api/v1/routing-rules/{rule.pk}", None),
        ("post", "/api/v1/routing-rules/test", {"channel": "web"}),
    ]:
        kwargs = {"content_type": "application/json"} if body is not None else {}
        response = getattr(client, method)(path, body, **kwargs, **headers)
        assert response.status_code == 403, (method, path)
        assert response["Content-Type"] == "application/problem+json"
    assert RoutingRule.objects.filter(pk=rule.pk, name="Regel").exists()


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_gets_403_on_the_pages(role, verified_client, make_user, teams, people):
    north, _south = teams
    rule = routing.routing_rule_create(actor=people["admin"], name="Regel", team=north)
    browser = verified_client(make_user(role=role, team=north))
    for method, url in [
        ("get", reverse("reports:routing_rules")),
        ("get", reverse("reports:routing_rule_add")),
        ("get", reverse("reports:routing_test")),
        ("get", reverse("reports:routing_rule_edit", args=[rule.pk])),
        ("get", reverse("reports:routing_rule_delete", args=[rule.pk])),
        ("post", reverse("reports:routing_rule_delete", args=[rule.pk])),
        ("post", reverse("reports:routing_rule_toggle", args=[rule.pk])),
        ("post", reverse("reports:routing_rule_move", args=[rule.pk])),
    ]:
        assert getattr(browser, method)(url).status_code == 403, (method, url)
    assert RoutingRule.objects.filter(pk=rule.pk, is_active=True).exists()


def test_anonymous_gets_401_on_the_api(client):
    assert client.get("/api/v1/routing-rules").status_code == 401


def test_the_api_keeps_and_tests_rules(client, teams, people):
    north, south = teams
    headers = auth(people["admin"])
    created = client.post(
        "/api/v1/routing-rules",
        {"name": "Drugs Noord", "category": "drugs", "postcode_prefix": "1781", "team": north.pk},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201, created.content
    rule = created.json()
    assert rule["category"] == "drugs" and rule["position"] == 1 and rule["is_active"]
    tested = client.post(
        "/api/v1/routing-rules/test",
        {"category": "drugs", "channel": "web", "postcode": "1781AB"},
        content_type="application/json",
        **headers,
    ).json()
    assert tested["rule"]["id"] == rule["id"]
    none = client.post(
        "/api/v1/routing-rules/test",
        {"category": None, "channel": "web", "postcode": "1781AB"},
        content_type="application/json",
        **headers,
    ).json()
    assert none == {"rule": None}

    put = client.put(
        f"/api/v1/routing-rules/{rule['id']}",
        {"name": "Drugs", "category": "drugs", "team": south.pk, "is_active": False},
        content_type="application/json",
        **headers,
    )
    assert put.status_code == 200 and put.json()["team"] == south.pk
    assert put.json()["postcode_prefix"] == "" and put.json()["position"] == 1
    listed = client.get("/api/v1/routing-rules", **headers).json()
    assert [r["name"] for r in listed] == ["Drugs"]

    refused = client.post(
        "/api/v1/routing-rules",
        {"name": "Fout", "team": north.pk, "assignee": people["analyst_south"].pk},
        content_type="application/json",
        **headers,
    )
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    assert refused.json()["invalid_params"][0]["name"] == "assignee"

    gone = client.delete(f"/api/v1/routing-rules/{rule['id']}", **headers)
    assert gone.status_code == 204 and not RoutingRule.objects.exists()
    assert client.delete(f"/api/v1/routing-rules/{rule['id']}", **headers).status_code == 404


# --- assignment -------------------------------------------------------------------------


@pytest.fixture
def north_report(client, teams):
    north, _south = teams
    report = submit(client)
    Report.objects.filter(pk=report.pk).update(team=north)
    return Report.objects.get(pk=report.pk)


def test_a_team_lead_assigns_a_report_to_a_member(verified_client, people, north_report, teams):
    north, _south = teams
    browser = verified_client(people["lead_north"])
    url = reverse("reports:assign", args=[north_report.pk])
    response = browser.post(url, {"team": north.pk, "assignee": people["analyst_north"].pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[north_report.pk])
    north_report.refresh_from_db()
    assert north_report.assignee == people["analyst_north"]
    entry = AuditEntry.objects.get(action="report.assign")
    assert entry.detail["assignee"] == people["analyst_north"].pk
    assert entry.actor_id == people["lead_north"].pk


def test_htmx_gets_the_form_back_and_errors_change_nothing(
    verified_client, people, north_report, teams
):
    north, _south = teams
    browser = verified_client(people["intake_north"])
    url = reverse("reports:assign", args=[north_report.pk])
    wrong = browser.post(
        url, {"team": north.pk, "assignee": people["analyst_south"].pk}, HTTP_HX_REQUEST="true"
    )
    assert wrong.status_code == 200 and wrong.context["assign_errors"]
    assert 'name="assignee"' in wrong.content.decode()
    assert Report.objects.get(pk=north_report.pk).assignee is None
    ok = browser.post(
        url, {"team": north.pk, "assignee": people["lead_north"].pk}, HTTP_HX_REQUEST="true"
    )
    assert ok.status_code == 200 and ok.context["assign_message"]
    assert f'value="{people["lead_north"].pk}" selected' in ok.content.decode()
    # Without htmx, a refusal is a message on the report page.
    plain = browser.post(url, {"team": "", "assignee": people["analyst_north"].pk})
    assert plain.status_code == 302
    assert Report.objects.get(pk=north_report.pk).assignee == people["lead_north"]


def test_handing_a_report_to_another_team_leads_back_to_the_inbox(
    verified_client, people, north_report, teams
):
    _north, south = teams
    browser = verified_client(people["lead_north"])
    response = browser.post(
        reverse("reports:assign", args=[north_report.pk]), {"team": south.pk, "assignee": ""}
    )
    assert response["Location"] == reverse("reports:inbox")
    assert Report.objects.get(pk=north_report.pk).team == south


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("analyst_north", 403),  # sees the report, may not assign
        ("lead_south", 404),  # may assign, does not see the report
        ("admin", 403),  # no workspace at all
    ],
)
def test_assignment_is_refused(verified_client, people, north_report, teams, who, expected):
    north, _south = teams
    browser = verified_client(people[who])
    response = browser.post(
        reverse("reports:assign", args=[north_report.pk]),
        {"team": north.pk, "assignee": people["analyst_north"].pk},
    )
    assert response.status_code == expected
    assert Report.objects.get(pk=north_report.pk).assignee is None


@pytest.mark.parametrize(
    ("who", "expected"), [("lead_north", 200), ("analyst_north", 403), ("lead_south", 404)]
)
def test_assignment_over_the_api(client, people, north_report, teams, who, expected):
    north, _south = teams
    response = client.post(
        f"/api/v1/reports/{north_report.pk}/assignment",
        {"team": north.pk, "assignee": people["analyst_north"].pk},
        content_type="application/json",
        **auth(people[who]),
    )
    assert response.status_code == expected
    if expected == 200:
        assert response.json() == {
            "id": north_report.pk,
            "team": north.pk,
            "assignee": people["analyst_north"].pk,
        }
    else:
        assert response["Content-Type"] == "application/problem+json"


def test_the_api_refuses_a_person_outside_the_team(client, people, north_report, teams):
    north, _south = teams
    response = client.post(
        f"/api/v1/reports/{north_report.pk}/assignment",
        {"team": north.pk, "assignee": people["lead_south"].pk},
        content_type="application/json",
        **auth(people["lead_north"]),
    )
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "assignee"


# --- workload ---------------------------------------------------------------------------


@pytest.fixture
def work(client, teams, people):
    """North: 2 with the analyst (one in triage, one in analysis), 1 with the lead,
    2 unassigned, 1 closed; south: 3 unassigned and 1 with the south analyst."""
    north, south = teams
    plan = [
        (north, "analyst_north", Status.IN_TRIAGE),
        (north, "analyst_north", Status.IN_ANALYSIS),
        (north, "lead_north", Status.RECEIVED),
        (north, None, Status.RECEIVED),
        (north, None, Status.WEIGHED),
        (north, "analyst_north", Status.NO_ACTION),  # closed: not open work
        (south, None, Status.RECEIVED),
        (south, None, Status.RECEIVED),
        (south, None, Status.IN_TRIAGE),
        (south, "analyst_south", Status.IN_TRIAGE),
    ]
    for team, who, status in plan:
        report = submit(client)
        Report.objects.filter(pk=report.pk).update(
            team=team, assignee=people[who] if who else None, status=status
        )


def _totals(workload) -> dict:
    return {row.person.username: row.total for row in workload.rows}


def test_a_team_lead_sees_the_open_work_of_their_own_team(work, people):
    lead = people["lead_north"]
    load = routing.workload(user=lead)
    assert load.team.name == "Noord"
    assert _totals(load) == {
        people["analyst_north"].username: 2,
        lead.username: 1,
        people["intake_north"].username: 0,
    }
    assert load.unassigned is not None and load.unassigned.total == 2
    analyst_row = next(r for r in load.rows if r.person == people["analyst_north"])
    assert analyst_row.counts == {Status.IN_TRIAGE: 1, Status.IN_ANALYSIS: 1}

    south = routing.workload(user=people["lead_south"])
    assert _totals(south) == {
        people["analyst_south"].username: 1,
        people["lead_south"].username: 0,
    }
    assert south.unassigned.total == 3


def test_an_analyst_sees_only_their_own_numbers(work, people, verified_client):
    load = routing.workload(user=people["analyst_north"])
    assert _totals(load) == {people["analyst_north"].username: 2}
    assert load.unassigned is None
    assert (
        verified_client(people["analyst_north"]).get(reverse("reports:workload")).status_code == 200
    )


def test_the_workload_page_shows_only_the_own_team(work, people, verified_client):
    page = verified_client(people["lead_north"]).get(reverse("reports:workload"))
    assert page.status_code == 200
    body = page.content.decode()
    assert people["analyst_north"].last_name in body
    assert people["analyst_south"].last_name not in body


@pytest.mark.parametrize("role", [Role.INTAKE, Role.CASE_HANDLER, Role.ADMIN, Role.MANAGEMENT])
def test_other_roles_have_no_workload_page(role, make_user, verified_client):
    browser = verified_client(make_user(role=role))
    assert browser.get(reverse("reports:workload")).status_code == 403


def test_the_workload_page_takes_a_fixed_number_of_queries(
    client, make_user, teams, people, verified_client, django_assert_max_num_queries, settings
):
    settings.RATELIMIT_ENABLE = False
    north, _south = teams
    members = [make_user(role=Role.ANALYST, team=north) for _ in range(8)]
    for n in range(24):
        report = submit(client)
        Report.objects.filter(pk=report.pk).update(
            team=north, assignee=members[n % 8] if n % 3 else None
        )
    browser = verified_client(people["lead_north"])
    # Session, user and second factor (4 with the session save), then the counts, the people
    # and the team, and the header's count of unread notifications: the same for 8 members
    # and 24 reports as for 1 and 1.
    with django_assert_max_num_queries(10):
        response = browser.get(reverse("reports:workload"))
    assert response.status_code == 200
    load = response.context["workload"]
    assert sum(row.total for row in load.rows) + load.unassigned.total == 24


# --- menu -------------------------------------------------------------------------------


def test_the_menu_offers_workload_to_leads_and_rules_to_the_administrator(people):
    def entries(user):
        return {item.url_name for item in menu_for(user)}

    assert "reports:workload" in entries(people["lead_north"])
    assert "reports:workload" not in entries(people["analyst_north"])
    assert "reports:routing_rules" in entries(people["admin"])
    assert "reports:routing_rules" not in entries(people["lead_north"])


def test_the_report_page_shows_the_assignment_form(verified_client, people, north_report):
    page = verified_client(people["lead_north"]).get(
        reverse("reports:detail", args=[north_report.pk])
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert reverse("reports:assign", args=[north_report.pk]) in body
    assert people["analyst_north"].last_name in body
