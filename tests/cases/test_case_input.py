"""Bad input in a case gets a clear Dutch message (problem+json in the API), never a 500, and
what was typed stays; long unbroken text does not push the accountability report off its
page."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from baken.cases import services, tasks_work, work
from baken.cases.models import CaseMember, Handover, Intervention, InterventionType, Task
from tests.cases.test_cases import in_analysis
from tests.cases.test_cases_api import post

pytestmark = pytest.mark.django_db

LONG = "x" * 301


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("deadline", "0001-01-01", "Kies een datum tussen 2000 en 2100."),
        ("deadline", "99999-01-01", "Dit is geen datum"),
        ("deadline", "2026-02-30", "Dit is geen datum"),
        ("deadline", "", "Geef een termijn."),
        ("title", LONG, "Gebruik ten hoogste 300 tekens (nu 301)."),
    ],
)
def test_a_task_with_a_bad_date_or_title_is_refused_and_kept(
    case, analyst, verified_client, field, value, message
):
    form = {"title": "Pand bezoeken", "assignee": analyst.pk, "deadline": "2026-12-01"}
    form[field] = value
    response = verified_client(analyst).post(reverse("cases:task_add", args=[case.pk]), form)
    body = response.content.decode()
    assert response.status_code == 400 and message in body
    assert f'value="{form["title"]}"' in body  # what was typed stays
    assert f'<option value="{analyst.pk}" selected>' in body
    assert not Task.objects.exists()


def test_an_intervention_with_an_absurd_date_is_refused_and_kept(case, analyst, verified_client):
    browser = verified_client(analyst)
    kind = InterventionType.objects.get(code="bibob")
    response = browser.post(
        reverse("cases:intervention_add", args=[case.pk]),
        {"kind": kind.pk, "start_date": "0001-01-01", "responsible": "Team Bibob"},
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Kies een datum tussen 2000 en 2100." in body
    assert f'<option value="{kind.pk}" selected>' in body and 'value="Team Bibob"' in body
    assert not Intervention.objects.exists()


def test_a_failed_intervention_update_keeps_state_end_and_outcome(case, analyst, verified_client):
    intervention = work.intervention_add(
        case=case,
        kind=InterventionType.objects.get(code="bibob"),
        start_date=date(2026, 11, 3),
        actor=analyst,
    )
    response = verified_client(analyst).post(
        reverse("cases:intervention_update", args=[case.pk, intervention.pk]),
        {"state": "done", "end_date": "2026-10-01", "outcome": "Vergunning geweigerd."},
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Het einde kan niet voor het begin liggen." in body
    assert "<details open>" in body
    assert 'value="done" selected' in body and 'value="2026-10-01"' in body
    assert "Vergunning geweigerd.</textarea>" in body
    assert Intervention.objects.get(pk=intervention.pk).state == "planned"


def test_an_intervention_type_without_a_legal_basis_needs_one_given(case, analyst):
    bare = InterventionType.objects.create(code="gesprek", name="Gesprek", position=99)
    with pytest.raises(services.CaseRefused) as refused:
        work.intervention_add(case=case, kind=bare, start_date=date(2026, 11, 3), actor=analyst)
    assert "legal_basis" in refused.value.problems
    made = work.intervention_add(
        case=case,
        kind=bare,
        start_date=date(2026, 11, 3),
        legal_basis="Gemeentewet art. 172",
        actor=analyst,
    )
    assert made.legal_basis == "Gemeentewet art. 172"


def test_texts_longer_than_their_field_are_refused_not_a_500(client, case, analyst, handler, lead):
    """On PostgreSQL a too long value is a database error: each is checked before."""
    too_long = {
        "recipient": "R" * 201,
        "legal_basis": "L" * 301,
    }
    for field, value in too_long.items():
        with pytest.raises(services.CaseRefused) as refused:
            work.handover_record(
                case=case,
                recipient_kind="riec",
                **{
                    "recipient": "RIEC",
                    "what": "De casus.",
                    "legal_basis": "Convenant",
                    field: value,
                },
                actor=analyst,
            )
        assert refused.value.problems[field].startswith("Gebruik ten hoogste")
    with pytest.raises(services.CaseRefused):
        work.intervention_add(
            case=case,
            kind=InterventionType.objects.get(code="bibob"),
            start_date=date(2026, 11, 3),
            responsible="V" * 201,
            actor=analyst,
        )
    with pytest.raises(services.CaseRefused):
        services.member_add(case=case, user=handler, actor=lead, reason="r" * 501)
    with pytest.raises(services.CaseRefused):
        services.member_remove(case=case, user=analyst, actor=lead, reason="r" * 501)
    assert not Handover.objects.exists() and not Intervention.objects.exists()
    assert CaseMember.objects.filter(case=case, removed_at__isnull=True).count() == 1

    # And over the API: problem+json naming the field.
    task = post(
        client,
        analyst,
        f"cases/{case.pk}/tasks",
        {"title": LONG, "assignee": analyst.pk, "deadline": "2026-12-01"},
    )
    assert task.status_code == 400 and task["Content-Type"] == "application/problem+json"
    assert task.json()["invalid_params"][0]["name"] == "title"
    early = post(
        client,
        analyst,
        f"cases/{case.pk}/tasks",
        {"title": "Pand bezoeken", "assignee": analyst.pk, "deadline": "0001-01-01"},
    )
    assert early.status_code == 400 and early.json()["invalid_params"][0]["name"] == "deadline"
    case_title = post(
        client,
        analyst,
        "cases",
        {"reports": [in_analysis(case.team).pk], "title": "T" * 201, "rationale": "Ernstig."},
    )
    assert case_title.status_code == 400
    assert [p["name"] for p in case_title.json()["invalid_params"]] == ["title"]
    assert not Task.objects.exists()


def _text_positions(pdf: bytes) -> tuple[float, list[tuple[float, str]]]:
    """The page width and where each piece of text starts on it."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    found: list[tuple[float, str]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            found.append((tm[4] * cm[0] + cm[4], text))

    page.extract_text(visitor_text=visit)
    return float(page.mediabox.width), found


def test_a_long_unbroken_word_stays_on_the_accountability_reports_page(
    case, analyst, verified_client
):
    word = "https://example.org/" + "a" * 400
    work.case_note_add(case=case, actor=analyst, text=word)
    tasks_work.task_add(
        case=case,
        title="T" * 300,
        assignee=analyst,
        deadline=date(2026, 12, 1),
        actor=analyst,
    )
    pdf = verified_client(analyst).get(reverse("cases:accountability", args=[case.pk])).content
    width, pieces = _text_positions(pdf)
    assert pieces
    outside = [(round(x), text[:20]) for x, text in pieces if not 0 <= x < width]
    assert outside == []
    by = analyst.get_full_name() or analyst.username
    assert any(by in text for _x, text in pieces)  # the "By" column is there, on the page
