"""Cases over the API: the same rules as the pages (issue "Werkruimte III", item 11)."""

import io

import pytest
from django.core.management import call_command

from baken.cases.models import StageCriterion
from baken.core.roles import Role
from tests.cases.test_cases import in_analysis

pytestmark = pytest.mark.django_db


def auth(user) -> dict:
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    return {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}


def post(client, user, path, data):
    return client.post(f"/api/v1/{path}", data, content_type="application/json", **auth(user))


def test_a_case_over_the_api_from_opening_to_closing(client, make_user, north):
    analyst = make_user(role=Role.ANALYST, team=north)
    handler = make_user(role=Role.CASE_HANDLER, team=north)
    report = in_analysis(north)
    opened = post(
        client,
        analyst,
        "cases",
        {
            "reports": [report.pk],
            "title": "Loods Havenweg",
            "handler": handler.pk,
            "rationale": "Weging 3: ernstig.",
        },
    )
    assert opened.status_code == 201, opened.content
    case = opened.json()
    assert case["stage"] == "bronnenonderzoek" and case["reports"] == [report.pk]
    refused = post(
        client, analyst, f"cases/{case['id']}/steps", {"kind": "advance", "rationale": "x"}
    )
    assert refused.status_code == 400
    names = [p["name"] for p in refused.json()["invalid_params"]]
    assert "criteria.weging-4" in names
    # The privacy officer's approval is derived from the records, not answered by hand.
    typed = {"criterion": "bronnen-goedgekeurd", "choice": "ja", "motivation": "Gedaan."}
    refused = post(client, analyst, f"cases/{case['id']}/answers", typed)
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    assert "goedgekeurd" in refused.json()["invalid_params"][0]["reason"]
    _approve_a_source(client, analyst, make_user(role=Role.PRIVACY_OFFICER), case["id"])
    for code in case["open_criteria"]:
        criterion = StageCriterion.objects.get(code=code, stage__version__number=1)
        if criterion.fact:
            continue
        answered = post(
            client,
            analyst,
            f"cases/{case['id']}/answers",
            {"criterion": code, "choice": criterion.choices[0], "motivation": "Gedaan."},
        )
        assert answered.status_code == 200
    derived = {c["code"]: c for c in answered.json()["criteria"] if c["derived_from"]}
    assert derived["bronnen-goedgekeurd"]["answer"]["choice"] == "ja"
    moved = post(
        client, analyst, f"cases/{case['id']}/steps", {"kind": "advance", "rationale": "Verder."}
    )
    assert moved.status_code == 200 and moved.json()["stage"] == "plan-van-aanpak"
    # Closing is the handler's or the team lead's.
    close = {"kind": "close", "rationale": "Klaar.", "result": "geen-grond"}
    assert post(client, analyst, f"cases/{case['id']}/steps", close).status_code == 403
    still_open = post(client, handler, f"cases/{case['id']}/steps", close)
    assert still_open.status_code == 400  # the plan's criteria are open
    assert [p["name"] for p in still_open.json()["invalid_params"]][:1] == [
        "criteria.privacytoets-2a"
    ]


def _approve_a_source(client, analyst, officer, case_id: int) -> None:
    """Source research as the team and the privacy officer do it over the API: asked,
    approved, and its hit recorded."""
    asked = post(
        client, analyst, f"cases/{case_id}/consultations", {"source": "brp", "purpose": "Wie?"}
    )
    assert asked.status_code == 201, asked.content
    decision = {"approve": True, "motivation": "Past bij het doel."}
    consultation = asked.json()["id"]
    assert (
        post(client, officer, f"consultations/{consultation}/decision", decision).status_code == 200
    )
    hit = post(client, analyst, f"cases/{case_id}/consultations/{consultation}", {"hit": True})
    assert hit.status_code == 200, hit.content


