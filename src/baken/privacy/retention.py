"""`baken retention run`: apply every rule in force (docs/retention.md).

Each rule finds what is due at `now` (its period counted from its moment has passed), sets
aside what a legal hold keeps, and deals with the rest in small batches, each in a
transaction of its own, so a run stopped at any point (kill -9 included) leaves every item
either dealt with or untouched, and the next run picks up the rest. A dry run only counts.

What each kind does today:

- resend records of the Meldpunt and records of sign-in attempts are deleted;
- reports never weighed are listed for the privacy officer (nothing is deleted);
- reports decided 'no action' or referred/forwarded are destroyed in batches of
  settings.RETENTION_BATCH_SIZE, each batch in one transaction (privacy/destruction.py),
  with a pause of settings.RETENTION_PAUSE_MS between batches, each report's line written to
  the run's statement of destruction;
- closed cases go on a destruction list; the privacy officer approves it (or takes a case
  off with a reason) and the next run destroys what was approved (privacy/destruction.py).
"""

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.cases.models import Case
from baken.core.actors import SYSTEM, Actor
from baken.core.counting import capped_counts
from baken.intake.models import IdempotencyRecord
from baken.reports.models import Report
from baken.reports.workflow import QUEUE, Status
from baken.subjects.search_index import search_index_purge

from . import signals
from .destruction import destroy_case, destroy_reports, orphan_files_remove
from .models import (
    DestructionProposal,
    LegalHold,
    ProposalState,
    RetentionRule,
    RetentionRun,
    RetentionRunLine,
    RuleKind,
    RuleState,
)
from .rules import cutoff, rank

BATCH = 500


@dataclass(frozen=True)
class Found:
    due: int
    held: int
    done: int
    destroys: bool  # whether this kind's items are removed (else only listed or counted)
    listed: int = 0  # put on the destruction list for the privacy officer's approval
    # A count that stopped at a cap (dry_runs(cap=)): more than `due` are due.
    more: bool = False


def _held(field: str, now: datetime) -> Q:
    return Q(Exists(LegalHold.objects.active(now).filter(**{field: OuterRef("pk")})))


def _case_held(now: datetime) -> Q:
    """A case held itself, or through one of its reports or a report merged into one of
    them: those would go with it (destroy_case checks every depth of merging)."""
    holds = LegalHold.objects.active(now)
    return (
        Q(Exists(holds.filter(case=OuterRef("pk"))))
        | Q(Exists(holds.filter(report__cases=OuterRef("pk"))))
        | Q(Exists(holds.filter(report__merged_into__cases=OuterRef("pk"))))
    )


def _delete_in_batches(queryset: QuerySet, *, dry_run: bool) -> int:
    """Delete in batches, each its own transaction; returns how many went."""
    if dry_run:
        return 0
    done = 0
    while True:
        with transaction.atomic():
            ids = list(queryset.values_list("pk", flat=True)[:BATCH])
            if not ids:
                return done
            queryset.model.objects.filter(pk__in=ids).delete()
            done += len(ids)


def _idempotency(rule: RetentionRule, now: datetime, run: RetentionRun | None) -> Found:
    due = IdempotencyRecord.objects.filter(created_at__lt=cutoff(now=now, **_period(rule)))
    count = due.count()
    return Found(
        due=count, held=0, done=_delete_in_batches(due, dry_run=run is None), destroys=True
    )


def _login_records(rule: RetentionRule, now: datetime, run: RetentionRun | None) -> Found:
    before = cutoff(now=now, **_period(rule))
    count, done = 0, 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        due = model.objects.filter(attempt_time__lt=before)
        count += due.count()
        done += _delete_in_batches(due, dry_run=run is None)
    return Found(due=count, held=0, done=done, destroys=True)


def reports_unweighed(rule: RetentionRule, now: datetime) -> QuerySet[Report]:
    return Report.objects.filter(status__in=QUEUE, received_at__lt=cutoff(now=now, **_period(rule)))


def _unweighed(rule: RetentionRule, now: datetime, run: RetentionRun | None) -> Found:
    due = reports_unweighed(rule, now)
    held = due.filter(_held("report", now)).count()
    count = due.count()
    return Found(due=count, held=held, done=0 if run is None else count - held, destroys=False)


STATUSES = {
    RuleKind.REPORT_NO_ACTION: [Status.NO_ACTION],
    RuleKind.REPORT_REFERRED: [Status.REFERRED, Status.FORWARDED],
}


