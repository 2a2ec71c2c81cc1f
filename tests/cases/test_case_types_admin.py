"""The functional administrator changes case types without code: a new version is a draft,
changed and then published for new cases; a published version is frozen and a running case
keeps its own. Removals and publishing are asked again; a form with a mistake comes back as
typed; an intervention type rests on a legal basis."""

from datetime import date

import pytest
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.cases import services
from baken.cases.models import (
    CaseType,
    CaseTypeVersion,
    InterventionType,
    Source,
    StageCriterion,
)
from baken.core.roles import Role
from tests.cases.test_cases import open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(verified_client, make_user):
    return verified_client(make_user(role=Role.ADMIN, team=None))


def _open(team, actor, title="Nieuw"):
    return open_case(team, actor, title=title)


def _new_version(admin):
    version = services.current_version()
    admin.post(reverse("cases:version_new", args=[version.case_type_id]), {"note": "Fasen."})
    return CaseTypeVersion.objects.get(case_type=version.case_type, number=version.number + 1)


def _publish(admin, version):
    url = reverse("cases:version", args=[version.pk])
    return admin.post(url, {"action": "publish", "confirmed": "yes"})


def _names(version):
    return list(version.stages.order_by("position").values_list("name", flat=True))


def test_the_seeded_protocol_is_published_and_every_intervention_has_a_legal_basis():
    version = services.current_version()
    assert version.number == 1 and version.published_at is not None
    closure = InterventionType.objects.get(code="sluiting-13b")
    assert closure.legal_basis == "Opiumwet art. 13b"
    assert not InterventionType.objects.filter(legal_basis="").exists()


def test_a_draft_starts_no_case_until_it_is_published(admin, analyst, north):
    running = _open(north, analyst, "Loopt al")
    v1 = running.version
    page = admin.get(reverse("cases:case_types")).content.decode()
    assert "ja: bevroren" in page
    refused = admin.post(
        reverse("cases:version", args=[v1.pk]),
        {"action": "result_add", "name": "Iets nieuws"},
        follow=True,
    )
    assert "Casussen gebruiken deze versie" in refused.content.decode()
    assert not v1.results.filter(name="Iets nieuws").exists()

    made = admin.post(
        reverse("cases:version_new", args=[v1.case_type_id]), {"note": "Bibob-vraag erbij."}
    )
    draft = CaseTypeVersion.objects.get(case_type=v1.case_type, number=2)
    assert made["Location"] == reverse("cases:version", args=[draft.pk])
    assert draft.published_at is None and draft.note == "Bibob-vraag erbij."
    url = reverse("cases:version", args=[draft.pk])
    stage = draft.stages.get(code="bronnenonderzoek")
    added = admin.post(
        url,
        {
            "action": "criterion_add",
            "stage": stage.pk,
            "question": "Is een Bibob-toets overwogen?",
            "choices": "ja, nee",
            "mandatory": "on",
        },
    )
    assert added.status_code == 302
    assert stage.criteria.filter(question="Is een Bibob-toets overwogen?").exists()
    assert not StageCriterion.objects.filter(
        stage__version=v1, question="Is een Bibob-toets overwogen?"
    ).exists()
    # One draft at a time: another "new version" leads to this one.
    again = admin.post(reverse("cases:version_new", args=[v1.case_type_id]), {"note": ""})
    assert again["Location"] == url
    assert v1.case_type.versions.count() == 2
    # The draft starts no case.
    assert _open(north, analyst).version == v1

    # Publishing asks first, then publishes, audited.
    asked = admin.post(url, {"action": "publish"})
    assert asked.status_code == 200 and 'name="confirmed"' in asked.content.decode()
    draft.refresh_from_db()
    assert draft.published_at is None
    assert _publish(admin, draft).status_code == 302
    draft.refresh_from_db()
    assert draft.published_at is not None and draft.published_by is not None
    entry = AuditEntry.objects.get(action="case_type.publish")
    assert entry.detail["version"] == 2 and entry.object_id == str(v1.case_type_id)

    newer = _open(north, analyst)
    assert newer.version == draft and running.version == v1
    # Published and without cases yet, it is frozen all the same; a new version may follow.
    newer.delete()
    refused = admin.post(url, {"action": "result_add", "name": "Later"})
    assert refused.status_code == 302 and not draft.results.filter(name="Later").exists()
    assert _publish(admin, draft).status_code == 302
    assert AuditEntry.objects.filter(action="case_type.publish").count() == 1
    admin.post(reverse("cases:version_new", args=[v1.case_type_id]), {"note": ""})
    assert v1.case_type.versions.filter(number=3, published_at__isnull=True).exists()


