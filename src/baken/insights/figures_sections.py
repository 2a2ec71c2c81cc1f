"""The figures as sections: one table (and one chart) each, with display values — what the
dashboard and the management view render, the charts draw and the API and exports list.

A value is an int, a float (days), None (nothing to show: a gap in a chart, "—" in a table),
or a suppressed display text ("< 5", "x") on the management view. Charts get the ints and
floats only; a suppressed cell goes to the chart as a gap, never as its number.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import figures_rollup as rollup
from .figures import Figures

Value = int | float | str | None

STATE_LABELS = {
    rollup.OPEN: _("Not yet weighed"),
    rollup.WEIGHED: _("Weighed, awaiting the decision"),
    rollup.DECIDED: _("Decided (no case)"),
    rollup.CASE: _("Linked to a case"),
    rollup.MERGED: _("Merged into another report"),
}
BACKLOG_LABELS = {
    rollup.OPEN: _("Not yet weighed"),
    rollup.WEIGHED: _("Weighed, awaiting the decision"),
}
FUNNEL_LABELS = {
    "received": _("Received"),
    "weighed": _("Weighed"),
    "decided": _("Decided"),
    "case": _("Linked to a case"),
}


@dataclass(frozen=True)
class Section:
    key: str  # an id for the page, the chart and the API
    title: str | Promise
    chart: str  # "bar", "hbar" (horizontal bars) or "line"
    cells: Mapping[str, Value]
    total: Value = None  # None: no total row (cumulative or averaged figures)
    unit: str | Promise = _("reports")
    note: str | Promise = ""
    hidden: frozenset[str] = field(default_factory=frozenset)

    @property
    def json_id(self) -> str:
        return f"chart-{self.key}"

    def chart_data(self) -> dict:
        """What the chart script gets: labels and numbers, a suppressed cell as null."""
        return {
            "title": str(self.title),
            "kind": self.chart,
            "unit": str(self.unit),
            "labels": list(self.cells),
            "values": [v if isinstance(v, int | float) else None for v in self.cells.values()],
        }


def week_label(monday: date) -> str:
    year, number, _day = monday.isocalendar()
    return f"{year}-W{number:02d}"


def average_days(count: int, seconds: int) -> float | None:
    return round(seconds / count / 86400, 1) if count else None


def lead_cells(weeks: list[date], sums: dict[date, tuple[int, int]], minimum: int = 1) -> dict:
    """Average days per week of receipt; None where fewer than `minimum` reports got there."""
    cells: dict[str, Value] = {}
    for week in weeks:
        count, seconds = sums.get(week, (0, 0))
        cells[week_label(week)] = average_days(count, seconds) if count >= minimum else None
    return cells


def lead_note(sums: dict[date, tuple[int, int]], minimum: int = 1) -> str:
    count = sum(c for c, _s in sums.values())
    seconds = sum(s for _c, s in sums.values())
    if count < minimum or not count:
        return ""
    # A decimal comma in Dutch, as in the tables.
    days = formats.number_format(round(seconds / count / 86400, 1), decimal_pos=1)
    return str(_("Over the whole period: %(days)s days on average.") % {"days": days})


def plain_sections(f: Figures) -> list[Section]:
    """The dashboard's sections: every count as it is (the team's own figures)."""
    days = _("days")
    return [
        Section(
            "per_week",
            _("New reports per week"),
            "bar",
            {week_label(w): f.per_week.get(w, 0) for w in f.weeks},
            f.total,
        ),
        Section("by_category", _("New reports by category"), "hbar", f.by_category, f.total),
        Section("by_area", _("New reports by area"), "hbar", f.by_area, f.total),
        Section("by_channel", _("New reports by channel"), "hbar", f.by_channel, f.total),
        Section(
            "funnel",
            _("From receipt to weighing, decision and case"),
            "bar",
            {str(FUNNEL_LABELS[k]): v for k, v in f.funnel.items()},
            note=_("Of the reports received in the period: how many got how far (up to today)."),
        ),
        Section(
            "backlog_by_age",
            _("Backlog by age"),
            "bar",
            f.backlog_by_age,
            sum(f.backlog_by_age.values()),
            note=_(
                "Open reports today (in triage or awaiting the decision), by weeks since the "
                "week they were received; all periods, with the category and area chosen."
            ),
        ),
        Section(
            "backlog_by_state",
            _("Backlog by state"),
            "hbar",
            {str(BACKLOG_LABELS[k]): v for k, v in f.backlog_by_state.items()},
            sum(f.backlog_by_state.values()),
        ),
        Section(
            "lead_weighing",
            _("Lead time from receipt to the first weighing"),
            "line",
            lead_cells(f.weeks, f.lead_weighing),
            unit=days,
            note=lead_note(f.lead_weighing),
        ),
        Section(
            "lead_decision",
            _("Lead time from receipt to the decision"),
            "line",
            lead_cells(f.weeks, f.lead_decision),
            unit=days,
            note=lead_note(f.lead_decision),
        ),
        *case_sections(f),
    ]


def case_sections(f: Figures) -> list[Section]:
    n = _("cases")
    return [
        Section(
            "cases_by_stage",
            _("Open cases per stage"),
            "hbar",
            f.cases_by_stage,
            sum(f.cases_by_stage.values()),
            unit=n,
        ),
        Section(
            "interventions_by_kind",
            _("Interventions started, by kind"),
            "hbar",
            f.interventions_by_kind,
            sum(f.interventions_by_kind.values()),
            unit=_("interventions"),
        ),
        Section(
            "interventions_by_state",
            _("Interventions started, by state today"),
            "hbar",
            f.interventions_by_state,
            sum(f.interventions_by_state.values()),
            unit=_("interventions"),
        ),
        Section(
            "results",
            _("Cases closed, by result"),
            "hbar",
            f.results,
            sum(f.results.values()),
            unit=n,
        ),
    ]
