"""Reading the audit log: only the privacy officer may, and each search is itself logged."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.labels import codes_of, current_type
from baken.audit.models import AuditEntry
from baken.audit.services import audit_record
from baken.core.roles import Capability


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    since: date | None = None
    until: date | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _matching(filters: AuditFilter) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.order_by("-seq")
    if filters.actor_id is not None:
        entries = entries.filter(actor_id=filters.actor_id)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.object_type:
        entries = entries.filter(object_type__in=codes_of(filters.object_type))
    if filters.object_id:
        entries = entries.filter(object_id=filters.object_id)
    if filters.since:
        entries = entries.filter(at__gte=_start_of(filters.since))
    if filters.until:
        entries = entries.filter(at__lt=_start_of(filters.until + timedelta(days=1)))
    return entries


def _detail(filters: AuditFilter) -> dict:
    """The search as the log keeps it: the filters given, codes and ISO dates only."""
    return {
        key: value
        for key, value in {
            "actor_id": filters.actor_id,
            "action": filters.action or None,
            "object_type": filters.object_type or None,
            "object_id": filters.object_id or None,
            "since": filters.since.isoformat() if filters.since else None,
            "until": filters.until.isoformat() if filters.until else None,
        }.items()
        if value is not None
    }


def audit_entry_list(*, user: User | AnonymousUser, filters: AuditFilter) -> QuerySet[AuditEntry]:
    """Entries matching the filters, newest first. Records the search in the log itself."""
    if isinstance(user, AnonymousUser) or not user.can(Capability.AUDIT):
        raise PermissionDenied
    entries = _matching(filters)
    audit_record(actor=user, action=AuditAction.AUDIT_SEARCH, detail=_detail(filters))
    return entries


def audit_entry_export(
    *, user: User, filters: AuditFilter, limit: int
) -> tuple[QuerySet[AuditEntry], int]:
    """The newest `limit` entries matching the filters for a download, and how many match in
    all. Records the download (its filters and the number of rows) in the log itself."""
    if not user.can(Capability.AUDIT):
        raise PermissionDenied
    entries = _matching(filters)
    total = entries.count()
    detail = {**_detail(filters), "rows": min(total, limit)}
    audit_record(actor=user, action=AuditAction.AUDIT_EXPORT, detail=detail)
    return entries[:limit], total


def audit_action_choices(*, user: User) -> list[str]:
    if not user.can(Capability.AUDIT):
        raise PermissionDenied
    return list(AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())


def audit_object_type_choices(*, user: User) -> list[str]:
    if not user.can(Capability.AUDIT):
        raise PermissionDenied
    types = AuditEntry.objects.exclude(object_type="").order_by("object_type")
    codes = types.values_list("object_type", flat=True).distinct()
    # One choice for a model that moved to another app: entries before and after the move.
    return sorted({current_type(code) for code in codes})
