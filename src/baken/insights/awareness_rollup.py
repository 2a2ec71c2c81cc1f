"""The awareness figures' part of the rollup (models.AwarenessBucket; issue 18): the reports
grouped per local day × team × department × anonymous × small on arrival, with the counts
awareness/figures.py used to take per request over the whole period, under the same
conditions (its has_signs_to_tick, IS_NIET_PLUIS, ANALYSED).

Kept as the dashboard's rollup is (ADR 0014), by week and from the same marks: a week is
rebuilt whenever one of its reports changes (FigureStaleWeek, the report-id watermark).
`rollup_refresh` rebuilds these rows with its own for the weeks it rebuilds; a page that
reads only the awareness figures calls `awareness_refresh`, which rebuilds just these rows of
the weeks marked since it last looked, in one GROUP BY in the database for all of them: a fixed
number of queries however many weeks changed, and no report rows through Python. It reads the
marks it has not consumed yet (FigureStaleWeek.awareness_done false) and sets the flag on
those it read, by id; it leaves deleting them to `rollup_refresh`. Not an id watermark for
the marks: on PostgreSQL ids are handed out before commit, so a mark committed after a higher
one was read would lie below it and be skipped for good.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncDate

from baken.awareness.figures import ANALYSED, IS_NIET_PLUIS, has_signs_to_tick
from baken.reports.models import Report

from . import figures_rollup as rollup
from .models import AwarenessBucket, FigureStaleWeek, FigureState


def _spans(weeks: Iterable[date]) -> list[tuple[date, date]]:
    """Adjacent weeks joined: [(first Monday, last Monday)], so a full rebuild is one range."""
    spans: list[list[date]] = []
    for monday in sorted(set(weeks)):
        if spans and monday - spans[-1][1] == timedelta(weeks=1):
            spans[-1][1] = monday
        else:
            spans.append([monday, monday])
    return [(a, b) for a, b in spans]


def rebuild_awareness(weeks: Iterable[date], offered: Q | None = None) -> int:
    """Replace these weeks' rows from the reports; the number of rows written."""
    spans = _spans(weeks)
    if not spans:
        return 0
    if offered is None:
        offered = has_signs_to_tick()
    moments, days = Q(), Q()
    for first, last in spans:
        start, end = rollup.week_span(first, last)
        moments |= Q(received_at__gte=start, received_at__lt=end)
        days |= Q(day__gte=first, day__lte=last + timedelta(days=6))
    has_sign = Exists(Report.signs.through.objects.filter(report_id=OuterRef("pk")))
    rows = (
        Report.objects.filter(moments)
        .order_by()
        .annotate(
            day=TruncDate("received_at", tzinfo=rollup._zone(), output_field=DateField()),
            was_offered=Case(When(offered, then=Value(True)), default=Value(False)),
            was_signed=Case(When(has_sign, then=Value(True)), default=Value(False)),
        )
        .values("day", "team_id", "department_id", "is_anonymous", "department_small")
        .annotate(
            n=Count("pk"),
            first=Min("received_at"),
            offered_n=Count("pk", filter=Q(was_offered=True)),
            signed_n=Count("pk", filter=Q(was_offered=True, was_signed=True)),
            np=Count("pk", filter=IS_NIET_PLUIS),
            np_analysed=Count("pk", filter=IS_NIET_PLUIS & Q(status__in=ANALYSED)),
        )
    )
    merged: dict[tuple, list] = defaultdict(lambda: [0, None, 0, 0, 0, 0])
    for row in rows:
        department = row["department_id"]
        anonymous = bool(row["is_anonymous"]) and department is not None
        # The band on arrival matters only for an anonymous report (IS_POOLED, IS_NAMED).
        small = bool(row["department_small"]) and anonymous
        day = row["day"]
        if isinstance(day, datetime):
            day = day.date()
        bucket = merged[(day, row["team_id"], department, anonymous, small)]
        bucket[0] += row["n"]
        bucket[1] = row["first"] if bucket[1] is None else min(bucket[1], row["first"])
        bucket[2] += row["offered_n"]
        bucket[3] += row["signed_n"]
        bucket[4] += row["np"]
        bucket[5] += row["np_analysed"]
    AwarenessBucket.objects.filter(days).delete()
    AwarenessBucket.objects.bulk_create(
        [
            AwarenessBucket(
                day=day,
                team_id=team,
                department_id=department,
                is_anonymous=anonymous,
                department_small=small,
                reports=n,
                first=first,
                offered=offered_n,
                signed=signed_n,
                niet_pluis=np,
                niet_pluis_analysed=np_analysed,
            )
            for (day, team, department, anonymous, small), (
                n,
                first,
                offered_n,
                signed_n,
                np,
                np_analysed,
            ) in merged.items()
        ],
        batch_size=5000,
    )
    return len(merged)


