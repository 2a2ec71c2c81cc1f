"""A report's named reporter: the contact details, stored encrypted apart from the report, and
the e-mail that tells them that something happened, never what.

Mail is sent once the work is stored (called on commit): a mail server that is down must not
turn that into an error, so a failure is logged (without the address) and the work stands.
"""

import contextlib
import json
import logging
import smtplib

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.actors import SYSTEM

from . import keys
from .models import Report, ReporterContact
from .rows import NewRows

logger = logging.getLogger(__name__)


def reporter_contact_store(
    *, report: Report, reporter: dict, rows: NewRows | None = None
) -> ReporterContact:
    """Keep a named reporter's details (all but `anonymous`), encrypted under the report's
    own key (keys.py, ADR 0031). `rows`: written with the report's other new rows (the
    caller writes them), else saved now."""
    details = {k: v for k, v in reporter.items() if k != "anonymous"}
    # A report made just now carries its key (services.report_create): no read of it.
    key = getattr(report, "_fresh_key", None) or keys.key_ensure(report.pk)
    contact = ReporterContact(
        report=report,
        ciphertext=keys.seal(
            key, report.pk, json.dumps(details).encode(), purpose=keys.CONTACT_PURPOSE
        ),
    )
    if rows is not None:
        rows.add(contact)
    else:
        contact.save(force_insert=True)
    return contact


def reporter_contact(report: Report) -> dict | None:
    """The named reporter's details, decrypted; None for an anonymous report. Not audited:
    the callers that show them to a person record that (intake/contact.py). Raises
    keys.ReportKeyGone for a report destroyed since the backup this database came from."""
    contact = ReporterContact.objects.filter(report=report).first()
    if contact is None:
        return None
    plain = keys.decrypt(report.pk, bytes(contact.ciphertext), purpose=keys.CONTACT_PURPOSE)
    return json.loads(plain)


class ReporterMailFailed(Exception):
    """The mail server did not take a reporter's mail (logged, without the address).
    `permanent`: it refused it for good (an SMTP 5xx answer, such as an unknown recipient):
    trying again would only decrypt the details once more for the same refusal."""

    def __init__(self, reference: str, *, permanent: bool = False):
        super().__init__(reference)
        self.permanent = permanent


def _permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def reporter_mail(*, email: str, subject: str, template: str, reference: str) -> None:
    """Send a reporter a mail naming only the report's reference; raises ReporterMailFailed
    when it failed. A failure is logged with the error's kind and SMTP code only: the
    error's text and its traceback may hold the address (a refused recipient is named in
    both)."""
    try:
        send_mail(
            subject=subject,
            message=render_to_string(template, {"reference": reference}),
            from_email=None,
            recipient_list=[email],
        )
    except (OSError, smtplib.SMTPException) as error:
        code = getattr(error, "smtp_code", None) or getattr(error, "errno", None)
        logger.error(  # noqa: TRY400 (no traceback: it would name the address)
            "Mail about report %s could not be sent: %s%s.",
            reference,
            type(error).__name__,
            f" {code}" if code else "",
        )
        raise ReporterMailFailed(reference, permanent=_permanent(error)) from None


def reporter_mailable(contact: dict | None) -> bool:
    """Whether the reporter of these contact details may be mailed: named, agreed to be
    contacted, and gave an address (intake's acknowledgement and every later mail)."""
    return bool(
        contact
        and not contact.get("anonymous")
        and contact.get("may_contact")
        and contact.get("email")
    )


def reporter_notify(*, report: Report, subject: str, template: str) -> bool:
    """Mail a named reporter who may be contacted (the address read from their encrypted
    details, which the log records); False when there is nobody to tell. Raises
    keys.ReportKeyGone for a report destroyed since the backup this database came from, and
    ReporterMailFailed when the mail server did not take it (logged; the caller may try
    again later, as the acknowledgement's task does)."""
    contact = reporter_contact(report)
    if contact is None or not reporter_mailable(contact):
        return False
    with transaction.atomic():
        # The contact details were decrypted, by the system, to send this mail.
        audit_record(actor=SYSTEM, action=AuditAction.REPORTER_NOTIFY, target=report)
    reporter_mail(
        email=contact["email"], subject=subject, template=template, reference=report.reference
    )
    return True


def question_notify(*, report: Report) -> None:
    """Tell a named reporter who may be contacted that the team has a question (a mail
    the server did not take is logged; the question stands and the reporter finds it)."""
    with contextlib.suppress(ReporterMailFailed):
        reporter_notify(
            report=report,
            subject=_("A question about your report %(reference)s")
            % {"reference": report.reference},
            template="reports/email/question.txt",
        )
