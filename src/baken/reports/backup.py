"""What a restore checks of the reports app's data (core/restore.py, `baken restore`): that a
reporter's contact details or an attachment decrypt with this installation's data key. Named
in ReportsConfig.decrypt_sample, so that core need not import reports."""

from . import attachments
from .models import Attachment, ReporterContact
from .reporter import reporter_contact


def decrypt_sample() -> str:
    """Decrypt one encrypted value and say which; "" when there is none. A wrong data key
    raises cryptography's InvalidTag."""
    contact = ReporterContact.objects.select_related("report").first()
    if contact is not None:
        reporter_contact(contact.report)
        return "a reporter's contact details decrypted"
    attachment = Attachment.objects.exclude(report=None).first()
    if attachment is not None and attachments.path_for(attachment.id).exists():
        attachments.read(attachment.id)
        return "an attachment decrypted"
    return ""
