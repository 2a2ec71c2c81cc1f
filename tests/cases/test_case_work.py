"""Source research approved by the privacy officer, interventions, the sharing register with
its package, and the accountability report (issue "Werkruimte III", items 5, 7, 8, 10)."""

import io
import json
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.cases import services, work
from baken.cases.models import Consultation, Handover, InterventionType, Source
from baken.core.roles import Role
from baken.subjects import ftm
from tests.panels import page_with_panels
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user(role=Role.PRIVACY_OFFICER, team=None)


def test_source_research_needs_the_privacy_officer_then_hit_then_findings(
    case, analyst, officer, verified_client
):
    brp = Source.objects.get(code="brp")
    asked = work.consultation_request(
        case=case, source=brp, purpose="Wie staat er ingeschreven?", actor=analyst
    )
    with pytest.raises(services.CaseRefused):  # not approved yet
        work.consultation_hit(consultation=asked, hit=True, actor=analyst)
    with pytest.raises(services.CaseRefused):  # only the privacy officer decides
        work.consultation_decide(consultation=asked, officer=analyst, approve=True, motivation="x")
    queue = verified_client(officer).get(reverse("cases:consultation_queue")).content.decode()
    assert "Wie staat er ingeschreven?" in queue and case.reference in queue
    assert "Signalen van drugsproductie" not in queue  # the case's content stays out
    approved = verified_client(officer).post(
        reverse("cases:consultation_queue"),
        {"consultation": asked.pk, "decision": "approve", "motivation": "Noodzakelijk."},
    )
    assert approved.status_code == 302
    asked.refresh_from_db()
    with pytest.raises(services.CaseRefused):  # findings only after a hit
        work.consultation_findings(consultation=asked, findings="x", actor=analyst)
    work.consultation_hit(consultation=asked, hit=True, actor=analyst)
    work.consultation_findings(
        consultation=asked, findings="Vijf volwassenen ingeschreven.", actor=analyst
    )
    refused = work.consultation_request(
        case=case,
        source=Source.objects.get(code="sociaal-domein"),
        purpose="Uitkering?",
        actor=analyst,
    )
    work.consultation_decide(
        consultation=refused, officer=officer, approve=False, motivation="Niet proportioneel."
    )
    states = dict(Consultation.objects.values_list("source__code", "state"))
    assert states == {"brp": "approved", "sociaal-domein": "refused"}
    actions = set(
        AuditEntry.objects.filter(action__startswith="case.consultation").values_list(
            "action", flat=True
        )
    )
    assert {
        "case.consultation_request",
        "case.consultation_decide",
        "case.consultation_hit",
        "case.consultation_findings",
    } <= actions


def test_interventions_need_a_start_and_an_outcome_when_finished(case, analyst):
    closure = InterventionType.objects.get(code="sluiting-13b")
    with pytest.raises(services.CaseRefused):
        work.intervention_add(case=case, kind=closure, start_date=None, actor=analyst)
    done = work.intervention_add(
        case=case, kind=closure, start_date=date(2026, 11, 2), actor=analyst
    )
    assert done.legal_basis == "Opiumwet art. 13b" and done.responsible == "Burgemeester"
    with pytest.raises(services.CaseRefused):
        work.intervention_update(
            intervention=done, state="done", outcome="", end_date=None, actor=analyst
        )
    with pytest.raises(services.CaseRefused):
        work.intervention_update(
            intervention=done, state="done", outcome="x", end_date=date(2026, 1, 1), actor=analyst
        )
    work.intervention_update(
        intervention=done,
        state="done",
        outcome="Pand drie maanden gesloten.",
        end_date=date(2026, 11, 30),
        actor=analyst,
    )


