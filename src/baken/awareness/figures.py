"""What the awareness work brings, in figures (issue 17, docs/awareness-figures.md): reports per
reporter's department and month, the trainings on the same months, each training's
departments' reports in the three months after it against the three before, departments that
reported for the first time, the share of reports whose reporter ticked a sign, and the share
of "niet pluis" reports that led to further analysis.

ANONYMITY RULE. An anonymous report from a small department — small now
(`Department.size`) or small when the report came in (`Report.department_small`) — is never
counted under that department's name, anywhere in these figures: it is counted in one pooled
row, "Kleine afdelingen (anoniem)". A pooled report does not make its department a first-time
department and does not count in a training's before/after; only the totals per month, the
sign share and the niet-pluis share (which name no department) include it. A department's
name next to a count of one would point at the one colleague who reported (reports/models.py,
Report.department). What the rule cannot hide: with only one small department, the pooled row
is that department's (docs/awareness-figures.md).

Scope: the counts of the reports a team lead or analyst's team received (the dashboard's
scope, insights/figures.py `team_figures`: the team's reports, sealed ones counted as the
dashboard counts them), or with team None the municipality's, for the management view, which
suppresses small counts itself (insights/awareness_figures.py). The team's page shows real
counts: its readers may open every one of these reports anyway.

Cost: read from the rollup insights.AwarenessBucket (issue 18, ADR 0014's addendum; rows per
day × team × department × anonymous × small on arrival, rebuilt by week when a report
changes): one GROUP BY month × department over those rows, one EXISTS per department that
reported in the period, and one conditional aggregate over the trainings' windows: the number
of queries does not depend on the number of reports, departments or trainings.
"""

import calendar
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    DateField,
    Exists,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from baken.core.roles import Capability
from baken.reports.models import PUBLIC_CHANNELS, Department, DepartmentSize, Indicator, Report
from baken.reports.workflow import Status

from .models import Training

POOLED = "pooled"  # the row key of the small departments' anonymous reports
NO_DEPARTMENT = "none"  # reports whose reporter named no department
POOLED_LABEL = _("Small departments (anonymous)")
NO_DEPARTMENT_LABEL = _("No department given")
WINDOW_MONTHS = 3  # a training's before and after
NIET_PLUIS = "niet-pluis"
# Further analysis: the decision 'verdere analyse' and what may follow it. The workflow has no
# way back from either (reports/workflow.py TRANSITIONS), so the current status tells whether
# a report ever reached them: no read of the status history is needed.
ANALYSED = (Status.IN_ANALYSIS, Status.LINKED_TO_CASE)

# The anonymity rule (see above), as conditions on a report.
IS_POOLED = Q(department__isnull=False, is_anonymous=True) & (
    Q(department_small=True) | Q(department__size=DepartmentSize.SMALL)
)
IS_NAMED = Q(department__isnull=False) & (
    Q(is_anonymous=False) | Q(department_small=False, department__size=DepartmentSize.LARGE)
)
# Came in as "niet pluis": the category the reporter chose (the report's original), or the
# category now for a report entered without one in its original.
IS_NIET_PLUIS = Q(original__category=NIET_PLUIS) | Q(category__code=NIET_PLUIS)
# The sign share counts only the reports whose reporter was offered signs to tick: sent
# through the Meldpunt's own channels (web form or app; a report a colleague typed in or
# imported has no reporter ticking anything) under a category that has signs — the one the
# reporter chose (the original) or, for a report whose original names none, the one now.


def has_signs_to_tick() -> Q:
    """The condition above, with the categories that have signs read once (a handful of rows)
    and written into the query as lists: as a correlated subquery it was evaluated for every
    report of the period, twice, and made the page's one big query several times slower
    (bench/awareness.py). Since issue 18 evaluated when a week of the rollup is built
    (insights/awareness_rollup.py), not when the figures are read."""
    with_signs = set(Indicator.objects.values_list("category_id", "category__code").distinct())
    ids = sorted({pk for pk, _code in with_signs})
    codes = sorted({code for _pk, code in with_signs})
    return Q(channel__in=sorted(PUBLIC_CHANNELS)) & (
        Q(original__category__in=codes) | Q(category_id__in=ids)
    )


def pooled(*, department: Department, anonymous: bool, small_on_arrival: bool) -> bool:
    """The anonymity rule for one report, decided with the department's band as it is now:
    what IS_POOLED decides in the database, for a report remembered elsewhere (the weekly
    overview's snapshot keeps the facts, not the decision, insights/overview.py)."""
    return anonymous and (small_on_arrival or department.size == DepartmentSize.SMALL)


