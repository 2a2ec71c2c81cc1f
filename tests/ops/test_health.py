"""The load balancer's health endpoints: /healthz answers without the database, /readyz only
when the database answers and the scheduler and the tasks worker showed life recently."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from baken.core import scheduling
from baken.core.health import SCHEDULER, WORKER, beat
from baken.core.models import Heartbeat

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_without_database_login_https_or_a_known_host(client, settings):
    # No django_db mark: any database query here would fail the test.
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["baken.gemeente.nl"]
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    # Every other path keeps the host check and the redirect.
    assert client.get("/melden", HTTP_HOST="10.0.0.7").status_code == 400
    assert client.get("/melden", HTTP_HOST="baken.gemeente.nl").status_code == 301


@pytest.mark.django_db
def test_readyz_fails_while_heartbeats_are_missing_or_stale(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "fail",
        "database": "ok",
        "scheduler": "missing",
        "worker": "missing",
    }
    assert response["Cache-Control"] == "no-store"
    long_ago = timezone.now() - timedelta(hours=1)
    beat(SCHEDULER, now=long_ago)
    beat(WORKER, now=long_ago)
    body = json.loads(client.get("/readyz").content)
    assert body["scheduler"] == body["worker"] == "stale"
    beat(SCHEDULER)
    response = client.get("/readyz")
    assert response.status_code == 503 and json.loads(response.content)["worker"] == "stale"


@pytest.mark.django_db
def test_readyz_does_not_wait_for_a_worker_heartbeat_that_is_switched_off(client, settings):
    settings.SCHEDULE = {**settings.SCHEDULE, "worker-heartbeat": {"task": "x", "cron": ""}}
    beat(SCHEDULER)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content)["worker"] == "off"


@pytest.mark.django_db(transaction=True)
def test_readyz_is_ready_after_a_scheduler_round_and_a_real_worker_ran_the_heartbeat(
    client, settings
):
    """The scheduler enqueues the heartbeat task into the database; a real `baken db_worker`
    process (the production worker, in batch mode) runs it."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.SCHEDULE = {
        "worker-heartbeat": {"task": "baken.core.tasks.worker_heartbeat", "cron": "* * * * *"}
    }
    now = timezone.now()
    [run] = scheduling.tick(since=now - timedelta(minutes=1), now=now)
    assert run.name == "worker-heartbeat"
    body = json.loads(client.get("/readyz").content)
    assert body["scheduler"] == "ok" and body["worker"] == "missing"

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.ops.worker_settings",
        "BAKEN_TEST_WORKER_DB": str(connection.settings_dict["NAME"]),
        "PYTHONPATH": str(ROOT),
    }
    worker = subprocess.run(
        [sys.executable, "-m", "baken", "db_worker", "--batch", "--no-startup-delay"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert worker.returncode == 0, worker.stderr
    assert Heartbeat.objects.get(name=WORKER).at >= now
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert json.loads(response.content) == {
        "status": "ok",
        "database": "ok",
        "scheduler": "ok",
        "worker": "ok",
    }


@pytest.mark.django_db
def test_the_scheduler_run_from_cron_beats_too_and_the_heartbeat_task_clears_old_rows(client):
    from django.core.management import call_command

    from baken.core.models import ScheduledRun
    from baken.core.tasks import worker_heartbeat

    call_command("scheduler", "--once")
    assert json.loads(client.get("/readyz").content)["scheduler"] == "ok"
    now = timezone.now()
    old = ScheduledRun.objects.create(
        name="worker-heartbeat", due_at=now - timedelta(days=2), enqueued_at=now
    )
    recent = ScheduledRun.objects.create(
        name="worker-heartbeat", due_at=now - timedelta(minutes=5), enqueued_at=now
    )
    worker_heartbeat.enqueue()  # the test settings run tasks at once
    # The day-old row is gone; the recent one (and the scheduler's own round, when one fell
    # due in this five minutes) stays.
    assert ScheduledRun.objects.filter(pk=recent.pk).exists()
    assert not ScheduledRun.objects.filter(pk=old.pk).exists()
    assert json.loads(client.get("/readyz").content)["worker"] == "ok"
