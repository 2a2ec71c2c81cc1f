"""A retention run killed with SIGKILL half-way loses nothing that should stay and leaves
nothing half-destroyed; the next run finishes the rest (issue 15).

The reports are made through the API (report, weighing in one request, decision) and their
decision then lies 13 months back: the time a rule counts from, moved, not slept."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from baken.core.roles import Role
from baken.privacy.models import DestroyedItem, RetentionRun
from baken.reports.models import (
    ClosedReceipt,
    Criterion,
    Decision,
    Report,
    ReportSubject,
    ReportVersion,
    StatusChange,
)
from tests.api.test_triage_api import auth

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
COUNT = 60
BATCH = 10  # reports per transaction in the run (BAKEN_RETENTION_BATCH_SIZE)


def _decided(client, analyst, number: int) -> Report:
    filed = client.post(
        "/api/v1/reports",
        {
            "category": "drugs",
            "description": f"Melding {number}: hennepgeur en afgeplakte ramen bij de loods.",
            "subjects": [{"type": "vehicle", "license_plate": f"ab{number:03d}c"}],
            "reporter": {"anonymous": True},
        },
        content_type="application/json",
        REMOTE_ADDR=f"192.0.2.{number + 1}",  # sixty reporters, each within the rate limit
    )
    assert filed.status_code == 201, filed.content
    pk = filed.json()["id"]
    Report.objects.filter(pk=pk).update(team=analyst.team)
    headers = auth(analyst)
    answers = [
        {"criterion": code, "choice": "nee", "motivation": "Geen aanwijzing."}
        for code in Criterion.objects.filter(mandatory=True).values_list("code", flat=True)
    ]
    weighed = client.post(
        f"/api/v1/reports/{pk}/weighing",
        {"answers": answers},
        content_type="application/json",
        **headers,
    )
    assert weighed.status_code == 200, weighed.content
    decided = client.post(
        f"/api/v1/reports/{pk}/decision",
        {"kind": "no_action", "rationale": "Geen ondermijning."},
        content_type="application/json",
        **headers,
    )
    assert decided.status_code == 201, decided.content
    return Report.objects.get(pk=pk)


def _run(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "baken", "retention", "run"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _whole(report_id: int, versions: int, subjects: int) -> bool:
    """The report is there with all its parts, or gone with its statement line."""
    present = Report.objects.filter(pk=report_id).exists()
    if present:
        return (
            ReportVersion.objects.filter(report_id=report_id).count() == versions
            and ReportSubject.objects.filter(report_id=report_id).count() == subjects
            and Decision.objects.filter(report_id=report_id).exists()
        )
    return not ReportVersion.objects.filter(report_id=report_id).exists()


def test_a_run_killed_half_way_leaves_every_report_whole_or_gone(client, make_user):
    analyst = make_user(role=Role.ANALYST)
    reports = [_decided(client, analyst, n) for n in range(COUNT)]
    moved = timezone.now() - timedelta(days=400)
    Decision.objects.update(at=moved)
    StatusChange.objects.update(at=moved)
    Report.objects.update(weighed_at=moved)  # the decision's moment on the report too
    shape = {
        r.pk: (
            ReportVersion.objects.filter(report=r).count(),
            ReportSubject.objects.filter(report=r).count(),
        )
        for r in reports
    }
    connection.close()  # the run's own process writes now (SQLite: one writer at a time)

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.ops.worker_settings",
        "BAKEN_TEST_WORKER_DB": str(connection.settings_dict["NAME"]),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),  # this checkout
        "BAKEN_RETENTION_BATCH_SIZE": str(BATCH),
    }
    first = _run(env)
    deadline = time.monotonic() + 120
    while not DestroyedItem.objects.exists():
        assert first.poll() is None, first.stdout.read().decode() if first.stdout else ""
        assert time.monotonic() < deadline, "the run destroyed nothing in two minutes"
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)

    destroyed = DestroyedItem.objects.count()
    assert 0 < destroyed < COUNT, f"the kill came too late ({destroyed} of {COUNT} destroyed)"
    assert destroyed % BATCH == 0  # whole batches: a batch goes completely or not at all
    assert Report.objects.count() == COUNT - destroyed  # every statement line is a report gone
    assert ClosedReceipt.objects.count() == destroyed
    assert all(_whole(pk, *parts) for pk, parts in shape.items())
    assert RetentionRun.objects.get().finished_at is None  # shown as not finished

    second = _run(env)
    output = second.communicate(timeout=300)[0].decode()
    assert second.returncode == 0, output
    assert not Report.objects.exists()
    assert DestroyedItem.objects.count() == COUNT  # each report once, over the two runs
    assert sorted(DestroyedItem.objects.values_list("reference", flat=True)) == sorted(
        r.reference for r in reports
    )
    assert "vernietigd: " in output
