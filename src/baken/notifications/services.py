"""Notifying staff: one row per person in the app, and an e-mail (a neutral sentence and a
link, nothing of the object) for those who chose it, sent once the change is committed.

Called by the services of reports, intake and cases inside their own transaction, so a
notification exists exactly when the change it announces does.
"""

from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone

from baken.accounts.models import User
from baken.core.actors import Actor

from .kinds import Kind
from .models import Notification, NotificationPreference
from .selectors import email_kinds
from .tasks import notification_mail


def notify(
    *,
    kind: Kind,
    users: Iterable[User | None],
    object_id: int | None = None,
    reference: str = "",
    count: int | None = None,
    actor: Actor | None = None,
) -> list[Notification]:
    """Tell each of `users` (once each; never the actor about their own act, never an
    inactive account; `actor` None when nobody in particular acted). The caller has decided
    that these users are the ones concerned."""
    people = {u.pk: u for u in users if u is not None and u.is_active}
    if actor is not None and actor.pk is not None:
        people.pop(actor.pk, None)
    now = timezone.now()
    made = Notification.objects.bulk_create(
        Notification(
            user=person,
            kind=kind,
            object_id=object_id,
            reference=reference,
            count=count,
            created_at=now,
        )
        for person in people.values()
    )
    for notification in made:
        person = people[notification.user_id]
        if person.email and kind in email_kinds(person):
            transaction.on_commit(partial(notification_mail.enqueue, notification.pk))
    return made


def notification_read(*, user: User, pk: int) -> Notification | None:
    """Mark one of the user's own notifications read; None when it is not theirs."""
    notification = Notification.objects.filter(user=user, pk=pk).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def preferences_set(*, user: User, kinds: Iterable[Kind], email: Iterable[str]) -> None:
    """E-mail on for exactly those of `kinds` named in `email` (the form's ticked boxes; an
    unknown name is ignored); the app shows every kind regardless."""
    chosen = set(email)
    with transaction.atomic():
        for kind in kinds:
            NotificationPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"email": kind in chosen}
            )
