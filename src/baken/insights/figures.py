"""The figures behind the team dashboard and the management view (issue 7, items 1 and 4):
their parameters (period, category, area), the figures themselves read from the rollup
(figures_rollup.py) and the cases; the same as rows for exports and the API are in
figures_table.py.

Scope (need-to-know, docs/product.md#roles): a team lead and an analyst see the figures of
their team's reports and cases; management (and a team lead on the management view) the whole
municipality's, small counts suppressed (management_figures.py). Figures are counts only; the
reports behind a figure are listed only through `report_list(user=...)` (hotspots.py).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import EmptyResultSet, FullResultSet, PermissionDenied
from django.db import connection
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baken.cases.models import Intervention
from baken.core.dates import OUT_OF_RANGE, in_range
from baken.core.roles import Capability
from baken.places.models import Area
from baken.reports.models import Category, Channel

from . import figures_rollup as rollup
from .models import CaseBucket, FigureBucket, InterventionBucket

PERIODS = {"12": 12, "52": 52}
MAX_WEEKS = 160  # a from–to period: about three years at most
# The backlog's ages, in whole weeks since the week of receipt: [low, high) per bucket.
AGES = [(0, 1), (1, 4), (4, 12), (12, None)]


class FigureForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("12", _("Last 12 weeks")),
            ("52", _("Last 52 weeks")),
            ("custom", _("From – to")),
        ],
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(
        label=_("Up to and including"), required=False, widget=forms.DateInput({"type": "date"})
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    area = forms.ChoiceField(label=_("Area"), required=False)

    def __init__(self, *args, categories, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", _("All categories")),
            *((c.code, c.name) for c in categories),
        ]
        self.fields["area"].choices = [  # type: ignore[attr-defined]
            ("", _("All areas")),
            *((a.code, a.name) for a in areas),
        ]

    def clean(self):
        data = super().clean() or {}
        if data.get("period") == "custom" or data.get("start") or data.get("end"):
            check_period(self, data)
        return data


def check_period(form: forms.Form, data: dict) -> None:
    """The from–to of a figures or hotspots form: both dates, in order, at most MAX_WEEKS
    long, within Baken's dates (core.dates); problems added to the form."""
    start, end = data.get("start"), data.get("end")
    if not start or not end:
        raise forms.ValidationError(_("A period from – to needs both dates."))
    for name, day in (("start", start), ("end", end)):
        if not in_range(day):
            form.add_error(name, OUT_OF_RANGE)
            return
    if start > end:
        form.add_error("end", _("The end date lies before the start date."))
    elif (end - start).days > MAX_WEEKS * 7:
        form.add_error("end", _("A period can be at most 160 weeks long."))


@dataclass(frozen=True)
class Params:
    first: date  # the Monday of the first week
    last: date  # the Monday of the last week (the current week for "last N weeks")
    category: Category | None = None
    area: Area | None = None
    period: str = "12"
    # The names of every category and area by id, as read for the form (saves two queries).
    names: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def weeks(self) -> list[date]:
        n = (self.last - self.first).days // 7 + 1
        return [self.first + timedelta(weeks=i) for i in range(n)]

    def query(self) -> dict[str, str]:
        """The GET parameters that give these parameters again."""
        q = {"period": self.period}
        if self.period == "custom":
            q |= {"start": self.first.isoformat(), "end": (self.last + timedelta(6)).isoformat()}
        if self.category:
            q["category"] = self.category.code
        if self.area:
            q["area"] = self.area.code
        return q


def this_week() -> date:
    return rollup.week_of(timezone.now())


def params_from(data: Mapping | None) -> tuple[Params | None, FigureForm]:
    """The parameters of a GET query; None (and the form with its errors) when not valid.
    The period snaps to whole ISO weeks (the rollup's grain)."""
    categories = list(Category.objects.order_by("position", "name"))
    areas = list(Area.objects.only("pk", "code", "name").order_by("name"))
    form = FigureForm(data or None, categories=categories, areas=areas)
    if data and not form.is_valid():
        return None, form
    clean = form.cleaned_data if data else {}
    category = next((c for c in categories if c.code == clean.get("category")), None)
    area = next((a for a in areas if a.code == clean.get("area")), None)
    names = {"category": {c.pk: c.name for c in categories}, "area": {a.pk: a.name for a in areas}}
    if clean.get("start"):
        first = clean["start"] - timedelta(days=clean["start"].weekday())
        last = clean["end"] - timedelta(days=clean["end"].weekday())
        return Params(first, last, category, area, "custom", names), form
    period = clean.get("period") or "12"
    last = this_week()
    first = last - timedelta(weeks=PERIODS[period] - 1)
    return Params(first, last, category, area, period, names), form


# --- the figures -----------------------------------------------------------------------------


