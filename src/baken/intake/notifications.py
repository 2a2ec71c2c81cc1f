"""E-mail to named reporters who may be contacted: that something happened, never what.

The report is stored by the time these run (they are called on commit): a mail server that is
down must not turn that into an error, so a failure is logged (without the address) and the
work stands.
"""

import logging
import smtplib

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.actors import SYSTEM
from baken.notifications.kinds import Kind
from baken.notifications.services import notify
from baken.reports.selectors import report_list

logger = logging.getLogger(__name__)


def _send(*, email: str, subject: str, template: str, reference: str) -> None:
    try:
        send_mail(
            subject=subject,
            message=render_to_string(template, {"reference": reference}),
            from_email=None,
            recipient_list=[email],
        )
    except (OSError, smtplib.SMTPException):
        logger.exception("Mail about report %s could not be sent.", reference)


def acknowledge(*, email: str, reference: str) -> None:
    """Tell a named reporter their report arrived."""
    _send(
        email=email,
        subject=_("Your report %(reference)s has been received") % {"reference": reference},
        template="intake/email/acknowledgement.txt",
        reference=reference,
    )


def question_notify(*, report) -> None:
    """Tell a named reporter who may be contacted that the team has a question."""
    from django.db import transaction

    from .services import reporter_contact

    contact = reporter_contact(report)
    if not contact or not contact.get("may_contact") or not contact.get("email"):
        return
    with transaction.atomic():
        # The contact details were decrypted, by the system, to send this mail.
        audit_record(actor=SYSTEM, action=AuditAction.REPORTER_NOTIFY, target=report)
    _send(
        email=contact["email"],
        subject=_("A question about your report %(reference)s") % {"reference": report.reference},
        template="intake/email/question.txt",
        reference=report.reference,
    )


def team_notify_answer(*, report, actor) -> None:
    """Tell the staff who wait for the reporter (whoever asked the report's questions, and
    the report's person) that the reporter wrote, if they may still see the report. In the
    caller's transaction; the notification names nothing of the message."""
    from .models import Message

    askers = Message.objects.filter(
        report=report, author=Message.Author.TEAM, is_question=True, sender__isnull=False
    ).values("sender")
    candidates = User.objects.filter(pk__in=askers) | User.objects.filter(pk=report.assignee_id)
    concerned = [
        person
        for person in candidates.filter(is_active=True).distinct()
        if report_list(user=person).filter(pk=report.pk).exists()
    ]
    notify(
        kind=Kind.REPORTER_ANSWERED,
        users=concerned,
        object_id=report.pk,
        reference=report.reference,
        actor=actor,
    )
