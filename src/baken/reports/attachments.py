"""Attachments: only photos and PDFs, re-encoded without any metadata, stored encrypted.

Uploaded by the reporter on the Meldpunt (intake) and by the team on the report page, both
through `attachment_upload`.

Each file is encrypted under a key of its own, which is kept in its row (`file_key`) wrapped
by its report's own key (keys.py, ADR 0031): destroying the report's key makes the file
unreadable, in every backup too. An upload waits for its report, so until it is attached
its file key is wrapped by a key derived from the data key (UPLOAD_PURPOSE); `attach` wraps
it anew under the report's key, in the database only, in the transaction that attaches it.

EXIF GPS in a photo would unmask an anonymous reporter, so images are decoded and written
anew (orientation applied first), and PDFs are rewritten page by page without document
information, XMP metadata, annotations, form fields, scripts or embedded files.
"""

import io
import secrets
import uuid
import warnings
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core import crypto
from baken.core.actors import Actor

from . import keys
from .models import Attachment, Report
from .validation import FieldsRefused

# The file key of an upload that is not yet attached to a report is wrapped under this.
UPLOAD_PURPOSE = "baken.reports.attachment.upload-key.v1"
# MPO is how many phone cameras write a JPEG (with a second, depth or preview, frame).
IMAGE_TYPES = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# Per-page entries that can carry hidden content: annotations (comments, form fields, links with
# e-mail addresses), page-level XMP, application data and actions.
PDF_PAGE_KEYS = ("/Annots", "/Metadata", "/PieceInfo", "/AA")
MAX_PIXELS = 40_000_000
MAX_SIDE = 4000


class AttachmentRefused(FieldsRefused):
    """A file Baken does not take, at the field `file`: its own code ("too_large", "type",
    "damaged", "encrypted") as `reason_code`, the message as `reason` (a core.refusals.Refused:
    the API answers it as problem+json, a page shows the reason at its upload field)."""

    def __init__(self, code: str, reason: str):
        super().__init__([{"name": "file", "code": code, "reason": reason}])
        self.reason_code, self.reason = code, reason


def refuse_if_too_large(size: int) -> None:
    """Checked on the upload's size before its bytes are read into memory."""
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise AttachmentRefused(
            "too_large",
            _("The file is larger than %(mb)s MB.") % {"mb": settings.ATTACHMENT_MAX_BYTES >> 20},
        )


def clean(data: bytes) -> tuple[bytes, str]:
    """Return (clean bytes, content type), or raise AttachmentRefused."""
    refuse_if_too_large(len(data))
    if data.startswith(b"%PDF-"):
        return _clean_pdf(data), "application/pdf"
    return _clean_image(data)


def _clean_image(data: bytes) -> tuple[bytes, str]:
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            kind = image.format
            if kind not in IMAGE_TYPES:
                raise AttachmentRefused("type", _("Only photos (JPEG, PNG, WebP) and PDF files."))
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AttachmentRefused("type", _("Only photos (JPEG, PNG, WebP) and PDF files.")) from None
    except AttachmentRefused:
        raise
    except Exception:  # Pillow's decoders raise many kinds for a damaged file
        raise _damaged() from None
    try:
        image = ImageOps.exif_transpose(image)
    except Exception:
        raise _damaged() from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    has_alpha = image.mode in ("RGBA", "LA") or "transparency" in image.info
    pixels = image.convert("RGBA" if has_alpha and kind == "PNG" else "RGB")
    # A new image from the pixels alone: no EXIF, XMP, ICC or text chunks survive.
    fresh = Image.new(pixels.mode, pixels.size)
    fresh.paste(pixels)
    out = io.BytesIO()
    if kind == "PNG":
        fresh.save(out, "PNG", optimize=True)
        return out.getvalue(), "image/png"
    fresh.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue(), "image/jpeg"


def _damaged() -> AttachmentRefused:
    return AttachmentRefused("damaged", _("This file is damaged and cannot be read."))


