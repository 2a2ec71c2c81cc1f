"""Checking the whole chain and its seals: `baken audit verify` and the nightly `audit-verify`.

`verify_chain` walks the entries and their head; `verify_seals` compares the seals written
outside the database (audit/seals.py) with the chain; `verify` does both. Each reason comes in
English, for operators reading the command's output like the rest of the CLI, and in Dutch,
for the privacy officer's mail (`reason_nl`).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from baken.core import crypto, dates

from . import chain, seals
from .actions import AuditAction
from .models import AuditEntry, AuditHead

MISSING = _("entry is missing (removed)")
INSERTED = _("does not link to the entry before it (inserted)")
ALTERED = _("content does not match its hash (altered)")
HEAD_MISSING = _("the chain head is missing")
HEAD_ALTERED = _("the chain head was altered")
AFTER_HEAD = _("was added after the sealed head (inserted)")
SEAL_REWRITTEN = _(
    "differs from the seal of %(day)s (%(path)s): the chain in the database was rewritten"
)
SEAL_BEYOND = _(
    "is missing, but the seal of %(day)s (%(path)s) names it: entries were removed from the end"
)
SEAL_FILE_MISSING = _(
    "recorded the seal of %(day)s, but its file %(path)s is missing (removed); keep the seals "
    "where nobody removes them"
)
SEAL_FILE_CHANGED = _(
    "recorded the seal of %(day)s, but its file %(path)s was changed after it was written"
)
SEAL_UNREADABLE = _("the seal file of %(day)s (%(path)s) is no seal Baken wrote: %(why)s")
SEAL_COUNT = _(
    "the seal of %(day)s (%(path)s) counts %(entries)s entries up to this one (altered seal "
    "or chain)"
)
SEAL_FOLDER = _("the seal folder %(path)s cannot be read: %(why)s")


def _both(message: Promise, **params: object) -> tuple[str, str]:
    """The message in English and in Dutch; a day is written for a person in each."""
    texts = []
    for language in ("en", "nl"):
        with translation.override(language):
            values = {k: dates.long(v) if isinstance(v, date) else v for k, v in params.items()}
            texts.append(str(message) % values if values else str(message))
    return texts[0], texts[1]


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    reason_nl: str = ""
    seals: int = 0  # seal files compared with the chain
    latest_seal: date | None = None
    problems: tuple[str, ...] = field(default=())  # every problem found, in English
    by_seal: bool = False  # the chain passes its own check, and a seal does not match it


def _broken(checked: int, seq: int | None, message: Promise, **params: object) -> Verdict:
    english, dutch = _both(message, **params)
    return Verdict(False, checked, seq, english, dutch, problems=(english,))


def verify_chain(*, chunk_size: int = 5000) -> Verdict:
    """Walk every entry in order; name the first that was altered, inserted or removed."""
    key = crypto.derived_key(chain.PURPOSE)
    expected_seq, prev_hash, checked = 1, chain.GENESIS, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if entry.seq != expected_seq:
            return _broken(checked, expected_seq, MISSING)
        if entry.prev_hash != prev_hash:
            return _broken(checked, entry.seq, INSERTED)
        recomputed = chain.hash_of(entry, key=key)
        if entry.hash != recomputed:
            return _broken(checked, entry.seq, ALTERED)
        prev_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    return _verify_head(checked=checked, last_seq=expected_seq - 1, last_hash=prev_hash, key=key)


def _verify_head(*, checked: int, last_seq: int, last_hash: str, key: bytes) -> Verdict:
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        if checked == 0:
            return Verdict(True, 0)
        return _broken(checked, last_seq, HEAD_MISSING)
    if head.seal != chain.head_seal(seq=head.seq, hash_=head.hash, key=key):
        return _broken(checked, head.seq, HEAD_ALTERED)
    if head.seq < last_seq:
        return _broken(checked, head.seq + 1, AFTER_HEAD)
    if head.seq != last_seq or head.hash != last_hash:
        return _broken(checked, last_seq + 1, MISSING)
    return Verdict(True, checked)


@dataclass(frozen=True)
class _Problem:
    day: date
    seq: int | None
    english: str
    dutch: str


def _problem(day: date, seq: int | None, message: Promise, **params: object) -> _Problem:
    english, dutch = _both(message, day=day, **params)
    return _Problem(day, seq, english, dutch)


def _chain_hashes(seqs: Iterable[int], batch: int = 500) -> dict[int, str]:
    wanted = sorted(set(seqs))
    found: dict[int, str] = {}
    for start in range(0, len(wanted), batch):
        rows = AuditEntry.objects.filter(seq__in=wanted[start : start + batch])
        found.update(rows.values_list("seq", "hash"))
    return found


def _file_problems() -> tuple[list[seals.Seal], list[_Problem]]:
    """Read every seal file; the ones that are no seal are problems of their day."""
    readable, problems = [], []
    for day, path in seals.seal_files():
        try:
            readable.append(seals.read_seal(path))
        except (seals.SealUnreadable, OSError) as exc:
            problems.append(_problem(day, None, SEAL_UNREADABLE, path=str(path), why=str(exc)))
    return readable, problems


def _recorded_problems(by_day: dict[date, seals.Seal]) -> tuple[list[_Problem], dict[date, int]]:
    """The seals the chain recorded: each file must still be there, as it was written. Also
    which entry recorded each day's seal."""
    problems, entry_of = [], {}
    recorded = AuditEntry.objects.filter(
        action=AuditAction.AUDIT_SEAL, object_type=seals.OBJECT_TYPE
    ).values_list("seq", "object_id", "detail")
    for seq, object_id, detail in recorded:
        try:
            day = date.fromisoformat(object_id)
        except ValueError:
            continue  # the chain check names an entry whose content was changed
        entry_of[day] = seq
        path = seals.seal_path(day)
        seal = by_day.get(day)
        if seal is None and not path.exists():
            problems.append(_problem(day, seq, SEAL_FILE_MISSING, path=str(path)))
        elif seal is not None and seal.digest != (detail or {}).get("digest"):
            problems.append(_problem(day, seq, SEAL_FILE_CHANGED, path=str(path)))
    return problems, entry_of


