"""What a backup and a restore ask of the reports app (core/backup.py, core/restore.py): the
key store, written apart from the database (ADR 0031), and a check that a reporter's contact
details or an attachment decrypt with this installation's keys. Named in ReportsConfig, so
that core need not import reports."""

from . import attachments, keys
from .models import Attachment, ReporterContact
from .reporter import reporter_contact

# The key store: `baken backup` leaves this table's rows out of the database it saves and
# writes them as a file of their own; `baken restore` loads them from the file it is given.
KEY_STORE_TABLE = keys.TABLE
key_store_rows = keys.key_store_rows
key_store_load = keys.key_store_load


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
