"""The audit log's daily work, enqueued by `baken scheduler` (settings SCHEDULE):

- `audit-seal` (00:15) seals yesterday's chain outside the database (audit/seals.py; by hand
  `baken audit seal`) and mails the seal to the privacy officer;
- `audit-verify` (03:45) checks the whole chain and every seal (`baken audit verify`), records
  the verdict and its time (core's AuditVerification, shown on the system status page) and
  mails the privacy officer when it fails.
"""

import time
from datetime import date, datetime

from django.utils import timezone
from django_tasks import task

from baken.core.models import AuditVerification

from .mail import mail_seal, mail_verification_failed
from .seals import Sealing, seal_day
from .verification import Verdict, verify

REASON_LENGTH = AuditVerification._meta.get_field("reason").max_length or 200


def seal(day: date | None = None, *, now: datetime | None = None) -> tuple[Sealing, bool]:
    """Seal `day` (default yesterday) once, and mail a seal that was written now."""
    sealing = seal_day(day, now=now)
    return sealing, sealing.written and mail_seal(sealing.seal)


def check(*, now: datetime | None = None) -> tuple[Verdict, bool]:
    """Verify chain and seals, record the verdict, and mail the officer when it fails."""
    now = now or timezone.now()
    started = time.monotonic()
    verdict = verify()
    AuditVerification.objects.create(
        at=now,
        ok=verdict.ok,
        checked=verdict.checked,
        broken_seq=verdict.broken_seq,
        reason=verdict.reason[:REASON_LENGTH],
        seconds=round(time.monotonic() - started, 3),
    )
    mailed = not verdict.ok and mail_verification_failed(verdict, at=now)
    return verdict, mailed


@task()
def audit_seal() -> dict:
    sealing, mailed = seal()
    return {
        "day": sealing.seal.day.isoformat(),
        "seq": sealing.seal.seq,
        "written": sealing.written,
        "mailed": mailed,
    }


@task()
def audit_verify() -> dict:
    verdict, mailed = check()
    return {
        "ok": verdict.ok,
        "checked": verdict.checked,
        "broken_seq": verdict.broken_seq,
        "seals": verdict.seals,
        "mailed": mailed,
    }
