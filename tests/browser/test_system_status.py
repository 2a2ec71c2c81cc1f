"""The functional administrator opens the system status page from the menu in a real
browser: heartbeats, the queue, a failed task, the last audit check and the scheduled tasks;
axe clean."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from baken.core import scheduling
from baken.core.roles import Role
from tests.browser.test_triage import _as
from tests.ops import failing_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_administrator_reads_the_system_status(
    browser, live_server, make_user, settings, axe_violations, screenshot
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    now = timezone.now()
    scheduling.tick(since=now - timedelta(days=8), now=now)  # everything due runs once
    failing_tasks.breaks.enqueue()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    failing_tasks.breaks.enqueue()  # left waiting

    admin = make_user(role=Role.ADMIN, team=None)
    context, page = _as(browser, live_server, admin)
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Systeemstatus"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Systeemstatus")
    beats = page.get_by_role("table", name="Levenstekens")
    expect(beats.get_by_role("row", name="Planner (baken scheduler)")).to_contain_text("recent")
    expect(beats.get_by_role("row", name="Takenverwerker (baken db_worker)")).to_contain_text(
        "recent"
    )
    expect(page.locator("dl.facts")).to_contain_text("In de wachtrij 1")
    expect(
        page.get_by_role("table", name="Mislukte taken in de afgelopen 7 dagen")
    ).to_contain_text("breaks")
    expect(page.locator("main")).to_contain_text("intact")
    expect(page.get_by_role("table", name="Geplande taken")).to_contain_text("audit-verify")
    assert axe_violations(page) == []
    screenshot(page, "system-status")
    context.close()