def test_a_handover_is_registered_with_its_package(case, analyst, verified_client):
    from tests.subjects.helpers import subject

    report = case.reports.get()
    jan = subject("Jan de Vries", report=report, judge=analyst)
    response = verified_client(analyst).post(
        reverse("cases:handover", args=[case.pk]),
        {
            "recipient_kind": "riec",
            "recipient": "RIEC Noord-Holland",
            "what": "Samenvatting en betrokkenen.",
            "legal_basis": "Convenant RIEC, art. 5",
        },
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["betrokkenen.ftm.jsonl", "samenvatting.pdf"]
    entities = [json.loads(line) for line in archive.read("betrokkenen.ftm.jsonl").splitlines()]
    ftm.validate(entities)
    assert [e["properties"]["name"] for e in entities] == [["Jan de Vries"]]
    summary = pdf_text(archive.read("samenvatting.pdf"))
    assert "RIEC Noord-Holland" in summary and "Convenant RIEC" in summary
    [record] = Handover.objects.filter(case=case)
    assert record.subjects == [jan.pk] and record.reports == [report.pk]
    import hashlib

    assert record.package_sha256 == hashlib.sha256(response.content).hexdigest()
    assert work.handovers_to_inform(subject_ids=[jan.pk]) == [record]
    assert work.handovers_to_inform(report_ids=[report.pk + 999]) == []


def test_a_handover_needs_recipient_what_and_legal_basis(case, analyst, verified_client):
    response = verified_client(analyst).post(
        reverse("cases:handover", args=[case.pk]),
        {"recipient_kind": "riec", "recipient": "RIEC", "what": "Alles", "legal_basis": ""},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Geef de wettelijke grondslag." in body and 'value="RIEC"' in body  # input kept
    assert not Handover.objects.exists()


def test_the_accountability_report_lists_each_step(case, analyst, officer, verified_client):
    brp = Source.objects.get(code="brp")
    asked = work.consultation_request(case=case, source=brp, purpose="Inschrijving.", actor=analyst)
    work.consultation_decide(consultation=asked, officer=officer, approve=True, motivation="Ja.")
    work.consultation_hit(consultation=asked, hit=False, actor=analyst)
    work.intervention_add(
        case=case,
        kind=InterventionType.objects.get(code="bibob"),
        start_date=date(2026, 11, 3),
        actor=analyst,
    )
    response = verified_client(analyst).get(reverse("cases:accountability", args=[case.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        case.reference,
        "Weging 3: ernstig.",
        "Basisregistratie Personen",
        "geen hit",
        "Bibob-toets",
    ):
        assert expected in text, expected
    assert AuditEntry.objects.filter(action="case.accountability_report").exists()


def test_the_report_page_says_whom_to_tell_of_a_correction(case, analyst, verified_client):
    report = case.reports.get()
    work.handover_record(
        case=case,
        recipient_kind="police",
        recipient="Politie Noord-Holland",
        what="De melding.",
        legal_basis="Wpg art. 4:3",
        actor=analyst,
    )
    browser = verified_client(analyst)
    page = page_with_panels(browser, reverse("reports:detail", args=[report.pk]))
    assert "Politie Noord-Holland" in page and "Gedeeld buiten het team" in page
    handover = Handover.objects.get(case=case)
    told = browser.post(
        reverse("cases:handover_informed", args=[case.pk, handover.pk]), {"report": report.pk}
    )
    assert told.status_code == 302
    assert report.notes.filter(text__contains="Politie Noord-Holland").exists()
    assert AuditEntry.objects.filter(action="case.handover_informed").exists()


def test_the_case_page_lists_its_subjects_with_their_network(case, analyst, verified_client):
    from tests.subjects.helpers import subject

    jan = subject("Jan de Vries", report=case.reports.get(), judge=analyst)
    page = verified_client(analyst).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Jan de Vries" in page and reverse("subjects:network", args=[jan.pk]) in page


def test_a_closed_case_takes_no_more_work_through_any_door(case, analyst, officer, client):
    from django.utils import timezone

    from tests.cases.test_cases_api import auth

    brp = Source.objects.get(code="brp")
    asked = work.consultation_request(case=case, source=brp, purpose="Wie?", actor=analyst)
    work.consultation_decide(consultation=asked, officer=officer, approve=True, motivation="Ja.")
    bibob = work.intervention_add(
        case=case,
        kind=InterventionType.objects.get(code="bibob"),
        start_date=date(2026, 11, 2),
        actor=analyst,
    )
    type(case).objects.filter(pk=case.pk).update(closed_at=timezone.now())
    with pytest.raises(services.CaseRefused):
        work.consultation_hit(consultation=asked, hit=True, actor=analyst)
    with pytest.raises(services.CaseRefused):
        work.intervention_update(
            intervention=bibob, state="done", outcome="Gedaan.", end_date=None, actor=analyst
        )
    api = client.post(
        f"/api/v1/cases/{case.pk}/consultations/{asked.pk}",
        {"hit": True},
        content_type="application/json",
        **auth(analyst),
    )
    assert api.status_code == 400 and "case" in api.content.decode()
    asked.refresh_from_db()
    assert asked.hit is None
