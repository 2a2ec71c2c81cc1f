"""Relations between subjects: added with a source, refused with reasons, shown on both ends,
never revealing a subject the user may not see."""

import datetime

import pytest
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.subjects.models import Relation
from baken.subjects.relations import RelationRefused, relation_add, relation_remove, relations_of

from .helpers import relation, subject, team_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(make_user):
    return make_user(role=Role.ANALYST)


@pytest.fixture
def world(analyst, make_user):
    """Jan owns a company and lives at an address; the analyst sees all three. A fourth
    subject is known only to another team."""
    report = team_report(analyst.team)
    other_team_user = make_user(role=Role.ANALYST, team__name="Andere gemeente")
    hidden_report = team_report(other_team_user.team)
    jan = subject("Jan de Vries", report=report, judge=analyst)
    company = subject(
        "Schuur B.V.", "organisation", report=report, judge=analyst, kvk_number="12345678"
    )
    address = subject("Dorpsstraat 3, Dorp", "address", report=report, judge=analyst)
    secret = subject("Geheime Piet", report=hidden_report, judge=other_team_user)
    return {"report": report, "jan": jan, "company": company, "address": address, "secret": secret}


def test_relation_added_with_audit_and_shown_on_both_ends(analyst, world, verified_client):
    made = relation_add(
        source=world["jan"],
        target=world["company"],
        kind=Relation.Kind.OWNER_OF,
        actor=analyst,
        start_date=datetime.date(2020, 1, 1),
        source_report=world["report"],
    )
    assert AuditEntry.objects.filter(action="relation.add", object_id=str(made.pk)).exists()
    [from_jan] = relations_of(user=analyst, subject=world["jan"])
    [from_company] = relations_of(user=analyst, subject=world["company"])
    assert from_jan.other == world["company"] and from_jan.outgoing
    assert from_company.other == world["jan"] and not from_company.outgoing
    assert str(from_company.label) == "eigendom van"  # the Dutch UI label

    browser = verified_client(analyst)
    page = browser.get(
        reverse("subjects:relations", args=[world["company"].pk]), HTTP_HX_REQUEST="true"
    )
    assert page.status_code == 200
    assert "Jan de Vries" in page.content.decode()
    assert world["report"].reference in page.content.decode()


@pytest.mark.parametrize(
    ("source", "target", "kind", "extra", "field"),
    [
        ("jan", "jan", "associate_of", {}, "target"),
        ("company", "address", "lives_at", {}, "kind"),
        ("jan", "company", "uses_vehicle", {}, "kind"),
        ("address", "jan", "family_of", {}, "kind"),
        ("jan", "address", "nonsense", {}, "kind"),
        (
            "jan",
            "address",
            "lives_at",
            {"start_date": datetime.date(2024, 1, 1), "end_date": datetime.date(2023, 1, 1)},
            "end_date",
        ),
        ("jan", "address", "lives_at", {"source_registry": ""}, "source"),
        ("jan", "secret", "associate_of", {}, "target"),
    ],
)
def test_invalid_relations_are_refused_with_a_reason(
    analyst, world, source, target, kind, extra, field
):
    kwargs = {"source_registry": "BRP", **extra}
    with pytest.raises(RelationRefused) as refused:
        relation_add(source=world[source], target=world[target], kind=kind, actor=analyst, **kwargs)
    assert field in refused.value.problems
    assert not Relation.objects.exists()


def test_source_report_must_be_visible(analyst, world, make_user):
    outsider = make_user(role=Role.ANALYST, team__name="Elders")
    elsewhere = team_report(outsider.team)
    with pytest.raises(RelationRefused) as refused:
        relation_add(
            source=world["jan"],
            target=world["address"],
            kind="lives_at",
            actor=analyst,
            source_report=elsewhere,
        )
    assert "source_report" in refused.value.problems


def test_duplicate_symmetric_relation_refused(analyst, world):
    spouse = subject("Marie de Vries", report=world["report"], judge=analyst)
    relation_add(
        source=world["jan"], target=spouse, kind="family_of", actor=analyst, source_registry="BRP"
    )
    with pytest.raises(RelationRefused):
        relation_add(
            source=spouse,
            target=world["jan"],
            kind="family_of",
            actor=analyst,
            source_registry="BRP",
        )


