"""The privacy officer's mail (settings.PRIVACY_OFFICER_EMAIL): each day's seal, and the alarm
when the nightly check fails. In Dutch, with a day, numbers, hashes and file names only:
never a name, a text or anything else about a person. A mail that cannot be sent is logged
and does not undo the seal or the check.
"""

import logging
import smtplib
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django.utils.translation import override

from baken.core import dates

from .seals import Seal
from .verification import Verdict

logger = logging.getLogger(__name__)


def _send(subject: str, body: str, what: str) -> bool:
    recipients = list(settings.PRIVACY_OFFICER_EMAIL)
    if not recipients:
        return False
    try:
        send_mail(subject=subject, message=body, from_email=None, recipient_list=recipients)
    except (OSError, smtplib.SMTPException):
        logger.exception("The %s could not be mailed to the privacy officer.", what)
        return False
    return True


def mail_seal(seal: Seal) -> bool:
    """A copy of the seal, outside Baken's own storage: the officer keeps it."""
    with override(settings.LANGUAGE_CODE):
        day = dates.long(seal.day)
        subject = _("Baken: seal of the audit log of %(day)s") % {"day": day}
        lines = [
            _("Baken sealed its audit log as it stood at the end of %(day)s.") % {"day": day},
            "",
            _("Last entry: #%(seq)s") % {"seq": seal.seq},
            _("Its hash: %(hash)s") % {"hash": seal.hash},
            _("Entries up to it: %(entries)s") % {"entries": seal.entries},
            _("Seal file: %(name)s") % {"name": seal.path.name},
            "",
            _(
                "Keep this e-mail. Should the audit log no longer match this seal, it was "
                "rewritten in the database: `baken audit verify` reports that. The seal file "
                "as written:"
            ),
            "",
            seal.text,
        ]
    return _send(subject, "\n".join(lines), f"seal of {seal.day.isoformat()}")


def mail_verification_failed(verdict: Verdict, *, at: datetime) -> bool:
    """The alarm of the nightly check: what broke, where, and what to do."""
    with override(settings.LANGUAGE_CODE):
        subject = _("Baken: the check of the audit log failed")
        lines = [
            _("The check of Baken's audit log on %(moment)s failed.") % {"moment": dates.long(at)},
            "",
            (
                _("Entry #%(seq)s: %(reason)s")
                % {"seq": verdict.broken_seq, "reason": verdict.reason_nl}
                if verdict.broken_seq is not None
                else verdict.reason_nl
            ),
        ]
        if len(verdict.problems) > 1:
            lines += [
                "",
                _(
                    "Other problems found: %(count)s. `baken audit verify` on the server lists "
                    "them all."
                )
                % {"count": len(verdict.problems) - 1},
            ]
        lines += [
            "",
            _(
                "What now: ask the administrator to run `baken audit verify` on the server. "
                "Keep the seal files and the e-mails with seals, and change or restore nothing "
                "before the cause is known. This e-mail holds no personal data."
            ),
        ]
    return _send(subject, "\n".join(lines), "failed audit check")
