"""The figures of one week's overview, per team, from aggregate queries only.

Every figure depends on the data's own timestamps (received_at, the moment of a decision, a
case's opened_at and closed_at, a task's deadline and done_at) measured against the week's
bounds, never on the moment it is built: building a week again gives the same snapshot.

Each query is one GROUP BY over a range of an indexed column (Report.received_at) or over a
small table (decisions, cases, tasks); none loads a row per report into Python. The results
are keyed by team id as text ("" for reports without a team) so the snapshot is plain JSON.
"""

from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Q, Sum

from baken.cases.models import Case, CaseDecision, Task
from baken.reports.inbox import OPEN, past_deadline
from baken.reports.models import Category, Decision, Report

from . import figures_rollup
from . import hotspots as spots
from .models import FigureBucket
from .overview_week import Week

NO_TEAM = ""
NO_CATEGORY = ""
# How many reports in the week make an address, area or subject a hotspot.
HOTSPOT_MIN = getattr(settings, "INSIGHTS_HOTSPOT_MIN", 2)
HOTSPOT_TOP = 10
# "Notable": at least half again the 4-week (or the 52-week) mean and at least 3 more (or
# fewer) reports.
NOTABLE_FACTOR = 1.5
NOTABLE_DIFFERENCE = 3

Counts = dict[str, dict[str, int]]  # team → key → count


def _team(value) -> str:
    return NO_TEAM if value is None else str(value)


def _grouped(rows, team_key: str, key: str) -> Counts:
    out: Counts = defaultdict(dict)
    for row in rows:
        k = row[key]
        out[_team(row[team_key])][NO_CATEGORY if k is None else str(k)] = row["n"]
    return out


def _in(week_from: Week, week_to: Week) -> Q:
    return Q(received_at__gte=week_from.begins, received_at__lt=week_to.ends)


def _category_codes() -> dict[int, str]:
    return dict(Category.objects.values_list("pk", "code"))


def reports_per_category(first: Week, last: Week, codes: dict[int, str]) -> Counts:
    """New reports per team and category code, received in the weeks first..last: read from
    the dashboard's rollup (ADR 0014), which counts every report by its ISO week of receipt,
    brought up to date first (a background build may wait for that)."""
    figures_rollup.rollup_refresh()
    rows = (
        FigureBucket.objects.filter(week__gte=first.start, week__lte=last.start)
        .values("team_id", "category_id")
        .annotate(n=Sum("reports"))
        .order_by()
    )
    out: Counts = defaultdict(lambda: defaultdict(int))
    for row in rows:
        code = codes.get(row["category_id"], NO_CATEGORY)
        out[_team(row["team_id"])][code] += row["n"]
    return {team: dict(by) for team, by in out.items()}