def test_only_the_functional_administrator_configures(verified_client, analyst):
    client = verified_client(analyst)
    assert client.get(reverse("cases:case_types")).status_code == 403
    version = services.current_version()
    assert client.post(reverse("cases:version", args=[version.pk]), {}).status_code == 403


def test_a_case_type_without_a_published_version_starts_no_case(analyst, north):
    CaseTypeVersion.objects.update(published_at=None)
    with pytest.raises(services.CaseRefused) as refused:
        services.current_version()
    assert "version" in refused.value.problems
    with pytest.raises(services.CaseRefused):
        _open(north, analyst)


def test_the_administrator_adds_renames_moves_and_removes_stages(admin, analyst, north):
    version = _new_version(admin)
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
    admin.post(url, {"action": "stage_delete", "stage": planned.pk, "confirmed": "yes"})
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
    refused = admin.post(
        url, {"action": "stage_delete", "stage": closing.pk, "confirmed": "yes"}, follow=True
    )
    assert "De afsluitende fase blijft de laatste." in refused.content.decode()
    assert closing.pk in version.stages.values_list("pk", flat=True)
    first = version.stages.get(position=1)
    refused = admin.post(url, {"action": "stage_up", "stage": first.pk}, follow=True)
    assert "De fase kan niet verder schuiven." in refused.content.decode()
    # A stage id of another version, or no number at all: not found, not a 500.
    other = services.current_version().stages.first()
    assert (
        admin.post(url, {"action": "stage_rename", "stage": other.pk, "name": "x"}).status_code
        == 404
    )
    assert admin.post(url, {"action": "criterion_delete", "criterion": "abc"}).status_code == 404
    # Once published, a new case runs through the changed stages.
    _publish(admin, version)
    case = _open(north, analyst)
    assert case.version == version
    assert case.stage.name == "Bronnenonderzoek"


def test_a_removal_is_asked_first_and_names_what_goes(admin):
    version = _new_version(admin)
    url = reverse("cases:version", args=[version.pk])
    stage = version.stages.get(name="Plan van aanpak")
    count = stage.criteria.count()
    asked = admin.post(url, {"action": "stage_delete", "stage": stage.pk})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Plan van aanpak" in page and str(count) in page
    for criterion in stage.criteria.all():
        assert criterion.question in page  # the criteria that go with it, by name
    assert 'name="confirmed" value="yes"' in page
    assert version.stages.filter(pk=stage.pk).exists()
    assert StageCriterion.objects.filter(stage=stage).count() == count
    assert not AuditEntry.objects.filter(action="case_type.change").exists()

    done = admin.post(url, {"action": "stage_delete", "stage": stage.pk, "confirmed": "yes"})
    assert done.status_code == 302
    assert not version.stages.filter(pk=stage.pk).exists()
    assert not StageCriterion.objects.filter(stage_id=stage.pk).exists()

    result = version.results.first()
    asked = admin.post(url, {"action": "result_delete", "result": result.pk})
    assert asked.status_code == 200 and result.name in asked.content.decode()
    assert version.results.filter(pk=result.pk).exists()
    admin.post(url, {"action": "result_delete", "result": result.pk, "confirmed": "yes"})
    assert not version.results.filter(pk=result.pk).exists()

    criterion = StageCriterion.objects.filter(stage__version=version).first()
    asked = admin.post(url, {"action": "criterion_delete", "criterion": criterion.pk})
    assert asked.status_code == 200 and criterion.question in asked.content.decode()
    assert StageCriterion.objects.filter(pk=criterion.pk).exists()
    admin.post(url, {"action": "criterion_delete", "criterion": criterion.pk, "confirmed": "on"})
    assert StageCriterion.objects.filter(pk=criterion.pk).exists()  # only "yes" confirms
    admin.post(url, {"action": "criterion_delete", "criterion": criterion.pk, "confirmed": "yes"})
    assert not StageCriterion.objects.filter(pk=criterion.pk).exists()


