"""The follow-up page (/melden/opvolgen) as a reporter uses it: the answer moves the status,
every message has its moment, photos can be added later, and errors point at their field."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.reports import attachments
from baken.reports.models import Attachment, Report
from baken.reports.weighing import question_ask, triage_start

pytestmark = pytest.mark.django_db

PAGE = "/melden/opvolgen"


@pytest.fixture
def filed(client):
    body = client.post(
        "/api/v1/reports",
        {"description": "Busjes die 's nachts af en aan rijden bij de schuur."},
        content_type="application/json",
    ).json()
    return Report.objects.get(pk=body["id"]), body["receipt_code"]


def asked(report, make_user):
    analyst = make_user(role=Role.INTAKE)  # sees reports of no team (none is routed here)
    triage_start(report=report, actor=analyst)
    question_ask(report=report, actor=analyst, text="Welke schuur bedoelt u?")
    return analyst


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (52.0, 22.0, 12.5), 3: "E", 4: (4.0, 53.0, 30.2)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_the_answer_changes_the_status_the_reporter_sees(client, filed, make_user):
    report, code = filed
    asked(report, make_user)
    before = client.post(PAGE, {"receipt_code": code}).content.decode()
    assert "We hebben een vraag voor u" in before
    after = client.post(
        PAGE, {"receipt_code": code, "action": "send", "text": "De schuur achter nummer 14."}
    ).content.decode()
    assert "We hebben een vraag voor u" not in after
    assert "Uw melding wordt beoordeeld" in after
    report.refresh_from_db()
    assert report.status == "in_triage"


def test_every_message_shows_its_date_and_time(client, filed, make_user):
    report, code = filed
    asked(report, make_user)
    client.post(PAGE, {"receipt_code": code, "action": "send", "text": "Nummer 14."})
    page = client.post(PAGE, {"receipt_code": code})
    html = page.content.decode()
    messages = page.context["view"]["messages"]
    assert len(messages) == 2
    from baken.core.dates import long

    for message in messages:
        assert long(message["sent_at"]) in html  # "6 december 2026 02:10"


def test_a_photo_added_later_is_stripped_encrypted_audited_and_shown_to_the_team(
    client, verified_client, filed, make_user
):
    report, code = filed
    analyst = asked(report, make_user)
    photo = SimpleUploadedFile("IMG_0042.jpg", jpeg_with_gps(), "image/jpeg")
    response = client.post(
        PAGE, {"receipt_code": code, "action": "send", "text": "", "photos": [photo]}
    )
    assert response.status_code == 200
    assert "met 1 foto of bestand" in response.content.decode()
    attachment = Attachment.objects.get(report=report)
    assert attachment.added_later and attachment.original_name == ""
    on_disk = attachments.path_for(attachment.id).read_bytes()
    assert b"PhoneMaker" not in on_disk and b"\xff\xd8" not in on_disk[:16]
    stored = Image.open(io.BytesIO(attachments.read(attachment.id)))
    assert not stored.getexif()
    entry = AuditEntry.objects.get(action="report.reporter_attachment")
    assert entry.actor_role == "public" and entry.actor_id is None
    report.refresh_from_db()
    assert report.status == "in_triage"  # a photo answers too

    team_page = verified_client(analyst).get(f"/werkruimte/meldingen/{report.pk}")
    assert "later toegevoegd door de melder" in team_page.content.decode()


def test_photos_later_keep_the_limit_per_report(client, filed, settings):
    settings.ATTACHMENTS_PER_REPORT = 1
    report, code = filed
    photos = [SimpleUploadedFile(f"{n}.jpg", jpeg_with_gps(), "image/jpeg") for n in range(2)]
    response = client.post(
        PAGE, {"receipt_code": code, "action": "send", "text": "Twee foto's", "photos": photos}
    )
    html = response.content.decode()
    assert "Ten hoogste 1 bestanden per melding" in html or "1 bestand" in html
    assert 'href="#photos"' in html and "Twee foto&#x27;s" in html  # the text is kept
    assert not Attachment.objects.filter(report=report).exists()


def test_a_wrong_code_is_summarised_and_linked_to_its_field(client, filed):
    html = client.post(PAGE, {"receipt_code": "AAAA-BBBB-CCCC-DDDD-EEEE"}).content.decode()
    assert 'class="alert alert--error error-summary"' in html
    assert 'href="#receipt_code"' in html
    assert 'aria-describedby="receipt_code-help receipt_code-error"' in html
    assert 'aria-invalid="true"' in html


def test_the_api_answer_returns_the_status_it_leads_to(client, filed, make_user):
    report, code = filed
    asked(report, make_user)
    body = client.post(
        "/api/v1/followup/messages",
        {"receipt_code": code, "text": "Nummer 14."},
        content_type="application/json",
    ).json()
    assert body["status"] == "in_progress"
    assert "beoordeeld" in body["status_text"]


def test_the_api_adds_a_photo_later_once_and_within_the_limit(client, filed, settings):
    report, code = filed
    upload = client.post(
        "/api/v1/attachments",
        {"file": SimpleUploadedFile("f.jpg", jpeg_with_gps(), "image/jpeg")},
    ).json()
    added = client.post(
        "/api/v1/followup/messages",
        {"receipt_code": code, "attachments": [upload["id"]]},
        content_type="application/json",
    )
    assert added.status_code == 201
    assert Attachment.objects.get(report=report).added_later
    again = client.post(
        "/api/v1/followup/messages",
        {"receipt_code": code, "attachments": [upload["id"]]},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert again.json()["invalid_params"][0]["name"] == "attachments"

    settings.ATTACHMENTS_PER_REPORT = 1
    second = client.post(
        "/api/v1/attachments",
        {"file": SimpleUploadedFile("g.jpg", jpeg_with_gps(), "image/jpeg")},
    ).json()
    refused = client.post(
        "/api/v1/followup/messages",
        {"receipt_code": code, "attachments": [second["id"]]},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["invalid_params"][0]["code"] == "too_many"
    assert Attachment.objects.filter(report=report).count() == 1
