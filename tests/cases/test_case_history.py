"""What a walk-through of the case pages found: an intervention's changes each kept (not the
latest written over the first), a case handler appointed after opening, a hand-over recorded
once however often its form is sent, and work of a closed case or a former member no longer
asked for."""

import uuid
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from baken.audit.models import AuditEntry
from baken.cases import services, tasks_work, work
from baken.cases.models import (
    CaseDecision,
    DecisionKind,
    Handover,
    InterventionChange,
    InterventionType,
    Stage,
)
from baken.cases.timeline import case_timeline
from baken.core.roles import Role
from tests.cases.test_cases import answer_all, open_case
from tests.cases.test_cases_api import auth, post
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def _bibob(case, actor):
    return work.intervention_add(
        case=case,
        kind=InterventionType.objects.get(code="bibob"),
        start_date=date(2026, 11, 3),
        actor=actor,
    )


def test_each_change_of_an_intervention_stays_in_the_timeline_and_the_pdf(
    case, analyst, make_user, verified_client
):
    lead = make_user(role=Role.TEAM_LEAD, team=case.team, first_name="Lotte")
    intervention = _bibob(case, analyst)
    work.intervention_update(
        intervention=intervention, state="running", outcome="", end_date=None, actor=analyst
    )
    browser = verified_client(lead)
    done = browser.post(
        reverse("cases:intervention_update", args=[case.pk, intervention.pk]),
        {"state": "done", "end_date": "2026-11-20", "outcome": "Vergunning geweigerd."},
    )
    assert done.status_code == 302
    # The same again changes nothing and records nothing.
    work.intervention_update(
        intervention=intervention,
        state="done",
        outcome="Vergunning geweigerd.",
        end_date=date(2026, 11, 20),
        actor=lead,
    )

    changes = list(InterventionChange.objects.filter(intervention=intervention))
    assert [(c.state, c.author) for c in changes] == [
        ("planned", analyst),
        ("running", analyst),
        ("done", lead),
    ]
    titles = [e.title for e in case_timeline(case) if e.kind == "intervention"]
    assert titles == [
        "Interventie vastgelegd: Bibob-toets (Gepland)",
        "Bibob-toets: Loopt",
        "Bibob-toets: Klaar",
    ]
    text = pdf_text(browser.get(reverse("cases:accountability", args=[case.pk])).content)
    assert "Bibob-toets (Gepland)" in text and "Bibob-toets: Loopt" in text
    assert "einde: 20 november 2026; uitkomst: Vergunning geweigerd." in text

    listed = browser.get(f"/api/v1/cases/{case.pk}/interventions", **auth(lead)).json()
    assert [c["state"] for c in listed[0]["changes"]] == ["planned", "running", "done"]


def test_an_intervention_changes_over_the_api_and_keeps_its_history(client, case, analyst):
    intervention = _bibob(case, analyst)
    path = f"cases/{case.pk}/interventions/{intervention.pk}"
    missing = post(client, analyst, path, {"state": "done"})
    assert missing.status_code == 400
    assert missing.json()["invalid_params"][0]["name"] == "outcome"
    changed = post(client, analyst, path, {"state": "stopped", "outcome": "Pand verkocht."})
    assert changed.status_code == 200, changed.content
    assert changed.json()["state"] == "stopped"
    assert [c["state"] for c in changed.json()["changes"]] == ["planned", "stopped"]
    assert post(client, analyst, f"cases/{case.pk}/interventions/999999", {}).status_code == 404


