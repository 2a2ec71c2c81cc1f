"""Each report's own key: crypto-shredding (issue 15, ADR 0031).

A report's personal content — the reporter's contact details, the messages of the follow-up
dialogue and the keys of its attachments' files — is encrypted under a key of the report's
own: 32 random bytes in the key store (ReportKey), wrapped by a key derived from the data
key. Destroying the report deletes its key row (CASCADE), and with it every way to read
that content, in this database and in every copy of it: `baken backup` writes the key store
apart from the database (core/backup.py, docs/backup-and-restore.md), so an old backup
restored with today's key store cannot read a report destroyed since.

In the live database the report's free text and the subjects' names and addresses stay plain
text, because search needs them; a backup seals those rows too under the report's key
(core/sealing.py, ADR 0032).
"""

import secrets

from django.utils.translation import gettext_lazy as _

from baken.core import crypto, sealing
from baken.core.refusals import Kind, Refused

from .models import Report, ReportKey

WRAP_PURPOSE = "baken.reports.report-key.wrap.v1"
CONTACT_PURPOSE = "baken.reports.contact.v2"
MESSAGE_PURPOSE = "baken.reports.message.v1"
FILE_KEY_PURPOSE = "baken.reports.attachment.file-key.v1"


class ReportKeyGone(Refused, LookupError):
    """The report has no key: it was destroyed after the backup this database came from (or
    the key store restored with it is older than the backup). Its encrypted parts are gone
    for good. A template shows nothing where it meets this; the API answers 410 Gone with
    the code `report_key_gone`, as for any refusal."""

    silent_variable_failure = True

    def __init__(self) -> None:
        super().__init__(
            "report_key_gone",
            _(
                "This part of the report can no longer be read: the report was destroyed "
                "after the backup this installation was restored from."
            ),
            kind=Kind.GONE,
        )


OWNER = sealing.Owner(model=Report, key_model=ReportKey, field="report", purpose=WRAP_PURPOSE)


def wrap(report_id: int, key: bytes) -> bytes:
    return sealing.wrap(OWNER, report_id, key)


def unwrap(report_id: int, wrapped: bytes) -> bytes:
    return sealing.unwrap(OWNER, report_id, wrapped)


def key_ensure(report: Report | int) -> bytes:
    """The report's key, made now if it has none yet (in the caller's transaction)."""
    report_id = report if isinstance(report, int) else report.pk
    wrapped = ReportKey.objects.filter(report_id=report_id).values_list("wrapped", flat=True)
    if found := wrapped.first():
        return unwrap(report_id, bytes(found))
    key = secrets.token_bytes(crypto.KEY_BYTES)
    ReportKey.objects.create(report_id=report_id, wrapped=wrap(report_id, key))
    return key


def key_create(report_id: int) -> bytes:
    """The key of a report saved just now, in the caller's transaction (it has none yet: the
    look-up of `key_ensure` is left out)."""
    key, row = key_new(report_id)
    row.save(force_insert=True)
    return key


def key_new(report_id: int) -> tuple[bytes, ReportKey]:
    """A new key for a report saved just now and its unsaved row (the caller writes it with
    the report's other new rows, reports.rows)."""
    key = secrets.token_bytes(crypto.KEY_BYTES)
    return key, ReportKey(report_id=report_id, wrapped=wrap(report_id, key))


def key_of(report_id: int) -> bytes:
    """The report's key; ReportKeyGone if it has none (destroyed since the backup)."""
    found = ReportKey.objects.filter(report_id=report_id).values_list("wrapped", flat=True).first()
    if found is None:
        raise ReportKeyGone()
    return unwrap(report_id, bytes(found))


def encrypt(report_id: int, plaintext: bytes, *, purpose: str) -> bytes:
    """Encrypt under the report's key (made if the report has none yet)."""
    return seal(key_ensure(report_id), report_id, plaintext, purpose=purpose)


def seal(key: bytes, report_id: int, plaintext: bytes, *, purpose: str) -> bytes:
    """Encrypt under `key`, the key of report `report_id` (known already: the demo's bulk)."""
    subkey = crypto.subkey(key, purpose)
    return crypto.encrypt_with(subkey, plaintext, context=f"{purpose}:{report_id}".encode())


def decrypt(report_id: int, ciphertext: bytes, *, purpose: str) -> bytes:
    key = crypto.subkey(key_of(report_id), purpose)
    return crypto.decrypt_with(key, ciphertext, context=f"{purpose}:{report_id}".encode())
