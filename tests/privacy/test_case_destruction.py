"""Closed cases go on a destruction list five years after closing; the privacy officer
approves the list or takes a case off it with a reason; the next run destroys what was
approved — the case with its notes, tasks and decisions, its reports that no other case
holds, and its hand-overs, of which the statement keeps to whom and on which basis (issue 15)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from baken.cases import services as case_services
from baken.cases import work
from baken.cases.models import Case, CaseNote, CaseResult
from baken.core.roles import Role
from baken.privacy import retention
from baken.privacy.models import DestroyedItem, DestructionProposal, ProposalState, RuleKind
from baken.reports.models import Report
from tests.cases.test_cases import answer_all, open_case
from tests.privacy.test_destruction import _rows_holding

pytestmark = pytest.mark.django_db

SECRET = "Zilverreigerlaan"
OTHER = "Kwartelkoningweg"


def _closed_case(team, analyst, lead, title: str, street: str = SECRET) -> Case:
    case = open_case(team, analyst, title=title, summary=f"Kwekerij aan de {street} 9.")
    Report.objects.filter(cases=case).update(description=f"Hennepgeur {street} 9.")
    work.case_note_add(case=case, actor=analyst, text=f"Buurman {street} 11 belde.")
    for _ in range(2):
        answer_all(case, analyst)
        case = case_services.case_advance(case=case, actor=analyst, rationale="Volgende fase.")
    answer_all(case, analyst)
    result = CaseResult.objects.get(version=case.version, code="interventie-uitgevoerd")
    return case_services.case_close(case=case, actor=lead, result=result, rationale="Gesloten.")


def _line(lines):
    return next(line for line in lines if line.rule.kind == RuleKind.CASE_CLOSED).found


def test_the_list_is_approved_and_the_next_run_destroys_the_case_and_its_report(login, make_user):
    lead = make_user(role=Role.TEAM_LEAD)
    analyst = make_user(role=Role.ANALYST, team=lead.team)
    case = _closed_case(lead.team, analyst, lead, "Loods Zilverreigerlaan")
    kept = _closed_case(lead.team, analyst, lead, "Schuur aan de dijk", street=OTHER)
    report_ids = list(Report.objects.filter(cases=case).values_list("pk", flat=True))
    assert report_ids and CaseNote.objects.filter(case=case).exists()
    later = timezone.now() + timedelta(days=5 * 365 + 2)

    # Four years on: not due. Five years and a day: on the list, nothing destroyed yet.
    assert _line(retention.run(now=timezone.now() + timedelta(days=4 * 365))[1]).due == 0
    first = _line(retention.run(now=later)[1])
    assert (first.due, first.done, first.listed) == (2, 0, 2)
    assert Case.objects.filter(pk=case.pk).exists()

    officer = login(make_user(role=Role.PRIVACY_OFFICER), test_client=Client())
    page = officer.get("/bewaren/").content.decode()
    assert "Vernietigingslijst" in page and case.reference in page
    off = DestructionProposal.objects.get(case=kept)
    refused = officer.post(f"/bewaren/vernietigingslijst/{off.pk}/eraf", {"reason": ""})
    assert refused.status_code == 400
    officer.post(
        f"/bewaren/vernietigingslijst/{off.pk}/eraf",
        {"reason": "Bezwaarprocedure over de sluiting loopt nog."},
    )
    approved = officer.post("/bewaren/vernietigingslijst/goedkeuren", follow=True)
    assert "1 casus is goedgekeurd voor vernietiging" in approved.content.decode()

    record, lines = retention.run(now=later)
    assert _line(lines).done == 1 and _line(lines).listed == 0  # one taken off stays off
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Report.objects.filter(pk__in=report_ids).exists()
    assert Case.objects.filter(pk=kept.pk).exists()
    assert DestructionProposal.objects.get(reference=case.reference).state == (
        ProposalState.DESTROYED
    )
    items = DestroyedItem.objects.filter(run=record)
    assert set(items.values_list("object_type", flat=True)) >= {"case", "report"}
    assert items.get(object_type="case").reference == case.reference
    # Nothing of the destroyed case is left in any table; the kept one is all there.
    assert _rows_holding([SECRET]) == {}
    assert _rows_holding([OTHER])
    statement = officer.get(f"/bewaren/runs/{record.pk}").content.decode()
    assert case.reference in statement and SECRET not in statement


def test_a_held_case_is_not_put_on_the_list(make_user):
    from baken.privacy import services

    lead = make_user(role=Role.TEAM_LEAD)
    analyst = make_user(role=Role.ANALYST, team=lead.team)
    case = _closed_case(lead.team, analyst, lead, "Loods")
    services.hold_place(
        actor=lead,
        target=case,
        reason="court",
        explanation="Rechtszaak over de sluiting, zaaknummer 26/1234",
        until=timezone.localdate() + timedelta(days=6 * 365),
    )
    found = _line(retention.run(now=timezone.now() + timedelta(days=5 * 365 + 2))[1])
    assert (found.due, found.held, found.listed) == (1, 1, 0)
    assert not DestructionProposal.objects.exists()