def test_relation_to_invisible_subject_is_never_shown(analyst, world):
    relation(world["jan"], world["secret"], "associate_of", by=analyst)
    relation(world["jan"], world["address"], "lives_at", by=analyst)
    shown = relations_of(user=analyst, subject=world["jan"])
    assert [v.other for v in shown] == [world["address"]]


def test_html_add_and_remove(analyst, world, verified_client):
    browser = verified_client(analyst)
    url = reverse("subjects:relation_add", args=[world["address"].pk])
    response = browser.post(
        url,
        {"other": world["jan"].pk, "kind": "inv:lives_at", "source_report": world["report"].pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    made = Relation.objects.get()
    assert (made.source, made.target, made.kind) == (world["jan"], world["address"], "lives_at")
    refused = browser.post(
        url, {"other": world["jan"].pk, "kind": "owner_of"}, HTTP_HX_REQUEST="true"
    )
    assert refused.status_code == 200
    assert 'role="alert"' in refused.content.decode()
    plain = browser.post(url, {"other": world["jan"].pk, "kind": "owner_of"})
    assert plain.status_code == 400
    remove = reverse("subjects:relation_remove", args=[world["address"].pk, made.pk])
    assert browser.post(remove).status_code == 302
    assert not Relation.objects.exists()
    assert AuditEntry.objects.filter(action="relation.remove").exists()


def test_candidate_search_lists_only_visible_subjects(analyst, world, verified_client):
    browser = verified_client(analyst)
    url = reverse("subjects:relation_candidates", args=[world["jan"].pk])
    assert "Schuur" in browser.get(url, {"q": "schuur"}).content.decode()
    assert "Geheime" not in browser.get(url, {"q": "geheime"}).content.decode()


@pytest.mark.parametrize(
    ("role", "get", "post"),
    [
        (Role.ANALYST, 200, 200),
        (Role.CASE_HANDLER, 404, 404),  # sees no report, so no subject
        (Role.MANAGEMENT, 403, 403),
        (Role.PRIVACY_OFFICER, 403, 403),
    ],
)
def test_html_permissions_per_role(role, get, post, world, make_user, analyst, verified_client):
    user = make_user(role=role, team=analyst.team)
    browser = verified_client(user)
    pk = world["jan"].pk
    assert (
        browser.get(reverse("subjects:relations", args=[pk]), HTTP_HX_REQUEST="true").status_code
        == get
    )
    response = browser.post(
        reverse("subjects:relation_add", args=[pk]),
        {"other": world["address"].pk, "kind": "lives_at", "source_registry": "BRP"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == post


def test_api_relations(analyst, world, verified_client, make_user):
    browser = verified_client(analyst)
    url = f"/api/v1/subjects/{world['jan'].pk}/relations"
    created = browser.post(
        url,
        {"other": world["address"].pk, "kind": "lives_at", "source_registry": "BRP"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    bad = browser.post(
        url,
        {
            "other": world["address"].pk,
            "kind": "owner_of",
            "start_date": "2024-01-02",
            "end_date": "2024-01-01",
            "source_registry": "BRP",
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    names = {p["name"] for p in bad.json()["invalid_params"]}
    assert {"end_date"} <= names
    hidden = browser.post(
        url,
        {"other": world["secret"].pk, "kind": "associate_of", "source_registry": "x"},
        content_type="application/json",
    )
    assert hidden.status_code == 400
    listed = browser.get(f"/api/v1/subjects/{world['address'].pk}/relations").json()["results"]
    assert [r["other"]["id"] for r in listed] == [world["jan"].pk]
    assert listed[0]["direction"] == "incoming"

    intake = make_user(role=Role.CASE_HANDLER, team=analyst.team)
    relation_id = created.json()["id"]
    assert verified_client(intake).delete(f"/api/v1/relations/{relation_id}").status_code == 404
    browser = verified_client(analyst)
    assert browser.get(f"/api/v1/subjects/{world['secret'].pk}/relations").status_code == 404
    assert browser.delete(f"/api/v1/relations/{relation_id}").status_code == 204
    assert browser.delete(f"/api/v1/relations/{relation_id}").status_code == 404


def test_remove_refuses_twice(analyst, world):
    made = relation(world["jan"], world["address"], "lives_at", by=analyst)
    relation_remove(relation=made, actor=analyst)
    with pytest.raises(RelationRefused):
        relation_remove(relation=made, actor=analyst)
