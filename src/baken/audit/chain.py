"""The hash chain: how an entry's hash and the head's seal are computed.

Each hash is an HMAC-SHA256, keyed with a key derived from the data key, over the previous
hash and the entry's canonical form. Without the data key nobody can recompute the chain
after altering, inserting or removing a row (docs/adr/0003-audit-chain.md).
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime

from baken.core import crypto

GENESIS = "0" * 64
PURPOSE = "baken.audit.chain.v1"


def _key() -> bytes:
    return crypto.derived_key(PURPOSE)


def canonical_moment(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    *,
    prev_hash: str,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_role: str,
    action: str,
    object_type: str,
    object_id: str,
    detail: dict,
    key: bytes | None = None,
) -> str:
    body = json.dumps(
        [
            prev_hash,
            seq,
            canonical_moment(at),
            actor_id,
            actor_role,
            action,
            object_type,
            object_id,
            detail,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    )
    return hmac.new(key or _key(), body.encode(), hashlib.sha256).hexdigest()


def hash_of(entry, *, prev_hash: str | None = None, key: bytes | None = None) -> str:
    """The hash of an AuditEntry as it stands (its own prev_hash unless another is given)."""
    return entry_hash(
        prev_hash=entry.prev_hash if prev_hash is None else prev_hash,
        seq=entry.seq,
        at=entry.at,
        actor_id=entry.actor_id,
        actor_role=entry.actor_role,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        detail=entry.detail,
        key=key,
    )


def head_seal(*, seq: int, hash_: str, key: bytes | None = None) -> str:
    return hmac.new(key or _key(), f"head:{seq}:{hash_}".encode(), hashlib.sha256).hexdigest()
