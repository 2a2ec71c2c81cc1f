"""An export file does not outlive the reports it holds (issue 15): a report referred to
another department is destroyed a year after the decision; an export made shortly before
that still holds its row, so the run deletes that file before its seven days are up. An
export that holds only reports that still exist keeps its file."""

from datetime import timedelta

import pytest
from django.utils import timezone

from baken.core.roles import Role
from baken.exports import storage
from baken.exports.models import Export
from baken.privacy import retention
from baken.reports.models import Criterion, Report
from tests.api.test_triage_api import auth

pytestmark = pytest.mark.django_db(transaction=True)
EXPORTS = "/api/v1/exports"


def _file(client, description: str) -> Report:
    filed = client.post(
        "/api/v1/reports",
        {"category": "drugs", "description": description, "reporter": {"anonymous": True}},
        content_type="application/json",
    )
    assert filed.status_code == 201, filed.content
    return Report.objects.get(pk=filed.json()["id"])


def _refer(client, analyst, report: Report) -> None:
    headers = auth(analyst)
    url = f"/api/v1/reports/{report.pk}"
    for code in Criterion.objects.filter(mandatory=True).values_list("code", flat=True):
        client.post(
            f"{url}/criteria",
            {"criterion": code, "choice": "nee", "motivation": "Past bij Vergunningen."},
            content_type="application/json",
            **headers,
        )
    decided = client.post(
        f"{url}/decision",
        {
            "kind": "referred",
            "rationale": "Hoort bij de afdeling Vergunningen.",
            "recipient": "Afdeling Vergunningen",
        },
        content_type="application/json",
        **headers,
    )
    assert decided.status_code == 201, decided.content


def _export(client, analyst, statuses: list[str]) -> Export:
    made = client.post(
        EXPORTS,
        {"kind": "reports", "format": "csv", "filters": {"status": statuses}},
        content_type="application/json",
        **auth(analyst),
    )
    assert made.status_code == 202, made.content
    export = Export.objects.get(pk=made.json()["id"])
    assert export.state == "done" and storage.path_for(export.pk).exists()
    return export


def test_a_file_holding_a_destroyed_report_is_deleted_by_the_run(
    client, make_user, settings, tmp_path, verified_client
):
    settings.EXPORT_DIR = tmp_path / "exports"
    analyst = make_user(role=Role.ANALYST)
    referred = _file(client, "Vergunning horeca Kadestraat lijkt op naam van een stroman.")
    kept = _file(client, "Nagelstudio Kadestraat open zonder klanten, contant betaald.")
    Report.objects.filter(pk__in=[referred.pk, kept.pk]).update(team=analyst.team)
    _refer(client, analyst, referred)
    holding = _export(client, analyst, ["referred"])
    other = _export(client, analyst, ["received", "in_triage"])
    assert (holding.rows_done, other.rows_done) == (1, 1)

    retention.run(now=timezone.now() + timedelta(days=367))

    assert not Report.objects.filter(pk=referred.pk).exists()
    holding.refresh_from_db()
    other.refresh_from_db()
    assert (holding.state, holding.failure) == ("expired", "destroyed")
    assert not storage.path_for(holding.pk).exists()
    assert other.state == "done" and storage.path_for(other.pk).exists()

    status = client.get(f"{EXPORTS}/{holding.pk}", **auth(analyst)).json()
    assert status["state"] == "expired" and status["failure"] == "destroyed"
    assert not status.get("file_url")
    page = verified_client(analyst).get(f"/werkruimte/exports/{holding.pk}").content.decode()
    assert "vernietigd" in page and "Downloaden" not in page
