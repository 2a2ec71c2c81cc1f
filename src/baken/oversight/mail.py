"""The privacy officer's mail of new flags (settings.PRIVACY_OFFICER_EMAIL): the day, how many
and a link to the list. In Dutch, never a name or anything else about a person; a mail that
cannot be sent is logged and the flags stay (they are on the page either way)."""

import logging
import smtplib
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from baken.core import dates

logger = logging.getLogger(__name__)


def mail_new_flags(day: date, count: int) -> bool:
    recipients = list(settings.PRIVACY_OFFICER_EMAIL)
    if not recipients or not count:
        return False
    with override(settings.LANGUAGE_CODE):
        when = dates.long(day)
        subject = _("Baken: access review of %(day)s") % {"day": when}
        lines = [
            ngettext(
                "The access review of %(day)s found %(n)d new flag to review.",
                "The access review of %(day)s found %(n)d new flags to review.",
                count,
            )
            % {"day": when, "n": count},
            "",
            f"{settings.SITE_URL}{reverse('oversight:flags')}",
        ]
    try:
        send_mail(
            subject=subject, message="\n".join(lines), from_email=None, recipient_list=recipients
        )
    except (OSError, smtplib.SMTPException):
        logger.exception("The new flags of %s could not be mailed.", day.isoformat())
        return False
    return True
