"""Finding unusual reads in one day of the audit log (issue 16): each a flag for the privacy
officer, with the audit entries behind it.

Run each night for the day before (settings SCHEDULE `access-review`, oversight/tasks.py) and
by hand with `baken access-review [--day YYYY-MM-DD]`. A day is a calendar day in TIME_ZONE
(Europe/Amsterdam). The thresholds are settings (`BAKEN_ACCESS_REVIEW_*`, documented in
settings/__init__.py) read at each run. What counts as a read:

- a report: `report.read` (the report page, the API), `report.unseal_read` (a sealed report
  opened by its team lead) and `report.contact_reveal` (a named reporter's contact details);
- a subject: `subject.read`, `subject.network`; a case: `case.read`, `case.review`;
- an export: `export.download`, and for its size also `export.finish` (rows and bytes).

Lists (`report.list`, `subject.list`) are not reads of each item: an inbox page names fifty
reports without anyone opening them.

The figures count views, not entries: reads of one object by one user less than ONE_VIEW
(two minutes, the life of a page view's token, audit/page_views.py) after their previous
read of it are one view. Opening a report page is one `report.read` listing its parts, but
a panel fetched without the page's token logs its own read, and a change made on the page (a
note, a weighing) reads the report again, and so does the page it returns to. A flag's
entries still list every entry.
The weekly access report counts views the same way (access_report.py).

The five patterns, each one flag per user and day (AccessFlag, unique on kind, user and day):

- **many reads**: more than READS different reports within WINDOW minutes; the flag covers
  the busiest such stretch and holds its reads. Minutes are real time (UTC), also on the
  nights the clock changes.
- **outside own work**: a read of a report that, at that moment, was neither of the reader's
  team (`Report.team`; for an intake officer also the reports not yet routed, the intake
  queue being theirs), nor assigned to them, nor in a case they were then a member of
  (`CaseMember` from `added_at` until `removed_at`, the report in the case from its own
  `added_at`). The report's team and assignee at that moment are read from the routings and
  assignments in the log (`report.route`, `report.assign`) since the day began: the last one
  before the read, else what the first one after it took away, else the report as it is now.
  (A routing records only where it sent the report: a read before one, with nothing in
  between, is judged against every team and person the report had that day and has now.) The
  reader's team is their team now: the log does not keep a user's former team. A report that
  no longer exists (destroyed) cannot be judged and is left out.
  Nor is a read made inside a request of a data subject (rights/changes.py: the privacy
  officer opening a report to correct it; the entry's detail names the request by its
  reference) when that request's timeline had confirmed the report as one of its items
  (a `confirmed` step, kept when the confirmation is withdrawn) at the moment of the read:
  that is the officer's lawful work, accounted for in the request. A read naming a request
  that had not confirmed that report is judged as any other.
  The other patterns count such reads as any other: many reports within the window, at night
  or at the weekend, and a report about someone with the officer's own surname (a conflict of
  interest for another privacy officer to look at) are flagged inside a request too.
- **off hours**: any read at night (NIGHT_FROM to NIGHT_UNTIL o'clock) or, with WEEKENDS on,
  on a Saturday or a Sunday.
- **own surname**: a read of a report that names a person with the reader's own surname, or
  of a registered person with it. Names are compared as subject matching compares them
  (core.names.normalise_name: case, accents and particles such as "van der" left out), the
  surname as the last words of the name ("Jan de Vries") or, written surname first with a
  comma, the first ("Vries, Jan de"). Baken keeps no address of its users, so the address is
  not compared: the surname only.
- **large export**: an export made or downloaded with more than EXPORT_ROWS rows.

Bounded work for a day of 100,000 entries: the day's read entries in one pass, then a fixed
number of batched queries (users, reports, routings and assignments, memberships, the reports
of those cases, named subjects, registered subjects), never one per entry. Baken itself reads
here (no user's scope applies): ids, teams and names are compared, nothing is shown.
"""

import bisect
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.models import AuditEntry
from baken.audit.page_views import LIFETIME
from baken.audit.services import audit_record
from baken.cases.models import CaseMember, CaseReport
from baken.core.actors import SYSTEM
from baken.core.names import PERSON, normalise_name
from baken.core.roles import Role
from baken.reports.models import Report, ReportSubject, SubjectKind
from baken.rights.models import HitKind, Step, StepKind
from baken.subjects.models import Subject