def test_a_case_handler_is_appointed_after_opening_and_then_steers_the_case(
    case, analyst, handler, make_user, verified_client
):
    assert case.handler is None  # opened with "nobody yet"
    lead = make_user(role=Role.TEAM_LEAD, team=case.team)
    browser = verified_client(lead)
    url = reverse("cases:handler_set", args=[case.pk])
    page = browser.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Er is nog geen casusregisseur." in page
    # Not a member yet: refused, and what was typed stays.
    refused = browser.post(url, {"handler-handler": handler.pk, "handler-rationale": "Ervaren."})
    assert refused.status_code == 400 and "Ervaren." in refused.content.decode()
    services.member_add(case=case, user=handler, actor=lead, reason="Regie.")
    done = browser.post(url, {"handler-handler": handler.pk, "handler-rationale": "Ervaren."})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.handler == handler
    decision = CaseDecision.objects.get(case=case, kind=DecisionKind.HANDLER)
    assert (decision.handler, decision.rationale, decision.author) == (handler, "Ervaren.", lead)
    assert AuditEntry.objects.filter(action="case.handler", object_id=str(case.pk)).exists()
    name = handler.get_full_name() or handler.username
    assert f"Casusregisseur aangewezen: {name}" in [e.title for e in case_timeline(case)]

    # An analyst member does not steer; the handler now does (and may pass it on).
    assert verified_client(analyst).post(url, {"handler-handler": analyst.pk}).status_code == 403
    steered = verified_client(handler).post(
        url, {"handler-handler": analyst.pk, "handler-rationale": "Ik ga met verlof."}
    )
    assert steered.status_code == 302
    case.refresh_from_db()
    assert case.handler == analyst


def test_the_case_handler_over_the_api(client, case, analyst, handler, make_user):
    lead = make_user(role=Role.TEAM_LEAD, team=case.team)
    path = f"cases/{case.pk}/handler"
    outsider = post(client, lead, path, {"handler": handler.pk, "rationale": "Regie."})
    assert outsider.status_code == 400
    assert outsider.json()["invalid_params"][0]["name"] == "handler"
    services.member_add(case=case, user=handler, actor=lead, reason="Regie.")
    assert post(client, analyst, path, {"handler": handler.pk, "rationale": "x"}).status_code == 403
    appointed = post(client, lead, path, {"handler": handler.pk, "rationale": "Regie."})
    assert appointed.status_code == 200 and appointed.json()["handler"] == handler.pk


def test_a_hand_over_form_sent_twice_records_one_hand_over(case, analyst, verified_client):
    browser = verified_client(analyst)
    page = browser.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'name="request_key"' in page and "cases/handover.js" in page
    form = {
        "recipient_kind": "riec",
        "recipient": "RIEC Noord-Holland",
        "what": "De casus.",
        "legal_basis": "Convenant RIEC, art. 5",
        "request_key": "8d3c9a52-52b4-4c55-9f3e-3f6a2b7c1d10",
    }
    first = browser.post(reverse("cases:handover", args=[case.pk]), form)
    assert first.status_code == 200 and first["Content-Type"] == "application/zip"
    again = browser.post(reverse("cases:handover", args=[case.pk]), form, follow=True)
    assert "Deze overdracht was al vastgelegd" in again.content.decode()
    assert Handover.objects.filter(case=case).count() == 1
    # A new form (a new key) is a new hand-over.
    form["request_key"] = "0b6f0c1e-2f1d-4a6e-8a55-8b0e5a1c9e21"
    assert browser.post(reverse("cases:handover", args=[case.pk]), form).status_code == 200
    assert Handover.objects.filter(case=case).count() == 2


def test_the_api_answers_a_repeated_hand_over_with_409(client, case, analyst):
    body = {
        "recipient_kind": "police",
        "recipient": "Politie",
        "what": "De melding.",
        "legal_basis": "Wpg art. 4:3",
        "request_key": "5b0a4d0e-8f7e-4c1c-9d2b-6a7e2f3c4b5a",
    }
    assert post(client, analyst, f"cases/{case.pk}/handovers", body).status_code == 201
    again = post(client, analyst, f"cases/{case.pk}/handovers", body)
    assert again.status_code == 409 and again["Content-Type"] == "application/problem+json"
    assert Handover.objects.filter(case=case).count() == 1


