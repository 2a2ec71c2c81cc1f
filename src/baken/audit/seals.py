"""The chain's daily seal, kept outside the database (ADR 0030, docs/adr/0030-*.md).

After each day the position of the chain at the end of that day (Dutch time) is written to a
small JSON file under `settings.AUDIT_SEAL_DIR`: the day, the last entry's number and hash, and
the number of entries up to it. The file is written once (a temporary file linked into place,
which fails when the day's seal exists) and never overwritten, and the chain records that it
was written (`audit.seal`, with the file's SHA-256), so a removed or changed file shows too.
Someone who rewrites the whole chain in the database, recomputing every hash with the data
key, cannot rewrite the seals on the other storage nor the copies mailed to the privacy
officer: `baken audit verify` then finds another hash at a sealed position.
"""

import errno
import hashlib
import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from baken.core.actors import SYSTEM

from . import chain
from .actions import AuditAction
from .models import AuditEntry, AuditHead
from .services import Target, audit_record

FORMAT = "baken-audit-seal/1"
OBJECT_TYPE = "audit.day"
_NAME = re.compile(r"^audit-seal-(\d{4}-\d{2}-\d{2})\.json$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EXDEV}


class SealError(ValueError):
    """A seal that cannot be written (a day that has not ended)."""


class SealUnreadable(ValueError):
    """A file in the seal folder that is not a seal as Baken writes them."""


@dataclass(frozen=True)
class Seal:
    day: date
    seq: int
    hash: str
    entries: int
    path: Path
    digest: str  # SHA-256 of the file's bytes
    text: str


@dataclass(frozen=True)
class Sealing:
    seal: Seal
    written: bool  # False: the day was sealed before, and the file is left as it was


def folder() -> Path:
    return Path(settings.AUDIT_SEAL_DIR)


def seal_path(day: date) -> Path:
    return folder() / f"audit-seal-{day.isoformat()}.json"


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def yesterday(now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now()) - timedelta(days=1)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _content(day: date, seq: int, hash_: str, entries: int, now: datetime) -> str:
    until = _day_start(day + timedelta(days=1))
    body = {
        "format": FORMAT,
        "date": day.isoformat(),
        "until": until.isoformat(),
        "seq": seq,
        "hash": hash_,
        "entries": entries,
        "sealed_at": chain.canonical_moment(now),
    }
    return json.dumps(body, indent=2) + "\n"


def _write_once(path: Path, text: str) -> None:
    """Write `text` to `path` atomically, never replacing a file: a temporary file in the same
    folder, flushed to disk, then linked to its name (which fails with FileExistsError when the
    name exists) and removed. Read-only once written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o444)
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINKS:
                raise
            # A share without hard links: claim the name exclusively (FileExistsError when
            # taken), then move the content over the empty claim.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444))
            os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def read_seal(path: Path) -> Seal:
    """The seal in `path`, checked for its shape; SealUnreadable when it is no seal."""
    match = _NAME.match(path.name)
    if match is None:
        raise SealUnreadable("its name is not audit-seal-YYYY-MM-DD.json")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
        body = json.loads(text)
    except ValueError:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise SealUnreadable("it is not JSON") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise SealUnreadable(f"it is not in the format {FORMAT}")
    seq, hash_, entries = body.get("seq"), body.get("hash"), body.get("entries")
    if body.get("date") != match.group(1):
        raise SealUnreadable("the date inside differs from the date in its name")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise SealUnreadable("it names no entry number")
    if not isinstance(hash_, str) or not _HEX64.match(hash_):
        raise SealUnreadable("it holds no hash")
    if not isinstance(entries, int) or isinstance(entries, bool):
        raise SealUnreadable("it holds no number of entries")
    return Seal(
        day=date.fromisoformat(match.group(1)),
        seq=seq,
        hash=hash_,
        entries=entries,
        path=path,
        digest=_digest(data),
        text=text,
    )


def seal_files() -> list[tuple[date, Path]]:
    """Every seal file in the folder, newest day first (an OSError when it cannot be read)."""
    directory = folder()
    if not directory.exists():
        return []
    found = []
    for path in directory.iterdir():
        match = _NAME.match(path.name)
        if match is not None:
            try:
                found.append((date.fromisoformat(match.group(1)), path))
            except ValueError:
                continue  # not a date: no seal Baken wrote, and nothing to check against
    return sorted(found, reverse=True)


def seal_day(day: date | None = None, *, now: datetime | None = None) -> Sealing:
    """Seal the chain as it stood at the end of `day` (default: yesterday, Dutch time).

    Idempotent: a day already sealed is left as it is (`written` is False). A day that has not
    ended yet is refused. The head row is locked first, so every entry of the day has been
    committed and the position read is final; the file is written and the chain records it
    (`audit.seal`) in one transaction. Should that transaction fail after the file was linked,
    the file stays: it is still a true seal, checked like any other, only not recorded.
    """
    now = now or timezone.now()
    day = day or yesterday(now)
    path = seal_path(day)
    if path.exists():
        return Sealing(read_seal(path), written=False)
    if day >= timezone.localdate(now):
        raise SealError(f"{day.isoformat()} has not ended yet; a day is sealed after it ends.")
    end = _day_start(day + timedelta(days=1))
    try:
        with transaction.atomic():
            AuditHead.objects.select_for_update().filter(pk=1).first()
            last = (
                AuditEntry.objects.filter(at__lt=end)
                .order_by("-seq")
                .values_list("seq", "hash")
                .first()
            )
            seq, hash_ = last if last is not None else (0, chain.GENESIS)
            entries = AuditEntry.objects.filter(seq__lte=seq).count()
            text = _content(day, seq, hash_, entries, now)
            _write_once(path, text)
            audit_record(
                actor=SYSTEM,
                action=AuditAction.AUDIT_SEAL,
                target=Target(OBJECT_TYPE, day.isoformat()),
                detail={"digest": _digest(text.encode()), "count": entries},
            )
    except FileExistsError:
        return Sealing(read_seal(path), written=False)
    return Sealing(read_seal(path), written=True)
