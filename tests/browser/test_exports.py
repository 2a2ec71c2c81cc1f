"""An export in a real browser: the analyst filters the inbox, exports it as XLSX, sees the
export's progress while the background task runs and the download when it is done, and the
file holds the filtered rows. Selectors avoid the new texts (the Dutch catalogue is filled
separately)."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from baken.accounts.models import Team
from baken.core.roles import Role
from baken.exports import services
from baken.exports.models import Export, State
from baken.reports.models import Report
from baken.reports.workflow import Status
from tests.browser.test_login import _log_in
from tests.reports.test_triage import file_report

pytestmark = pytest.mark.django_db(transaction=True)


def test_export_the_inbox_follow_its_progress_and_download_it(
    page, make_user, settings, tmp_path, axe_violations, screenshot
):
    # The task waits for "the worker" (this test) instead of running at once.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.EXPORT_DIR = tmp_path / "exports"
    north = Team.objects.create(name="Havenwaard Noord")
    analyst = make_user(role=Role.ANALYST, team=north, first_name="Anna")
    made = []
    for n in range(3):
        report = file_report(description=f"Hennepgeur bij loods nummer {n}, ramen afgeplakt.")
        Report.objects.filter(pk=report.pk).update(team=north)
        made.append(report)
    Report.objects.filter(pk=made[0].pk).update(status=Status.IN_TRIAGE)

    _log_in(page, analyst)
    page.goto("/werkruimte/?status=in_triage")
    page.get_by_role("link", name=made[0].reference).wait_for()
    assert axe_violations(page) == []
    screenshot(page, "export-inbox-button", element=page.locator("form.export-form"))
    page.locator("#export-format-reports").select_option("xlsx")
    page.locator("form.export-form button[type=submit]").click()
    page.locator("#export-bar").wait_for()
    export = Export.objects.get()
    assert export.filters == {"status": ["in_triage"]} and export.state == State.QUEUED

    # The worker is halfway: the page follows by itself (htmx, every 2 seconds).
    Export.objects.filter(pk=export.pk).update(state=State.RUNNING, rows_total=10, rows_done=4)
    page.locator("#export-bar[value='40']").wait_for()
    assert "4" in page.locator("#export-progress").inner_text()
    assert axe_violations(page) == []
    screenshot(page, "export-progress")

    # The worker runs the export; the page offers the file.
    Export.objects.filter(pk=export.pk).update(state=State.QUEUED, rows_total=None, rows_done=0)
    services.export_run(export_id=export.pk)
    with translation.override("nl"):
        done_label = str(State.DONE.label)
    download_link = page.locator("#export-progress a.button")
    download_link.wait_for()
    page.locator("#export-status", has_text=done_label).wait_for()  # announced (role=status)
    assert axe_violations(page) == []
    screenshot(page, "export-done")
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.startswith("baken-meldingen-")
    assert download.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [made[0].reference]

    page.goto("/werkruimte/exports/")
    assert axe_violations(page) == []
    screenshot(page, "export-list")