from .mail import mail_new_flags
from .models import AccessFlag, FlagKind, ReviewState

REPORT = "reports.report"
SUBJECT = "subjects.subject"

# What a read is, by what it reads (the weekly access report counts these groups too).
REPORT_READS = [
    AuditAction.REPORT_READ,
    AuditAction.REPORT_UNSEAL_READ,
    AuditAction.REPORT_CONTACT_REVEAL,
]
SUBJECT_READS = [AuditAction.SUBJECT_READ, AuditAction.SUBJECT_NETWORK]
CASE_READS = [AuditAction.CASE_READ, AuditAction.CASE_REVIEW]
EXPORT_READS = [AuditAction.EXPORT_DOWNLOAD]
READS = REPORT_READS + SUBJECT_READS + CASE_READS + EXPORT_READS
EXPORTS = [AuditAction.EXPORT_FINISH, AuditAction.EXPORT_DOWNLOAD]
MOVES = [AuditAction.REPORT_ROUTE, AuditAction.REPORT_ASSIGN]
# Opening a report itself (a contact reveal follows a read of the same report).
OPENS = {AuditAction.REPORT_READ, AuditAction.REPORT_UNSEAL_READ}
# The read a request of a data subject records when the officer opens a report in it.
OPEN_READ = AuditAction.REPORT_READ
BATCH = 2000  # ids per query (below every database's limit on parameters)
# Reads of one object by one user closer together than this are one view (see above).
ONE_VIEW = timedelta(seconds=LIFETIME)


@dataclass(frozen=True)
class Thresholds:
    reads: int
    window: timedelta
    night_from: int
    night_until: int
    weekends: bool
    export_rows: int

    @classmethod
    def from_settings(cls) -> "Thresholds":
        return cls(
            reads=settings.ACCESS_REVIEW_READS,
            window=timedelta(minutes=settings.ACCESS_REVIEW_WINDOW_MINUTES),
            night_from=settings.ACCESS_REVIEW_NIGHT_FROM % 24,
            night_until=settings.ACCESS_REVIEW_NIGHT_UNTIL % 24,
            weekends=settings.ACCESS_REVIEW_WEEKENDS,
            export_rows=settings.ACCESS_REVIEW_EXPORT_ROWS,
        )

    def at_night(self, moment: datetime) -> bool:
        start, end, hour = self.night_from, self.night_until, moment.hour
        if start == end:
            return False
        if start > end:  # across midnight: 22 to 7
            return hour >= start or hour < end
        return start <= hour < end

    def at_weekend(self, day: date) -> bool:
        return self.weekends and day.weekday() >= 5


@dataclass(frozen=True)
class Read:
    seq: int
    at: datetime  # local time
    actor_id: int
    action: str
    object_type: str
    object_id: str

    @property
    def report_id(self) -> int:
        """The report read, or 0 for an entry about anything else."""
        if self.object_type == REPORT and self.object_id.isdigit():
            return int(self.object_id)
        return 0


@dataclass
class Found:
    kind: str
    user_id: int
    start: datetime
    end: datetime
    figures: dict
    entries: list[int] = field(default_factory=list)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.combine(day, time(), tzinfo=zone),
        datetime.combine(day + timedelta(days=1), time(), tzinfo=zone),
    )


def _chunks(values: Iterable, size: int = BATCH) -> Iterator[list]:
    values = list(values)
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _reads(start: datetime, end: datetime) -> list[Read]:
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = (
        AuditEntry.objects.filter(
            at__gte=start, at__lt=end, action__in=READS, actor_id__isnull=False
        )
        .order_by("seq")
        .values_list("seq", "at", "actor_id", "action", "object_type", "object_id")
    )
    return [
        Read(seq, at.astimezone(zone), actor_id or 0, action, object_type, object_id)
        for seq, at, actor_id, action, object_type, object_id in rows.iterator(chunk_size=5000)
    ]


