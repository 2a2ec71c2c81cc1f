"""Two people improving the same report at the same moment: one wins, the other is told.

Real threads on their own database connections, so the row lock (select_for_update) and the
revision check meet a real race. On SQLite (a test database in a file, settings/test.py) the
database serialises writers itself with BEGIN IMMEDIATE; on PostgreSQL it is the row lock that
makes the second writer wait and then see the new revision.
"""

import threading

import pytest
from django.db import connection

from baken.reports import editing
from baken.reports.models import Report, ReportVersion
from baken.reports.validation import check_report
from tests.reports.test_triage import file_report

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_improvements_never_lose_an_update(make_user):
    first = make_user()
    analysts = [first, make_user(team=first.team)]  # two analysts of the report's team
    report = file_report()
    Report.objects.filter(pk=report.pk).update(team=first.team)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def improve(actor, text):
        try:
            payload = {**editing.working_data(report), "channel": "web", "description": text}
            checked = check_report(payload, require_answers=False)
            barrier.wait(timeout=10)
            editing.report_improve(
                report=report, actor=actor, revision=0, changes={}, reason="race", checked=checked
            )
            outcomes.append("saved")
        except editing.StaleRevision:
            outcomes.append("stale")
        finally:
            connection.close()  # this thread's own connection

    threads = [
        threading.Thread(target=improve, args=(actor, f"Verbetering door analist {i}, met tekst."))
        for i, actor in enumerate(analysts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["saved", "stale"], (connection.vendor, outcomes)
    report.refresh_from_db()
    assert report.revision == 1
    version = ReportVersion.objects.get(report=report)
    assert version.data["description"] == report.description  # the winner's text, whole
    assert Report.objects.get(pk=report.pk).original["description"].startswith("Hennepgeur")
