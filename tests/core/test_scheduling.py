"""The scheduler enqueues each task once per due time, in the municipality's time zone, and
never twice when two schedulers run."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from baken.core import scheduling
from baken.core.models import ScheduledRun
from tests.core import scheduled_tasks

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def schedule(settings):
    settings.SCHEDULE = {
        "tick": {"task": "tests.core.scheduled_tasks.tick", "cron": "0 7 * * 1"},  # Mondays 7:00
        "off": {"task": "tests.core.scheduled_tasks.tick", "cron": ""},
    }
    scheduled_tasks.RUNS.clear()


def at(*args) -> datetime:
    return datetime(*args, tzinfo=AMS)


def test_a_task_runs_once_when_it_comes_due_in_local_time():
    since = at(2026, 11, 27, 12, 0)  # the scheduler started on a Friday
    assert scheduling.run_due(now=at(2026, 11, 30, 6, 59), since=since) == []
    [run] = scheduling.run_due(now=at(2026, 11, 30, 7, 0, 5), since=since)
    assert run.due_at == at(2026, 11, 30, 7, 0) and run.task_result_id
    assert scheduled_tasks.RUNS == ["tick"]  # the test settings run tasks at once
    # The next round, and a second scheduler, find it done.
    assert scheduling.run_due(now=at(2026, 11, 30, 7, 1), since=since) == []
    assert scheduling.run_due(now=at(2026, 11, 30, 7, 1), since=at(2026, 11, 30, 7, 0, 30)) == []
    assert scheduled_tasks.RUNS == ["tick"]
    # A week later, at 07:00 Amsterdam time (in winter 06:00 UTC).
    [later] = scheduling.run_due(now=at(2026, 12, 7, 7, 0, 1), since=since)
    assert later.due_at.astimezone(ZoneInfo("UTC")).hour == 6


def test_missed_runs_are_caught_up_once_and_nothing_before_the_first_start():
    # First start on a Monday afternoon: this morning's run is not done after the fact.
    assert scheduling.run_due(now=at(2026, 11, 30, 14, 0), since=at(2026, 11, 30, 13, 0)) == []
    # It ran once, then the scheduler was down for three weeks: one run, the latest.
    ScheduledRun.objects.create(
        name="tick", due_at=at(2026, 12, 7, 7, 0), enqueued_at=at(2026, 12, 7, 7, 0)
    )
    [run] = scheduling.run_due(now=at(2026, 12, 30, 9, 0), since=at(2026, 12, 30, 8, 0))
    assert run.due_at == at(2026, 12, 28, 7, 0)
    assert ScheduledRun.objects.count() == 2


def test_the_command_lists_and_refuses_a_bad_expression(settings):
    out = io.StringIO()
    call_command("scheduler", "--list", stdout=out)
    assert out.getvalue().startswith("tick") and "0 7 * * 1" in out.getvalue()
    assert "off" not in out.getvalue()
    settings.SCHEDULE = {"bad": {"task": "tests.core.scheduled_tasks.tick", "cron": "elke dag"}}
    with pytest.raises(CommandError, match="bad"):
        call_command("scheduler", "--once")


def test_the_suggester_is_retrained_on_the_default_schedule(settings):
    from baken.settings import SCHEDULE as SHIPPED

    settings.SCHEDULE = {"suggestions-retrain": SHIPPED["suggestions-retrain"]}
    [entry] = scheduling.entries()
    assert entry.task == "baken.reports.tasks.suggester_retrain"
    due = scheduling.next_due(entry, at(2026, 11, 30, 12, 0))
    assert due == at(2026, 12, 1, 2, 30)
