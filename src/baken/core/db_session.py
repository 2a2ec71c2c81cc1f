"""Settings of PostgreSQL's planner for Baken's own connections (BAKEN_DB_SESSION).

Baken's queries read a few rows through indexes. At millions of reports some of their
estimates pass `jit_above_cost`, and PostgreSQL then compiles the query before running it
(101 of the analyst's subject page's 102 ms of SQL at 5 million reports); on a small server
a parallel bitmap over a team's whole state is chosen where one index scan stopping at the
capped count is four times faster (docs/operations.md). Each new connection sets these for
its session: one statement per connection, which connections kept for
BAKEN_DB_CONN_MAX_AGE seconds seldom pay; through PgBouncer it lands on a server connection
of Baken's own database."""

from django.conf import settings
from django.db.backends.signals import connection_created


def apply_session_settings(sender, connection, **kwargs) -> None:
    pairs = getattr(settings, "DATABASE_SESSION", {})
    if connection.vendor != "postgresql" or not pairs:
        return
    with connection.cursor() as cursor:
        calls = ", ".join("set_config(%s, %s, false)" for _ in pairs)
        cursor.execute(f"SELECT {calls}", [part for pair in pairs.items() for part in pair])


def connect() -> None:
    connection_created.connect(apply_session_settings, dispatch_uid="core.db_session")