def reports_decided(rule: RetentionRule, now: datetime) -> QuerySet[Report]:
    """The decided reports whose period, counted from their decision, has passed: one range
    of report_decided_idx per state. `weighed_at` is the moment of the report's decision,
    written with it (reports/weighing.py), so no grouping of every decided report's decisions
    is needed (ADR 0029, addendum of issue 18)."""
    return Report.objects.filter(
        status__in=STATUSES[RuleKind(rule.kind)],
        merged_into__isnull=True,
        weighed_at__lt=cutoff(now=now, **_period(rule)),
    )


def _decided(rule: RetentionRule, now: datetime, run: RetentionRun | None) -> Found:
    due = reports_decided(rule, now)
    held = due.filter(_held("report", now)).count()
    count = due.count()
    if run is None:
        return Found(due=count, held=held, done=0, destroys=True)
    orphan_files_remove(now=timezone.now())  # what a stopped run may have left
    done = 0
    pks = list(due.exclude(_held("report", now)).order_by("pk").values_list("pk", flat=True))
    size = max(settings.RETENTION_BATCH_SIZE, 1)
    for start in range(0, len(pks), size):
        if start:
            _pause()
        outcome = destroy_reports(
            pks=pks[start : start + size],
            statuses=STATUSES[RuleKind(rule.kind)],
            run=run,
            rule=rule,
            now=now,
        )
        done += outcome.destroyed
    return Found(due=count, held=held, done=done, destroys=True)


def _pause() -> None:
    """Between two batches of destruction: the database and the CPU to the people at work
    (settings.RETENTION_PAUSE_MS)."""
    if settings.RETENTION_PAUSE_MS > 0:
        time.sleep(settings.RETENTION_PAUSE_MS / 1000)


def lower_priority() -> None:
    """The run's own process yields the CPU to the web processes (settings.RETENTION_NICE,
    added to its nice value). Called by `baken retention run` and the scheduled task, never by
    a web process; a nice value cannot be lowered again without privileges, so the tasks
    worker that ran the run keeps it for the rest of its life (it does background work only)."""
    if settings.RETENTION_NICE > 0 and hasattr(os, "nice"):
        # Not allowed here: the run goes on at the priority it has.
        with contextlib.suppress(OSError):
            os.nice(settings.RETENTION_NICE)


def _fits(rule: RetentionRule) -> Q:
    """The cases a rule's scope fits: its case type and result code, where it names them."""
    fits = Q()
    if rule.case_type_id is not None:
        fits &= Q(version__case_type_id=rule.case_type_id)
    if rule.case_result:
        fits &= Q(result__code=rule.case_result)
    return fits


def governs(rule: RetentionRule, in_force: list[RetentionRule] | None = None) -> Q:
    """The closed cases `rule` governs: those its scope fits, less those a more specific rule
    in force fits (type and result, then type, then result, then every case). `in_force`: the
    rules in force, when the caller has read them already."""
    if in_force is None:
        in_force = list(RetentionRule.objects.filter(state=RuleState.IN_FORCE))
    others = [r for r in in_force if r.kind == RuleKind.CASE_CLOSED and r.pk != rule.pk]
    governed = _fits(rule)
    for other in others:
        if other.specificity > rule.specificity:
            governed &= ~_fits(other)
    return governed


