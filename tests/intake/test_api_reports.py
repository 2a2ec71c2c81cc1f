"""POST /api/v1/reports: every rule of the uniform format answered with a specific problem."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from baken.core.roles import Role
from baken.intake.models import IdempotencyRecord
from baken.reports.models import Receipt, Report, ReporterContact
from baken.reports.reporter import reporter_contact

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports"
PROBLEM = "application/problem+json"


def post(client, payload, **extra):
    return client.post(URL, payload, content_type="application/json", **extra)


def invalid_names(response) -> dict:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    return {p["name"]: p["code"] for p in response.json()["invalid_params"]}


VALID = {
    "category": "drugs",
    "description": "Sterke hennepgeur bij de loods achter de garage, ramen afgeplakt.",
    "observed_at": {"start": "2026-11-20T22:15:00+01:00"},
    "location": {"address": {"postcode": "1234 ab", "house_number": 12}},
    "subjects": [
        {"type": "person", "name": "J. de Boer", "bsn": "111222333", "birth_date": "1980-04-23"},
        {"type": "organisation", "name": "Loods B.V.", "kvk_number": "12345678"},
        {"type": "vehicle", "license_plate": "ab123c"},
    ],
    "reporter": {"anonymous": True},
}


def test_anonymous_report_is_created_with_a_receipt(client):
    response = post(client, VALID)
    body = response.json()
    assert response.status_code == 201
    assert set(body) == {"id", "reference", "receipt_code", "status"}
    assert body["status"] == "received"
    report = Report.objects.get(pk=body["id"])
    assert report.postcode == "1234AB" and report.is_anonymous
    assert report.subjects.get(kind="vehicle").license_plate == "AB-123-C"
    assert not ReporterContact.objects.filter(report=report).exists()
    code = body["receipt_code"]
    assert len(code.replace("-", "")) == 20
    assert code not in Receipt.objects.get(report=report).code_hash


def test_named_report_keeps_contact_encrypted_apart_and_mails_no_content(
    client, django_capture_on_commit_callbacks
):
    payload = dict(
        VALID,
        reporter={
            "anonymous": False,
            "name": "Ilse Handhaving",
            "organisation": "Toezicht",
            "email": "ilse@gemeente.example",
            "phone": "06 12345678",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, payload)
    report = Report.objects.get(pk=response.json()["id"])
    contact = ReporterContact.objects.get(report=report)
    assert b"Ilse" not in bytes(contact.ciphertext)
    assert reporter_contact(report)["phone"] == "+31612345678"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert report.reference in message.subject
    assert "hennep" not in message.body.lower() and "loods" not in message.body.lower()


@pytest.mark.parametrize(
    ("change", "name", "code"),
    [
        ({"description": "kort"}, "description", "minLength"),
        ({"description": "x" * 10001}, "description", "maxLength"),
        ({"channel": "fax"}, "channel", "enum"),
        ({"category": "onbekend"}, "category", "unknown"),
        ({"unexpected": 1}, "unexpected", "additionalProperties"),
        ({"observed_at": {"start": "2099-01-01T00:00:00+01:00"}}, "observed_at.start", "future"),
        ({"observed_at": {"start": "gisteren"}}, "observed_at.start", "format"),
        (
            {
                "observed_at": {
                    "start": "2026-01-02T00:00:00+01:00",
                    "end": "2026-01-01T00:00:00+01:00",
                }
            },
            "observed_at.end",
            "before_start",
        ),
        ({"location": {"address": {"postcode": "12345"}}}, "location.address.postcode", "postcode"),
        ({"location": {"point": {"lat": 91, "lon": 5}}}, "location.point.lat", "maximum"),
        ({"subjects": [{"type": "person", "bsn": "123456789"}]}, "subjects.0.bsn", "bsn"),
        ({"subjects": [{"type": "person", "bsn": "12ab"}]}, "subjects.0.bsn", "pattern"),
        (
            {"subjects": [{"type": "person", "birth_date": "2999-01-01"}]},
            "subjects.0.birth_date",
            "future",
        ),
        (
            {"subjects": [{"type": "organisation", "kvk_number": "1234"}]},
            "subjects.0.kvk_number",
            "pattern",
        ),
        (
            {"subjects": [{"type": "vehicle", "license_plate": "--"}]},
            "subjects.0.license_plate",
            "plate",
        ),
        ({"subjects": [{"type": "address"}]}, "subjects.0.address", "required"),
        ({"subjects": [{"type": "spaceship"}]}, "subjects.0", "oneOf"),
        ({"reporter": {"anonymous": False}}, "reporter.name", "required"),
        (
            {"reporter": {"anonymous": False, "name": "A", "email": "geen-mail"}},
            "reporter.email",
            "email",
        ),
        ({"reporter": {"anonymous": False, "name": "A", "phone": "12"}}, "reporter.phone", "phone"),
        ({"attachments": ["00000000-0000-0000-0000-000000000000"]}, "attachments.0", "unknown"),
        ({"answers": {"hoe_lang": "jaren"}}, "answers.hoe_lang", "unknown"),
        ({"idempotency_key": "kort"}, "idempotency_key", "minLength"),
    ],
)
def test_each_rule_has_its_own_problem(client, change, name, code):
    assert invalid_names(post(client, dict(VALID, **change))).get(name) == code


def test_missing_description_and_non_object_bodies(client):
    assert invalid_names(post(client, {"category": "drugs"})) == {"description": "required"}
    assert "nonFieldErrors" in invalid_names(post(client, [1, 2]))
    broken = client.post(URL, "{oops", content_type="application/json")
    assert broken.status_code == 400 and broken["Content-Type"] == PROBLEM


def test_the_same_idempotency_key_never_makes_two_reports(client):
    payload = dict(VALID, idempotency_key="offline-3f1c9a7e")
    first = post(client, payload)
    second = post(client, payload)
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert first.json() == second.json()  # the same report, receipt code included
    assert Report.objects.count() == 1 and IdempotencyRecord.objects.count() == 1
    conflict = post(client, dict(payload, description="Iets heel anders gezien bij de haven."))
    assert conflict.status_code == 409
    assert conflict.json()["invalid_params"][0]["name"] == "idempotency_key"


def _token(user, *channels):
    out = io.StringIO()
    args = [arg for channel in channels for arg in ("--channel", channel)]
    call_command("token", user.username, *args, stdout=out)
    return {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}


def test_other_channels_need_a_token_allowed_for_them(client, make_user):
    intake = make_user(role=Role.INTAKE)
    phone = dict(VALID, channel="phone")
    assert post(client, phone).status_code == 403
    assert post(client, phone, **_token(intake, "email")).status_code == 403
    response = post(client, phone, **_token(intake, "phone"))
    assert response.status_code == 201
    assert Report.objects.get(pk=response.json()["id"]).registered_by == intake


def test_public_rate_limit_answers_429_problem(client, settings):
    settings.RATELIMITS = dict(settings.RATELIMITS, reports="2/h")
    from django.core.cache import cache

    cache.clear()
    statuses = [post(client, VALID, REMOTE_ADDR="198.51.100.7").status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    limited = post(client, VALID, REMOTE_ADDR="198.51.100.7")
    assert limited["Content-Type"] == PROBLEM and "Wacht" in limited.json()["detail"]
    assert post(client, VALID, REMOTE_ADDR="198.51.100.8").status_code == 201


def assert_nowhere_in_database(*needles: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (our own table names)
            for row in cursor.fetchall():
                text = " ".join(map(str, row))
                for needle in needles:
                    assert needle not in text, (table, needle)


def test_anonymous_report_stores_no_ip_address_anywhere(client, caplog):
    ip = "203.0.113.77"
    caplog.set_level("DEBUG")
    response = post(client, VALID, REMOTE_ADDR=ip, HTTP_USER_AGENT="Firefox-Unique-UA/42")
    assert response.status_code == 201
    form = client.post(
        "/melden",
        {"description": "Via het formulier: geur van anijs bij de loods."},
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT="Firefox-Unique-UA/42",
    )
    assert form.status_code == 201
    assert_nowhere_in_database(ip, "Unique-UA")
    assert ip not in caplog.text and "Unique-UA" not in caplog.text


def test_report_observed_now_is_accepted(client):
    now = timezone.localtime().isoformat()
    assert post(client, dict(VALID, observed_at={"start": now})).status_code == 201
