"""Every connection Baken opens to PostgreSQL sets the planner settings of BAKEN_DB_SESSION
(JIT and parallel workers off by default, docs/operations.md); a malformed value stops
start-up with a clear message."""

import subprocess

import pytest
from django.db import connection, connections

from tests.core.test_settings import BAKEN, _production_env

postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="planner settings of PostgreSQL's sessions"
)


def _shown_on_a_new_connection(*names: str) -> list[str]:
    fresh = connections.create_connection("default")
    try:
        with fresh.cursor() as cursor:
            shown = []
            for name in names:
                cursor.execute(f"SHOW {name}")
                shown.append(cursor.fetchone()[0])
            return shown
    finally:
        fresh.close()


@postgresql
@pytest.mark.django_db
def test_a_new_connection_runs_without_jit_and_parallel_workers():
    assert _shown_on_a_new_connection("jit", "max_parallel_workers_per_gather") == ["off", "0"]


@postgresql
@pytest.mark.django_db
def test_the_setting_names_what_is_set(settings):
    settings.DATABASE_SESSION = {"jit": "off", "work_mem": "12MB"}
    assert _shown_on_a_new_connection("jit", "work_mem", "max_parallel_workers_per_gather") == [
        "off",
        "12MB",
        "2",  # PostgreSQL's own default: no longer named, no longer set
    ]


@postgresql
@pytest.mark.django_db
def test_empty_sets_nothing(settings):
    settings.DATABASE_SESSION = {}
    assert _shown_on_a_new_connection("max_parallel_workers_per_gather") == ["2"]


def test_a_malformed_value_stops_start_up_with_a_clear_message(tmp_path):
    result = subprocess.run(
        [*BAKEN, "check"],
        env=_production_env(tmp_path, BAKEN_DB_SESSION="jit=off,parallel"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "BAKEN_DB_SESSION must be name=value pairs, not 'parallel'." in result.stderr