def test_results_are_renamed_and_removed_but_one_stays(admin):
    version = _new_version(admin)
    url = reverse("cases:version", args=[version.pk])
    results = list(version.results.all())
    admin.post(url, {"action": "result_save", "result": results[0].pk, "name": "Aangepakt"})
    assert version.results.filter(name="Aangepakt").exists()
    for result in results[1:]:
        admin.post(url, {"action": "result_delete", "result": result.pk, "confirmed": "yes"})
    for confirmed in ("", "yes"):
        refused = admin.post(
            url,
            {"action": "result_delete", "result": results[0].pk, "confirmed": confirmed},
            follow=True,
        )
        assert "minstens één resultaat" in refused.content.decode()
    assert list(version.results.values_list("name", flat=True)) == ["Aangepakt"]


def test_a_form_with_a_mistake_comes_back_as_typed(admin):
    version = _new_version(admin)
    url = reverse("cases:version", args=[version.pk])
    stage = version.stages.get(code="bronnenonderzoek")
    question = "Is de eigenaar van het pand ook eigenaar van het bedrijf dat er gevestigd is?"
    count = stage.criteria.count()
    bad = admin.post(
        url,
        {"action": "criterion_add", "stage": stage.pk, "question": question, "choices": "ja"},
    )
    assert bad.status_code == 400
    page = bad.content.decode()
    assert question in page  # what was typed stays
    assert f'id="crit-new-{stage.pk}-choices"' in page
    assert 'aria-invalid="true"' in page
    assert stage.criteria.count() == count

    criterion = stage.criteria.first()
    bad = admin.post(
        url,
        {
            "action": "criterion_save",
            "criterion": criterion.pk,
            "question": "  ",
            "choices": "ja, nee, ja",
        },
    )
    assert bad.status_code == 400
    assert "ja, nee, ja" in bad.content.decode()
    criterion.refresh_from_db()
    assert criterion.question and criterion.choices != ["ja", "nee", "ja"]

    for data, field in [
        ({"action": "stage_add", "name": ""}, "stage-new-name"),
        ({"action": "stage_rename", "stage": stage.pk, "name": " "}, f"stage-{stage.pk}-name"),
        ({"action": "result_add", "name": ""}, "result-new-name"),
        ({"action": "result_add", "name": "x" * 201}, "result-new-name"),
    ]:
        bad = admin.post(url, data)
        assert bad.status_code == 400, data
        page = bad.content.decode()
        assert f'aria-invalid="true" aria-describedby="{field}_error" id="{field}"' in page
        assert "Verbeter het volgende" in page
    stage.refresh_from_db()
    assert stage.name == "Bronnenonderzoek"
    assert not version.results.filter(name="x" * 201).exists()
    assert not AuditEntry.objects.filter(action="case_type.change").exists()


def test_an_intervention_type_needs_a_legal_basis(admin):
    url = reverse("cases:catalogue_add", args=["interventies"])
    refused = admin.post(url, {"name": "Gesprek met eigenaar", "legal_basis": "  "})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'value="Gesprek met eigenaar"' in page  # the name typed stays
    assert 'id="interventies-new-legal_basis"' in page and 'aria-invalid="true"' in page
    assert not InterventionType.objects.filter(name="Gesprek met eigenaar").exists()
    added = admin.post(url, {"name": "Gesprek met eigenaar", "legal_basis": "Gemeentewet"})
    assert added.status_code == 302
    assert InterventionType.objects.get(name="Gesprek met eigenaar").legal_basis == "Gemeentewet"

    kind = InterventionType.objects.get(code="sluiting-13b")
    refused = admin.post(url, {"edit": kind.pk, "legal_basis": "", "responsible": "College"})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert f'id="it-{kind.pk}-legal_basis"' in page and 'value="College"' in page
    kind.refresh_from_db()
    assert kind.legal_basis == "Opiumwet art. 13b" and kind.responsible == "Burgemeester"
    assert not AuditEntry.objects.filter(action="interventies.change").exists()

    refused = admin.post(reverse("cases:catalogue_add", args=["bronnen"]), {"name": ""})
    assert refused.status_code == 400 and "Geef een naam." in refused.content.decode()
    assert Source.objects.filter(name="").count() == 0


