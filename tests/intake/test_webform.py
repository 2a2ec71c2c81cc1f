"""The reporting page without JavaScript: one form, server-side checks, nothing lost."""

import pytest

from baken.core.roles import Role
from baken.reports.models import Report

pytestmark = pytest.mark.django_db


def test_plain_form_post_files_a_report_and_shows_the_receipt(client):
    response = client.post(
        "/melden",
        {
            "category": "drugs",
            "description": "Hennepgeur bij de schuur achter nummer 3.",
            "location_postcode": "1781 ab",
            "location_house_number": "3",
            "vehicle-0-license_plate": "12abcd",
            "identity": "anonymous",
        },
    )
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.subjects.get().license_plate == "12-AB-CD"
    assert report.receipt  # a receipt exists, and its code is on the page only
    assert report.reference in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")


def test_errors_are_shown_at_the_field_and_input_is_kept(client):
    response = client.post(
        "/melden",
        {
            "description": "kort",
            "person-0-name": "Jan Smit",
            "person-0-bsn": "123456789",
            "identity": "named",
            "reporter_name": "",
            "reporter_email": "geen",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="Jan Smit"' in body and ">kort</textarea>" in body
    assert 'id="f-person-0-bsn"' in body and 'aria-invalid="true"' in body
    assert Report.objects.count() == 0


def test_json_answer_for_the_background_sender(client):
    response = client.post(
        "/melden",
        {"description": "Veel verkeer bij de loods 's nachts."},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201 and set(response.json()) == {
        "reference",
        "receipt_code",
        "anonymous",
    }
    bad = client.post("/melden", {"description": "x"}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400 and "description" in bad.json()["field_errors"]


def test_public_cannot_pick_a_staff_channel_but_intake_staff_can(
    client, make_user, verified_client
):
    data = {"description": "Telefonisch gemeld: busjes bij de loods.", "channel": "phone"}
    assert client.post("/melden", data).status_code == 403
    staff = verified_client(make_user(role=Role.INTAKE))
    assert 'name="channel"' in staff.get("/melden").content.decode()
    assert staff.post("/melden", data).status_code == 201
    assert Report.objects.get().channel == "phone"


def test_service_worker_and_manifest(client):
    worker = client.get("/melden/sw.js")
    assert worker["Content-Type"].startswith("application/javascript")
    assert worker["Service-Worker-Allowed"] == "/melden"
    manifest = client.get("/melden/manifest.webmanifest").json()
    assert manifest["start_url"] == "/melden" and {i["sizes"] for i in manifest["icons"]} >= {
        "192x192",
        "512x512",
    }


def lookup(client, data):
    return client.post("/api/v1/addresses", data, content_type="application/json")


def test_address_lookup_fills_street_and_town(client):
    from baken.places.models import RegisteredAddress

    RegisteredAddress.objects.create(
        postcode="1781AB", house_number=3, street="Havenkade", city="Havenwaard", lat=52.9, lon=4.7
    )
    found = lookup(client, {"postcode": "1781 ab", "house_number": 3}).json()
    assert found[0]["street"] == "Havenkade" and found[0]["point"] == {"lat": 52.9, "lon": 4.7}
    assert lookup(client, {"postcode": "1781AB", "house_number": 4}).json() == []
    assert lookup(client, {"postcode": "x"}).status_code == 400