def _pending(seen_report: int) -> tuple[set[date], int, list[int]]:
    """The weeks to rebuild, the highest report id and the ids of the marks they include."""
    marks = list(
        FigureStaleWeek.objects.filter(awareness_done=False).order_by().values_list("pk", "week")
    )
    weeks, top = rollup._new_report_weeks(seen_report)
    weeks |= {week for _pk, week in marks}
    return weeks, top, [pk for pk, _week in marks]


def _more_than(limit: int, weeks: set[date], seen_report: int) -> bool:
    """Whether the rebuild would read more than `limit` reports: one bounded count from the
    indexes (received_at, the primary key), whatever the number of weeks."""
    rows = Q(pk__gt=seen_report)
    for first, last in _spans(weeks):
        start, end = rollup.week_span(first, last)
        rows |= Q(received_at__gte=start, received_at__lt=end)
    return Report.objects.filter(rows).order_by().values("pk")[: limit + 1].count() > limit


def awareness_refresh(*, inline_limit: int | None = None) -> bool:
    """Bring the awareness rows up to date; True when they are afterwards. Cheap when nothing
    changed (one small query). With `inline_limit` (a page read) a refresh that would
    read more reports is asked of the tasks worker and False returned, as rollup_refresh."""
    # One query: how far the rows are built, the newest report, and whether a week was
    # marked that these rows did not consume (the dashboard asks this beside rollup_refresh's).
    state = (
        FigureState.objects.filter(pk=1)
        .annotate(
            top=Subquery(Report.objects.order_by("-pk").values("pk")[:1]),
            marked=Exists(FigureStaleWeek.objects.filter(awareness_done=False)),
        )
        .values_list("awareness_seen_report_id", "top", "marked")
        .first()
    )
    if state is None:  # never built: build (the same queries as when something changed)
        seen_report, top, marked = 0, -1, True
    else:
        seen_report, top, marked = state[0], state[1] or 0, state[2]
    if seen_report == top and not marked:
        return True
    if inline_limit is not None:
        weeks, _top, _marks = _pending(seen_report)
        if _more_than(inline_limit, weeks, seen_report):
            rollup._ask_worker()
            return False
    with transaction.atomic():
        # The state row made (when missing) and locked in the same two queries every time.
        FigureState.objects.bulk_create([FigureState(pk=1)], ignore_conflicts=True)
        locked = FigureState.objects.select_for_update().get(pk=1)
        weeks, top, marks = _pending(locked.awareness_seen_report_id)
        rebuild_awareness(weeks)
        # Only the marks read above: one committed meanwhile (whatever its id) stays unread.
        FigureStaleWeek.objects.filter(pk__in=marks).update(awareness_done=True)
        FigureState.objects.filter(pk=1).update(awareness_seen_report_id=top)
    return True


def awareness_rebuilt_with(state: FigureState, top: int, marks: list) -> None:
    """After rollup_refresh rebuilt its weeks (with their awareness rows; `state` as it was
    before): the awareness rows are current for the same marks (which rollup_refresh deletes),
    and up to the same report when they were not behind the rollup's watermark (after a change
    of the signs they are, and stay so until awareness_refresh rebuilds them all)."""
    seen = state.awareness_seen_report_id
    FigureState.objects.filter(pk=1).update(
        awareness_seen_report_id=max(top, seen) if seen >= state.seen_report_id else seen,
    )
