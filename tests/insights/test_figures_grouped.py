"""Issue 18: on PostgreSQL the dashboard's and the management view's period sums (per week
with the lead-time sums, per category, area, channel and state) are read in one pass over the
rollup's rows (GROUPING SETS) instead of five GROUP BYs. Compared with the five GROUP BYs on
the same rows: the whole municipality, one team, and with a category and an area chosen."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from baken.insights.figures import period_sums, period_sums_grouped
from baken.insights.figures_rollup import rollup_refresh, week_of
from baken.insights.models import FigureBucket
from baken.places.models import Area
from baken.reports.models import Category
from baken.reports.workflow import Status

from .figures_helpers import ago
from .test_query_counts import department, grow, teams  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="GROUPING SETS: the PostgreSQL path only"
    ),
]


def _plain(sums) -> tuple:
    weekly, *by = sums
    return (sorted(weekly, key=lambda row: row["week"]), *by)


def test_one_pass_gives_the_sums_of_the_five_group_bys(teams, department):  # noqa: F811
    grow(teams, department, 60)
    rollup_refresh()
    area = Area.objects.first()
    if area is not None:  # the rows of one area: some reports in it, if the areas are there
        FigureBucket.objects.filter(pk__in=FigureBucket.objects.values("pk")[:7]).update(area=area)
    first, last = week_of(ago(120)), week_of(ago(0))
    period = FigureBucket.objects.order_by().filter(week__gte=first, week__lte=last)
    drugs = Category.objects.get(code="drugs")
    for rows in (
        period,
        period.filter(team=teams[0]),
        period.filter(team=teams[1], category=drugs),
        period.filter(week__gte=first + timedelta(weeks=4), category__isnull=True),
        period.filter(area=area) if area is not None else period.filter(state="open"),
    ):
        expected = _plain(period_sums(rows))
        assert _plain(period_sums_grouped(rows)) == expected
    # Something was counted in each grouping, lead times included.
    weekly, by_category, _by_area, by_channel, by_state = _plain(period_sums_grouped(period))
    assert sum(row["n"] for row in weekly) == 60 == sum(by_category.values())
    assert sum(by_channel.values()) == 60 == sum(by_state.values())
    assert any(row["ws"] for row in weekly) and any(row["d"] for row in weekly)
    assert set(by_category) == {drugs.pk, Category.objects.get(code="witwassen").pk, None}
    assert Status.NO_ACTION not in by_state and "decided" in by_state


def test_one_query_instead_of_five(teams, department):  # noqa: F811
    grow(teams, department, 8)
    rollup_refresh()
    period = FigureBucket.objects.order_by()
    with CaptureQueriesContext(connection) as five:
        period_sums(period)
    with CaptureQueriesContext(connection) as one:
        period_sums_grouped(period)
    assert (len(five), len(one)) == (5, 1)
    assert period_sums_grouped(period.filter(pk__in=[])) == ([], {}, {}, {}, {})
