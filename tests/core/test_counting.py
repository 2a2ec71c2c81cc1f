"""A capped count says "more than the cap" without counting further, for several
querysets in one query."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from baken.accounts.models import Team
from baken.core.counting import capped_counts


def test_each_count_stops_one_past_the_cap_and_all_take_one_query(db):
    Team.objects.bulk_create(Team(name=f"Team {i}") for i in range(5))
    teams = Team.objects.values("pk")
    with CaptureQueriesContext(connection) as queries:
        counts = capped_counts([teams, teams.filter(name="Team 1"), teams.none()], 3)
    assert counts == [4, 1, 0]
    assert len(queries) == 1
    assert capped_counts([], 3) == []
