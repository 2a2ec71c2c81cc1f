"""Reading notifications: only ever the requesting user's own."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from baken.accounts.models import User
from baken.core.roles import Capability, Role

from .kinds import SPECS, Kind
from .models import Notification, NotificationPreference


def notification_list(*, user: User | AnonymousUser) -> QuerySet[Notification]:
    """The user's notifications, newest first; none for the anonymous."""
    if isinstance(user, AnonymousUser):
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def email_kinds(user: User) -> set[str]:
    """The kinds this user gets by e-mail: their choices, else each kind's default."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind for kind in Kind if chosen.get(kind, SPECS[kind].email_default)}


def receives_notifications(user: User | AnonymousUser) -> bool:
    """Those for whom a kind exists: workspace users and the privacy officer."""
    return user.is_authenticated and (
        user.can(Capability.WORKSPACE) or user.role == Role.PRIVACY_OFFICER
    )


def kinds_for(user: User) -> list[Kind]:
    """The kinds that can reach this user: source research for the privacy officer, the
    rest for workspace users."""
    if user.role == Role.PRIVACY_OFFICER:
        return [Kind.CONSULTATION_REQUESTED]
    return [kind for kind in Kind if kind != Kind.CONSULTATION_REQUESTED]
