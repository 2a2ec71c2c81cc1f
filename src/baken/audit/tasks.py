"""The nightly check of the audit chain, enqueued by `baken scheduler` (settings SCHEDULE,
`audit-verify`): checks the whole chain (`baken audit verify`) and records the verdict and its
time (core's AuditVerification), shown on the system status page."""

import time

from django.utils import timezone
from django_tasks import task

from baken.core.models import AuditVerification

from .verification import verify_chain


@task()
def audit_verify() -> dict:
    started = time.monotonic()
    verdict = verify_chain()
    record = AuditVerification.objects.create(
        at=timezone.now(),
        ok=verdict.ok,
        checked=verdict.checked,
        broken_seq=verdict.broken_seq,
        reason=verdict.reason,
        seconds=round(time.monotonic() - started, 3),
    )
    return {"ok": record.ok, "checked": record.checked, "broken_seq": record.broken_seq}