def test_a_closed_case_and_a_former_member_ask_for_no_work(
    case, analyst, handler, make_user, settings, django_capture_on_commit_callbacks
):
    lead = make_user(role=Role.TEAM_LEAD, team=case.team, email="lead@havenwaard.example")
    services.member_add(case=case, user=lead, actor=lead, reason="Teamleider.")
    today = timezone.localdate()
    for who in (analyst, lead):
        tasks_work.task_add(
            case=case, title="Pand bezoeken", assignee=who, deadline=today, actor=analyst
        )
    services.member_remove(case=case, user=lead, actor=lead, reason="Ander werk.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes after commit
        assert tasks_work.send_reminders(today=today) == 1  # the analyst, not the former member
    assert mail.outbox[0].to == [analyst.email]
    assert list(tasks_work.my_tasks(user=analyst))

    answer_all(case, analyst)
    services.case_close(  # the team lead steers her team's cases, a member or not
        case=case, actor=lead, result=case.version.results.first(), rationale="Klaar."
    )
    assert not list(tasks_work.my_tasks(user=analyst))
    assert tasks_work.send_reminders(today=today + timedelta(days=1)) == 0
    services.case_reopen(case=case, actor=lead, reason="Nieuwe signalen.")
    assert list(tasks_work.my_tasks(user=analyst))  # back with the case


def test_the_next_stage_is_not_offered_from_the_last_working_stage(case, analyst, verified_client):
    browser = verified_client(analyst)
    page = browser.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Naar de volgende fase" in page
    last = Stage.objects.filter(version=case.version, is_closed=False).latest("position")
    type(case).objects.filter(pk=case.pk).update(stage=last)
    page = browser.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Naar de volgende fase" not in page


def test_the_case_handler_is_of_the_cases_team_and_is_not_removed_unreplaced(
    case, analyst, handler, make_user, south
):
    lead = make_user(role=Role.TEAM_LEAD, team=case.team)
    stranger = make_user(role=Role.ANALYST, team=south)
    services.member_add(case=case, user=stranger, actor=lead, reason="Kennis van de haven.")
    with pytest.raises(services.CaseRefused) as refused:
        services.case_handler_set(case=case, handler=stranger, actor=lead, rationale="x")
    assert "team" in str(refused.value.problems["handler"])
    services.member_add(case=case, user=handler, actor=lead, reason="Regie.")
    services.case_handler_set(case=case, handler=handler, actor=lead, rationale="Regie.")
    with pytest.raises(services.CaseRefused):
        services.member_remove(case=case, user=handler, actor=lead, reason="Ander werk.")
    services.case_handler_set(case=case, handler=analyst, actor=lead, rationale="Overdracht.")
    services.member_remove(case=case, user=handler, actor=lead, reason="Ander werk.")


def test_a_request_key_says_nothing_across_cases(case, analyst, north):
    other = open_case(north, analyst, title="Tweede casus")
    key = uuid.UUID("8d3c9a52-52b4-4c55-9f3e-3f6a2b7c1d10")
    for each in (case, other):  # the same key on two cases: two hand-overs, no refusal
        work.handover_record(
            case=each,
            recipient_kind="riec",
            recipient="RIEC",
            what="De casus.",
            legal_basis="Convenant",
            actor=analyst,
            request_key=key,
        )
    assert Handover.objects.filter(request_key=key).count() == 2


def test_dates_as_typed_and_nothing_changed_said_so(case, analyst, verified_client):
    browser = verified_client(analyst)
    added = browser.post(
        reverse("cases:task_add", args=[case.pk]),
        {"title": "Pand bezoeken", "assignee": analyst.pk, "deadline": "1-12-2026"},
    )
    assert added.status_code == 302
    assert case.tasks.get().deadline == date(2026, 12, 1)
    intervention = _bibob(case, analyst)
    same = browser.post(
        reverse("cases:intervention_update", args=[case.pk, intervention.pk]),
        {"state": "planned", "end_date": "", "outcome": ""},
        follow=True,
    )
    assert "Er is niets veranderd." in same.content.decode()
    assert InterventionChange.objects.filter(intervention=intervention).count() == 1


def test_a_review_reason_too_long_is_refused_and_kept(case, make_user, verified_client):
    officer = make_user(role=Role.PRIVACY_OFFICER, team=None)
    reason = "Klacht van betrokkene. " + "r" * 500
    response = verified_client(officer).post(
        reverse("cases:review", args=[case.pk]), {"reason": reason}
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Gebruik ten hoogste 500 tekens" in body
    assert reason in body and 'aria-invalid="true"' in body
    assert not case.reviews.exists()