@dataclass(frozen=True)
class Share:
    part: int
    whole: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.part / self.whole) if self.whole else None


@dataclass(frozen=True)
class Row:
    key: str  # a department's code, POOLED or NO_DEPARTMENT
    label: str | Promise
    counts: dict[date, int]  # per month (its first day)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class TrainingMark:
    pk: int
    held_on: date
    title: str
    departments: list[str]  # names
    department_ids: list[int] = field(repr=False, default_factory=list)

    @property
    def month(self) -> date:
        return self.held_on.replace(day=1)


@dataclass(frozen=True)
class Effect:
    """One training's departments' named reports before and after it (the training's day
    counts as after: a colleague may report the same afternoon)."""

    training: TrainingMark
    before: int
    after: int
    before_from: date
    after_until: date  # the last day of the three months after
    complete: bool  # the three months after have passed


@dataclass(frozen=True)
class FirstReport:
    department: str
    code: str
    first: date  # the day of its first (named) report
    training: TrainingMark | None  # its most recent training on or before that day


@dataclass
class AwarenessFigures:
    start: date
    end: date  # inclusive
    months: list[date]
    rows: list[Row]
    per_month: dict[date, int]
    trainings: list[TrainingMark]
    effects: list[Effect]
    firsts: list[FirstReport]
    signs_by_month: dict[date, Share]
    signs: Share
    niet_pluis: Share
    # The rollup was behind and left to the tasks worker (a refresh too big for a page: right
    # after deploy, or after a change of the signs): the figures may be incomplete or old.
    updating: bool = False

    @property
    def total(self) -> int:
        return sum(self.per_month.values())

    def trainings_in(self, month: date) -> list[TrainingMark]:
        return [t for t in self.trainings if t.month == month]


# --- dates -----------------------------------------------------------------------------------


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def begins(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=_zone())


