"""The tasks worker (`baken db_worker`) outlives a PostgreSQL restart: it reconnects and runs
what is queued afterwards, instead of exiting and leaving exports waiting."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.db.utils import Error as DatabaseError

from baken.core.health import WORKER
from baken.core.models import Heartbeat

ROOT = Path(__file__).resolve().parents[2]
CONF = Path("/etc/postgresql")


def _restart_postgresql() -> None:
    [version] = [p.name for p in CONF.iterdir()]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        timeout=120,
        capture_output=True,
    )


def _reconnect_test_database(deadline: float) -> None:
    """The restart broke this test's own connection too: open a new one once PG answers."""
    while True:
        connection.close()
        try:
            connection.ensure_connection()
            return
        except DatabaseError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _wait_for(result_id, deadline: float, worker) -> str:
    from django_tasks_db.models import DBTaskResult

    while time.monotonic() < deadline:
        status = DBTaskResult.objects.get(id=result_id).status
        if status in {"SUCCESSFUL", "FAILED"}:
            return status
        assert worker.poll() is None, "the worker exited"
        time.sleep(0.3)
    return "TIMEOUT"


@pytest.mark.django_db(transaction=True)
def test_the_worker_reconnects_after_postgresql_restarts(settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL restart: SQLite has no server to restart")
    if os.geteuid() != 0 or not shutil.which("pg_ctlcluster") or not CONF.is_dir():
        pytest.skip("restarting PostgreSQL needs root and a local pg_ctlcluster cluster")
    from baken.core.tasks import worker_heartbeat

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.ops.worker_settings",
        "BAKEN_TEST_WORKER_DB": str(connection.settings_dict["NAME"]),
        "PYTHONPATH": str(ROOT),
    }
    log = (tmp_path / "worker.log").open("w+")
    worker = subprocess.Popen(
        [sys.executable, "-m", "baken", "db_worker", "--no-reload", "--interval", "0.5"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        before = worker_heartbeat.enqueue()
        assert _wait_for(before.id, time.monotonic() + 60, worker) == "SUCCESSFUL"

        _restart_postgresql()
        _reconnect_test_database(time.monotonic() + 60)
        time.sleep(2)  # the worker polls every half second: it has met the broken connection
        assert worker.poll() is None, "the worker exited when PostgreSQL restarted"

        Heartbeat.objects.filter(name=WORKER).delete()
        after = worker_heartbeat.enqueue()
        assert _wait_for(after.id, time.monotonic() + 90, worker) == "SUCCESSFUL"
        assert Heartbeat.objects.filter(name=WORKER).exists()
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        log.seek(0)
        output = log.read()
        log.close()
    assert "Database connection lost" in output, output
