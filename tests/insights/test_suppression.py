"""Small counts stay hidden in aggregated figures, also when the total is shown beside them."""

import itertools

import pytest

from baken.insights.suppression import suppress, suppress_table


@pytest.fixture(autouse=True)
def _exact(settings):
    """The suppression's own logic on exact figures; rounding is tested on its own."""
    settings.INSIGHTS_ROUND_TO = 1


def _possible(table, counts, limit=5, least=0):
    """Every assignment of the hidden cells that a reader could hold true, given what the
    table shows: the total, the visible cells, "< 5" for a small cell and "x" for one hidden
    beside it."""
    hidden = sorted(table.hidden)
    known = table.total - sum(v for v in table.cells.values() if isinstance(v, int))
    ranges = [
        range(least, limit) if table.cells[label] == "< 5" else range(limit, known + 1)
        for label in hidden
    ]
    return [
        dict(zip(hidden, values, strict=True))
        for values in itertools.product(*ranges)
        if sum(values) == known
    ]


def test_a_count_below_five_is_shown_as_less_than_five():
    assert suppress(4) == "< 5"
    assert suppress(0) == "< 5"
    assert suppress(5) == 5


@pytest.mark.parametrize(
    "counts",
    [
        {"a": 3, "b": 50, "c": 100},
        {"a": 0, "b": 5, "c": 100},
        {"a": 0, "b": 0, "c": 40},
        {"a": 4, "b": 4, "c": 4, "d": 30},
        {"a": 1, "b": 6},
        {"a": 2, "b": 7, "c": 7},
        # A listed row holds at least one report (the review's case: 1 and 5 were derivable).
        {"drugs": 100, "mensenhandel": 5, "prostitutie": 1},
        {"a": 1, "b": 5},
    ],
)
@pytest.mark.parametrize("least", [0, 1])
def test_no_small_count_can_be_worked_out_from_the_total(counts, least):
    """Not even by a reader who knows that a listed row holds at least one report."""
    table = suppress_table(counts)
    assert all(table.cells[label] == "< 5" for label, n in counts.items() if n < 5)
    if table.total == "< 5":
        return
    # A table that lists empty rows tells its reader nothing of the kind.
    possible = _possible(table, counts, least=min(least, *counts.values()))
    assert counts in [{**{k: v for k, v in counts.items()}, **p} for p in possible]
    for label in table.hidden:
        assert len({p[label] for p in possible}) > 1, (label, table)


def test_cells_are_shown_as_they_are_when_none_is_small():
    table = suppress_table({"a": 5, "b": 12})
    assert table.cells == {"a": 5, "b": 12}
    assert table.total == 17
    assert table.hidden == frozenset()


def test_a_small_total_is_hidden_too():
    assert suppress_table({"a": 1, "b": 2}).total == "< 5"


def test_without_a_total_only_the_small_cells_are_hidden():
    table = suppress_table({"a": 1, "b": 50, "c": 60}, with_total=False)
    assert table.cells == {"a": "< 5", "b": 50, "c": 60}


def test_the_threshold_is_a_setting(settings):
    settings.INSIGHTS_SMALL_COUNT = 10
    assert suppress(9) == "< 10"


def test_counts_shown_are_rounded_to_fives(settings):
    settings.INSIGHTS_ROUND_TO = 5
    assert [suppress(n) for n in (4, 5, 7, 8, 12, 13, 157)] == ["< 5", 5, 5, 10, 10, 15, 155]
    table = suppress_table({"a": 31, "b": 31, "c": 12})
    assert table.cells == {"a": 30, "b": 30, "c": 10} and table.total == 75
