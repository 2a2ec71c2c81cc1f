"""The awareness figures (issue 17, awareness/figures.py) on the dashboard and the management
view.

The dashboard shows the team's own figures, as they are, for the dashboard's period, in a
compact section that links to the full page (awareness:figures).

The management view shows the municipality's figures per department and month with small
counts suppressed exactly as its other counts are (suppression.py): each department's row
is one table (below the threshold "< 5", every count rounded to a multiple of five, the
total as the backlog by state's, see _row), and so is the row of monthly totals. One fixed
period, the last 12 complete months, like the management view's fixed 52 weeks: no two
overlapping selections to subtract. No per-report detail: no first-time
departments (the day of one colleague's report) and no before/after per training (a count
around one day of one department); the shares are shown only over at least the threshold's
reports. The anonymity rule of awareness/figures.py holds before any of this: the
small departments' anonymous reports are in the pooled row only.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format

from baken.awareness.figures import (
    AwarenessFigures,
    Share,
    TrainingMark,
    add_months,
    awareness_compute,
    awareness_figures,
)

from .figures import Params, may_see_management
from .suppression import rounding_hides_small_counts, suppress, suppress_table, threshold


def dashboard_awareness(*, user, params: Params) -> AwarenessFigures | None:
    """The team's awareness figures over the dashboard's weeks (None: no team)."""
    # Without the before/after per training: the section does not show it (one query less).
    end = params.last + timedelta(days=6)
    return awareness_figures(user=user, start=params.first, end=end, with_effects=False)


@dataclass(frozen=True)
class SuppressedRow:
    label: str
    cells: list[int | str]
    total: int | str


@dataclass(frozen=True)
class ManagementAwareness:
    start: date
    end: date
    months: list[date]
    month_trainings: list[bool]
    rows: list[SuppressedRow]
    totals: SuppressedRow
    trainings: list[TrainingMark]
    signs: int | None  # a percentage, or None: too few reports to show one
    niet_pluis: int | None
    updating: bool = False  # as AwarenessFigures.updating

    @property
    def month_heads(self) -> list[tuple[date, bool]]:
        return list(zip(self.months, self.month_trainings, strict=True))


def management_period(today: date | None = None) -> tuple[date, date]:
    """The last 12 complete months."""
    first_of_month = (today or timezone.localdate()).replace(day=1)
    return add_months(first_of_month, -12), first_of_month - timedelta(days=1)


def _row(label: str, counts: dict[date, int]) -> SuppressedRow:
    """One row of months with its total. As the management view's backlog by state: when
    every shown count is rounded to at least the threshold, the total minus the cells shown
    is uncertain by more than a small count, so the cells are suppressed without regard to
    the total (else a row of empty months would hide everything); otherwise as one table
    with its total."""
    cells = {date_format(m, "Y-m"): n for m, n in counts.items()}
    if rounding_hides_small_counts():
        table = suppress_table(cells, with_total=False)
        return SuppressedRow(str(label), list(table.cells.values()), suppress(sum(cells.values())))
    table = suppress_table(cells)
    return SuppressedRow(str(label), list(table.cells.values()), table.total)


def _share(share: Share) -> int | None:
    return share.percent if share.whole >= threshold() else None


def management_awareness(*, user) -> ManagementAwareness:
    if not may_see_management(user):
        raise PermissionDenied
    start, end = management_period()
    figures = awareness_compute(team=None, start=start, end=end, with_effects=False)
    return ManagementAwareness(
        start=start,
        end=end,
        months=figures.months,
        month_trainings=[bool(figures.trainings_in(m)) for m in figures.months],
        rows=[_row(str(r.label), r.counts) for r in figures.rows],
        totals=_row("", figures.per_month),
        trainings=figures.trainings,
        signs=_share(figures.signs),
        niet_pluis=_share(figures.niet_pluis),
        updating=figures.updating,
    )
