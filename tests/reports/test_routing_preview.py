"""Routing rules say where they land and which reports they would take (issue 12, item 9):
a new rule goes above the catch-all rules unless the administrator chooses otherwise, and
the editor previews the rule on the last 100 reports."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from baken.accounts.models import Team
from baken.core.roles import Role
from baken.reports import routing
from baken.reports.models import Category, Report, RoutingRule
from baken.reports.routing_preview import rule_preview

pytestmark = pytest.mark.django_db


def auth(user) -> dict:
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    return {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}


def submit(client, postcode: str, category: str = "drugs") -> Report:
    payload = {
        "description": "Hennepgeur bij de schuur achter het huis.",
        "category": category,
        "location": {"address": {"postcode": postcode, "house_number": 3}},
    }
    response = client.post("/api/v1/reports", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    return Report.objects.get(pk=response.json()["id"])


@pytest.fixture
def town(make_user):
    """Two area teams with the demo's catch-all rules, and their administrator."""
    haven, dorpen = Team.objects.create(name="Havenwaard"), Team.objects.create(name="Dorpen")
    admin = make_user(role=Role.ADMIN, team=None)
    routing.routing_rule_create(
        actor=admin, name="Havenwaard: postcodes 178x", postcode_prefix="178", team=haven
    )
    routing.routing_rule_create(
        actor=admin, name="Dorpen: postcodes 179x", postcode_prefix="179", team=dorpen
    )
    return haven, dorpen, admin


def names() -> list[str]:
    return list(RoutingRule.objects.order_by("position").values_list("name", flat=True))


def test_a_new_rule_in_the_editor_lands_above_the_catch_alls_and_fires(
    client, verified_client, make_user, town
):
    haven, _dorpen, admin = town
    drugs_team = Team.objects.create(name="Ondermijning")
    browser = verified_client(admin)
    form = {"name": "Drugs", "category": Category.objects.get(code="drugs").pk, "is_active": "on"}
    response = browser.post(reverse("reports:routing_rule_add"), {**form, "team": drugs_team.pk})
    assert response.status_code == 302
    assert names() == ["Drugs", "Havenwaard: postcodes 178x", "Dorpen: postcodes 179x"]
    assert submit(client, "1781AB").team == drugs_team
    assert submit(client, "1781AB", category="mensenhandel").team == haven

    # Chosen otherwise: at the bottom, and the form said where that is.
    last = {**form, "name": "Drugs onderaan", "team": drugs_team.pk, "placement": "last"}
    browser.post(reverse("reports:routing_rule_add"), last)
    assert names()[-1] == "Drugs onderaan"
    # The list marks the catch-alls, so an administrator sees what may hide a rule below.
    listing = browser.get(reverse("reports:routing_rules")).content.decode()
    assert listing.count('<span class="badge badge--muted">vangnetregel</span>') == 2


def test_a_new_fallback_goes_below_and_a_narrower_place_above(town):
    haven, dorpen, admin = town
    routing.routing_rule_create(actor=admin, name="De rest", team=dorpen)
    routing.routing_rule_create(actor=admin, name="Kade 1781", postcode_prefix="1781", team=dorpen)
    assert names() == [
        "Kade 1781",
        "Havenwaard: postcodes 178x",
        "Dorpen: postcodes 179x",
        "De rest",
    ]
    assert list(RoutingRule.objects.order_by("position").values_list("position", flat=True)) == [
        1,
        2,
        3,
        4,
    ]


def test_the_editor_previews_the_rule_on_the_last_reports_without_saving(
    client, verified_client, town
):
    haven, dorpen, admin = town
    for postcode in ("1781AB", "1782CD", "1791AA"):
        submit(client, postcode)
    submit(client, "1781AB", category="mensenhandel")
    browser = verified_client(admin)
    form = {
        "name": "Drugs",
        "category": Category.objects.get(code="drugs").pk,
        "team": Team.objects.create(name="Ondermijning").pk,
        "preview": "1",
    }
    # Without JavaScript: the "Preview" button shows the same form with its preview.
    page = browser.post(reverse("reports:routing_rule_add"), form)
    assert page.status_code == 200
    text = page.content.decode()
    assert "zou 3 van de laatste 4 meldingen nemen" in text
    assert "Havenwaard (2)" in text and "Dorpen (1)" in text
    assert "Plaats in de volgorde: 1 van 3." in text
    assert not RoutingRule.objects.filter(name="Drugs").exists()
    # With htmx, only the preview comes back; at the bottom the catch-alls take them all.
    partial = browser.post(
        reverse("reports:routing_preview"), {**form, "placement": "last"}, HTTP_HX_REQUEST="true"
    )
    body = partial.content.decode()
    assert "<html" not in body and "zou 0 van de laatste 4 meldingen nemen" in body
    assert "Havenwaard: postcodes 178x: 2" in body
    # A functional administrator may read no report: counts, no references.
    assert not any(r.reference in text for r in Report.objects.all())