def _position_problems(found: list[seals.Seal]) -> list[_Problem]:
    """Each seal's position must hold the sealed hash, and the count must fit the number."""
    problems = []
    hashes = _chain_hashes(seal.seq for seal in found if seal.seq > 0)
    for seal in found:
        where = {"path": str(seal.path)}
        held = hashes.get(seal.seq) if seal.seq > 0 else chain.GENESIS
        if held is None:
            problems.append(_problem(seal.day, seal.seq, SEAL_BEYOND, **where))
        elif held != seal.hash:
            problems.append(_problem(seal.day, seal.seq, SEAL_REWRITTEN, **where))
        elif seal.entries != seal.seq:
            problems.append(_problem(seal.day, seal.seq, SEAL_COUNT, entries=seal.entries, **where))
    return problems


def verify_seals(*, checked: int = 0) -> Verdict:
    """Compare every seal with the chain (one query per 500 seals, one for the recorded
    seals): a day's problem is named once, the latest day first."""
    try:
        found, problems = _file_problems()
    except OSError as exc:
        english, dutch = _both(SEAL_FOLDER, path=str(seals.folder()), why=str(exc))
        return Verdict(False, checked, None, english, dutch, problems=(english,), by_seal=True)
    by_day = {seal.day: seal for seal in found}
    recorded, entry_of = _recorded_problems(by_day)
    problems += recorded
    problems += _position_problems(found)
    first_per_day: dict[date, _Problem] = {}
    for problem in problems:
        if problem.seq is None:  # an unreadable file: the entry that recorded its seal
            problem = _Problem(
                problem.day, entry_of.get(problem.day), problem.english, problem.dutch
            )
        first_per_day.setdefault(problem.day, problem)
    latest = max(by_day) if by_day else None
    if not first_per_day:
        return Verdict(True, checked, seals=len(found), latest_seal=latest)
    ordered = [first_per_day[day] for day in sorted(first_per_day, reverse=True)]
    first = ordered[0]
    return Verdict(
        False,
        checked,
        first.seq,
        first.english,
        first.dutch,
        seals=len(found),
        latest_seal=latest,
        problems=tuple(problem.english for problem in ordered),
        by_seal=True,
    )


def verify() -> Verdict:
    """The chain, then its seals. A broken chain is named first; the seals' problems follow
    in `problems`, since a rewritten chain may also break its own links."""
    walked = verify_chain()
    sealed = verify_seals(checked=walked.checked)
    if walked.ok:
        return sealed
    return Verdict(
        False,
        walked.checked,
        walked.broken_seq,
        walked.reason,
        walked.reason_nl,
        seals=sealed.seals,
        latest_seal=sealed.latest_seal,
        problems=walked.problems + sealed.problems,
    )
