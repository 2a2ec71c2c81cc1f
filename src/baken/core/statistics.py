"""Fresh planner statistics after an upgrade (PostgreSQL).

A migration that adds a table or a column and fills it (the areas' membership of every
located report, a copy of the case's team on every case report) leaves PostgreSQL without
statistics for it until autovacuum comes by. Until then the planner guesses: on the benchmark's
100,000 reports it took the 50,100 reports of an area for 500 and read the inbox's area
filter in 88 ms instead of 17. So when `baken migrate` applied anything, it ends with ANALYZE
of the database (seconds at a million reports); a `migrate` with nothing to do does nothing.
"""

from django.db import connections


def analyze_after_migrate(sender, using: str, plan=None, **kwargs) -> None:
    connection = connections[using]
    if not plan or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
