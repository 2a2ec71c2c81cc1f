"""Bad input and awkward moments on the Meldpunt: a clear answer, never a 500, never a leak."""

import io
import json
import math
import socket

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import FreeText

from baken.audit.models import AuditEntry
from baken.intake import services
from baken.reports import attachments
from baken.reports.models import Attachment, Message, Report
from baken.reports.services import TransitionRefused, report_transition
from baken.reports.workflow import Status

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/reports"
TEXT = "Elke nacht busjes bij de loods aan de Havenweg."


def post_json(client, path, payload):
    return client.post(path, payload, content_type="application/json")


def jpeg(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 10)).save(out, "JPEG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("observed_at", {"start": "2024-02-30T10:00:00+01:00"}),
        ("observed_at", {"start": "0001-01-01T00:00:00+05:00"}),
        ("subjects", [{"type": "person", "name": "Jan", "birth_date": "2001-02-29"}]),
        ("subjects", [{"type": "person", "name": "Jan", "birth_date": "0001-01-01"}]),
    ],
)
def test_impossible_dates_are_named_not_a_500(client, field, value):
    response = post_json(client, REPORTS, {"description": TEXT, field: value})
    assert response.status_code == 400
    names = [p["name"] for p in response.json()["invalid_params"]]
    assert any(n.startswith(field) for n in names)


def test_superscript_house_number_is_refused_clearly_on_the_form(client):
    response = client.post(
        "/melden",
        {
            "description": TEXT,
            "location_postcode": "1781AB",
            "location_house_number": "1²",
            "identity": "anonymous",
        },
    )
    assert response.status_code == 400
    assert 'value="1²"' in response.content.decode()  # what was typed is still there
    assert not Report.objects.exists()


def test_non_finite_coordinates_are_refused(client):
    body = json.dumps({"description": TEXT, "location": {"point": {"lat": math.nan, "lon": 4.9}}})
    assert "NaN" in body  # Python's JSON writes (and reads) NaN, so a client may send it
    response = client.post(REPORTS, body, content_type="application/json")
    assert response.status_code == 400
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 9 0 R >>",
        jpeg()[:200],
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
    ],
)
def test_damaged_files_are_refused_as_damaged(client, data):
    response = client.post(
        "/api/v1/attachments", {"file": SimpleUploadedFile("x", data, "application/pdf")}
    )
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["code"] in {"damaged", "type"}


def test_pdf_comments_forms_and_page_metadata_do_not_survive(client):
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    note = FreeText(text="Getipt door Jan de Melder", rect=(10, 10, 150, 50))
    writer.add_annotation(page_number=0, annotation=note)
    buffer = io.BytesIO()
    writer.write(buffer)
    assert b"Jan de Melder" in buffer.getvalue()
    response = client.post(
        "/api/v1/attachments",
        {"file": SimpleUploadedFile("scan.pdf", buffer.getvalue(), "application/pdf")},
    )
    assert response.status_code == 201
    cleaned = attachments.read(Attachment.objects.get().id)
    assert b"Jan de Melder" not in cleaned
    page = PdfReader(io.BytesIO(cleaned)).pages[0]
    assert "/Annots" not in page


def test_phone_camera_mpo_jpeg_is_accepted(client):
    first, second = Image.new("RGB", (40, 30), "red"), Image.new("RGB", (40, 30), "blue")
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"
    response = client.post(
        "/api/v1/attachments", {"file": SimpleUploadedFile("foto.jpg", out.getvalue())}
    )
    assert response.status_code == 201
    assert Attachment.objects.get().content_type == "image/jpeg"