def add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative), the month's last day where it is
    shorter: 30 November + 3 months = 28 (or 29) February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def months_of(start: date, end: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = add_months(month, 1)
    return months


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last 12 months: from the first day of the month eleven months ago up to today."""
    today = today or timezone.localdate()
    return add_months(today.replace(day=1), -11), today


# --- the figures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rollup:
    """Where the figures are read from (insights.AwarenessBucket, issue 18). insights, above
    this app in the order of the apps (docs/adr/0026-layers-of-apps.md), registers it at
    start-up (InsightsConfig.ready), as cases gives reports its sharing rule: `rows()` is
    the rollup's queryset, `refresh(inline_limit=...)` brings it up to date first."""

    rows: Callable[[], QuerySet]
    refresh: Callable[..., bool]


_rollup: list[Rollup] = []


def read_from(rollup: Rollup) -> None:
    """Let the figures read `rollup` (called once, by InsightsConfig.ready)."""
    _rollup[:] = [rollup]


def _source() -> Rollup:
    if not _rollup:
        raise RuntimeError("The awareness figures need the insights app's rollup (INSTALLED_APPS).")
    return _rollup[0]


def _buckets(team: int | None) -> QuerySet:
    """The rollup of the reports of this scope: its fields are named as the report's, so
    IS_POOLED and IS_NAMED apply to it unchanged, with the department's band as it is now."""
    rows = _source().rows().order_by()
    return rows if team is None else rows.filter(team=team)


def _monthly(buckets: QuerySet, start: date, end: date) -> list[dict]:
    return list(
        buckets.filter(day__gte=start, day__lte=end)
        .annotate(
            month=TruncMonth("day", output_field=DateField()),
            pooled=Case(When(IS_POOLED, then=Value(True)), default=Value(False)),
        )
        .values("month", "department_id", "pooled")
        .annotate(
            n=Sum("reports"),
            first=Min("first"),
            offered_n=Sum("offered"),
            signed_n=Sum("signed"),
            np=Sum("niet_pluis"),
            np_analysed=Sum("niet_pluis_analysed"),
        )
        .order_by()
    )


def _month(value) -> date:
    if isinstance(value, datetime):
        value = timezone.localtime(value, _zone()) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def _trainings(start: date, end: date, today: date) -> list[TrainingMark]:
    # A training after today is a planned one, not given (awareness/trainings.py), whatever
    # the period asked for.
    last = min(end, today)
    rows = Training.objects.filter(held_on__gte=start, held_on__lte=last).prefetch_related(
        "departments"
    )
    return [_mark(t) for t in rows.order_by("held_on", "pk")]


def _mark(training: Training) -> TrainingMark:
    departments = sorted(training.departments.all(), key=lambda d: (d.position, d.name))
    return TrainingMark(
        pk=training.pk,
        held_on=training.held_on,
        title=training.title,
        departments=[d.name for d in departments],
        department_ids=[d.pk for d in departments],
    )


def _effects(reports: QuerySet, trainings: list[TrainingMark], today: date) -> list[Effect]:
    """Before and after of every training in one query: a conditional count per window."""
    windows = {}
    for t in trainings:
        before_from = add_months(t.held_on, -WINDOW_MONTHS)
        after_end = add_months(t.held_on, WINDOW_MONTHS)  # exclusive
        windows[t.pk] = (before_from, after_end)
    counted = [t for t in trainings if t.department_ids]
    sums: dict[str, int] = {}
    if counted:
        aggregates = {}
        for t in counted:
            before_from, after_end = windows[t.pk]
            ids = Q(department_id__in=t.department_ids)
            aggregates[f"b{t.pk}"] = Sum(
                "reports", filter=ids & Q(day__gte=before_from, day__lt=t.held_on)
            )
            aggregates[f"a{t.pk}"] = Sum(
                "reports", filter=ids & Q(day__gte=t.held_on, day__lt=after_end)
            )
        lowest = min(windows[t.pk][0] for t in counted)
        highest = max(windows[t.pk][1] for t in counted)
        sums = reports.filter(IS_NAMED, day__gte=lowest, day__lt=highest).aggregate(**aggregates)
    return [
        Effect(
            training=t,
            before=sums.get(f"b{t.pk}") or 0,
            after=sums.get(f"a{t.pk}") or 0,
            before_from=windows[t.pk][0],
            after_until=windows[t.pk][1] - timedelta(days=1),
            complete=windows[t.pk][1] <= today,
        )
        for t in trainings
    ]


def _firsts(
    reports: QuerySet, start: date, firsts_in_period: dict[int, datetime], names: dict
) -> list[FirstReport]:
    """Departments whose first named report (in this scope) lies in the period: of those that
    reported in it, the ones with no named report before it (one EXISTS per department, on
    the index of Report.department), each with its latest training on or before that day."""
    if not firsts_in_period:
        return []
    before = Q(received_at__lt=begins(start)) if reports.model is Report else Q(day__lt=start)
    earlier = reports.filter(IS_NAMED, before, department_id=OuterRef("pk"))
    new = set(
        Department.objects.filter(pk__in=list(firsts_in_period))
        .annotate(seen=Exists(earlier))
        .filter(seen=False)
        .values_list("pk", flat=True)
    )
    if not new:
        return []
    days = {pk: timezone.localtime(firsts_in_period[pk], _zone()).date() for pk in new}
    latest: dict[int, Training] = {}
    links = (
        Training.departments.through.objects.filter(
            department_id__in=new, training__held_on__lte=max(days.values())
        )
        .select_related("training")
        .order_by("training__held_on", "training_id")
    )
    for link in links:
        if link.training.held_on <= days[link.department_id]:
            latest[link.department_id] = link.training
    found = [
        FirstReport(
            department=names[pk].name,
            code=names[pk].code,
            first=days[pk],
            training=_mark_plain(latest[pk]) if pk in latest else None,
        )
        for pk in new
    ]
    return sorted(found, key=lambda f: (f.first, f.department))


def _mark_plain(training: Training) -> TrainingMark:
    # The training's own departments are not needed for the sentence about one department.
    return TrainingMark(
        pk=training.pk, held_on=training.held_on, title=training.title, departments=[]
    )


def awareness_compute(
    *,
    team: int | None,
    start: date,
    end: date,
    today: date | None = None,
    with_effects: bool = True,
) -> AwarenessFigures:
    """The figures of one team's reports (or, team None, the municipality's), unsuppressed,
    with the anonymity rule applied. Callers decide who may see which: use
    `awareness_figures` or insights' management figures."""
    today = today or timezone.localdate()
    # Up to date first (ADR 0014): rebuilt inline up to the limit, else by the worker.
    current = _source().refresh(inline_limit=settings.INSIGHTS_INLINE_REFRESH_MAX)
    reports = _buckets(team)
    months = months_of(start, end)
    departments = {d.pk: d for d in Department.objects.order_by("position", "name")}
    counts: dict[str, dict[date, int]] = defaultdict(lambda: dict.fromkeys(months, 0))
    per_month = dict.fromkeys(months, 0)
    signed = dict.fromkeys(months, 0)
    offered = dict.fromkeys(months, 0)
    niet_pluis = [0, 0]
    firsts: dict[int, datetime] = {}
    for row in _monthly(reports, start, end):
        month = _month(row["month"])
        dept = row["department_id"]
        key = POOLED if row["pooled"] else NO_DEPARTMENT if dept is None else departments[dept].code
        counts[key][month] += row["n"]
        per_month[month] += row["n"]
        signed[month] += row["signed_n"]
        offered[month] += row["offered_n"]
        niet_pluis[0] += row["np_analysed"]
        niet_pluis[1] += row["np"]
        if dept is not None and not row["pooled"]:
            firsts[dept] = min(firsts.get(dept, row["first"]), row["first"])
    rows = [
        Row(d.code, d.name, counts[d.code])
        for d in departments.values()
        if d.is_active or d.code in counts
    ]
    rows.append(Row(POOLED, POOLED_LABEL, counts[POOLED]))
    rows.append(Row(NO_DEPARTMENT, NO_DEPARTMENT_LABEL, counts[NO_DEPARTMENT]))
    trainings = _trainings(start, end, today)
    return AwarenessFigures(
        start=start,
        end=end,
        months=months,
        rows=rows,
        per_month=per_month,
        trainings=trainings,
        effects=_effects(reports, trainings, today) if with_effects else [],
        firsts=_firsts(reports, start, firsts, departments),
        signs_by_month={m: Share(signed[m], offered[m]) for m in months},
        signs=Share(sum(signed.values()), sum(offered.values())),
        niet_pluis=Share(niet_pluis[0], niet_pluis[1]),
        updating=not current,
    )


def awareness_figures(
    *, user, start: date, end: date, with_effects: bool = True
) -> AwarenessFigures | None:
    """The figures of the user's team, for a team lead or analyst (Capability.INSIGHTS), as
    the dashboard scopes its own (insights/figures.py `team_figures`); None for a user in no
    team. Others may not see them."""
    if not user.can(Capability.INSIGHTS):
        raise PermissionDenied
    if user.team_id is None:
        return None
    return awareness_compute(team=user.team_id, start=start, end=end, with_effects=with_effects)


# --- the weekly overview ---------------------------------------------------------------------


@dataclass(frozen=True)
class WeekFirst:
    """A department's first named report ever, as the weekly overview keeps it: the facts
    the anonymity rule needs (the department, anonymous or not, its band on arrival), not the
    decision, so that the overview decides again with the department's band when it is read
    (a department made small later is no longer named; insights/overview_scope.py)."""

    team_id: int | None
    department_id: int
    anonymous: bool
    small_on_arrival: bool
    report: FirstReport


def week_firsts(start: date, end: date) -> list[WeekFirst]:
    """The departments whose first named report ever (any team) came in from `start` up to
    and including `end`, each with the team of that report and its latest training on or
    before that day: the weekly overview's "first report from department X after the
    training of ...". Under the anonymity rule a pooled report never makes such a sentence."""
    window = Q(received_at__gte=begins(start), received_at__lt=begins(end + timedelta(1)))
    reports = Report.objects.order_by()
    in_week = {
        row["department_id"]: row["first"]
        for row in reports.filter(IS_NAMED, window)
        .values("department_id")
        .annotate(first=Min("received_at"))
    }
    departments = {d.pk: d for d in Department.objects.filter(pk__in=list(in_week))}
    firsts = _firsts(reports, start, in_week, departments)
    if not firsts:
        return []
    codes = {d.code: d.pk for d in departments.values()}
    facts = {
        (row["department_id"], row["received_at"]): row
        for row in reports.filter(
            IS_NAMED, window, department_id__in=[codes[f.code] for f in firsts]
        ).values("department_id", "received_at", "team_id", "is_anonymous", "department_small")
    }
    found = []
    for f in firsts:
        pk = codes[f.code]
        row = facts[(pk, in_week[pk])]
        found.append(
            WeekFirst(
                team_id=row["team_id"],
                department_id=pk,
                anonymous=row["is_anonymous"],
                small_on_arrival=row["department_small"],
                report=f,
            )
        )
    return found


def week_trainings(start: date, end: date) -> list[TrainingMark]:
    return _trainings(start, end, timezone.localdate())
