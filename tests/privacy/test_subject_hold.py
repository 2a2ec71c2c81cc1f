"""A legal hold on a subject (issue 15): the privacy officer places it by the subject's
number, as its page shows it (#412); the subject then outlives the destruction of the last
report that named it, and the run lists it as held. A team lead cannot hold a subject
(subjects belong to no team): the number reads as unknown, as a report of another team."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from baken.core.roles import Role
from baken.privacy import retention
from baken.privacy.models import LegalHold
from baken.reports.models import Report
from baken.subjects.models import Subject
from tests.privacy.test_destruction import _file, _register_subjects, _work_and_decide

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_privacy_officer_holds_a_subject_by_its_number(client, login, make_user):
    analyst = make_user(role=Role.ANALYST)
    report, receipt, _files = _file(client, analyst)
    subjects = _register_subjects(client, analyst, report)
    person = subjects["person"]
    shown = login(analyst, test_client=Client()).get(f"/werkruimte/betrokkenen/{person}")
    assert f"<dd>#{person}</dd>" in shown.content.decode()  # the number the officer is given
    _work_and_decide(client, analyst, report, receipt)

    hold = {
        "reference": f"#{person}",
        "reason": "police",
        "explanation": "Verzoek politie, proces-verbaal 2026-0412",
        "until": (timezone.localdate() + timedelta(days=800)).isoformat(),
    }
    lead = login(make_user(role=Role.TEAM_LEAD, team=analyst.team), test_client=Client())
    refused = lead.post("/bewaren/bewaarplichten", hold)
    assert refused.status_code == 400
    assert "Geen melding, casus of betrokkene heeft dit kenmerk of nummer." in (
        refused.content.decode()
    )
    officer = login(make_user(role=Role.PRIVACY_OFFICER), test_client=Client())
    placed = officer.post("/bewaren/bewaarplichten", hold, follow=True)
    assert "De bewaarplicht is ingesteld." in placed.content.decode()
    assert LegalHold.objects.get().subject_id == person
    assert f"<td>#{person}</td>" in officer.get("/bewaren/").content.decode()

    retention.run(now=timezone.now() + timedelta(days=367))
    assert not Report.objects.filter(pk=report.pk).exists()
    assert Subject.objects.filter(pk=person).exists()  # held
    assert not Subject.objects.filter(pk=subjects["organisation"]).exists()  # not held