def test_a_saved_rule_is_previewed_at_its_own_place(client, verified_client, town):
    _haven, dorpen, admin = town
    submit(client, "1791AA")
    rule = RoutingRule.objects.get(name="Dorpen: postcodes 179x")
    page = verified_client(admin).get(reverse("reports:routing_rule_edit", args=[rule.pk]))
    text = page.content.decode()
    assert "Plaats in de volgorde: 2 van 2." in text
    assert "Deze regel zou 1 van de laatste 1 meldingen nemen." in text and "Dorpen (1)" in text
    assert 'name="placement"' not in text  # a saved rule keeps its place


def test_the_api_places_and_previews_the_same_way(client, town):
    _haven, dorpen, admin = town
    headers = auth(admin)
    for postcode in ("1781AB", "1791AA"):
        submit(client, postcode)
    preview = client.post(
        "/api/v1/routing-rules/preview",
        {"category": "drugs", "postcode_prefix": "179"},
        content_type="application/json",
        **headers,
    )
    assert preview.status_code == 200, preview.content
    assert preview.json()["place"] == 2 and preview.json()["taken"] == 1
    assert preview.json()["now_with"] == {"Dorpen": 1}
    created = client.post(
        "/api/v1/routing-rules",
        {"name": "Drugs dorpen", "category": "drugs", "postcode_prefix": "179", "team": dorpen.pk},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201 and created.json()["position"] == 2
    bad = client.post(
        "/api/v1/routing-rules/preview",
        {"postcode_prefix": "17AB"},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"


def test_the_demo_rules_say_what_they_match(db):
    from baken.demo.municipality import TEAMS, _demo_routing

    teams = {name: Team.objects.create(name=name) for name in TEAMS}
    _demo_routing(teams)
    for rule in RoutingRule.objects.exclude(postcode_prefix=""):
        assert f"postcodes {rule.postcode_prefix}x" in rule.name
    # 1790 AB starts with 179: the villages' team, as the rule's name says.
    rule = routing.routing_rule_test(category=None, channel="web", postcode="1790AB")
    assert rule is not None and rule.name == "Dorpen: postcodes 179x"
    assert rule.team.name == "OOV Dorpen"


def test_the_administrator_learns_nothing_of_the_reports_at_one_postcode(
    client, verified_client, make_user, town
):
    """A rule for one postcode (or a part of one smaller than its four digits) and a category
    would tell the administrator, who may read no report, that someone at those few addresses
    was reported for it. Such a preview gives the rule's place but no counts; the team lead,
    who sees the reports, still gets them."""
    haven, _dorpen, admin = town
    submit(client, "1781AB", category="mensenhandel")
    submit(client, "1782CD")
    narrow = {"category": "mensenhandel", "postcode_prefix": "1781AB"}
    answer = client.post(
        "/api/v1/routing-rules/preview", narrow, content_type="application/json", **auth(admin)
    ).json()
    assert answer["place"] == 1 and answer["counts_hidden"] is True
    assert answer["taken"] is None and answer["categories"] == {} and answer["now_with"] == {}
    form = {"name": "Mensenhandel 1781AB", "category": Category.objects.get(code="mensenhandel").pk}
    page = verified_client(admin).post(
        reverse("reports:routing_preview"), {**form, "postcode_prefix": "1781AB"}
    )
    text = page.content.decode()
    assert page.status_code == 200 and "zou 1 van de laatste" not in text
    assert "Mensenhandel" not in text and "Plaats in de volgorde: 1 van 3." in text
    assert "kleiner dan de vier cijfers van een postcode" in text
    # A neighbourhood (four digits) is counted, as before.
    wide = client.post(
        "/api/v1/routing-rules/preview",
        {**narrow, "postcode_prefix": "1781"},
        content_type="application/json",
        **auth(admin),
    ).json()
    assert wide["taken"] == 1 and wide["counts_hidden"] is False
    # Whoever sees the reports the rule would take sees the counts for one postcode too.
    lead = make_user(role=Role.TEAM_LEAD, team=haven)
    rule = RoutingRule(category=Category.objects.get(code="mensenhandel"), postcode_prefix="1781AB")
    seen = rule_preview(user=lead, rule=rule)
    assert seen.taken == 1 and not seen.counts_hidden and seen.references
