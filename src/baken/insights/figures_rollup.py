"""The rollup the dashboard and the management view read (ADR 0014): reports counted per ISO
week of receipt × team × category × channel × area × state, with lead-time sums.

Every figure of a report belongs to the week it was received in, and `received_at` never
changes; so when a report changes, only its week's rows are out of date. A report's `save()`
or `delete()` appends that week to FigureStaleWeek (the receivers below, connected in
apps.py), and `rollup_refresh()`, called before every read, rebuilds the stale weeks from the
reports themselves. Receivers rather than calls in each service: the report is written by a
dozen services in four apps (intake, triage, routing, editing, duplicates, weighing, cases),
and a receiver cannot be forgotten by the next one. What bypasses `save()` is covered too:
batch inserts (the demo loader) by the id watermark in FigureState, the one `.update()` of
weighing by the transition saved in the same transaction; a re-import of areas rebuilds all.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max, Min
from django.utils import timezone

from baken.places.areas import area_for
from baken.places.models import Area
from baken.privacy.models import DestroyedReportFigure
from baken.reports.models import Report, StatusChange
from baken.reports.workflow import Status

from .models import FigureBucket, FigureStaleWeek, FigureState

# The state of a report as the figures count it. "open": in triage, not yet weighed;
# "weighed": weighed, the decision still to come (both are the backlog, as in the inbox);
# "decided": no action, referred, forwarded or further analysis; "case": linked to a case;
# "merged": a duplicate merged into another report (received, but no work of its own).
OPEN, WEIGHED, DECIDED, CASE, MERGED = "open", "weighed", "decided", "case", "merged"
STATES = (OPEN, WEIGHED, DECIDED, CASE, MERGED)
BACKLOG = (OPEN, WEIGHED)
_STATE: dict[str, str] = {
    Status.RECEIVED: OPEN,
    Status.IN_TRIAGE: OPEN,
    Status.AWAITING_REPORTER: OPEN,
    Status.WEIGHED: WEIGHED,
    Status.NO_ACTION: DECIDED,
    Status.REFERRED: DECIDED,
    Status.FORWARDED: DECIDED,
    Status.IN_ANALYSIS: DECIDED,
    Status.LINKED_TO_CASE: CASE,
}
DECISIONS = (Status.NO_ACTION, Status.REFERRED, Status.FORWARDED, Status.IN_ANALYSIS)


def state_of(status: str, merged: bool) -> str:
    return MERGED if merged else _STATE[status]


# --- weeks -------------------------------------------------------------------------------------


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def week_of(moment: datetime) -> date:
    """The Monday of the ISO week the moment falls in, in the municipality's time zone."""
    day = moment.astimezone(_zone()).date()
    return day - timedelta(days=day.weekday())


