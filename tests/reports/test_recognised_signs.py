"""The signs a reporter recognised (ticked in the indicator guide, issue 17) are on the report
page, in the reporter's original, and in the API's report detail, for everyone who may read
the report; a report without ticked signs shows none."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baken.core.roles import Role
from baken.reports.models import Report

pytestmark = pytest.mark.django_db


def _sent(client, north, sign_ids: list[int]) -> Report:
    """A report sent through the Meldpunt's API, then given to the team Noord."""
    response = client.post(
        "/api/v1/reports",
        {
            "category": "drugs",
            "description": "Hennepgeur bij de schuur achter nummer 3.",
            "signs": sign_ids,
            "reporter": {"anonymous": True},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    report = Report.objects.get(reference=response.json()["reference"])
    Report.objects.filter(pk=report.pk).update(team=north)
    return report


def _drug_signs(client) -> list[dict]:
    categories = {c["code"]: c for c in client.get("/api/v1/categories").json()}
    return categories["drugs"]["signs"]


def _original(body: str) -> str:
    return body.split('id="original-title"')[1].split("</section>")[0]


@pytest.mark.parametrize("role", [Role.ANALYST, Role.TEAM_LEAD])
def test_the_ticked_signs_are_on_the_page_and_in_the_api(
    role, client, verified_client, make_user, north
):
    signs = _drug_signs(client)
    ticked, unticked = [signs[0], signs[2]], signs[1]
    report = _sent(client, north, [s["id"] for s in ticked])
    reader = verified_client(make_user(role=role, team=north))

    body = reader.get(reverse("reports:detail", args=[report.pk])).content.decode()

    original = _original(body)
    assert "Herkende signalen" in original
    for sign in ticked:
        assert f"<li>{sign['text']}</li>" in original
    assert f"<li>{unticked['text']}</li>" not in body
    detail = reader.get(f"/api/v1/reports/{report.pk}").json()
    assert detail["signs"] == [{"id": s["id"], "text": s["text"]} for s in ticked]


def test_a_report_without_signs_shows_none(client, verified_client, make_user, north):
    report = _sent(client, north, [])
    reader = verified_client(make_user(role=Role.ANALYST, team=north))

    body = reader.get(reverse("reports:detail", args=[report.pk])).content.decode()

    assert "Herkende signalen" not in body
    assert reader.get(f"/api/v1/reports/{report.pk}").json()["signs"] == []


def test_more_signs_cost_no_more_queries(client, verified_client, make_user, north):
    signs = _drug_signs(client)
    one, all_of_them = (
        _sent(client, north, [signs[0]["id"]]),
        _sent(client, north, [s["id"] for s in signs]),
    )
    reader = verified_client(make_user(role=Role.ANALYST, team=north))
    counts = []
    for report in (one, all_of_them):
        for url in (reverse("reports:detail", args=[report.pk]), f"/api/v1/reports/{report.pk}"):
            reader.get(url)  # the first read of a page may warm a cache
            with CaptureQueriesContext(connection) as queries:
                assert reader.get(url).status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:], counts