def _clean_pdf(data: bytes) -> bytes:
    """Only the pages' content: no document info, XMP, comments, forms, scripts or files."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise AttachmentRefused("encrypted", _("Password-protected PDF files cannot be used."))
        writer = PdfWriter()
        for page in reader.pages:
            for key in PDF_PAGE_KEYS:  # before copying, so that nothing of them is written
                page.pop(NameObject(key), None)
            writer.add_page(page)
        for key in ("/Names", "/AcroForm", "/OpenAction", "/AA", "/Metadata", "/PieceInfo"):
            writer.root_object.pop(NameObject(key), None)
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
    except AttachmentRefused:
        raise
    except Exception:  # pypdf raises many kinds (PdfReadError, KeyError, …) for a damaged file
        raise _damaged() from None
    return out.getvalue()


def path_for(attachment_id: uuid.UUID) -> Path:
    return settings.ATTACHMENT_DIR / f"{attachment_id}.bin"


def store(
    attachment_id: uuid.UUID, clean_bytes: bytes, *, report_key: bytes = b"", report_id: int = 0
) -> bytes:
    """Write the file encrypted under a new key of its own; return that key wrapped, for the
    row's `file_key`: by the upload key, or by `report_key` (the key of report `report_id`)
    when the report is known already (the demo's bulk)."""
    file_key = secrets.token_bytes(crypto.KEY_BYTES)
    settings.ATTACHMENT_DIR.mkdir(parents=True, exist_ok=True)
    path_for(attachment_id).write_bytes(
        crypto.encrypt_with(file_key, clean_bytes, context=attachment_id.bytes)
    )
    if report_key:
        return keys.seal(report_key, report_id, file_key, purpose=_file_key_purpose(attachment_id))
    return crypto.encrypt_with(
        crypto.derived_key(UPLOAD_PURPOSE), file_key, context=attachment_id.bytes
    )


def _file_key_purpose(attachment_id: uuid.UUID) -> str:
    return f"{keys.FILE_KEY_PURPOSE}:{attachment_id}"


def _file_key(attachment: Attachment) -> bytes:
    wrapped = bytes(attachment.file_key)
    if attachment.report_id is None:
        return crypto.decrypt_with(
            crypto.derived_key(UPLOAD_PURPOSE), wrapped, context=attachment.id.bytes
        )
    return keys.decrypt(attachment.report_id, wrapped, purpose=_file_key_purpose(attachment.id))


def attach(report: Report, attachment_ids: list[uuid.UUID]) -> int:
    """Give uploads not yet attached to their report, their file keys wrapped anew under the
    report's key (in the caller's transaction); returns how many were still unattached."""
    attached = 0
    for upload in Attachment.objects.filter(id__in=attachment_ids, report__isnull=True):
        file_key = _file_key(upload)
        wrapped = keys.encrypt(report.pk, file_key, purpose=_file_key_purpose(upload.id))
        # Only if still unattached: two reports naming one upload cannot both take it.
        attached += Attachment.objects.filter(id=upload.id, report__isnull=True).update(
            report=report, file_key=wrapped
        )
    return attached


def discard(attachment_id: uuid.UUID) -> None:
    """Remove a stored file whose database row was never written (a rolled-back upload)."""
    path_for(attachment_id).unlink(missing_ok=True)


def read(attachment_id: uuid.UUID) -> bytes:
    """The file's clean bytes. Raises keys.ReportKeyGone when its report's key is gone."""
    attachment = Attachment.objects.only("id", "report_id", "file_key").get(pk=attachment_id)
    return crypto.decrypt_with(
        _file_key(attachment), path_for(attachment_id).read_bytes(), context=attachment_id.bytes
    )


def attachment_upload(*, data: bytes, name: str, actor: Actor) -> Attachment:
    """Clean and store one file; it waits, unattached, for the report that names its id."""
    clean_bytes, content_type = clean(data)
    attachment = Attachment(
        id=uuid.uuid4(),
        content_type=content_type,
        size=len(clean_bytes),
        original_name="",  # a file name can identify the reporter; it is not kept
        uploaded_at=timezone.now(),
    )
    attachment.file_key = store(attachment.id, clean_bytes)
    try:
        with transaction.atomic():
            attachment.save(force_insert=True)
            audit_record(actor=actor, action=AuditAction.ATTACHMENT_UPLOAD, target=attachment)
    except BaseException:
        discard(attachment.id)
        raise
    return attachment
