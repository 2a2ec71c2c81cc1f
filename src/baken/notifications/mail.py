"""The e-mail of a notification: the kind's neutral sentence and a link, nothing else.

The mail leaves the organisation's systems and may be read on a phone's lock screen: no
name, category, address, text or reference of what it is about (ADR 0017). Whoever follows
the link logs in, and the page decides what they may see.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from .models import Notification

logger = logging.getLogger(__name__)


def send_notification_mail(notification_id: int) -> bool:
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or not notification.user.is_active or not notification.user.email:
        return False
    # The link opens the notification (marking it read) and goes on to the object.
    link = settings.SITE_URL + reverse("notifications:open", args=[notification.pk])
    with override(settings.LANGUAGE_CODE):
        context = {"notification": notification, "link": link}
        body = render_to_string("notifications/email/notification.txt", context)
        subject = _("Baken: a new notification")
    try:
        send_mail(
            subject=subject,
            message=body,
            from_email=None,
            recipient_list=[notification.user.email],
        )
    except (OSError, smtplib.SMTPException):
        logger.exception("Notification %s could not be mailed.", notification.pk)
        return False
    return True