def log_truncate(*, tries: int = 5) -> bool:
    """On SQLite, empty the write-ahead log: it keeps copies of the pages the run changed,
    the destroyed rows' bytes among them, until new frames overwrite them. A TRUNCATE
    checkpoint writes the pages back (where secure_delete has zeroed what was deleted) and
    cuts the log to nothing; while a reader holds an old snapshot it cannot, so it tries a few
    times. PostgreSQL's dead rows are a matter for VACUUM and crypto-shredding (ADR 0029)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return True  # inside a transaction (a test's) there is nothing to checkpoint yet
    for attempt in range(tries):
        with connection.cursor() as cursor:
            busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        if not busy:
            return True
        time.sleep(0.2 * (attempt + 1))
    return False


def _closed(rule: RetentionRule, now: datetime, run: RetentionRun | None) -> Found:
    """Closed cases: first destroy what the privacy officer approved, then put the cases that
    came due on the destruction list (once per rule version; one taken off stays off)."""
    governed = governs(rule)
    before = cutoff(now=now, **_period(rule))
    due = Case.objects.filter(governed, closed_at__lt=before)
    held = due.filter(_case_held(now)).count()
    count = due.count()
    if run is None:
        return Found(due=count, held=held, done=0, destroys=True)
    done = 0
    approved = DestructionProposal.objects.filter(
        state=ProposalState.APPROVED, case__in=Case.objects.filter(governed).values("pk")
    ).values_list("case_id", flat=True)
    for case_id in list(approved):
        outcome = destroy_case(pk=case_id, run=run, rule=rule, before=before, now=now)
        done += 0 if outcome.kept else 1
    listed = DestructionProposal.objects.filter(case=OuterRef("pk"), rule=rule)
    new = list(due.exclude(_case_held(now)).exclude(Exists(listed)))
    DestructionProposal.objects.bulk_create(
        [
            DestructionProposal(
                rule=rule,
                case=case,
                reference=case.reference,
                proposed_at=now,
                state=ProposalState.PROPOSED,
            )
            for case in new
        ]
    )
    return Found(due=count, held=held, done=done, destroys=True, listed=len(new))


def _period(rule: RetentionRule) -> dict:
    return {"amount": rule.period_amount, "unit": rule.period_unit}


APPLY: dict[str, Callable[[RetentionRule, datetime, RetentionRun | None], Found]] = {
    RuleKind.REPORT_NO_ACTION: _decided,
    RuleKind.REPORT_REFERRED: _decided,
    RuleKind.REPORT_UNWEIGHED: _unweighed,
    RuleKind.CASE_CLOSED: _closed,
    RuleKind.IDEMPOTENCY: _idempotency,
    RuleKind.LOGIN_RECORDS: _login_records,
}


@dataclass(frozen=True)
class Line:
    rule: RetentionRule
    found: Found


# --- what two dry runs would find, counted at once (the retention page, issue 18) -----------

# What a rule's dry run counts: per kind of row, the rows, the moment whose period makes one
# due (due: moment < cutoff), and what keeps one due row (a hold active at a moment), if any.
Holds = Callable[[datetime], Q] | None


def _due_rows(
    rule: RetentionRule, in_force: list[RetentionRule]
) -> list[tuple[QuerySet, str, Holds]]:
    kind = RuleKind(rule.kind)
    if kind == RuleKind.IDEMPOTENCY:
        return [(IdempotencyRecord.objects.all(), "created_at", None)]
    if kind == RuleKind.LOGIN_RECORDS:
        return [
            (m.objects.all(), "attempt_time", None)
            for m in (AccessAttempt, AccessFailureLog, AccessLog)
        ]
    if kind == RuleKind.REPORT_UNWEIGHED:
        rows = Report.objects.filter(status__in=QUEUE)
        return [(rows, "received_at", lambda at: _held("report", at))]
    if kind in STATUSES:
        rows = Report.objects.filter(status__in=STATUSES[kind], merged_into__isnull=True)
        return [(rows, "weighed_at", lambda at: _held("report", at))]
    cases = Case.objects.filter(governs(rule, in_force))
    return [(cases, "closed_at", _case_held)]


def _capped_due(rows: QuerySet, field: str, cutoffs: list[datetime], cap: int) -> list[int]:
    """Per cutoff, how many of `rows` have `field` before it, counted up to cap + 1 (more
    than `cap` reads as cap + 1): at most cap + 1 entries of the moment's index are read per
    count, however many are due. One query while the latest cutoff finds at most `cap`
    (then every count is exact); otherwise one more, of a capped count per earlier cutoff."""
    rows = rows.order_by().annotate(moment=F(field)).values_list("moment", flat=True)
    *earlier, latest = cutoffs
    # The latest cutoff's first cap + 1 rows, and how many of them each earlier cutoff finds.
    sql, params = rows.filter(**{f"{field}__lt": latest})[: cap + 1].query.sql_with_params()
    sums = "".join(", SUM(CASE WHEN due.moment < %s THEN 1 ELSE 0 END)" for _at in earlier)
    values = [connection.ops.adapt_datetimefield_value(at) for at in earlier]
    # Only fixed text and the ORM's own SQL are spliced in; every value is a parameter.
    query = f"SELECT COUNT(*){sums} FROM ({sql}) due"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query, (*values, *params))
        total, *each = cursor.fetchone()
    if total <= cap:
        return [*(n or 0 for n in each), total]
    # The latest range is bigger than the cap: its first cap + 1 rows say nothing about
    # the earlier cutoffs, each is counted (up to the cap) on its own.
    return [*capped_counts([rows.filter(**{f"{field}__lt": at}) for at in earlier], cap), total]


def _count_at(
    rule: RetentionRule,
    in_force: list[RetentionRule],
    moments: list[datetime],
    cap: int | None = None,
) -> list[Found]:
    """What dry runs at `moments` (the first the earliest) find for one rule: per kind of row,
    one aggregate of the due counts (counting the moment, which the range makes non-null, so
    that its index alone is read, where there is one) and, where holds count, one of the held
    counts, driven from the holds. `cap`: the due counts stop past it (_capped_due), and a
    line over it says `more` with due == cap; the held counts are exact."""
    due = [0] * len(moments)
    held = [0] * len(moments)
    for rows, field, holds in _due_rows(rule, in_force):
        cutoffs = [cutoff(now=m, **_period(rule)) for m in moments]
        befores = [Q(**{f"{field}__lt": at}) for at in cutoffs]
        if cap is not None:
            found = {f"due{i}": n for i, n in enumerate(_capped_due(rows, field, cutoffs, cap))}
        # One range (of the moment's index, where there is one) holds what each moment finds.
        rows = rows.order_by().filter(**{f"{field}__lt": max(cutoffs)})
        if cap is None:
            found = rows.aggregate(
                **{f"due{i}": Count(field, filter=before) for i, before in enumerate(befores)}
            )
        if holds is not None:
            # A hold in force at a later moment is in force at the first (it ends on a day and
            # is not lifted), so the held rows are among those held at the first.
            found |= rows.filter(holds(moments[0])).aggregate(
                **{
                    f"held{i}": Count(field, filter=before & holds(moment) if i else before)
                    for i, (before, moment) in enumerate(zip(befores, moments, strict=True))
                }
            )
        for i in range(len(moments)):
            due[i] += found[f"due{i}"]
            held[i] += found.get(f"held{i}", 0)
    destroys = RuleKind(rule.kind) != RuleKind.REPORT_UNWEIGHED
    return [
        Found(
            due=d if cap is None else min(d, cap),
            held=h,
            done=0,
            destroys=destroys,
            more=cap is not None and d > cap,
        )
        for d, h in zip(due, held, strict=True)
    ]


def dry_runs(*moments: datetime, cap: int | None = None) -> list[list[Line]]:
    """The lines `run(dry_run=True, now=moment)` gives, for each moment (in order, the
    earliest first), in one or two aggregate queries per rule in force (one for the due
    counts, one for the held ones; three for the sign-in records' tables) instead of three or
    four counts per rule per moment. `cap`: a due count above it is given as `cap` with
    `more` (the page's figures: a count of hundreds of thousands due reads that many index
    entries); without it every count is exact (the API)."""
    if list(moments) != sorted(moments):
        raise ValueError("dry_runs: the earliest moment first")
    rules = sorted(
        RetentionRule.objects.filter(state=RuleState.IN_FORCE), key=lambda r: rank(r.kind)
    )
    per_rule = [_count_at(rule, rules, list(moments), cap) for rule in rules]
    return [
        [Line(rule, found[i]) for rule, found in zip(rules, per_rule, strict=True)]
        for i in range(len(moments))
    ]


def run(*, actor: Actor = SYSTEM, dry_run: bool = False, now: datetime | None = None):
    """Apply every rule in force; returns the run (None for a dry run) and its lines."""
    now = now or timezone.now()
    rules = sorted(
        RetentionRule.objects.filter(state=RuleState.IN_FORCE), key=lambda r: rank(r.kind)
    )
    if dry_run:
        return None, [Line(rule, APPLY[rule.kind](rule, now, None)) for rule in rules]
    with transaction.atomic():
        record = RetentionRun.objects.create(
            started_at=now, started_by=actor if isinstance(actor, User) else None
        )
        audit_record(actor=actor, action=AuditAction.RETENTION_RUN_START, target=record)
    lines = []
    for rule in rules:
        found = APPLY[rule.kind](rule, now, record)
        RetentionRunLine.objects.create(
            run=record, rule=rule, due=found.due, held=found.held, done=found.done
        )
        lines.append(Line(rule, found))
    search_index_purge(connection)  # what was destroyed leaves the full-text index too
    log_truncate()
    with transaction.atomic():
        record.finished_at = timezone.now()
        record.digest = statement_digest(record)
        record.save(update_fields=["finished_at", "digest"])
        audit_record(
            actor=actor,
            action=AuditAction.RETENTION_RUN_FINISH,
            target=record,
            detail={
                "digest": record.digest,
                **{
                    line.rule.kind: [
                        line.rule.version,
                        line.found.due,
                        line.found.held,
                        line.found.done,
                    ]
                    for line in lines
                },
            },
        )
    signals.run_finished.send(sender=RetentionRun, run=record)
    return record, lines


def statement_lines(record: RetentionRun) -> list[list]:
    """The statement of destruction of a run as plain values, in a fixed order."""
    return [
        [
            item.object_type,
            item.reference,
            item.category,
            item.received_on.isoformat() if item.received_on else "",
            item.decided_on.isoformat() if item.decided_on else "",
            item.decision,
            item.shared_with,
            # On a request there is no rule: the request names why (its run's reference).
            item.rule.kind if item.rule else "request",
            item.rule.version if item.rule else record.request_reference,
            item.destroyed_at.isoformat(),
        ]
        for item in record.destroyed.select_related("rule").order_by("pk")
    ]


def statement_digest(record: RetentionRun) -> str:
    canonical = json.dumps(statement_lines(record), separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
