"""Small counts suppressed in aggregated figures (the management view, the management's
weekly overview, and whatever else shows figures to someone who may not see the reports
behind them).

A count below the threshold (``settings.INSIGHTS_SMALL_COUNT``, default 5) is shown as "< 5".
Suppressing only the small cell is not enough when the table also shows its total: the total
minus the other cells gives it back. So cells are hidden as well (secondary suppression,
shown as "x", as Statistics Netherlands marks a figure kept secret), smallest first, until no
hidden cell can be worked out from the total: each one must still have at least two possible
values, knowing that a small cell lies between 1 (0 when it is 0: a table may list empty
rows) and the threshold minus one, and a secondary one at or above the threshold. When that
cannot be reached, the total is hidden too.

Within one table that is exact. Across tables, views and weeks it is not: the same reports
are counted by week, by category and by area, the weekly overviews of earlier weeks stay
readable, and the 52-week window moves every week, so a cell hidden in one place can be
shown in another and subtracted. Every count shown is therefore also rounded to a multiple
of five (``settings.INSIGHTS_ROUND_TO``; Statistics Netherlands' "afgerond op vijftallen"):
a difference of rounded figures is uncertain by a few reports, more than a small count
needs to stay hidden.

The functions return display values (an int, "< 5" or "x"), never the hidden number:
templates, CSV and XLSX exports and charts all take what these give.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings


def threshold() -> int:
    return settings.INSIGHTS_SMALL_COUNT


def below(n: int | None = None) -> str:
    """The text shown instead of a small count: "< 5"."""
    return f"< {threshold() if n is None else n}"


def rounded(count: int) -> int:
    """A count as shown: to the nearest multiple of INSIGHTS_ROUND_TO (halves up), never
    below the threshold for a count at or above it."""
    step = settings.INSIGHTS_ROUND_TO
    if step <= 1:
        return count
    return max(threshold(), (count + step // 2) // step * step)


def rounding_hides_small_counts() -> bool:
    """Whether a difference of shown counts is uncertain by at least a small count: rounded
    to multiples of at least the threshold, each count shown is off by up to half of one."""
    return threshold() <= settings.INSIGHTS_ROUND_TO


def suppress(count: int) -> int | str:
    """One count on its own (no total shown beside it)."""
    return rounded(count) if count >= threshold() else below()


SECONDARY = "x"


@dataclass(frozen=True)
class Table:
    """A suppressed one-dimensional table: display value per label, and the total's."""

    cells: dict[str, int | str]
    total: int | str
    # Which labels are hidden: a chart draws them as gaps, not as zero.
    hidden: frozenset[str]


def _derivable(hidden: dict[str, int], total: int, limit: int) -> bool:
    """Whether some hidden cell has only one value that fits the total shown: the hidden
    cells sum to the total minus the visible ones, each small one lies in [0, limit-1] and
    each secondary one in [limit, total]."""
    known = sum(hidden.values())
    bounds = {
        label: (min(n, 1), limit - 1) if n < limit else (limit, known)
        for label, n in hidden.items()
    }
    low_sum = sum(lo for lo, _ in bounds.values())
    high_sum = sum(hi for _, hi in bounds.values())
    for lo, hi in bounds.values():
        least = max(lo, known - (high_sum - hi))
        most = min(hi, known - (low_sum - lo))
        if least >= most:
            return True
    return False


def suppress_table(counts: Mapping[str, int], *, with_total: bool = True) -> Table:
    """Suppress the small cells of one table, and as many others as keep them underivable
    from the total shown beside it."""
    limit = threshold()
    total = sum(counts.values())
    small = {label for label, n in counts.items() if n < limit}
    hidden = set(small)
    total_hidden = total < limit
    if with_total and hidden and not total_hidden:
        visible = sorted((n, label) for label, n in counts.items() if label not in hidden)
        while _derivable({label: counts[label] for label in hidden}, total, limit):
            if not visible:
                total_hidden = True
                break
            hidden.add(visible.pop(0)[1])
    cells: dict[str, int | str] = {}
    for label, n in counts.items():
        if label in small:
            cells[label] = below()
        elif label in hidden:
            cells[label] = SECONDARY
        else:
            cells[label] = rounded(n)
    shown = below() if total_hidden else rounded(total)
    return Table(cells=cells, total=shown, hidden=frozenset(hidden))
