"""The functional administrator changes case types without code: a new version, changed
criteria and results; a version in use is frozen and a running case keeps its own."""

import pytest
from django.urls import reverse

from baken.accounts.models import Team
from baken.accounts.roles import Role
from baken.cases import services
from baken.cases.models import CaseTypeVersion, InterventionType, StageCriterion
from tests.cases.test_cases import in_analysis

pytestmark = pytest.mark.django_db


def test_a_new_version_is_changed_and_a_running_case_keeps_the_old(verified_client, make_user):
    north = Team.objects.create(name="Noord")
    analyst = make_user(role=Role.ANALYST, team=north)
    running = services.case_open(
        reports=[in_analysis(north)],
        title="Loopt al",
        summary="",
        team=north,
        handler=None,
        actor=analyst,
        rationale="Ernstig.",
    )
    admin = verified_client(make_user(role=Role.ADMIN, team=None))
    page = admin.get(reverse("cases:case_types")).content.decode()
    assert "ja: bevroren" in page
    frozen = running.version
    refused = admin.post(
        reverse("cases:version", args=[frozen.pk]),
        {"action": "result_add", "name": "Iets nieuws"},
        follow=True,
    )
    assert "Casussen gebruiken deze versie" in refused.content.decode()
    assert not frozen.results.filter(name="Iets nieuws").exists()
    made = admin.post(
        reverse("cases:version_new", args=[frozen.case_type_id]), {"note": "Bibob-vraag erbij."}
    )
    new = CaseTypeVersion.objects.get(case_type=frozen.case_type, number=2)
    assert made["Location"] == reverse("cases:version", args=[new.pk])
    stage = new.stages.get(code="bronnenonderzoek")
    added = admin.post(
        reverse("cases:version", args=[new.pk]),
        {
            "action": "criterion_add",
            "stage": stage.pk,
            "question": "Is een Bibob-toets overwogen?",
            "choices": "ja, nee",
            "mandatory": "on",
        },
    )
    assert added.status_code == 302
    assert StageCriterion.objects.filter(
        stage=stage, question="Is een Bibob-toets overwogen?"
    ).exists()
    assert not StageCriterion.objects.filter(
        stage__version=frozen, question="Is een Bibob-toets overwogen?"
    ).exists()
    newer = services.case_open(
        reports=[in_analysis(north)],
        title="Nieuw",
        summary="",
        team=north,
        handler=None,
        actor=analyst,
        rationale="Ernstig.",
    )
    assert newer.version == new and running.version == frozen
    admin.post(
        reverse("cases:catalogue_add", args=["interventies"]),
        {"name": "Gesprek met eigenaar", "legal_basis": "Gemeentewet"},
    )
    assert InterventionType.objects.filter(name="Gesprek met eigenaar").exists()
    # Only the functional administrator configures.
    assert verified_client(analyst).get(reverse("cases:case_types")).status_code == 403
