"""Writing to the audit log. Every service that changes or reads personal data calls
`audit_record` inside its own transaction, so the entry and the change stand or fall together.
"""

from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from . import chain
from .actions import AuditAction
from .models import AuditEntry, AuditHead

PUBLIC_ROLE = "public"
SYSTEM_ROLE = "system"


@dataclass(frozen=True)
class Target:
    """What an entry is about: a type name and an id, never the object's content."""

    type: str
    id: str

    @classmethod
    def of(cls, obj: models.Model) -> "Target":
        return cls(type=obj._meta.label_lower, id=str(obj.pk))


def _actor(actor) -> tuple[int | None, str]:
    if actor is None:
        return None, SYSTEM_ROLE
    if not getattr(actor, "is_authenticated", False):
        return None, PUBLIC_ROLE
    return actor.pk, actor.role


def _ids_only(detail: dict) -> dict:
    for key, value in detail.items():
        if not isinstance(value, int | str | bool | None | list):
            raise TypeError(f"Audit detail {key!r} must be an id or a code, not {type(value)}.")
    return detail


def audit_record(
    *,
    actor,
    action: AuditAction,
    target: Target | models.Model | None = None,
    detail: dict | None = None,
) -> AuditEntry:
    """Append one entry to the chain.

    Precondition: called inside the transaction of the change it records (it opens a
    savepoint of its own, and takes the row lock on the chain head until that commits).
    `actor` is a user, an anonymous user (public) or None (the system itself). `action` is a
    member of the registry (baken.audit.actions.AuditAction); any other code is refused.
    """
    if action not in AuditAction.values:
        raise ValueError(
            f"Unknown audit action {action!r}: add it to baken.audit.actions.AuditAction first."
        )
    if isinstance(target, models.Model):
        target = Target.of(target)
    actor_id, actor_role = _actor(actor)
    detail = _ids_only(detail or {})
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditHead(pk=1, seq=0, hash=chain.GENESIS)
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=actor_id,
            actor_role=actor_role,
            action=AuditAction(action).value,
            object_type=target.type if target else "",
            object_id=target.id if target else "",
            detail=detail,
            prev_hash=head.hash,
        )
        entry.hash = chain.entry_hash(
            prev_hash=entry.prev_hash,
            seq=entry.seq,
            at=entry.at,
            actor_id=entry.actor_id,
            actor_role=entry.actor_role,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            detail=entry.detail,
        )
        entry.save()
        head.seq, head.hash = entry.seq, entry.hash
        head.seal = chain.head_seal(seq=head.seq, hash_=head.hash)
        head.save()
    return entry
