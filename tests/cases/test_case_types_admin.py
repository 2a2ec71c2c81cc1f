"""The functional administrator changes case types without code: a new version, changed
criteria and results; a version in use is frozen and a running case keeps its own."""

from datetime import date

import pytest
from django.urls import reverse

from baken.accounts.models import Team
from baken.accounts.roles import Role
from baken.audit.models import AuditEntry
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


def _new_version(admin, make_user):
    version = services.current_version()
    admin.post(reverse("cases:version_new", args=[version.case_type_id]), {"note": "Fasen."})
    return CaseTypeVersion.objects.get(case_type=version.case_type, number=version.number + 1)


def _names(version):
    return list(version.stages.order_by("position").values_list("name", flat=True))


def test_the_administrator_adds_renames_moves_and_removes_stages(verified_client, make_user):
    admin = verified_client(make_user(role=Role.ADMIN, team=None))
    version = _new_version(admin, make_user)
    url = reverse("cases:version", args=[version.pk])
    before = _names(version)
    assert before == [
        "Bronnenonderzoek",
        "Plan van aanpak",
        "Interventie en monitoring",
        "Afgesloten",
    ]

    admin.post(url, {"action": "stage_add", "name": "Casusoverleg"})
    assert _names(version) == [*before[:3], "Casusoverleg", "Afgesloten"]
    added = version.stages.get(name="Casusoverleg")
    admin.post(url, {"action": "stage_up", "stage": added.pk})
    admin.post(url, {"action": "stage_up", "stage": added.pk})
    assert _names(version) == [before[0], "Casusoverleg", *before[1:]]
    admin.post(url, {"action": "stage_rename", "stage": added.pk, "name": "Intern casusoverleg"})
    planned = version.stages.get(name="Plan van aanpak")
    admin.post(url, {"action": "stage_delete", "stage": planned.pk})
    assert _names(version) == [
        "Bronnenonderzoek",
        "Intern casusoverleg",
        "Interventie en monitoring",
        "Afgesloten",
    ]
    # The closing stage stays last and cannot go; the first stage cannot move up.
    closing = version.stages.get(is_closed=True)
    refused = admin.post(url, {"action": "stage_delete", "stage": closing.pk}, follow=True)
    assert "De afsluitende fase blijft de laatste." in refused.content.decode()
    first = version.stages.get(position=1)
    refused = admin.post(url, {"action": "stage_up", "stage": first.pk}, follow=True)
    assert "De fase kan niet verder schuiven." in refused.content.decode()
    # A stage id of another version, or no number at all: not found, not a 500.
    other = services.current_version().stages.exclude(version=version).first()
    if other is not None:
        assert (
            admin.post(url, {"action": "stage_rename", "stage": other.pk, "name": "x"}).status_code
            == 404
        )
    assert admin.post(url, {"action": "criterion_delete", "criterion": "abc"}).status_code == 404
    # A new case runs through the changed stages.
    north = Team.objects.create(name="Noord")
    analyst = make_user(role=Role.ANALYST, team=north)
    case = services.case_open(
        reports=[in_analysis(north)],
        title="Nieuw",
        summary="",
        team=north,
        handler=None,
        actor=analyst,
        rationale="Ernstig.",
    )
    assert case.version == version
    assert case.stage.name == "Bronnenonderzoek"


def test_results_are_renamed_and_removed_but_one_stays(verified_client, make_user):
    admin = verified_client(make_user(role=Role.ADMIN, team=None))
    version = _new_version(admin, make_user)
    url = reverse("cases:version", args=[version.pk])
    results = list(version.results.all())
    admin.post(url, {"action": "result_save", "result": results[0].pk, "name": "Aangepakt"})
    assert version.results.filter(name="Aangepakt").exists()
    for result in results[1:]:
        admin.post(url, {"action": "result_delete", "result": result.pk})
    refused = admin.post(url, {"action": "result_delete", "result": results[0].pk}, follow=True)
    assert "minstens één resultaat" in refused.content.decode()
    assert list(version.results.values_list("name", flat=True)) == ["Aangepakt"]


def test_an_intervention_type_is_changed_and_earlier_interventions_keep_their_basis(
    verified_client, make_user
):
    from baken.cases import work

    north = Team.objects.create(name="Noord")
    analyst = make_user(role=Role.ANALYST, team=north)
    case = services.case_open(
        reports=[in_analysis(north)],
        title="Pand",
        summary="",
        team=north,
        handler=None,
        actor=analyst,
        rationale="Ernstig.",
    )
    kind = InterventionType.objects.filter(is_active=True).first()
    recorded = work.intervention_add(
        case=case, actor=analyst, kind=kind, start_date=date(2026, 11, 2)
    )
    admin = verified_client(make_user(role=Role.ADMIN, team=None))
    old_basis = kind.legal_basis
    admin.post(
        reverse("cases:catalogue_add", args=["interventies"]),
        {
            "edit": kind.pk,
            "name": "Iets heel anders",
            "legal_basis": "Nieuwe grondslag",
            "responsible": "Burgemeester",
        },
    )
    kind.refresh_from_db()
    assert kind.legal_basis == "Nieuwe grondslag" and kind.responsible == "Burgemeester"
    # The name stays: the interventions of running and closed cases are shown by it.
    assert kind.name != "Iets heel anders"
    change = AuditEntry.objects.get(action="interventies.change")
    assert change.detail["legal_basis_before"] == old_basis
    recorded.refresh_from_db()
    assert recorded.legal_basis == old_basis != "Nieuwe grondslag"


def test_criteria_and_results_stay_numbered_after_removals(verified_client, make_user):
    admin = verified_client(make_user(role=Role.ADMIN, team=None))
    version = _new_version(admin, make_user)
    url = reverse("cases:version", args=[version.pk])
    stage = version.stages.get(code="bronnenonderzoek")
    new = {"action": "criterion_add", "stage": stage.pk, "choices": "ja, nee", "mandatory": "on"}
    assert admin.post(url, {**new, "question": "Eerste?"}).status_code == 302
    first = stage.criteria.get(question="Eerste?")
    assert admin.post(url, {"action": "criterion_delete", "criterion": first.pk}).status_code == 302
    # Adding after a removal gave the removed one's code again (a 500); not any more.
    assert admin.post(url, {**new, "question": "Tweede?"}).status_code == 302
    assert admin.post(url, {**new, "question": "Derde?"}).status_code == 302
    positions = list(stage.criteria.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, len(positions) + 1))
    results = list(version.results.order_by("position"))
    admin.post(url, {"action": "result_delete", "result": results[0].pk})
    admin.post(url, {"action": "result_add", "name": "Nieuw resultaat"})
    positions = list(version.results.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, len(positions) + 1))
    # The audit log names what the change was made to.
    change = AuditEntry.objects.filter(action="case_type.change").latest("pk")
    assert change.detail["change"] == "result_add" and change.detail["name"] == "Nieuw resultaat"
