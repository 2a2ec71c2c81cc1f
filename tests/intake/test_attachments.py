"""Uploads: photos lose every bit of metadata, files are unreadable on disk without the key."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader, PdfWriter

from baken.reports import attachments
from baken.reports.models import Attachment

pytestmark = pytest.mark.django_db

URL = "/api/v1/attachments"


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 22.0, 12.5), 3: "E", 4: (4.0, 53.0, 30.2)}  # GPS IFD
    exif[0x0112] = 6  # orientation: rotate 90°
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(client, data: bytes, name="foto.jpg", content_type="image/jpeg"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data, content_type=content_type)})


def test_photo_is_stripped_of_exif_gps_and_encrypted_at_rest(client):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the GPS is really there
    response = upload(client, original)
    assert response.status_code == 201
    attachment = Attachment.objects.get(pk=response.json()["id"])

    on_disk = attachments.path_for(attachment.id).read_bytes()
    assert b"\xff\xd8" not in on_disk[:16] and b"PhoneMaker" not in on_disk
    with pytest.raises(Exception):  # noqa: B017, PT011
        Image.open(io.BytesIO(on_disk))

    stored = Image.open(io.BytesIO(attachments.read(attachment.id)))
    assert stored.format == "JPEG"
    assert not stored.getexif() and "exif" not in stored.info and "icc_profile" not in stored.info
    assert b"PhoneMaker" not in attachments.read(attachment.id)
    assert stored.size == (48, 64)  # the orientation was applied before the EXIF went
    assert attachment.original_name == ""


def test_pdf_is_rewritten_without_document_information(client):
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": "Jan de Melder", "/Producer": "Scanner 3000"})
    buffer = io.BytesIO()
    writer.write(buffer)
    response = upload(client, buffer.getvalue(), "scan.pdf", "application/pdf")
    assert response.status_code == 201
    clean = attachments.read(Attachment.objects.get().id)
    assert b"Jan de Melder" not in clean
    assert len(PdfReader(io.BytesIO(clean)).pages) == 1


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"MZ\x90\x00 this is an executable", "type"),
        (b"GIF89a" + b"\x00" * 20, "type"),
        (b"%PDF-1.7 but nothing follows", "damaged"),
    ],
)
def test_other_files_are_refused_with_a_reason(client, data, code):
    response = upload(client, data, "bestand.bin", "application/octet-stream")
    assert response.status_code == 400
    assert response.json()["invalid_params"][0] == {
        "name": "file",
        "code": code,
        "reason": response.json()["invalid_params"][0]["reason"],
    }
    assert not Attachment.objects.exists()


def test_too_large_is_refused_before_decoding(client, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    response = upload(client, jpeg_with_gps() + b"\x00" * 2048)
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["code"] == "too_large"


def test_missing_file_field(client):
    response = client.post(URL, {})
    assert response.json()["invalid_params"][0]["name"] == "file"


def test_attachment_is_used_once_by_a_report(client):
    attachment_id = upload(client, jpeg_with_gps()).json()["id"]
    payload = {
        "description": "Foto van de loods met afgeplakte ramen.",
        "attachments": [attachment_id],
    }
    first = client.post("/api/v1/reports", payload, content_type="application/json")
    assert first.status_code == 201
    second = client.post("/api/v1/reports", payload, content_type="application/json")
    assert second.json()["invalid_params"][0]["name"] == "attachments.0"
