"""Every report gets its own key, and what was encrypted with keys derived from the data key
alone moves under it (crypto-shredding, issue 15, ADR 0031): the reporter's contact details,
the messages of the follow-up dialogue (plain text until now) and the attachments' files
(each under a new file key of its own, wrapped by the report's key; an upload not yet
attached has its file key wrapped by the upload key).

Idempotent, and safe to run again after it was killed: it is not one transaction (an
installation with many reports would hold it for long) but one per report. A report's key,
contact and messages move in one transaction; an attachment's new file is written beside the
old one ("<id>.bin.new") and takes its place only after the row naming its file key has
committed, and a run first finishes or drops the new files an earlier run left behind.

The purposes and the encryption are written out here, as they are in reports/keys.py and
reports/attachments.py today, so that this migration keeps meaning what it did.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.db import migrations, transaction
from django.utils import timezone

from baken.core import crypto

LEGACY_CONTACT = "baken.intake.contact.v1"
LEGACY_ATTACHMENT = "baken.intake.attachment.v1"
WRAP = "baken.reports.report-key.wrap.v1"
CONTACT = "baken.reports.contact.v2"
MESSAGE = "baken.reports.message.v1"
FILE_KEY = "baken.reports.attachment.file-key.v1"
UPLOAD = "baken.reports.attachment.upload-key.v1"
NEW = ".bin.new"


def _seal(key: bytes, report_id: int, plaintext: bytes, purpose: str) -> bytes:
    subkey = crypto.subkey(key, purpose)
    return crypto.encrypt_with(subkey, plaintext, context=f"{purpose}:{report_id}".encode())


def _open(key: bytes, report_id: int, ciphertext: bytes, purpose: str) -> bytes:
    subkey = crypto.subkey(key, purpose)
    return crypto.decrypt_with(subkey, ciphertext, context=f"{purpose}:{report_id}".encode())


def _wrap(report_id: int, key: bytes) -> bytes:
    context = f"report:{report_id}".encode()
    return crypto.encrypt_with(crypto.derived_key(WRAP), key, context=context)


def _unwrap(report_id: int, wrapped: bytes) -> bytes:
    context = f"report:{report_id}".encode()
    return crypto.decrypt_with(crypto.derived_key(WRAP), wrapped, context=context)


def _path(attachment_id) -> Path:
    return Path(settings.ATTACHMENT_DIR) / f"{attachment_id}.bin"


def _wrap_file_key(attachment, file_key: bytes, report_key: bytes) -> bytes:
    if attachment.report_id is None:
        upload = crypto.derived_key(UPLOAD)
        return crypto.encrypt_with(upload, file_key, context=attachment.id.bytes)
    purpose = f"{FILE_KEY}:{attachment.id}"
    return _seal(report_key, attachment.report_id, file_key, purpose)


def _unwrap_file_key(attachment, report_key: bytes) -> bytes:
    wrapped = bytes(attachment.file_key)
    if attachment.report_id is None:
        upload = crypto.derived_key(UPLOAD)
        return crypto.decrypt_with(upload, wrapped, context=attachment.id.bytes)
    return _open(report_key, attachment.report_id, wrapped, f"{FILE_KEY}:{attachment.id}")


def _file_forward(attachment, report_key: bytes) -> Path | None:
    """Write the file anew under a file key of its own (beside the old one); set the row's
    file key (saved by the caller's transaction). Returns the new file to move in place."""
    file_key = secrets.token_bytes(crypto.KEY_BYTES)
    attachment.file_key = _wrap_file_key(attachment, file_key, report_key)
    attachment.save(update_fields=["file_key"])
    path = _path(attachment.id)
    if not path.exists():  # lost before; nothing to move
        return None
    plain = crypto.decrypt(path.read_bytes(), purpose=LEGACY_ATTACHMENT)
    new = path.with_name(path.stem + NEW)
    new.write_bytes(crypto.encrypt_with(file_key, plain, context=attachment.id.bytes))
    return new


def _file_backward(attachment, report_key: bytes) -> Path | None:
    path = _path(attachment.id)
    new = None
    if path.exists():
        file_key = _unwrap_file_key(attachment, report_key)
        plain = crypto.decrypt_with(file_key, path.read_bytes(), context=attachment.id.bytes)
        new = path.with_name(path.stem + NEW)
        new.write_bytes(crypto.encrypt(plain, purpose=LEGACY_ATTACHMENT))
    attachment.file_key = None
    attachment.save(update_fields=["file_key"])
    return new


def _put_in_place(new_files: list[Path | None]) -> None:
    for new in new_files:
        if new is not None:
            new.replace(new.with_name(new.name.removesuffix(NEW) + ".bin"))


def _left_behind(Attachment, db: str, *, moved_when_keyed: bool) -> None:
    """Finish what a killed run left: a new file whose row committed takes its place, one
    whose row did not is dropped (the run writes it again)."""
    folder = Path(settings.ATTACHMENT_DIR)
    if not folder.is_dir():
        return
    for new in folder.glob(f"*{NEW}"):
        row = Attachment.objects.using(db).filter(pk=new.name.removesuffix(NEW)).first()
        committed = row is not None and (row.file_key is not None) == moved_when_keyed
        if committed:
            _put_in_place([new])
        else:
            new.unlink()


def forward(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    ReportKey = apps.get_model("reports", "ReportKey")
    ReporterContact = apps.get_model("reports", "ReporterContact")
    Message = apps.get_model("reports", "Message")
    Attachment = apps.get_model("reports", "Attachment")
    db = schema_editor.connection.alias
    if not Report.objects.using(db).exists() and not Attachment.objects.using(db).exists():
        return  # a new installation: nothing to move (and no data key needed)
    _left_behind(Attachment, db, moved_when_keyed=True)
    report_ids = list(Report.objects.using(db).order_by("pk").values_list("pk", flat=True))
    for report_id in report_ids:
        with transaction.atomic(using=db):
            row = ReportKey.objects.using(db).filter(report_id=report_id).first()
            if row is not None:
                key = _unwrap(report_id, bytes(row.wrapped))
            else:
                # The key, the contact and the messages move together: a report with a key
                # has them moved.
                key = secrets.token_bytes(crypto.KEY_BYTES)
                ReportKey.objects.using(db).create(
                    report_id=report_id, wrapped=_wrap(report_id, key), created_at=timezone.now()
                )
                contact = ReporterContact.objects.using(db).filter(report_id=report_id).first()
                if contact is not None:
                    plain = crypto.decrypt(bytes(contact.ciphertext), purpose=LEGACY_CONTACT)
                    contact.ciphertext = _seal(key, report_id, plain, CONTACT)
                    contact.save(update_fields=["ciphertext"])
            for message in Message.objects.using(db).filter(
                report_id=report_id, ciphertext__isnull=True
            ):
                message.ciphertext = _seal(key, report_id, message.text.encode(), MESSAGE)
                message.text = ""
                message.save(update_fields=["ciphertext", "text"])
            new_files = [
                _file_forward(attachment, key)
                for attachment in Attachment.objects.using(db).filter(
                    report_id=report_id, file_key__isnull=True
                )
            ]
        _put_in_place(new_files)
    for attachment in Attachment.objects.using(db).filter(
        report__isnull=True, file_key__isnull=True
    ):
        with transaction.atomic(using=db):
            new = _file_forward(attachment, b"")
        _put_in_place([new])


def backward(apps, schema_editor):
    """Back to keys derived from the data key alone (a report without a key, destroyed since
    the backup this database came from, stays as it is: nothing can read it)."""
    ReportKey = apps.get_model("reports", "ReportKey")
    ReporterContact = apps.get_model("reports", "ReporterContact")
    Message = apps.get_model("reports", "Message")
    Attachment = apps.get_model("reports", "Attachment")
    db = schema_editor.connection.alias
    if not ReportKey.objects.using(db).exists() and not Attachment.objects.using(db).exists():
        return
    _left_behind(Attachment, db, moved_when_keyed=False)
    for report_id in list(ReportKey.objects.using(db).values_list("report_id", flat=True)):
        with transaction.atomic(using=db):
            row = ReportKey.objects.using(db).get(report_id=report_id)
            key = _unwrap(report_id, bytes(row.wrapped))
            contact = ReporterContact.objects.using(db).filter(report_id=report_id).first()
            if contact is not None:
                plain = _open(key, report_id, bytes(contact.ciphertext), CONTACT)
                contact.ciphertext = crypto.encrypt(plain, purpose=LEGACY_CONTACT)
                contact.save(update_fields=["ciphertext"])
            for message in Message.objects.using(db).filter(
                report_id=report_id, ciphertext__isnull=False
            ):
                message.text = _open(key, report_id, bytes(message.ciphertext), MESSAGE).decode()
                message.ciphertext = None
                message.save(update_fields=["ciphertext", "text"])
            new_files = [
                _file_backward(attachment, key)
                for attachment in Attachment.objects.using(db).filter(
                    report_id=report_id, file_key__isnull=False
                )
            ]
            row.delete()
        _put_in_place(new_files)
    for attachment in Attachment.objects.using(db).filter(
        report__isnull=True, file_key__isnull=False
    ):
        with transaction.atomic(using=db):
            new = _file_backward(attachment, b"")
        _put_in_place([new])


class Migration(migrations.Migration):
    # One transaction per report, not one for all (see above).
    atomic = False

    dependencies = [
        ("reports", "0013_report_keys"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
