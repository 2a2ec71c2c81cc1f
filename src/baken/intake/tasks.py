"""Background work of the Meldpunt, run by the tasks worker (`baken db_worker`).

The named reporter's acknowledgement goes before other waiting work (ACKNOWLEDGE_PRIORITY:
the worker takes the highest priority first, so a queue of exports or notification mails does
not hold it up), and a mail the server did not take is tried again, a bounded number of times
with a growing wait between (a new task per attempt, run no sooner than its `run_after`:
django-tasks retries nothing by itself); a mail refused for good (an SMTP 5xx answer) is not
tried again. After the last attempt the audit log records that the reporter could not be
told. The tasks carry the report's id and the attempt, never the
address, and the log names the report's reference only."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.core.actors import SYSTEM
from baken.reports.reporter import ReporterMailFailed

from .notifications import acknowledge

logger = logging.getLogger(__name__)

# Before tasks of the default priority (0), such as exports and notification mails.
ACKNOWLEDGE_PRIORITY = 50
# Attempts in all, and the wait before the second; it doubles after each further failure
# (2, 4, 8, 16, 32 minutes: about an hour of a mail server that is down).
ACKNOWLEDGE_ATTEMPTS = 6
ACKNOWLEDGE_FIRST_WAIT = timedelta(minutes=2)


@task(priority=ACKNOWLEDGE_PRIORITY)
def reporter_acknowledge(report_id: int, attempt: int = 1) -> bool:
    """The named reporter's acknowledgement (notifications.acknowledge), attempt `attempt`
    of ACKNOWLEDGE_ATTEMPTS; True when it was sent."""
    try:
        return acknowledge(report_id=report_id)
    except ReporterMailFailed as failed:
        permanent = failed.permanent
    if attempt < ACKNOWLEDGE_ATTEMPTS and not permanent:
        retry = reporter_acknowledge
        if retry.get_backend().supports_defer:
            wait = ACKNOWLEDGE_FIRST_WAIT * 2 ** (attempt - 1)
            retry = retry.using(run_after=timezone.now() + wait)
        retry.enqueue(report_id, attempt + 1)
        return False
    logger.error(
        "The acknowledgement of report id %s was not sent after %s attempts.", report_id, attempt
    )
    with transaction.atomic():
        audit_record(
            actor=SYSTEM,
            action=AuditAction.REPORTER_NOTIFY_FAILED,
            target=Target("reports.report", str(report_id)),
            detail={"attempts": attempt, "mail": "acknowledgement", "refused": permanent},
        )
    return False
