"""The weekly overview by e-mail: each subscriber gets their own reading of the week (the
figures and reports they may see at the moment of sending), as HTML and plain text with the
PDF attached. Each mailing is written down before it is sent, so sending the same week
again — a second run, a second worker — mails nobody twice; a mail that fails is forgotten
again so the next run retries it."""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.core.actors import SYSTEM

from .models import OverviewMailing, OverviewSubscription, WeeklyOverview
from .overview import may_read
from .overview_pdf import overview_pdf
from .overview_reading import overview_context

logger = logging.getLogger(__name__)


def _claim(overview: WeeklyOverview, user) -> OverviewMailing | None:
    try:
        with transaction.atomic():
            return OverviewMailing.objects.create(
                overview=overview, user=user, sent_at=timezone.now()
            )
    except IntegrityError:
        return None  # mailed before, or being mailed by another run


def _message(overview: WeeklyOverview, user) -> tuple[EmailMultiAlternatives, dict]:
    context = overview_context(user=user, overview=overview)
    # No host name is configured: the mail names the page's path within Baken.
    path = reverse("insights:overview_week", args=[overview.week])
    context = {**context, "reader": user, "path": path}
    subject = _("Baken: weekly overview %(week)s") % {"week": overview.week}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("insights/overview_email.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("insights/overview_email.html", context), "text/html"
    )
    message.attach(f"weekoverzicht-{overview.week}.pdf", overview_pdf(context), "application/pdf")
    return message, context


def overview_send(*, overview: WeeklyOverview) -> int:
    """Mail the week to every subscriber who may still read it and was not mailed it yet.
    Returns the number of mails sent."""
    sent = 0
    subscribers = (
        OverviewSubscription.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "user__team")
        .order_by("user_id")
    )
    for subscription in subscribers:
        user = subscription.user
        if not may_read(user):
            continue
        mailing = _claim(overview, user)
        if mailing is None:
            continue
        try:
            with override(settings.LANGUAGE_CODE):
                message, context = _message(overview, user)
            message.send()
        except (OSError, smtplib.SMTPException):
            logger.exception("The weekly overview for user %s could not be sent.", user.pk)
            mailing.delete()
            continue
        with transaction.atomic():
            # What was sent, by id: never a figure, an address or a name.
            audit_record(
                actor=SYSTEM,
                action=AuditAction.INSIGHTS_OVERVIEW_MAIL,
                target=overview,
                detail={
                    "week": overview.week,
                    "user": user.pk,
                    "reports": [r.pk for r in context["shown"]],
                },
            )
        sent += 1
    return sent
