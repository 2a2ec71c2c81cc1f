"""Writing to the audit log. Every service that changes or reads personal data calls
`audit_record` inside its own transaction, so the entry and the change stand or fall together.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connections, models, router, transaction
from django.utils import timezone

from baken.core.actors import Actor, SystemActor

from . import chain
from .actions import AuditAction
from .models import AuditEntry, AuditHead

_ACTIONS = frozenset(AuditAction.values)  # built once: `.values` makes a new list each time

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

    Precondition: called inside the transaction of the change it records (it takes the row
    lock on the chain head until that commits). `actor` is a user, the anonymous user
    (public) or SYSTEM (Baken itself). `action` is a member of the registry
    (baken.audit.actions.AuditAction); any other code is refused. Inside `audit_deferred()`
    the entry is appended at the end of that block (its number and hash are set then).
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
    it as the last thing before the commit (or inside `audit_deferred()`)."""
    if action not in _ACTIONS:
        raise ValueError(
            f"Unknown audit action {action!r}: add it to baken.audit.actions.AuditAction first."
        )
    if not entries:
        return []
    actor_id, actor_role = _actor(actor)
    written = []
    for target, detail in entries:
        target = Target.of(target) if isinstance(target, models.Model) else target
        written.append(
            AuditEntry(
                actor_id=actor_id,
                actor_role=actor_role,
                action=AuditAction(action).value,
                object_type=target.type if target else "",
                object_id=target.id if target else "",
                detail=_ids_only(detail or {}),
            )
        )
    pending = _deferred.get()
    if pending is not None:
        pending.extend(written)
    else:
        _append(written)
    return written


# The entries of the open audit_deferred() block of this thread or task, None outside one.
_deferred: ContextVar[list[AuditEntry] | None] = ContextVar("audit_deferred", default=None)


@contextmanager
def audit_deferred() -> Iterator[None]:
    """Append the entries recorded in this block at its end, in the order recorded, instead
    of each when recorded: the chain head is then locked from the end of the block until the
    commit, not from the first entry on (every concurrent writer waits on that lock).

    Use it as the last thing inside the transaction: `with transaction.atomic(),
    audit_deferred():`. When the block raises, its entries are dropped with the transaction.
    A nested block appends at the end of the outermost; when a nested block raises (say in
    a savepoint whose error the caller handles), the entries it recorded are dropped with
    that savepoint's work.
    """
    pending = _deferred.get()
    if pending is not None:
        mark = len(pending)
        try:
            yield
        except BaseException:
            del pending[mark:]
            raise
        return
    token = _deferred.set([])
    try:
        yield
        entries = _deferred.get() or []
    finally:
        _deferred.reset(token)
    if entries:
        _append(entries)


def _append(entries: list[AuditEntry]) -> None:
    """Link `entries` to the chain under the head's row lock: read the head, one INSERT of
    the entries and one UPDATE of the head (on PostgreSQL one statement for both), no
    savepoint. The moment of each entry is taken under the lock, so moments never go back
    along the chain."""
    connection = connections[router.db_for_write(AuditEntry)]
    meta = AuditEntry._meta
    at_field, detail_field = meta.get_field("at"), meta.get_field("detail")
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in _COLUMNS)  # each field's name is its column
    row = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
    head = quote(AuditHead._meta.db_table)
    update = f"UPDATE {head} SET seq = %s, hash = %s, seal = %s WHERE id = 1"  # noqa: S608
    with transaction.atomic(using=connection.alias, savepoint=False), connection.cursor() as cursor:
        seq, prev_hash = _locked_head(connection, cursor)
        now = timezone.now()
        at = at_field.get_db_prep_save(now, connection)
        rows: list[list[Any]] = []
        for entry in entries:
            seq += 1
            entry.seq, entry.at, entry.prev_hash = seq, now, prev_hash
            entry.hash = prev_hash = chain.hash_of(entry)
            rows.append(
                [
                    entry.seq,
                    at,
                    entry.actor_id,
                    entry.actor_role,
                    entry.action,
                    entry.object_type,
                    entry.object_id,
                    detail_field.get_db_prep_save(entry.detail, connection),
                    entry.prev_hash,
                    entry.hash,
                ]
            )
        head_params: list[Any] = [seq, prev_hash, chain.head_seal(seq=seq, hash_=prev_hash)]
        batches = [rows[i : i + _BATCH] for i in range(0, len(rows), _BATCH)]
        for number, batch in enumerate(batches, start=1):
            insert = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608
                f"VALUES {', '.join([row] * len(batch))}"
            )
            params: list[Any] = [value for values in batch for value in values]
            if number == len(batches) and connection.vendor == "postgresql":
                # One round trip for the last entries and the head.
                cursor.execute(f"WITH written AS ({insert}) {update}", params + head_params)
            else:
                cursor.execute(insert, params)
        if connection.vendor != "postgresql":
            cursor.execute(update, head_params)
    for entry in entries:
        entry._state.adding = False
        entry._state.db = connection.alias


_BATCH = 500  # entries per INSERT: SQLite takes at most 32,766 parameters in a statement
_COLUMNS = (
    "seq",
    "at",
    "actor_id",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "detail",
    "prev_hash",
    "hash",
)


def _locked_head(connection: Any, cursor: Any) -> tuple[int, str]:
    """The head's number and hash, its row locked until the commit (SQLite: the IMMEDIATE
    transaction holds the write lock already). A chain without a head gets its head first:
    the first two writers of an empty chain must not both read 'no head' and both write #1."""
    head = connection.ops.quote_name(AuditHead._meta.db_table)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    select = f"SELECT seq, hash FROM {head} WHERE id = 1{lock}"  # noqa: S608
    cursor.execute(select)
    found = cursor.fetchone()
    if found is None:
        cursor.execute(
            f"INSERT INTO {head} (id, seq, hash, seal) VALUES (1, 0, %s, %s) "  # noqa: S608
            "ON CONFLICT (id) DO NOTHING",
            [chain.GENESIS, chain.head_seal(seq=0, hash_=chain.GENESIS)],
        )
        cursor.execute(select)
        found = cursor.fetchone()
    return int(found[0]), found[1]
