"""The FollowTheMoney export: valid FtM entities, only what may be seen (API), the whole
network for the system command."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.subjects import ftm

from .helpers import relation, subject, team_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(make_user):
    return make_user(role=Role.ANALYST)


@pytest.fixture
def world(analyst, make_user):
    report = team_report(analyst.team)
    outsider = make_user(role=Role.ANALYST, team__name="Andere gemeente")
    jan = subject("Jan de Vries", report=report, judge=analyst, bsn="111222333")
    marie = subject("Marie de Vries", report=report, judge=analyst)
    company = subject(
        "Schuur B.V.", "organisation", report=report, judge=analyst, kvk_number="12345678"
    )
    club = subject("Vriendenclub", "organisation", report=report, judge=analyst)
    address = subject(
        "Dorpsstraat 3, Dorp",
        "address",
        report=report,
        judge=analyst,
        street="Dorpsstraat",
        house_number=3,
        postcode="1781AB",
        city="Dorp",
    )
    car = subject("12-AB-CD", "vehicle", report=report, judge=analyst, license_plate="12ABCD")
    secret = subject("Geheime Piet", report=team_report(outsider.team), judge=outsider)
    for source, target, kind in [
        (jan, company, "owner_of"),
        (jan, company, "director_of"),
        (jan, marie, "family_of"),
        (jan, club, "associate_of"),
        (jan, address, "lives_at"),
        (company, address, "registered_at"),
        (jan, car, "uses_vehicle"),
        (marie, company, "employed_by"),
        (jan, secret, "associate_of"),
    ]:
        relation(source, target, kind, by=analyst)
    return locals()


def json_lines(response) -> list[dict]:
    text = response.content.decode()
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_api_export_is_valid_ftm_and_scoped(analyst, world, verified_client):
    browser = verified_client(analyst)
    response = browser.get(f"/api/v1/subjects/{world['jan'].pk}/ftm")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    entities = json_lines(response)
    ftm.validate(entities)  # the followthemoney model accepts every entity
    schemas = sorted(e["schema"] for e in entities)
    assert schemas == sorted(
        [
            "Person",
            "Person",
            "Company",
            "Organization",
            "Address",
            "Vehicle",
            "Ownership",
            "Directorship",
            "Family",
            "UnknownLink",
            "UnknownLink",
            "Employment",
        ]
    )
    [person] = [e for e in entities if e["properties"].get("name") == ["Jan de Vries"]]
    assert person["properties"]["addressEntity"] == [f"baken-subject-{world['address'].pk}"]
    assert "Geheime" not in response.content.decode()
    assert browser.get(f"/api/v1/subjects/{world['secret'].pk}/ftm").status_code == 404


def test_followthemoney_proxies_load(world, analyst, verified_client):
    from followthemoney import model

    response = verified_client(analyst).get(f"/api/v1/subjects/{world['jan'].pk}/ftm")
    for entity in json_lines(response):
        proxy = model.get_proxy(entity, cleaned=False)
        assert proxy.to_dict()["properties"] == entity["properties"] or proxy.schema.edge


def test_validate_refuses_what_ftm_does_not_know():
    with pytest.raises(ftm.InvalidEntity):
        ftm.validate([{"id": "a", "schema": "Person", "properties": {"licencePlate": ["x"]}}])
    with pytest.raises(ftm.InvalidEntity):
        ftm.validate([{"id": "a", "schema": "Ownership", "properties": {"owner": ["nobody"]}}])
    with pytest.raises(ftm.InvalidEntity):
        ftm.validate([{"id": "a", "schema": "Person", "properties": {"birthDate": ["gisteren"]}}])


def test_command_writes_json_lines_as_a_system_action(world):
    out = io.StringIO()
    call_command("export", "ftm", "--subject", str(world["jan"].pk), "--depth", "2", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    ftm.validate(lines)
    names = {n for e in lines for n in e["properties"].get("name", [])}
    assert "Geheime Piet" in names  # the system export is not one user's view
    entry = AuditEntry.objects.get(action="subject.export_ftm")
    assert entry.actor_role == "system" and entry.actor_id is None


def test_command_refuses_unknown_subject_and_depth(world):
    with pytest.raises(CommandError):
        call_command("export", "ftm", "--subject", "999999")
    with pytest.raises(CommandError):
        call_command("export", "ftm", "--subject", str(world["jan"].pk), "--depth", "9")