def test_the_work_of_a_case_over_the_api(client, make_user, north):
    analyst = make_user(role=Role.ANALYST, team=north)
    officer = make_user(role=Role.PRIVACY_OFFICER, team=None)
    case_id = post(
        client,
        analyst,
        "cases",
        {"reports": [in_analysis(north).pk], "title": "Loods", "rationale": "Ernstig."},
    ).json()["id"]
    asked = post(
        client, analyst, f"cases/{case_id}/consultations", {"source": "brp", "purpose": "Wie?"}
    )
    assert asked.status_code == 201 and asked.json()["state"] == "requested"
    consultation = asked.json()["id"]
    # Only the privacy officer decides; for anyone else the request does not exist.
    decide = {"approve": True, "motivation": "Noodzakelijk."}
    assert (
        post(client, analyst, f"consultations/{consultation}/decision", decide).status_code == 404
    )
    assert post(client, officer, f"consultations/{consultation}/decision", decide).json() == {
        "id": consultation,
        "state": "approved",
    }
    recorded = post(
        client,
        analyst,
        f"cases/{case_id}/consultations/{consultation}",
        {"hit": True, "findings": "Vijf volwassenen."},
    )
    assert recorded.json()["hit"] is True and recorded.json()["findings"] == "Vijf volwassenen."
    added = post(
        client,
        analyst,
        f"cases/{case_id}/interventions",
        {"kind": "bibob", "start_date": "2026-11-02"},
    )
    assert added.status_code == 201 and added.json()["legal_basis"] == "Wet Bibob"
    bad = post(
        client,
        analyst,
        f"cases/{case_id}/interventions",
        {"kind": "bibob", "start_date": "2026-02-30"},
    )
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    handed = post(
        client,
        analyst,
        f"cases/{case_id}/handovers",
        {
            "recipient_kind": "riec",
            "recipient": "RIEC",
            "what": "Samenvatting",
            "legal_basis": "Convenant",
        },
    )
    assert handed.status_code == 201 and handed["Content-Type"] == "application/zip"
    listed = client.get(f"/api/v1/cases/{case_id}/handovers", **auth(analyst)).json()
    assert [h["recipient"] for h in listed] == ["RIEC"]
    pdf = client.get(f"/api/v1/cases/{case_id}/accountability", **auth(analyst))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    outsider = make_user(role=Role.CASE_HANDLER, team=north)
    for path in ("consultations", "interventions", "handovers", "accountability"):
        assert client.get(f"/api/v1/cases/{case_id}/{path}", **auth(outsider)).status_code == 404


def test_tasks_notes_and_notices_over_the_api(client, make_user, north):
    from tests.subjects.helpers import subject

    analyst = make_user(role=Role.ANALYST, team=north)
    handler = make_user(role=Role.CASE_HANDLER, team=north)
    report = in_analysis(north)
    case_id = post(
        client,
        analyst,
        "cases",
        {"reports": [report.pk], "title": "Loods", "rationale": "Ernstig.", "handler": handler.pk},
    ).json()["id"]
    # Tasks: only for a member, with a deadline; my tasks across cases; marked done.
    refused = post(
        client,
        analyst,
        f"cases/{case_id}/tasks",
        {"title": "Kadaster", "assignee": 999999, "deadline": "2026-12-01"},
    )
    assert refused.status_code == 400 and refused.json()["invalid_params"][0]["name"] == "assignee"
    bad_date = post(
        client,
        analyst,
        f"cases/{case_id}/tasks",
        {"title": "Kadaster", "assignee": handler.pk, "deadline": "morgen"},
    )
    assert bad_date.status_code == 400 and bad_date["Content-Type"] == "application/problem+json"
    task = post(
        client,
        analyst,
        f"cases/{case_id}/tasks",
        {"title": "Kadaster", "assignee": handler.pk, "deadline": "2020-01-01"},
    ).json()
    assert task["state"] == "open" and task["overdue"] is True
    mine = client.get("/api/v1/tasks", **auth(handler)).json()["results"]
    assert [t["title"] for t in mine] == ["Kadaster"]
    done = post(client, handler, f"cases/{case_id}/tasks/{task['id']}/done", {})
    assert done.json()["state"] == "done"
    assert client.get("/api/v1/tasks", **auth(handler)).json() == {"results": []}
    # Notes.
    assert post(client, analyst, f"cases/{case_id}/notes", {"text": ""}).status_code == 400
    assert (
        post(client, analyst, f"cases/{case_id}/notes", {"text": "Belde zelf."}).status_code == 201
    )
    notes = client.get(f"/api/v1/cases/{case_id}/notes", **auth(handler)).json()
    assert [n["text"] for n in notes] == ["Belde zelf."]
    # A notice after a correction: about a report or a subject of the hand-over, not both.
    jan = subject("Jan de Vries", report=report, judge=analyst)
    post(
        client,
        analyst,
        f"cases/{case_id}/handovers",
        {
            "recipient_kind": "riec",
            "recipient": "RIEC",
            "what": "Alles",
            "legal_basis": "Convenant",
        },
    )
    handover = client.get(f"/api/v1/cases/{case_id}/handovers", **auth(analyst)).json()[0]
    path = f"cases/{case_id}/handovers/{handover['id']}/notices"
    assert post(client, analyst, path, {}).status_code == 400
    assert post(client, analyst, path, {"report": report.pk, "subject": jan.pk}).status_code == 400
    other = in_analysis(north)
    assert post(client, analyst, path, {"report": other.pk}).status_code == 400
    assert post(client, analyst, path, {"subject": jan.pk}).status_code == 201
    assert post(client, analyst, path, {"report": report.pk}).status_code == 201
    listed = client.get(f"/api/v1/cases/{case_id}/handovers", **auth(analyst)).json()[0]
    assert [n["about"] for n in listed["notices"]] == ["Jan de Vries", report.reference]