def decisions(week: Week) -> tuple[Counts, Counts]:
    """Weighed decisions on reports (model protocol stage 2) and the steps of cases, per kind;
    a case's opening and closing are counted apart (cases_opened_closed)."""
    moment = Q(at__gte=week.begins, at__lt=week.ends)
    on_reports = (
        Decision.objects.filter(moment)
        .values("report__team_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    on_cases = (
        CaseDecision.objects.filter(moment)
        .exclude(kind__in=["open", "close"])
        .values("case__team_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _grouped(on_reports, "report__team_id", "kind"), _grouped(
        on_cases, "case__team_id", "kind"
    )


def cases_opened_closed(week: Week) -> Counts:
    out: Counts = defaultdict(lambda: {"opened": 0, "closed": 0})
    for field, name in (("opened_at", "opened"), ("closed_at", "closed")):
        rows = (
            Case.objects.filter(**{f"{field}__gte": week.begins, f"{field}__lt": week.ends})
            .values("team_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            out[_team(row["team_id"])][name] = row["n"]
    return dict(out)


def hotspots(week: Week, teams: set[str]) -> tuple[dict[str, dict[str, list]], list[list]]:
    """The dashboard's hotspots (insights/hotspots.py, the same rules) of the week's reports,
    per team, with at least HOTSPOT_MIN reports, the biggest HOTSPOT_TOP of each kind:
    addresses [postcode, number, n], areas [code, name, n, rising] and registered subjects
    [id, n]; and the areas over all teams (what management may see, suppressed)."""

    def areas(hotspots: list) -> list[list]:
        return [[h.key, h.label, h.count, h.rising] for h in hotspots[:HOTSPOT_TOP]]

    # Addresses of every team in one pass over the week's reports (the biggest read here).
    addresses: dict[str, list[list]] = defaultdict(list)
    for team_id, hotspot in spots.addresses_by_team(week.start, week.last_day, HOTSPOT_MIN):
        if len(addresses[_team(team_id)]) < HOTSPOT_TOP:
            postcode, _sep, number = hotspot.key.partition("-")
            addresses[_team(team_id)].append([postcode, int(number), hotspot.count])
    per_team: dict[str, dict[str, list]] = {}
    for team in sorted(teams - {NO_TEAM}):
        result = spots.hotspots(
            user=None,
            team=int(team),
            start=week.start,
            end=week.last_day,
            minimum=HOTSPOT_MIN,
            with_addresses=False,  # all teams' at once, above
        )
        per_team[team] = {
            "addresses": addresses.get(team, []),
            "areas": areas(result.areas),
            "subjects": [[int(h.key), h.count] for h in result.subjects[:HOTSPOT_TOP]],
        }
    # Over all teams only the areas (what management may see): no address or subject query.
    return per_team, areas(
        spots.area_hotspots(None, week.start, week.last_day, HOTSPOT_MIN, inline=False)
    )


def _change(count: int, mean: float) -> str:
    """ "up" or "down" when this week's count differs notably from a weekly mean, else ""."""
    if count >= NOTABLE_FACTOR * mean and count - mean >= NOTABLE_DIFFERENCE:
        return "up"
    if count * NOTABLE_FACTOR <= mean and mean - count >= NOTABLE_DIFFERENCE:
        return "down"
    return ""


def trend(count: int, sum4: int, sum52: int) -> dict:
    """This week's count against the weekly mean of the 4 and of the 52 weeks before, with
    what changed notably against each ("change4", "change52"); "change" is the direction when
    it is notable against either and the two do not contradict each other."""
    mean4, mean52 = sum4 / 4, sum52 / 52
    change4, change52 = _change(count, mean4), _change(count, mean52)
    return {
        "count": count,
        "mean4": round(mean4, 2),
        "mean52": round(mean52, 2),
        "change4": change4,
        "change52": change52,
        "change": "" if change4 and change52 and change4 != change52 else change4 or change52,
    }


def overdue(week: Week) -> Counts:
    """At the end of the week: open tasks past their deadline, and reports not yet weighed
    past their category's deadline.

    A report is weighed once and never returns to the states before (reports/workflow.py), so
    "not weighed at the week's end" is: still before the weighing now, or weighed (its
    decision recorded) only after the week. Both parts read an index or a small table.
    """
    end = week.ends
    out: Counts = defaultdict(lambda: {"tasks": 0, "reports": 0})
    tasks = (
        Task.objects.filter(created_at__lt=end, deadline__lte=week.last_day)
        .filter(Q(done_at__isnull=True) | Q(done_at__gte=end))
        .values("case__team_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in tasks:
        out[_team(row["case__team_id"])]["tasks"] = row["n"]
    still_open = (
        Report.objects.filter(status__in=OPEN, merged_into__isnull=True)
        .filter(past_deadline(end))
        .values("team_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for report in still_open:
        out[_team(report["team_id"])]["reports"] += report["n"]
    weighed_later = (
        Decision.objects.filter(at__gte=end, report__merged_into__isnull=True)
        .filter(past_deadline(end, prefix="report__"))
        .values("report__team_id")
        .annotate(n=Count("report_id", distinct=True))
        .order_by()
    )
    for decision in weighed_later:
        out[_team(decision["report__team_id"])]["reports"] += decision["n"]
    return dict(out)