def _found(kind: str, user_id: int, reads: list[Read], figures: dict) -> Found:
    return Found(
        kind=kind,
        user_id=user_id,
        start=reads[0].at,
        end=reads[-1].at,
        figures=figures,
        entries=[read.seq for read in reads],
    )


def _apart(earlier: Read, later: Read) -> timedelta:
    """Real time between two reads. Both are in the one local zone, in which Python
    subtracts the clock on the wall: on the night the clock goes back, 02:10 summer time to
    02:30 winter time would be 20 minutes instead of 80. So in UTC."""
    return later.at.astimezone(UTC) - earlier.at.astimezone(UTC)


def views(reads: Iterable[Read]) -> int:
    """How many views `reads` (of one user) are: a read of an object less than ONE_VIEW
    after the user's previous read of it belongs to the same view (the module's docstring)."""
    previous: dict[tuple[str, str], Read] = {}
    count = 0
    for read in sorted(reads, key=lambda read: (read.at.astimezone(UTC), read.seq)):
        key = (read.object_type, read.object_id)
        before = previous.get(key)
        if before is None or _apart(before, read) >= ONE_VIEW:
            count += 1
        previous[key] = read
    return count


# --- many reports in a short time -----------------------------------------------------------


def many_reads(by_user: dict[int, list[Read]], limits: Thresholds) -> list[Found]:
    found = []
    for user_id, reads in by_user.items():
        opened = [read for read in reads if read.action in OPENS and read.report_id]
        best, best_range = 0, (0, -1)
        counts: dict[int, int] = defaultdict(int)
        left = 0
        for right, read in enumerate(opened):
            counts[read.report_id] += 1
            while _apart(opened[left], read) >= limits.window:
                gone = opened[left].report_id
                counts[gone] -= 1
                if not counts[gone]:
                    del counts[gone]
                left += 1
            if len(counts) > best:
                best, best_range = len(counts), (left, right)
        if best > limits.reads:
            window = opened[best_range[0] : best_range[1] + 1]
            figures = {
                "reports": best,
                "reads": views(window),
                "threshold": limits.reads,
                "minutes": int(limits.window.total_seconds() // 60),
            }
            found.append(_found(FlagKind.MANY_READS, user_id, window, figures))
    return found


# --- reports outside the user's own queue and cases ------------------------------------------


@dataclass(frozen=True)
class Move:
    seq: int
    team: int | None
    assignee: int | None
    routed: bool  # a routing: where it went, not where it came from
    from_team: int | None = None
    from_assignee: int | None = None


def _moves(report_ids: set[int], since_seq: int) -> dict[int, list[Move]]:
    moves: dict[int, list[Move]] = defaultdict(list)
    for chunk in _chunks(str(pk) for pk in report_ids):
        rows = AuditEntry.objects.filter(
            object_type=REPORT, object_id__in=chunk, action__in=MOVES, seq__gte=since_seq
        ).values_list("seq", "action", "object_id", "detail")
        for seq, action, object_id, detail in rows.iterator(chunk_size=5000):
            moves[int(object_id)].append(
                Move(
                    seq=seq,
                    team=detail.get("team"),
                    assignee=detail.get("assignee"),
                    routed=action == AuditAction.REPORT_ROUTE,
                    from_team=detail.get("from_team"),
                    from_assignee=detail.get("from_assignee"),
                )
            )
    for found in moves.values():
        found.sort(key=lambda move: move.seq)
    return moves


def _states_at(
    seq: int, moves: list[Move], now: tuple[int | None, int | None]
) -> list[tuple[int | None, int | None]]:
    """The report's (team, assignee) when entry `seq` was written, as far as the log tells."""
    position = bisect.bisect_left([move.seq for move in moves], seq)
    if position > 0:
        last = moves[position - 1]
        return [(last.team, last.assignee)]
    if position == len(moves):
        return [now]
    after = moves[position]
    if not after.routed:
        return [(after.from_team, after.from_assignee)]
    return [now, *((move.team, move.assignee) for move in moves)]


def _member_spans(
    user_ids: set[int], start: datetime, end: datetime
) -> dict[tuple[int, int], list[tuple[datetime, datetime | None]]]:
    """(user, report) → the stretches in which the user was a member of a case holding it."""
    memberships = list(
        CaseMember.objects.filter(user_id__in=user_ids, added_at__lt=end)
        .exclude(removed_at__lt=start)
        .values_list("user_id", "case_id", "added_at", "removed_at")
    )
    by_case: dict[int, list[tuple[int, datetime, datetime | None]]] = defaultdict(list)
    for user_id, case_id, added_at, removed_at in memberships:
        by_case[case_id].append((user_id, added_at, removed_at))
    spans: dict[tuple[int, int], list[tuple[datetime, datetime | None]]] = defaultdict(list)
    for chunk in _chunks(by_case):
        rows = CaseReport.objects.filter(case_id__in=chunk).values_list(
            "case_id", "report_id", "added_at"
        )
        for case_id, report_id, report_added in rows.iterator(chunk_size=5000):
            for user_id, added_at, removed_at in by_case[case_id]:
                spans[(user_id, report_id)].append((max(added_at, report_added), removed_at))
    return spans


def outside_work(
    by_user: dict[int, list[Read]], users: Mapping[int, Any], start: datetime, end: datetime
) -> list[Found]:
    report_reads = {
        user_id: [read for read in reads if read.action in REPORT_READS and read.report_id]
        for user_id, reads in by_user.items()
    }
    report_ids = {read.report_id for reads in report_reads.values() for read in reads}
    if not report_ids:
        return []
    now: dict[int, tuple[int | None, int | None]] = {}
    for chunk in _chunks(report_ids):
        for pk, team_id, assignee_id in Report.objects.filter(pk__in=chunk).values_list(
            "pk", "team_id", "assignee_id"
        ):
            now[pk] = (team_id, assignee_id)
    first_seq = min(read.seq for reads in report_reads.values() for read in reads)
    moves = _moves(set(now), first_seq)
    spans = _member_spans({u for u, reads in report_reads.items() if reads}, start, end)
    outside_of: dict[int, list[Read]] = {}
    for user_id, reads in report_reads.items():
        judged = _OwnWork(users[user_id], now, moves, spans)
        outside = [read for read in reads if judged.outside(read)]
        if outside:
            outside_of[user_id] = outside
    in_request = _inside_requests(
        [read for reads in outside_of.values() for read in reads if read.action == OPEN_READ]
    )
    found = []
    for user_id, outside in outside_of.items():
        outside = [read for read in outside if read.seq not in in_request]
        if outside:
            figures = {
                "reads": views(outside),
                "reports": len({read.report_id for read in outside}),
            }
            found.append(_found(FlagKind.OUTSIDE_WORK, user_id, outside, figures))
    return found


@dataclass(frozen=True)
class _OwnWork:
    """What was one user's own work at the moment of each read."""

    user: Mapping[str, Any]
    now: Mapping[int, tuple[int | None, int | None]]
    moves: Mapping[int, list[Move]]
    spans: Mapping[tuple[int, int], list[tuple[datetime, datetime | None]]]

    def outside(self, read: Read) -> bool:
        report_id = read.report_id
        if report_id not in self.now:  # destroyed since: cannot be judged
            return False
        if any(
            begin <= read.at and (until is None or read.at < until)
            for begin, until in self.spans.get((self.user["pk"], report_id), [])
        ):
            return False
        states = _states_at(read.seq, self.moves.get(report_id, []), self.now[report_id])
        return not any(_own(self.user, team, assignee) for team, assignee in states)


def _inside_requests(reads: list[Read]) -> set[int]:
    """The entries among `reads` made inside a request of a data subject that had confirmed
    the report read by then (see the module's docstring): two batched queries, the entries'
    details and the requests' confirmations, and only for reads that would be flagged."""
    named: dict[int, str] = {}
    for chunk in _chunks(read.seq for read in reads):
        rows = AuditEntry.objects.filter(seq__in=chunk).values_list("seq", "detail")
        for seq, detail in rows:
            reference = detail.get("request") if isinstance(detail, dict) else None
            if isinstance(reference, str) and reference:
                named[seq] = reference
    if not named:
        return set()
    confirmed: dict[tuple[str, int], list[datetime]] = defaultdict(list)
    for chunk in _chunks(set(named.values())):
        steps = Step.objects.filter(
            request__reference__in=chunk,
            kind=StepKind.CONFIRMED,
            item_kind=HitKind.REPORT,
            object_id__isnull=False,
        ).values_list("request__reference", "object_id", "at")
        for reference, object_id, at in steps:
            confirmed[(reference, object_id or 0)].append(at)
    return {
        read.seq
        for read in reads
        if read.seq in named
        and any(at <= read.at for at in confirmed.get((named[read.seq], read.report_id), []))
    }


def _own(user: Mapping[str, Any], team: int | None, assignee: int | None) -> bool:
    if assignee is not None and assignee == user["pk"]:
        return True
    if team is None:
        return user["role"] == Role.INTAKE  # the intake queue: reports not yet routed
    return team == user["team_id"]


# --- night and weekend ----------------------------------------------------------------------


def off_hours(by_user: dict[int, list[Read]], limits: Thresholds, day: date) -> list[Found]:
    weekend = limits.at_weekend(day)
    found = []
    for user_id, reads in by_user.items():
        late = [read for read in reads if weekend or limits.at_night(read.at)]
        if late:
            figures = {
                "reads": views(late),
                "night": views(read for read in late if limits.at_night(read.at)),
                "weekend": weekend,
                "night_from": limits.night_from,
                "night_until": limits.night_until,
            }
            found.append(_found(FlagKind.OFF_HOURS, user_id, late, figures))
    return found


# --- the user's own surname -----------------------------------------------------------------


def _surname_in(surname: list[str], key: str, surname_first: bool) -> bool:
    words = key.split()
    if not surname or len(words) < len(surname):
        return False
    if surname_first:
        return words[: len(surname)] == surname
    return words[-len(surname) :] == surname


def own_name(by_user: dict[int, list[Read]], users: Mapping[int, Any]) -> list[Found]:
    surnames = {
        user_id: normalise_name(users[user_id]["last_name"], PERSON).split()
        for user_id in by_user
        if users[user_id]["last_name"].strip()
    }
    surnames = {user_id: words for user_id, words in surnames.items() if words}
    if not surnames:
        return []
    reads = {user_id: by_user[user_id] for user_id in surnames}
    report_ids = {read.report_id for rs in reads.values() for read in rs if read.report_id}
    subject_ids = {
        int(read.object_id)
        for rs in reads.values()
        for read in rs
        if read.object_type == SUBJECT and read.object_id.isdigit()
    }
    # The person names each report and registered subject holds, normalised once.
    names: dict[tuple[str, int], list[tuple[str, bool]]] = defaultdict(list)
    for chunk in _chunks(report_ids):
        rows = ReportSubject.objects.filter(
            report_id__in=chunk, kind=SubjectKind.PERSON
        ).values_list("report_id", "name")
        for report_id, name in rows.iterator(chunk_size=5000):
            if name.strip():
                names[(REPORT, report_id)].append((normalise_name(name, PERSON), "," in name))
    for chunk in _chunks(subject_ids):
        registered = Subject.objects.filter(pk__in=chunk, kind=PERSON).values_list("pk", "name")
        for pk, name in registered:
            names[(SUBJECT, pk)].append((normalise_name(name, PERSON), "," in name))
    found = []
    for user_id, surname in surnames.items():
        hits = [
            read
            for read in reads[user_id]
            if read.object_type in (REPORT, SUBJECT)
            and read.object_id.isdigit()
            and any(
                _surname_in(surname, key, comma)
                for key, comma in names.get((read.object_type, int(read.object_id)), [])
            )
        ]
        if hits:
            figures = {
                "reads": views(hits),
                "reports": len({r.object_id for r in hits if r.object_type == REPORT}),
                "subjects": len({r.object_id for r in hits if r.object_type == SUBJECT}),
            }
            found.append(_found(FlagKind.OWN_NAME, user_id, hits, figures))
    return found


# --- large exports --------------------------------------------------------------------------


def large_exports(start: datetime, end: datetime, limits: Thresholds) -> list[Found]:
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = (
        AuditEntry.objects.filter(
            at__gte=start, at__lt=end, action__in=EXPORTS, actor_id__isnull=False
        )
        .order_by("seq")
        .values_list("seq", "at", "actor_id", "action", "object_type", "object_id", "detail")
    )
    by_user: dict[int, list[tuple[Read, int]]] = defaultdict(list)
    for seq, at, actor_id, action, object_type, object_id, detail in rows.iterator(chunk_size=5000):
        rows_in = detail.get("rows") if isinstance(detail, dict) else None
        if isinstance(rows_in, int) and rows_in > limits.export_rows:
            read = Read(seq, at.astimezone(zone), actor_id or 0, action, object_type, object_id)
            by_user[read.actor_id].append((read, rows_in))
    found = []
    for user_id, big in by_user.items():
        figures = {
            "exports": len({read.object_id for read, _rows in big}),
            "rows": max(rows_in for _read, rows_in in big),
            "threshold": limits.export_rows,
        }
        found.append(_found(FlagKind.LARGE_EXPORT, user_id, [read for read, _ in big], figures))
    return found


# --- the run --------------------------------------------------------------------------------


def detect(day: date, limits: Thresholds | None = None) -> list[Found]:
    """What the day's audit log shows, per pattern and user; writes nothing."""
    limits = limits or Thresholds.from_settings()
    start, end = day_bounds(day)
    by_user: dict[int, list[Read]] = defaultdict(list)
    for read in _reads(start, end):
        by_user[read.actor_id].append(read)
    exports = large_exports(start, end, limits)
    user_ids = set(by_user) | {found.user_id for found in exports}
    users = {
        row["pk"]: row
        for row in User.objects.filter(pk__in=user_ids).values("pk", "role", "team_id", "last_name")
    }
    # Entries of a user id that names no account (none is ever removed) are left out.
    by_user = defaultdict(list, {u: reads for u, reads in by_user.items() if u in users})
    return [
        *many_reads(by_user, limits),
        *outside_work(by_user, users, start, end),
        *off_hours(by_user, limits, day),
        *own_name(by_user, users),
        *(found for found in exports if found.user_id in users),
    ]


@dataclass(frozen=True)
class Outcome:
    day: date
    new: list[AccessFlag]
    updated: int
    unchanged: int


def run(
    day: date | None = None, *, now: datetime | None = None, limits: Thresholds | None = None
) -> Outcome:
    """Flag `day` (default: yesterday): a new flag for what was not flagged yet; an open flag
    of the same kind, user and day takes the latest figures and entries (a day run again once
    it is over finds the same); a reviewed one stays as it was reviewed. One audit entry
    (`access_review.run`, by Baken) names the day and the new flags; the privacy officer is
    mailed when there is a new one (oversight/mail.py). `limits`: other thresholds than the
    settings' (a test)."""
    now = now or timezone.now()
    day = day or timezone.localdate(now) - timedelta(days=1)
    found = detect(day, limits)
    new: list[AccessFlag] = []
    updated = unchanged = 0
    with transaction.atomic():
        existing = {
            (flag.kind, flag.user_id): flag
            for flag in AccessFlag.objects.select_for_update().filter(day=day)
        }
        for item in found:
            fields = {
                "period_start": item.start,
                "period_end": item.end,
                "figures": item.figures,
                "entries": item.entries,
            }
            flag = existing.get((item.kind, item.user_id))
            if flag is None:
                new.append(
                    AccessFlag.objects.create(
                        kind=item.kind, user_id=item.user_id, day=day, detected_at=now, **fields
                    )
                )
            elif flag.state == ReviewState.OPEN and any(
                getattr(flag, name) != value for name, value in fields.items()
            ):
                for name, value in fields.items():
                    setattr(flag, name, value)
                flag.save(update_fields=list(fields))
                updated += 1
            else:
                unchanged += 1
        audit_record(
            actor=SYSTEM,
            action=AuditAction.ACCESS_REVIEW_RUN,
            target=None,
            detail={"day": day.isoformat(), "new": [flag.pk for flag in new]},
        )
        if new:
            transaction.on_commit(lambda: mail_new_flags(day, len(new)))
    return Outcome(day=day, new=new, updated=updated, unchanged=unchanged)
