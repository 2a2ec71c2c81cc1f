"""Each report's own key: crypto-shredding (issue 15, ADR 0031).

A report's personal content — the reporter's contact details, the messages of the follow-up
dialogue and the keys of its attachments' files — is encrypted under a key of the report's
own: 32 random bytes in the key store (ReportKey), wrapped by a key derived from the data
key. Destroying the report deletes its key row (CASCADE), and with it every way to read
that content, in this database and in every copy of it: `baken backup` writes the key store
apart from the database (core/backup.py, docs/backup-and-restore.md), so an old backup
restored with today's key store cannot read a report destroyed since.

What is not under the report's key: its free text and the subjects' names and addresses
stay plain text in the database, because search needs them (docs/retention.md).
"""

import base64
import secrets

from django.utils.translation import gettext_lazy as _

from baken.core import crypto
from baken.core.refusals import Kind, Refused

from .models import Report, ReportKey

WRAP_PURPOSE = "baken.reports.report-key.wrap.v1"
CONTACT_PURPOSE = "baken.reports.contact.v2"
MESSAGE_PURPOSE = "baken.reports.message.v1"
FILE_KEY_PURPOSE = "baken.reports.attachment.file-key.v1"
# The table `baken backup` leaves out of the database and writes as the key store file.
TABLE = ReportKey._meta.db_table


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


def _context(report_id: int) -> bytes:
    return f"report:{report_id}".encode()


def wrap(report_id: int, key: bytes) -> bytes:
    return crypto.encrypt_with(crypto.derived_key(WRAP_PURPOSE), key, context=_context(report_id))


def unwrap(report_id: int, wrapped: bytes) -> bytes:
    return crypto.decrypt_with(
        crypto.derived_key(WRAP_PURPOSE), wrapped, context=_context(report_id)
    )


def key_ensure(report: Report | int) -> bytes:
    """The report's key, made now if it has none yet (in the caller's transaction)."""
    report_id = report if isinstance(report, int) else report.pk
    wrapped = ReportKey.objects.filter(report_id=report_id).values_list("wrapped", flat=True)
    if found := wrapped.first():
        return unwrap(report_id, bytes(found))
    key = secrets.token_bytes(crypto.KEY_BYTES)
    ReportKey.objects.create(report_id=report_id, wrapped=wrap(report_id, key))
    return key


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
    return open_sealed(key_of(report_id), report_id, ciphertext, purpose=purpose)


def open_sealed(key: bytes, report_id: int, ciphertext: bytes, *, purpose: str) -> bytes:
    """Decrypt what `seal` encrypted under `key`, the key of report `report_id`."""
    subkey = crypto.subkey(key, purpose)
    return crypto.decrypt_with(subkey, ciphertext, context=f"{purpose}:{report_id}".encode())


# The key store file of a backup (core/backup.py, named in ReportsConfig.key_store).


def key_store_rows(using: str = "default") -> list[dict]:
    """Every report's key, still wrapped (the file is of no use without the data key)."""
    return [
        {"report": report_id, "wrapped": base64.b64encode(bytes(wrapped)).decode()}
        for report_id, wrapped in ReportKey.objects.using(using)
        .order_by("report_id")
        .values_list("report_id", "wrapped")
    ]


def keys_ensure_all() -> int:
    """Give every report that has none its key (a report from before keys, or split off
    one); a backup needs one for every report it seals (ADR 0032). Returns how many."""
    keyless = Report.objects.filter(own_key__isnull=True).values_list("pk", flat=True)
    made = 0
    for batch in _chunks(list(keyless), 1000):
        ReportKey.objects.bulk_create(
            [
                ReportKey(report_id=pk, wrapped=wrap(pk, secrets.token_bytes(crypto.KEY_BYTES)))
                for pk in batch
            ],
            ignore_conflicts=True,
        )
        made += len(batch)
    return made


def _chunks(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def key_store_load(rows: list[dict]) -> tuple[int, int]:
    """Put the keys of the reports this database holds into the (empty) key store; keys of
    reports it does not hold (newer than the backup) are left out. Returns (keys loaded,
    reports left without a key: destroyed since the backup, their parts unreadable)."""
    present = set(Report.objects.values_list("pk", flat=True))
    loaded = [
        ReportKey(report_id=row["report"], wrapped=base64.b64decode(row["wrapped"]))
        for row in rows
        if row["report"] in present
    ]
    ReportKey.objects.bulk_create(loaded, batch_size=1000)
    return len(loaded), len(present) - len(loaded)
