"""Writing to the audit log. Every service that changes or reads personal data calls
`audit_record` inside its own transaction, so the entry and the change stand or fall together.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.utils import timezone

from baken.core.actors import Actor, SystemActor

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


def _actor(actor: Actor) -> tuple[int | None, str]:
    """Who the log names: a user by id and role, the public and the system by role alone
    (as before there was a system actor, when the system was `None`)."""
    if isinstance(actor, SystemActor):
        return None, SYSTEM_ROLE
    if actor is None:  # an untyped caller that has not named the system
        raise TypeError("An audit entry needs an actor: pass baken.core.actors.SYSTEM for Baken.")
    if isinstance(actor, AnonymousUser) or not actor.is_authenticated:
        return None, PUBLIC_ROLE
    return actor.pk, actor.role


def _ids_only(detail: dict) -> dict:
    for key, value in detail.items():
        if not isinstance(value, int | str | bool | None | list):
            raise TypeError(f"Audit detail {key!r} must be an id or a code, not {type(value)}.")
    return detail


def audit_record(
    *,
    actor: Actor,
    action: AuditAction,
    target: Target | models.Model | None = None,
    detail: dict | None = None,
) -> AuditEntry:
    """Append one entry to the chain.

    Precondition: called inside the transaction of the change it records (it opens a
    savepoint of its own, and takes the row lock on the chain head until that commits).
    `actor` is a user, the anonymous user (public) or SYSTEM (Baken itself). `action` is a
    member of the registry (baken.audit.actions.AuditAction); any other code is refused.
    """
    return audit_record_many(actor=actor, action=action, entries=[(target, detail)])[0]


def audit_record_many(
    *,
    actor: Actor,
    action: AuditAction,
    entries: Sequence[tuple[Target | models.Model | None, dict | None]],
) -> list[AuditEntry]:
    """Append one entry per (target, detail) to the chain, in that order, with one lock of
    the head, one insert and one update of the head: the same chain as as many calls of
    `audit_record`, for a batch of changes in one transaction (the retention run). Same
    precondition as `audit_record`; the head stays locked until the caller commits, so call
    it as the last thing before the commit."""
    if action not in AuditAction.values:
        raise ValueError(
            f"Unknown audit action {action!r}: add it to baken.audit.actions.AuditAction first."
        )
    if not entries:
        return []
    actor_id, actor_role = _actor(actor)
    targets = [
        (Target.of(target) if isinstance(target, models.Model) else target, _ids_only(detail or {}))
        for target, detail in entries
    ]
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditHead(pk=1, seq=0, hash=chain.GENESIS)
        written = []
        seq, prev_hash = head.seq, head.hash
        for target, detail in targets:
            seq += 1
            entry = AuditEntry(
                seq=seq,
                at=timezone.now(),
                actor_id=actor_id,
                actor_role=actor_role,
                action=AuditAction(action).value,
                object_type=target.type if target else "",
                object_id=target.id if target else "",
                detail=detail,
                prev_hash=prev_hash,
            )
            entry.hash = chain.hash_of(entry)
            written.append(entry)
            prev_hash = entry.hash
        if len(written) == 1:
            written[0].save()
        else:
            AuditEntry.objects.bulk_create(written)
        head.seq, head.hash = seq, prev_hash
        head.seal = chain.head_seal(seq=head.seq, hash_=head.hash)
        head.save()
    return written
