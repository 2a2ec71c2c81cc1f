"""The administrator configures the weighing criteria; the decision rule follows at once."""

import pytest
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.reports.models import Criterion
from baken.reports.weighing import open_mandatory
from tests.reports.test_triage import file_report

pytestmark = pytest.mark.django_db


def test_admin_makes_a_criterion_optional_and_adds_one(verified_client, make_user):
    browser = verified_client(make_user(role=Role.ADMIN, team=None))
    trend = Criterion.objects.get(code="recent")
    response = browser.post(
        reverse("reports:criterion_edit", args=[trend.pk]),
        {
            "weighing": "3",
            "code": "recent",
            "question": trend.question,
            "help_text": "",
            "choices_text": "ja, nee",
            "position": 5,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    trend.refresh_from_db()
    assert not trend.mandatory and trend.choices == ["ja", "nee"]
    report = file_report()
    assert "recent" not in {c.code for c in open_mandatory(report=report)}
    browser.post(
        reverse("reports:criterion_create"),
        {
            "weighing": "1",
            "code": "bibob",
            "question": "Is er een Bibob-signaal?",
            "choices_text": "ja, nee",
            "mandatory": "on",
            "position": 9,
            "is_active": "on",
        },
    )
    assert "bibob" in {c.code for c in open_mandatory(report=report)}
    assert AuditEntry.objects.filter(action__startswith="criterion.").count() == 2


def test_a_single_answer_is_refused_with_the_input_kept(verified_client, make_user):
    browser = verified_client(make_user(role=Role.ADMIN, team=None))
    response = browser.post(
        reverse("reports:criterion_create"),
        {"weighing": "1", "code": "x", "question": "Vraag?", "choices_text": "ja", "position": 1},
    )
    assert response.status_code == 200
    assert "minstens twee antwoorden" in response.content.decode()
    assert 'value="Vraag?"' in response.content.decode()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.TEAM_LEAD, Role.PRIVACY_OFFICER])
def test_only_the_administrator_configures(verified_client, make_user, role):
    browser = verified_client(make_user(role=role))
    assert browser.get(reverse("reports:criteria")).status_code == 403
