"""Settings of PostgreSQL's planner for Baken's own connections (BAKEN_DB_SESSION).

Baken's queries read a few rows through indexes. At millions of reports some of their
estimates pass `jit_above_cost`, and PostgreSQL then compiles the query before running it
(101 of the analyst's subject page's 102 ms of SQL at 5 million reports); on a small server
a parallel bitmap over a team's whole state is chosen where one index scan stopping at the
capped count is faster (docs/operations.md). Each new connection sets these for its
session: one statement per connection, which connections kept for BAKEN_DB_CONN_MAX_AGE
seconds seldom pay. Behind a pooler in transaction mode a session setting reaches only the
server connection that ran it: there the database's own settings (ALTER DATABASE ... SET)
take its place, and BAKEN_DB_SESSION is left empty.

A value PostgreSQL refuses (a misspelt name or value) is reported by the system check that
`baken migrate` and `baken check --database default` run; a connection that meets it logs
the refusal and goes on with PostgreSQL's defaults, never failing a request over it."""

import logging

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError, connections
from django.db.backends.signals import connection_created

log = logging.getLogger(__name__)


def _set(connection, pairs: dict[str, str]) -> None:
    with connection.cursor() as cursor:
        calls = ", ".join("set_config(%s, %s, false)" for _ in pairs)
        cursor.execute(f"SELECT {calls}", [part for pair in pairs.items() for part in pair])


def apply_session_settings(sender, connection, **kwargs) -> None:
    pairs = getattr(settings, "DATABASE_SESSION", {})
    if connection.vendor != "postgresql" or not pairs:
        return
    try:
        _set(connection, pairs)
    except DatabaseError as refused:
        # A new connection is in autocommit mode here: nothing else is undone.
        log.error("BAKEN_DB_SESSION not applied, PostgreSQL refused it: %s", refused)


@register(Tags.database)
def check_session_settings(app_configs=None, databases=None, **kwargs) -> list[Error]:
    """The settings as PostgreSQL takes them, on a connection of each database checked."""
    pairs = getattr(settings, "DATABASE_SESSION", {})
    problems = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql" or not pairs:
            continue
        try:
            _set(connection, pairs)
        except DatabaseError as refused:
            problems.append(
                Error(
                    f"BAKEN_DB_SESSION: PostgreSQL refused {pairs}: {refused}".strip(),
                    hint="Name settings PostgreSQL knows, with values it takes, e.g. "
                    "jit=off,max_parallel_workers_per_gather=0; or leave it empty.",
                    id="baken.E010",
                )
            )
    return problems


def connect() -> None:
    connection_created.connect(apply_session_settings, dispatch_uid="core.db_session")
