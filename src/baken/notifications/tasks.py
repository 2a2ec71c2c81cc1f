"""Notification e-mail, sent by the tasks worker after the change was committed."""

from django_tasks import task

from .mail import send_notification_mail


@task()
def notification_mail(notification_id: int) -> bool:
    return send_notification_mail(notification_id)
