"""After `baken migrate` applied a migration, PostgreSQL has statistics for what it filled:
the planner does not guess the areas' membership (places 0003) at a hundredth of its size."""

import time

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ANALYZE and pg_stats are PostgreSQL's"
)


def analyzed(table: str) -> int:
    """How often the table was analyzed (a backend reports its counts at most once a second)."""
    time.sleep(1.1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT analyze_count FROM pg_stat_user_tables WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_migrate_that_applied_something_ends_with_fresh_statistics():
    call_command("migrate", "places", "0002", verbosity=0)
    before = analyzed("places_areareport")
    call_command("migrate", "places", verbosity=0)  # 0003 fills the membership again
    assert analyzed("places_areareport") > before

    unchanged = analyzed("places_areareport")
    call_command("migrate", verbosity=0)  # nothing to apply: no ANALYZE
    assert analyzed("places_areareport") == unchanged
