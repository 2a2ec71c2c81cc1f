"""What a backup and a restore ask of the reports app (core/backup.py, core/restore.py): the
key store, written apart from the database (ADR 0031), and a check that a reporter's contact
details or an attachment decrypt with this installation's keys. Named in ReportsConfig, so
that core need not import reports."""

import base64
from pathlib import Path

from . import attachments, backup_rows, keys
from .models import Attachment, ReporterContact
from .reporter import reporter_contact

# The key store: `baken backup` leaves this table's rows out of the database it saves and
# writes them as a file of their own; `baken restore` loads them from the file it is given.
KEY_STORE_TABLE = keys.TABLE
key_store_rows = keys.key_store_rows
key_store_load = keys.key_store_load

# The rows of each report, sealed under its key in a file of the backup (ADR 0032).
backup_prepare = keys.keys_ensure_all
sealed_tables = backup_rows.sealed_tables


def _keys(key_rows: list[dict]) -> dict[int, bytes]:
    return {
        row["report"]: keys.unwrap(row["report"], base64.b64decode(row["wrapped"]))
        for row in key_rows
    }


def sealed_write(folder: Path, *, using: str, key_rows: list[dict]) -> dict:
    """Write the reports' rows as `using` holds them to the backup in `folder`."""
    path = folder / backup_rows.ROWS_FILE
    with path.open("x") as handle:
        rows = backup_rows.rows_write(handle, using=using, report_keys=_keys(key_rows))
    return {"path": backup_rows.ROWS_FILE, "rows": rows}


def sealed_load(path: Path, *, key_rows: list[dict]) -> tuple[int, set[int]]:
    """Load the rows of the reports whose key `key_rows` holds; let go of what pointed to
    the others. Returns (rows loaded, reports left out)."""
    with path.open() as handle:
        loaded, left_out = backup_rows.rows_load(handle, report_keys=_keys(key_rows))
    if left_out:
        backup_rows.orphans_let_go()
    return loaded, left_out


def decrypt_sample() -> str:
    """Decrypt one encrypted value of a report that has its key and say which; "" when there
    is none. A wrong data key raises cryptography's InvalidTag."""
    contact = (
        ReporterContact.objects.select_related("report")
        .filter(report__own_key__isnull=False)
        .first()
    )
    if contact is not None:
        reporter_contact(contact.report)
        return "a reporter's contact details decrypted"
    attachment = Attachment.objects.filter(report__own_key__isnull=False).first()
    if attachment is not None and attachments.path_for(attachment.id).exists():
        attachments.read(attachment.id)
        return "an attachment decrypted"
    return ""