def week_of_day(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_begins(monday: date) -> datetime:
    return datetime.combine(monday, time(), tzinfo=_zone())


def week_span(first: date, last: date) -> tuple[datetime, datetime]:
    """From the first week's Monday 00:00 up to (not including) the Monday after the last."""
    return week_begins(first), week_begins(last + timedelta(weeks=1))


# --- marking stale -----------------------------------------------------------------------------


def mark_report(sender, instance: Report, **kwargs) -> None:
    """post_save / post_delete of a report: its week is out of date. Written in the same
    transaction as the change, so the mark and the change stand or fall together."""
    if instance.received_at is not None and not kwargs.get("raw"):
        FigureStaleWeek.objects.create(week=week_of(instance.received_at))


def mark_areas(sender, **kwargs) -> None:
    """An area imported, changed or removed: every report may lie in another area now."""
    _state(lock=False)
    FigureState.objects.filter(pk=1).update(seen_report_id=0)
    FigureBucket.objects.all().delete()


def mark_signs(sender, **kwargs) -> None:
    """A category's signs changed: whether a reporter was offered signs to tick (the awareness
    figures' sign share) may differ for every report, so every week's awareness rows are
    rebuilt (their watermark reset, as an area import resets the rollup's; the rows stay
    until then)."""
    if kwargs.get("raw"):
        return
    _state(lock=False)
    FigureState.objects.filter(pk=1).update(awareness_seen_report_id=0)


# --- rebuilding --------------------------------------------------------------------------------


def _state(*, lock: bool) -> FigureState:
    rows = FigureState.objects.select_for_update() if lock else FigureState.objects
    state = rows.filter(pk=1).first()
    if state is None:
        FigureState.objects.bulk_create([FigureState(pk=1)], ignore_conflicts=True)
        state = rows.get(pk=1)
    return state


def _firsts(start: datetime, end: datetime) -> dict[int, tuple]:
    """Per report received in [start, end): its first weighing and its first decision."""
    rows = (
        StatusChange.objects.filter(
            report__received_at__gte=start,
            report__received_at__lt=end,
            to_status__in=[Status.WEIGHED, *DECISIONS],
        )
        .order_by()
        .values_list("report_id", "to_status")
        .annotate(first=Min("at"))
    )
    firsts: dict[int, list] = defaultdict(lambda: [None, None])
    for report_id, to_status, first in rows:
        slot = firsts[report_id]
        index = 0 if to_status == Status.WEIGHED else 1
        if slot[index] is None or first < slot[index]:
            slot[index] = first
    return {k: tuple(v) for k, v in firsts.items()}


def _count(
    bucket: list[int], received: datetime, weighed: datetime | None, decided: datetime | None
) -> None:
    bucket[0] += 1
    if weighed is not None:
        bucket[1] += 1
        bucket[2] += int((weighed - received).total_seconds())
    if decided is not None:
        bucket[3] += 1
        bucket[4] += int((decided - received).total_seconds())


def _rebuild_week(monday: date, areas: list[Area]) -> int:
    start, end = week_span(monday, monday)
    firsts = _firsts(start, end)
    buckets: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    rows = (
        Report.objects.filter(received_at__gte=start, received_at__lt=end)
        .order_by()
        .values_list(
            "pk",
            "team_id",
            "category_id",
            "channel",
            "status",
            "merged_into_id",
            "lat",
            "lon",
            "received_at",
        )
    )
    for pk, team, category, channel, status, merged, lat, lon, received in rows.iterator(5000):
        area = area_for(lat, lon, areas) if areas else None
        key: tuple = (
            team,
            category,
            channel,
            area.pk if area else None,
            state_of(status, bool(merged)),
        )
        weighed, decided = firsts.get(pk, (None, None))
        _count(buckets[key], received, weighed, decided)
    # Reports destroyed after their retention period still count (privacy/destruction.py).
    gone = DestroyedReportFigure.objects.filter(received_at__gte=start, received_at__lt=end)
    for figure in gone.iterator(5000):
        key = (
            figure.team_id,
            figure.category_id,
            figure.channel,
            figure.area_id,
            state_of(figure.status, figure.merged),
        )
        _count(buckets[key], figure.received_at, figure.first_weighed_at, figure.first_decided_at)
    FigureBucket.objects.filter(week=monday).delete()
    FigureBucket.objects.bulk_create(
        [
            FigureBucket(
                week=monday,
                team_id=team,
                category_id=category,
                channel=channel,
                area_id=area,
                state=state,
                reports=n,
                weighed=weighed,
                weighed_seconds=weighed_seconds,
                decided=decided,
                decided_seconds=decided_seconds,
            )
            for (team, category, channel, area, state), (
                n,
                weighed,
                weighed_seconds,
                decided,
                decided_seconds,
            ) in buckets.items()
        ],
        batch_size=1000,
    )
    return len(buckets)


def rollup_rebuild(weeks: Iterable[date]) -> int:
    """Rebuild these weeks' rows from the reports; the number of rows written."""
    # Here, not at the top: awareness_rollup.py and address_rollup.py use this module.
    from .address_rollup import rebuild_addresses
    from .awareness_rollup import rebuild_awareness

    weeks = set(weeks)
    areas = list(Area.objects.all())
    written = sum(_rebuild_week(monday, areas) for monday in sorted(weeks))
    # The awareness figures' and the address hotspots' rows of the same weeks (issue 18).
    return written + rebuild_awareness(weeks) + rebuild_addresses(weeks)


def _new_report_weeks(seen: int) -> tuple[set[date], int]:
    """The weeks of the reports above the watermark, and the new watermark."""
    top = Report.objects.aggregate(top=Max("pk"))["top"] or 0
    if top <= seen:
        return set(), seen
    moments = (
        Report.objects.filter(pk__gt=seen, pk__lte=top)
        .order_by()
        .values_list("received_at", flat=True)
        .iterator(20_000)
    )
    return {week_of(m) for m in moments}, top


def _more_pending_than(limit: int, stale_weeks: set[date], seen: int) -> bool:
    """Whether a refresh would read more than `limit` reports: those of the stale weeks and
    those above the watermark. Counted from indexes (received_at, the primary key), and only
    up to the limit: a busy week is not counted through to say that it is busy."""
    parts = [Report.objects.filter(pk__gt=seen)]
    for monday in stale_weeks:
        start, end = week_span(monday, monday)
        parts.append(Report.objects.filter(received_at__gte=start, received_at__lt=end))
    pending = 0
    for rows in parts:
        pending += rows.order_by().values("pk")[: limit + 1 - pending].count()
        if pending > limit:
            return True
    return False


def rollup_refresh(*, inline_limit: int | None = None) -> bool:
    """Bring the rollup up to date: rebuild the weeks marked stale and those of reports added
    without `save()`; True when it is up to date afterwards. Cheap when nothing changed (two
    small queries).

    With `inline_limit` (a page or API read), a refresh that would read more reports than
    that is left to the tasks worker, asked once, and False is returned: the page shows the
    figures as they were, with their time, instead of waiting seconds for a busy week (at
    real volumes a week holds hundreds of reports and is rebuilt inline in milliseconds).
    Precondition: none; it takes the FigureState row lock itself."""
    # Here, not at the top: case_rollup.py uses this module.
    from .case_rollup import cases_behind, cases_refresh

    # The report-id watermark, and in the same query whether the cases' rows are behind.
    seen, behind = cases_behind()
    top = Report.objects.aggregate(top=Max("pk"))["top"] or 0
    if seen == top and not FigureStaleWeek.objects.exists():
        return cases_refresh(inline_limit=inline_limit) if behind else True
    if inline_limit is not None:
        stale = set(FigureStaleWeek.objects.values_list("week", flat=True))
        if _more_pending_than(inline_limit, stale, seen or 0):
            _ask_worker()
            return False
    with transaction.atomic():
        state = _state(lock=True)
        stale_marks = list(FigureStaleWeek.objects.values_list("pk", "week"))
        weeks, top = _new_report_weeks(state.seen_report_id)
        weeks |= {week for _pk, week in stale_marks}
        rollup_rebuild(weeks)
        # Only the marks read above: a change committed meanwhile keeps its own.
        FigureStaleWeek.objects.filter(pk__in=[pk for pk, _week in stale_marks]).delete()
        from .awareness_rollup import awareness_rebuilt_with

        awareness_rebuilt_with(state, top, stale_marks)
        FigureState.objects.filter(pk=1).update(
            seen_report_id=top, rebuilt_at=timezone.now(), refresh_asked_at=None
        )
    # The cases' rows (case_rollup.py, issue 18), if they are behind.
    return cases_refresh(inline_limit=inline_limit) if behind else True


# A refresh asked of the worker longer ago than this is asked again (the worker was down).
ASK_AGAIN = timedelta(minutes=10)


def _ask_worker() -> None:
    """Enqueue one refresh for the tasks worker, not one per page view."""
    # Here, not at the top: a cycle (.tasks runs rollup_refresh of this module).
    from .tasks import figures_refresh

    now = timezone.now()
    _state(lock=False)
    asked = FigureState.objects.filter(pk=1).filter(
        models.Q(refresh_asked_at__isnull=True) | models.Q(refresh_asked_at__lt=now - ASK_AGAIN)
    )
    if asked.update(refresh_asked_at=now):
        transaction.on_commit(figures_refresh.enqueue)


def rollup_behind() -> datetime | None:
    """While the worker brings the rollup up to date: the moment of the figures shown (when
    it was last up to date); None when they are current."""
    row = FigureState.objects.filter(pk=1).values("rebuilt_at", "refresh_asked_at").first()
    if row is None or row["refresh_asked_at"] is None:
        return None
    return row["rebuilt_at"] or row["refresh_asked_at"]
