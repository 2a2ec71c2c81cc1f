"""An export whose worker died (a restart, a crash) is given up by the scheduled
`exports-expire` instead of reading "being made" for a week; what it left behind goes."""

import os
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from baken.audit.models import AuditEntry
from baken.exports import services, storage
from baken.exports.models import Export, State
from baken.exports.tasks import exports_expire

from .conftest import reports_for

pytestmark = pytest.mark.django_db


def running(user, *, silent_for: timedelta) -> Export:
    """An export a worker took on and last wrote a batch for `silent_for` ago."""
    now = timezone.now()
    export = Export.objects.create(
        user=user,
        kind="reports",
        format="xlsx",
        state=State.RUNNING,
        scope_role=user.role,
        scope_team_id=user.team_id,
        rows_total=3000,
        rows_done=1000,
        created_at=now - silent_for,
        started_at=now - silent_for,
        progress_at=now - silent_for,
        expires_at=now + timedelta(days=7),
    )
    storage.path_for(export.pk).parent.mkdir(parents=True, exist_ok=True)
    storage.path_for(export.pk).with_suffix(".part").write_bytes(b"half a file")
    return export


def test_an_export_without_progress_for_an_hour_is_given_up_and_says_why(
    verified_client, analyst, settings
):
    assert settings.EXPORT_STALLED_MINUTES == 60
    dead = running(analyst, silent_for=timedelta(minutes=61))
    alive = running(analyst, silent_for=timedelta(minutes=5))

    exports_expire.enqueue()

    dead.refresh_from_db()
    assert (dead.state, dead.failure) == (State.FAILED, "stalled")
    assert not storage.path_for(dead.pk).with_suffix(".part").exists()
    assert Export.objects.get(pk=alive.pk).state == State.RUNNING
    assert storage.path_for(alive.pk).with_suffix(".part").exists()
    entry = AuditEntry.objects.get(action="export.fail")
    assert (entry.object_id, entry.detail, entry.actor_id) == (
        str(dead.pk),
        {"failure": "stalled"},
        None,
    )

    page = verified_client(analyst).get(reverse("exports:detail", args=[dead.pk]))
    assert "werd herstart" in page.content.decode()
    # Running it again finds nothing more to give up, and logs nothing more.
    exports_expire.enqueue()
    assert AuditEntry.objects.filter(action="export.fail").count() == 1


def test_a_worker_that_comes_back_after_being_given_up_leaves_no_file(analyst, north, monkeypatch):
    reports_for(north, 2)
    write = services._write

    def slow_write(export, user, sink):
        code = write(export, user, sink)
        # Meanwhile the scheduled task gave the export up (its file is the worker's still).
        Export.objects.filter(pk=export.pk).update(state=State.FAILED, failure="stalled")
        return code

    monkeypatch.setattr(services, "_write", slow_write)
    export = services.export_request(
        user=analyst, kind="reports", fmt="csv", filters={}, language="nl"
    )
    export.refresh_from_db()
    assert (export.state, export.failure) == (State.FAILED, "stalled")
    assert not storage.path_for(export.pk).exists()
    assert not AuditEntry.objects.filter(action="export.finish").exists()


def test_temporary_files_left_by_a_dead_worker_go_once_no_export_is_running(analyst, settings):
    work = storage.work_dir()
    left = work / "tmpx1y2z3"
    left.write_bytes(b"rows in plain text")
    hour_ago = (timezone.now() - timedelta(minutes=90)).timestamp()
    os.utime(left, (hour_ago, hour_ago))
    fresh = work / "tmpfresh"
    fresh.write_bytes(b"being written")

    alive = running(analyst, silent_for=timedelta(minutes=1))
    services.exports_stalled()
    assert left.exists()  # an export is running: its files may be among them

    Export.objects.filter(pk=alive.pk).update(state=State.DONE)
    services.exports_stalled()
    assert not left.exists() and fresh.exists()
