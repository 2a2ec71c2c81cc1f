"""Every row a report brings along is stored through the API (issue 18: the report's new rows
are written together in one statement, reports/rows.py, not one ORM save each): subjects in
order with their fields, ticked signs, answers, the report's own key (its contact decrypts
under it), the first status, the receipt, the idempotency record that replays it, the area
membership of its point, the audit entry in a chain that verifies, the acknowledgement task."""

from types import SimpleNamespace

import pytest
from django.core.management import call_command

from baken.audit.models import AuditEntry
from baken.audit.verification import verify_chain
from baken.intake import receipts, services
from baken.intake.models import IdempotencyRecord
from baken.places.areas import DEMO_AREAS
from baken.places.models import AreaReport
from baken.reports import keys
from baken.reports.models import Category, Receipt, Report, ReportKey, StatusChange
from baken.reports.reporter import reporter_contact

pytestmark = pytest.mark.django_db

URL = "/api/v1/reports"
HAVENWAARD = (52.945, 4.75)


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.RATELIMIT_ENABLE = False
    call_command("areas", "import", str(DEMO_AREAS), verbosity=0)


def post(client, payload: dict) -> tuple[Report, dict]:
    response = client.post(URL, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    return Report.objects.get(pk=body["id"]), body


def test_a_named_report_with_everything_stores_every_row(client, monkeypatch):
    enqueued: list[int] = []
    monkeypatch.setattr(services, "reporter_acknowledge", SimpleNamespace(enqueue=enqueued.append))
    drugs = Category.objects.get(code="drugs")
    signs = sorted(drugs.indicators.values_list("pk", flat=True))[:2]
    payload = {
        "category": "drugs",
        "description": "Sterke hennepgeur bij de loods, ramen afgeplakt, busjes 's nachts.",
        "location": {"point": {"lat": HAVENWAARD[0], "lon": HAVENWAARD[1]}},
        "observed_at": {"start": "2026-11-20T22:15:00+01:00", "end": "2026-11-21T01:30:00+01:00"},
        "signs": signs,
        "subjects": [
            {"type": "vehicle", "license_plate": "ab123c"},
            {
                "type": "person",
                "name": "J. de Boer",
                "bsn": "111222333",
                "birth_date": "1980-04-23",
            },
            {"type": "organisation", "name": "Loods B.V.", "kvk_number": "12345678"},
            {"type": "address", "address": {"postcode": "1781AB", "house_number": 7}},
        ],
        "reporter": {
            "anonymous": False,
            "name": "Ilse",
            "email": "ilse@gemeente.example",
            "phone": "06 12345678",
            "may_contact": True,
        },
        "idempotency_key": "rows-key-1",
    }
    report, body = post(client, payload)

    subjects = list(report.subjects.order_by("position"))
    assert [(s.kind, s.position) for s in subjects] == [
        ("vehicle", 0),
        ("person", 1),
        ("organisation", 2),
        ("address", 3),
    ]
    assert subjects[0].license_plate and subjects[1].name == "J. de Boer"
    assert subjects[1].bsn == "111222333" and str(subjects[1].birth_date) == "1980-04-23"
    assert subjects[2].kvk_number == "12345678"
    assert subjects[3].postcode == "1781AB" and subjects[3].house_number == 7
    assert sorted(report.signs.values_list("pk", flat=True)) == signs
    assert report.observed_start and report.observed_end

    assert ReportKey.objects.filter(report=report).count() == 1
    assert keys.key_of(report.pk)  # unwraps
    contact = reporter_contact(report)
    assert contact["name"] == "Ilse" and contact["email"] == "ilse@gemeente.example"

    status = StatusChange.objects.get(report=report)
    assert (status.from_status, status.to_status, status.at) == ("", "received", report.received_at)
    receipt = Receipt.objects.get(report=report)
    assert receipt.code_hash == receipts.code_hash(body["receipt_code"])
    record = IdempotencyRecord.objects.get(report=report)
    assert record.created_at == report.received_at

    assert AreaReport.objects.filter(report=report).exists()  # Havenwaard
    entry = AuditEntry.objects.get(action="report.create", object_id=str(report.pk))
    assert entry.detail["channel"] == "web"
    assert verify_chain().ok

    assert enqueued == [report.pk]

    # The same key again: the same report and receipt, nothing stored anew.
    again = client.post(URL, payload, content_type="application/json")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["receipt_code"] == body["receipt_code"]
    assert Report.objects.count() == 1


def test_an_anonymous_report_without_extras_stores_only_its_own_rows(client):
    report, _ = post(
        client,
        {
            "category": "drugs",
            "description": "Sterke hennepgeur bij de loods, ramen afgeplakt.",
            "reporter": {"anonymous": True},
        },
    )
    assert report.is_anonymous and not report.subjects.exists() and not report.signs.exists()
    assert ReportKey.objects.filter(report=report).count() == 1
    assert reporter_contact(report) is None
    assert StatusChange.objects.filter(report=report).count() == 1
    assert Receipt.objects.filter(report=report).count() == 1
    assert not IdempotencyRecord.objects.filter(report=report).exists()
    assert not AreaReport.objects.filter(report=report).exists()
    assert AuditEntry.objects.filter(action="report.create", object_id=str(report.pk)).count() == 1
