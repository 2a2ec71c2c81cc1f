"""Every connection Baken opens to PostgreSQL sets the planner settings of BAKEN_DB_SESSION
(JIT and parallel workers off by default, docs/operations.md); a malformed value stops
start-up with a clear message, a value PostgreSQL refuses is reported by the database check
and never fails a request."""

import logging
import subprocess

import pytest
from django.core.checks import run_checks
from django.db import connection, connections

from tests.core.test_settings import BAKEN, _production_env

postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="planner settings of PostgreSQL's sessions"
)


def _shown_on_a_new_connection(*names: str) -> list[tuple[str, str]]:
    """(the session's value, the value it had before any SET) of each setting, asked on a
    connection made as a request's is."""
    fresh = connections.create_connection("default")
    try:
        with fresh.cursor() as cursor:
            shown = []
            for name in names:
                cursor.execute("SELECT setting, reset_val FROM pg_settings WHERE name = %s", [name])
                shown.append(cursor.fetchone())
            return shown
    finally:
        fresh.close()


@postgresql
@pytest.mark.django_db
def test_a_new_connection_runs_without_jit_and_parallel_workers():
    jit, workers = _shown_on_a_new_connection("jit", "max_parallel_workers_per_gather")
    assert (jit[0], workers[0]) == ("off", "0")


@postgresql
@pytest.mark.django_db
def test_the_setting_names_what_is_set(settings):
    settings.DATABASE_SESSION = {"jit": "off", "work_mem": "12MB"}
    jit, work_mem, workers = _shown_on_a_new_connection(
        "jit", "work_mem", "max_parallel_workers_per_gather"
    )
    assert jit[0] == "off" and work_mem[0] == str(12 * 1024)  # pg_settings counts in kB
    assert workers[0] == workers[1], "no longer named: the server's own value"


@postgresql
@pytest.mark.django_db
def test_empty_sets_nothing(settings):
    settings.DATABASE_SESSION = {}
    for setting, before in _shown_on_a_new_connection("jit", "max_parallel_workers_per_gather"):
        assert setting == before


@postgresql
@pytest.mark.django_db
def test_a_value_postgresql_refuses_is_a_check_error_and_connections_go_on(settings, caplog):
    settings.DATABASE_SESSION = {"jit": "sometimes"}
    errors = run_checks(databases=["default"])
    [error] = [e for e in errors if e.id == "baken.E010"]
    assert "BAKEN_DB_SESSION" in error.msg and "jit" in error.msg
    with caplog.at_level(logging.ERROR, logger="baken.core.db_session"):
        (jit,) = _shown_on_a_new_connection("jit")
    assert jit[0] == jit[1], "PostgreSQL's own value"
    assert "BAKEN_DB_SESSION not applied" in caplog.text


def test_a_malformed_value_stops_start_up_with_a_clear_message(tmp_path):
    result = subprocess.run(
        [*BAKEN, "check"],
        env=_production_env(tmp_path, BAKEN_DB_SESSION="jit=off,parallel"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "BAKEN_DB_SESSION must be name=value pairs, not 'parallel'." in result.stderr