@dataclass
class Figures:
    """Counts per label, in display order; `None` as a label is "none" (no category, no area)."""

    weeks: list[date]
    per_week: dict[date, int]
    by_category: dict[str, int]
    by_area: dict[str, int]
    by_channel: dict[str, int]
    # Partition of the period's reports by how far they got (figures_rollup.STATES).
    by_state: dict[str, int]
    backlog_by_age: dict[str, int]
    backlog_by_state: dict[str, int]
    # Per week of receipt: (reports with it, seconds summed) for the first weighing and decision.
    lead_weighing: dict[date, tuple[int, int]]
    lead_decision: dict[date, tuple[int, int]]
    cases_by_stage: dict[str, int]
    interventions_by_kind: dict[str, int]
    interventions_by_state: dict[str, int]
    results: dict[str, int]
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.per_week.values())

    @property
    def funnel(self) -> dict[str, int]:
        """Cumulative: received, of which weighed, of which decided, of which to a case."""
        s = self.by_state
        case = s.get(rollup.CASE, 0)
        decided = s.get(rollup.DECIDED, 0) + case
        return {
            "received": self.total,
            "weighed": s.get(rollup.WEIGHED, 0) + decided,
            "decided": decided,
            "case": case,
        }


def _sum(rows, key: str) -> dict:
    return {row[key]: row["n"] for row in rows}


PeriodSums = tuple[list[dict], dict, dict, dict, dict]


def period_sums(period: QuerySet[FigureBucket]) -> PeriodSums:
    """The period's rows summed per week (with the lead-time sums), per category, area,
    channel and state: one GROUP BY each."""
    n = Sum("reports")
    weekly = [
        dict(row)
        for row in period.values("week").annotate(
            n=n,
            w=Sum("weighed"),
            ws=Sum("weighed_seconds"),
            d=Sum("decided"),
            ds=Sum("decided_seconds"),
        )
    ]
    return (
        weekly,
        _sum(period.values("category").annotate(n=n), "category"),
        _sum(period.values("area").annotate(n=n), "area"),
        _sum(period.values("channel").annotate(n=n), "channel"),
        _sum(period.values("state").annotate(n=n), "state"),
    )


# The five groupings of period_sums in one pass over the period's rows (PostgreSQL's GROUPING
# SETS): at 5 million reports the management view's 52 weeks are some hundred thousand rows,
# read five times by period_sums (issue 18). GROUPING(x) is 0 in the rows grouped by x.
_GROUPED = """
SELECT GROUPING(week), GROUPING(category_id), GROUPING(area_id), GROUPING(channel),
    week, category_id, area_id, channel, state,
    SUM(reports)::bigint, SUM(weighed)::bigint, SUM(weighed_seconds)::bigint,
    SUM(decided)::bigint, SUM(decided_seconds)::bigint
FROM insights_figurebucket WHERE {where}
GROUP BY GROUPING SETS ((week), (category_id), (area_id), (channel), (state))
"""


def period_sums_grouped(period: QuerySet[FigureBucket]) -> PeriodSums:
    """period_sums in one query (PostgreSQL). `period` filters FigureBucket's own columns
    only (team, category, area, weeks), so its WHERE clause stands on the table alone."""
    query = period.query
    try:
        where, params = query.get_compiler(connection=connection).compile(query.where)
    except FullResultSet:  # no condition at all
        where, params = "TRUE", []
    except EmptyResultSet:  # a condition nothing meets
        return [], {}, {}, {}, {}
    weekly: list[dict] = []
    by: tuple[dict, dict, dict, dict] = ({}, {}, {}, {})
    with connection.cursor() as cursor:
        cursor.execute(_GROUPED.format(where=where), params)
        for gw, gc, ga, gch, week, category, area, channel, state, *sums in cursor.fetchall():
            n, w, ws, d, ds = sums
            if not gw:
                weekly.append({"week": week, "n": n, "w": w, "ws": ws, "d": d, "ds": ds})
            elif not gc:
                by[0][category] = n
            elif not ga:
                by[1][area] = n
            elif not gch:
                by[2][channel] = n
            else:
                by[3][state] = n
    return (weekly, *by)


