"""Checking the whole chain: `baken audit verify`.

The reasons are for operators reading the command's output, so they stay in English like the
rest of the CLI.
"""

from dataclasses import dataclass

from baken.core import crypto

from . import chain
from .models import AuditEntry, AuditHead


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def verify_chain(*, chunk_size: int = 5000) -> Verdict:
    """Walk every entry in order; name the first that was altered, inserted or removed."""
    key = crypto.derived_key(chain.PURPOSE)
    expected_seq, prev_hash, checked = 1, chain.GENESIS, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if entry.seq != expected_seq:
            return Verdict(False, checked, expected_seq, "entry is missing (removed)")
        if entry.prev_hash != prev_hash:
            return Verdict(
                False, checked, entry.seq, "does not link to the entry before it (inserted)"
            )
        recomputed = chain.entry_hash(
            prev_hash=entry.prev_hash,
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
        if entry.hash != recomputed:
            return Verdict(False, checked, entry.seq, "content does not match its hash (altered)")
        prev_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    return _verify_head(checked=checked, last_seq=expected_seq - 1, last_hash=prev_hash, key=key)


def _verify_head(*, checked: int, last_seq: int, last_hash: str, key: bytes) -> Verdict:
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        if checked == 0:
            return Verdict(True, 0)
        return Verdict(False, checked, last_seq, "the chain head is missing")
    if head.seal != chain.head_seal(seq=head.seq, hash_=head.hash, key=key):
        return Verdict(False, checked, head.seq, "the chain head was altered")
    if head.seq < last_seq:
        return Verdict(False, checked, head.seq + 1, "was added after the sealed head (inserted)")
    if head.seq != last_seq or head.hash != last_hash:
        return Verdict(False, checked, last_seq + 1, "entry is missing (removed)")
    return Verdict(True, checked)
