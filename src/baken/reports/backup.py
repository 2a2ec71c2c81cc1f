"""What a backup and a restore ask of the reports app (core/backup.py, core/restore.py): the
reports as owners of sealed rows, their keys written apart from the database (ADR 0031, ADR
0032), and a check that a reporter's contact
details or an attachment decrypt with this installation's keys. Named in ReportsConfig, so
that core need not import reports."""

from . import attachments, keys
from .models import Attachment, ReporterContact
from .reporter import reporter_contact

# Each report is an owner: its key in the key store, its rows sealed under it (ADR 0032).
OWNER = keys.OWNER


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