def test_web_form_refuses_more_than_ten_files_and_keeps_the_text(client, settings):
    photos = [SimpleUploadedFile(f"f{i}.jpg", jpeg(), "image/jpeg") for i in range(11)]
    response = client.post(
        "/melden", {"description": TEXT, "identity": "anonymous", "photos": photos}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Hoogstens 10 bestanden" in body or "10 bestanden" in body
    assert "busjes bij de loods" in body
    assert not Attachment.objects.exists()


def test_web_form_uploads_count_against_the_attachment_limit(client, settings):
    settings.RATELIMITS = dict(settings.RATELIMITS, attachments="1/h")
    send = {"description": TEXT, "identity": "anonymous"}
    photo = SimpleUploadedFile("f.jpg", jpeg(), "image/jpeg")
    assert client.post("/melden", dict(send, photos=[photo])).status_code == 201
    photo = SimpleUploadedFile("g.jpg", jpeg(), "image/jpeg")
    response = client.post("/melden", dict(send, photos=[photo]))
    assert response.status_code == 400 and "Wacht" in response.content.decode()


def test_public_upload_and_followup_message_name_nobody_in_the_audit_log(
    verified_client, make_user
):
    staff = make_user()
    browser = verified_client(staff)  # a logged-in colleague reports anonymously
    photo = SimpleUploadedFile("f.jpg", jpeg(), "image/jpeg")
    response = browser.post(
        "/melden", {"description": TEXT, "identity": "anonymous", "photos": [photo]}
    )
    assert response.status_code == 201
    code = response.context["receipt_code"]
    browser.post("/melden/opvolgen", {"receipt_code": code, "action": "send", "text": "Aanvulling"})
    assert [m.text for m in Message.objects.all()] == ["Aanvulling"]
    public_actions = ("attachment.upload", "report.create", "report.reporter_message")
    entries = AuditEntry.objects.filter(action__in=public_actions)
    assert entries.count() == 3
    assert not entries.filter(actor_id=staff.pk).exists()


def test_followup_status_never_reveals_a_case(client):
    created = post_json(client, REPORTS, {"description": TEXT}).json()
    Report.objects.filter(pk=created["id"]).update(status=Status.LINKED_TO_CASE)
    view = post_json(client, "/api/v1/followup", {"receipt_code": created["receipt_code"]}).json()
    assert view["status"] == "in_progress"
    assert "case" not in str(view).lower()


def test_mail_server_down_does_not_lose_or_fail_the_report(
    client, settings, django_capture_on_commit_callbacks
):
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    payload = {
        "description": TEXT,
        "reporter": {"anonymous": False, "name": "Sanne", "email": "sanne@gemeente.example"},
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(client, REPORTS, payload)
    assert response.status_code == 201
    assert Report.objects.count() == 1


def test_resend_with_attachments_gives_the_same_report(client):
    photo = client.post(
        "/api/v1/attachments", {"file": SimpleUploadedFile("f.jpg", jpeg(), "image/jpeg")}
    ).json()["id"]
    payload = {"description": TEXT, "attachments": [photo], "idempotency_key": "resend-key-0001"}
    first = post_json(client, REPORTS, payload)
    again = post_json(client, REPORTS, payload)
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["receipt_code"] == first.json()["receipt_code"]
    assert Report.objects.count() == 1


def test_web_form_resend_with_photos_uploads_nothing_twice(client):
    def send():
        photo = SimpleUploadedFile("f.jpg", jpeg(), "image/jpeg")
        return client.post(
            "/melden",
            {
                "description": TEXT,
                "identity": "anonymous",
                "photos": [photo],
                "idempotency_key": "device-7",
            },
            HTTP_ACCEPT="application/json",
        )

    first, again = send(), send()
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["receipt_code"] == first.json()["receipt_code"]
    assert Attachment.objects.count() == 1


def test_web_form_key_reused_for_other_content_is_a_clear_409(client):
    data = {"description": TEXT, "identity": "anonymous", "idempotency_key": "device-8"}
    assert client.post("/melden", data).status_code == 201
    response = client.post("/melden", dict(data, description=TEXT + " En meer."))
    assert response.status_code == 409
    assert "En meer." in response.content.decode()


def test_a_status_change_needs_a_reason(client, make_user):
    created = post_json(client, REPORTS, {"description": TEXT}).json()
    report = Report.objects.get(pk=created["id"])
    with pytest.raises(TransitionRefused):
        report_transition(report=report, to_status=Status.IN_TRIAGE, actor=make_user(), reason="")


def test_answer_after_the_report_moved_on_does_not_fail(client, make_user):
    created = post_json(client, REPORTS, {"description": TEXT}).json()
    report = Report.objects.get(pk=created["id"])
    analyst = make_user()
    report_transition(report=report, to_status=Status.IN_TRIAGE, actor=analyst, reason="Begin.")
    stale = Report.objects.get(pk=report.pk)
    report_transition(
        report=report, to_status=Status.AWAITING_REPORTER, actor=analyst, reason="Vraag."
    )
    services.followup_message_add(report=stale, text="Antwoord", actor=AnonymousUser())
    services.followup_message_add(report=stale, text="Nog iets", actor=AnonymousUser())
    report.refresh_from_db()
    assert report.status == Status.IN_TRIAGE
    assert report.status_changes.filter(to_status=Status.IN_TRIAGE).count() == 2


def test_the_pages_script_gets_a_problem_not_a_page_when_its_form_expired(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/melden", {"description": TEXT, "identity": "anonymous"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