def test_an_intervention_type_is_changed_and_earlier_interventions_keep_their_basis(
    admin, analyst, north
):
    from baken.cases import work

    case = _open(north, analyst, "Pand")
    kind = InterventionType.objects.filter(is_active=True).first()
    recorded = work.intervention_add(
        case=case, actor=analyst, kind=kind, start_date=date(2026, 11, 2)
    )
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


def test_criteria_and_results_stay_numbered_after_removals(admin):
    version = _new_version(admin)
    url = reverse("cases:version", args=[version.pk])
    stage = version.stages.get(code="bronnenonderzoek")
    new = {"action": "criterion_add", "stage": stage.pk, "choices": "ja, nee", "mandatory": "on"}
    assert admin.post(url, {**new, "question": "Eerste?"}).status_code == 302
    first = stage.criteria.get(question="Eerste?")
    removal = {"action": "criterion_delete", "criterion": first.pk, "confirmed": "yes"}
    assert admin.post(url, removal).status_code == 302
    # Adding after a removal gave the removed one's code again (a 500); not any more.
    assert admin.post(url, {**new, "question": "Tweede?"}).status_code == 302
    assert admin.post(url, {**new, "question": "Derde?"}).status_code == 302
    positions = list(stage.criteria.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, len(positions) + 1))
    results = list(version.results.order_by("position"))
    admin.post(url, {"action": "result_delete", "result": results[0].pk, "confirmed": "yes"})
    admin.post(url, {"action": "result_add", "name": "Nieuw resultaat"})
    positions = list(version.results.order_by("position").values_list("position", flat=True))
    assert positions == list(range(1, len(positions) + 1))
    # The audit log names what the change was made to.
    change = AuditEntry.objects.filter(action="case_type.change").latest("pk")
    assert change.detail["change"] == "result_add" and change.detail["name"] == "Nieuw resultaat"


def test_no_bad_input_gives_a_500(admin):
    version = _new_version(admin)
    url = reverse("cases:version", args=[version.pk])
    huge = str(10**30)
    for data in [
        {},
        {"action": "nonsense"},
        {"action": "criterion_nonsense", "criterion": huge},
        {"action": "criterion_add"},
        {"action": "criterion_add", "stage": "abc", "question": "x", "choices": "a, b"},
        {"action": "criterion_save", "criterion": huge, "question": "x", "choices": "a, b"},
        {"action": "criterion_delete"},
        {"action": "criterion_delete", "criterion": huge, "confirmed": "yes"},
        {"action": "stage_add"},
        {"action": "stage_rename", "stage": "", "name": "x"},
        {"action": "stage_up", "stage": huge},
        {"action": "stage_nonsense", "stage": huge},
        {"action": "stage_delete", "stage": "-1"},
        {"action": "result_save", "result": "1.5", "name": "x"},
        {"action": "result_delete", "result": huge},
        {"action": "result_add", "name": ["a", "b"]},
        {"action": "criterion_add", "question": "x", "choices": "a, b", "stage": huge},
        {"action": "criterion_add", "stage": version.stages.first().pk, "choices": "a," * 300},
    ]:
        status = admin.post(url, data).status_code
        assert status in (200, 302, 400, 404), (data, status)
    assert admin.get(reverse("cases:version", args=[10**9])).status_code == 404
    assert admin.post(reverse("cases:version", args=[10**9]), {}).status_code == 404
    assert admin.post(reverse("cases:version_new", args=[10**9]), {}).status_code == 404
    catalogue = reverse("cases:catalogue_add", args=["interventies"])
    for data in [{}, {"toggle": "abc"}, {"toggle": huge}, {"edit": "x"}, {"edit": huge}]:
        status = admin.post(catalogue, data).status_code
        assert status in (302, 400, 404), (data, status)
    assert admin.post(reverse("cases:catalogue_add", args=["x"]), {}).status_code == 404
    assert admin.get(reverse("cases:catalogue_add", args=["bronnen"])).status_code == 405
    assert CaseType.objects.count() == 1