def _rollup_figures(team: int | None, params: Params) -> dict:
    base = FigureBucket.objects.order_by()
    if team is not None:
        base = base.filter(team=team)
    if params.category:
        base = base.filter(category=params.category)
    if params.area:
        base = base.filter(area=params.area)
    period = base.filter(week__gte=params.first, week__lte=params.last)
    n = Sum("reports")
    sums = period_sums_grouped if connection.vendor == "postgresql" else period_sums
    weekly, by_category, by_area, by_channel, by_state = sums(period)
    categories = params.names.get("category") or dict(Category.objects.values_list("pk", "name"))
    areas = params.names.get("area") or dict(Area.objects.values_list("pk", "name"))
    channels = dict(Channel.choices)
    now = this_week()
    backlog_by_age: dict[str, int] = {_age_label(low, high): 0 for low, high in AGES}
    backlog_by_state: dict[str, int] = dict.fromkeys(rollup.BACKLOG, 0)
    backlog = base.filter(state__in=rollup.BACKLOG).values("week", "state").annotate(n=n)
    for row in backlog:
        age = max(0, (now - row["week"]).days // 7)  # a clock ahead: counted as this week
        low, high = next((lo, hi) for lo, hi in AGES if age >= lo and (hi is None or age < hi))
        backlog_by_age[_age_label(low, high)] += row["n"]
        backlog_by_state[row["state"]] += row["n"]
    none = str(_("None"))
    return {
        "weeks": params.weeks,
        "per_week": {w: 0 for w in params.weeks} | {r["week"]: r["n"] for r in weekly},
        "by_category": _labelled(by_category, categories, str(_("No category"))),
        "by_area": _labelled(by_area, areas, str(_("Outside every area"))),
        "by_channel": {str(channels.get(k, k)): v for k, v in sorted(by_channel.items())},
        "by_state": by_state,
        "backlog_by_age": backlog_by_age,
        "backlog_by_state": backlog_by_state,
        "lead_weighing": {r["week"]: (r["w"], r["ws"]) for r in weekly},
        "lead_decision": {r["week"]: (r["d"], r["ds"]) for r in weekly},
        "labels": {"none": none},
    }


def _age_label(low: int, high: int | None) -> str:
    if high is None:
        return str(_("%(weeks)s weeks or older") % {"weeks": low})
    if high == 1:
        return str(_("This week"))
    return str(_("%(low)s to %(high)s weeks") % {"low": low, "high": high - 1})


def _labelled(counts: dict, names: dict, none: str) -> dict[str, int]:
    """Counts by name, largest first; the "none" row last."""
    named = sorted(
        ((names.get(k, str(k)), v) for k, v in counts.items() if k is not None),
        key=lambda item: (-item[1], item[0]),
    )
    rows = dict(named)
    if counts.get(None):
        rows[none] = counts[None]
    return rows


def _case_figures(team: int | None, params: Params) -> dict:
    """Cases of the team (or all): open ones per stage now, interventions started and cases
    closed in the period. Not filtered by category or area (a case has neither). Read from
    the cases' rows of the rollup (case_rollup.py, issue 18), grouped as the cases were."""
    cases = CaseBucket.objects.order_by()
    interventions = InterventionBucket.objects.order_by().filter(
        start_week__gte=params.first, start_week__lte=params.last
    )
    if team is not None:
        cases = cases.filter(team=team)
        interventions = interventions.filter(team=team)
    stages = (
        cases.filter(closed_week__isnull=True).values("stage__name").annotate(n=Sum("cases"))
    ).order_by("stage__position", "stage__name")
    closed = (
        cases.filter(closed_week__gte=params.first, closed_week__lte=params.last)
        .values("result__name")
        .annotate(n=Sum("cases"))
        .order_by("result__name")
    )
    n = Sum("interventions")
    kinds = interventions.values("kind__name").annotate(n=n).order_by("kind__name")
    states = interventions.values("state").annotate(n=n).order_by("state")
    state_names = dict(Intervention._meta.get_field("state").choices or [])
    no_result = str(_("Without a result"))
    return {
        "cases_by_stage": {r["stage__name"]: r["n"] for r in stages},
        "results": {r["result__name"] or no_result: r["n"] for r in closed},
        "interventions_by_kind": {r["kind__name"]: r["n"] for r in kinds},
        "interventions_by_state": {str(state_names.get(r["state"])): r["n"] for r in states},
    }


def figures_compute(*, team: int | None, params: Params) -> Figures:
    """The figures of one team (or, team None, the whole municipality), unsuppressed.
    Callers decide who may see which: use `team_figures` or management_figures."""
    rollup.rollup_refresh(inline_limit=settings.INSIGHTS_INLINE_REFRESH_MAX)
    return Figures(**_rollup_figures(team, params), **_case_figures(team, params))


def team_figures(*, user, params: Params) -> Figures | None:
    """The dashboard's figures for a team lead or analyst: those of their team. None for a
    user in no team. Others may not see a dashboard."""
    if not user.can(Capability.INSIGHTS):
        raise PermissionDenied
    if user.team_id is None:
        return None
    return figures_compute(team=user.team_id, params=params)


def may_see_management(user) -> bool:
    """Management only: a team lead who also saw the municipality's figures could subtract
    their own team's (from the dashboard, for the same weeks) and get the other teams'
    small counts."""
    return user.is_active and user.can(Capability.AGGREGATES)
