"""Criteria backed by facts (issue 12, item 5): a criterion derived from what the case
records is answered by those records — "Zijn de interventies vastgelegd?" is not "ja" on a
case without an intervention, and the privacy officer's approval is not typed in by hand.
The functional administrator marks a criterion derived or judgement in the case type
editor; moving on uses the derived value."""

import pytest
from django.urls import reverse
from django.utils import timezone

from baken.cases import services, work
from baken.cases.models import (
    CaseAnswer,
    CaseTypeVersion,
    Fact,
    InterventionType,
    Source,
    StageCriterion,
)
from baken.core.roles import Role
from tests.cases.test_cases import answer_all, open_case

pytestmark = pytest.mark.django_db


def _criterion(case, code: str) -> StageCriterion:
    return StageCriterion.objects.get(stage__version=case.version, code=code)


def _to_stage(case, actor, code: str):
    while case.stage.code != code:
        answer_all(case, actor)
        case = services.case_advance(case=case, actor=actor, rationale="Volgende fase.")
    return case


def _intervention(case, actor):
    return work.intervention_add(
        case=case,
        kind=InterventionType.objects.get(code="bibob"),
        start_date=timezone.localdate(),
        actor=actor,
    )


def test_the_model_protocol_derives_what_the_records_say():
    version = services.current_version()
    derived = dict(
        StageCriterion.objects.filter(stage__version=version)
        .exclude(fact="")
        .values_list("code", "fact")
    )
    assert derived == {
        "bronnen-goedgekeurd": Fact.SOURCES_APPROVED,
        "hit-no-hit": Fact.HITS_RECORDED,
        "interventies-vastgelegd": Fact.INTERVENTION_RECORDED,
    }


def test_yes_without_an_intervention_is_refused_on_the_page(case, analyst, lead, verified_client):
    case = _to_stage(case, analyst, "interventie")
    criterion = _criterion(case, "interventies-vastgelegd")
    browser = verified_client(analyst)
    typed = {"criterion": criterion.pk, "choice": "ja", "motivation": "Alles vastgelegd."}
    refused = browser.post(reverse("cases:answer", args=[case.pk]), typed)
    body = refused.content.decode()
    assert refused.status_code == 400
    assert "Dit criterium volgt uit wat in de casus is vastgelegd" in body
    assert "Nog niet: er is geen interventie vastgelegd." in body
    assert not CaseAnswer.objects.filter(case=case, criterion=criterion).exists()
    # Closing still waits for the fact, whatever was typed.
    with pytest.raises(services.CaseRefused) as still_open:
        services.case_close(
            case=case, actor=lead, result=case.version.results.first(), rationale="Klaar."
        )
    assert [c.code for c in still_open.value.open_criteria] == ["interventies-vastgelegd"]


def test_the_case_page_shows_the_answer_the_facts_give(case, analyst, lead, verified_client):
    case = _to_stage(case, analyst, "interventie")
    browser = verified_client(analyst)
    url = reverse("cases:detail", args=[case.pk])
    before = browser.get(url).content.decode()
    assert "Nog niet: er is geen interventie vastgelegd." in before
    # No answer form for a derived criterion: nobody answers it by hand.
    assert f'name="criterion" value="{_criterion(case, "interventies-vastgelegd").pk}"' not in (
        before
    )
    _intervention(case, analyst)
    _intervention(case, analyst)
    after = browser.get(url).content.decode()
    assert "Afgeleid: 2 interventies vastgelegd." in after
    assert "Nog nodig om verder te gaan" not in after
    closed = services.case_close(
        case=case, actor=lead, result=case.version.results.first(), rationale="Klaar."
    )
    assert closed.is_closed


def test_moving_on_too_early_says_what_the_records_still_lack(case, analyst, verified_client):
    refused = verified_client(analyst).post(
        reverse("cases:advance", args=[case.pk]), {"advance-rationale": "Verder."}
    )
    body = refused.content.decode()
    assert refused.status_code == 400
    assert (
        "Heeft de privacyfunctionaris de te raadplegen bronnen goedgekeurd? (Nog niet: de "
        "privacyfunctionaris heeft nog geen bron goedgekeurd.)"
    ) in body


def test_source_research_is_approved_only_when_the_privacy_officer_decided(
    case, analyst, make_user
):
    officer = make_user(role=Role.PRIVACY_OFFICER, team=None)
    open_codes = lambda: [c.code for c in services.open_criteria(case)]  # noqa: E731
    assert open_codes() == ["bronnen-goedgekeurd", "hit-no-hit", "weging-4"]
    brp, other = Source.objects.filter(is_active=True)[:2]
    first = work.consultation_request(case=case, source=brp, purpose="Wie?", actor=analyst)
    work.consultation_request(case=case, source=other, purpose="Wat?", actor=analyst)
    work.consultation_decide(consultation=first, officer=officer, approve=True, motivation="Ja.")
    # One still awaits the privacy officer: not approved yet.
    assert open_codes()[:1] == ["bronnen-goedgekeurd"]
    waiting = case.consultations.get(state="requested")
    work.consultation_decide(
        consultation=waiting, officer=officer, approve=False, motivation="Nee."
    )
    assert open_codes() == ["hit-no-hit", "weging-4"]
    work.consultation_hit(consultation=first, hit=False, actor=analyst)
    assert open_codes() == ["weging-4"]


def test_the_editor_marks_a_criterion_derived_and_a_new_version_keeps_it(
    verified_client, make_user, analyst, north
):
    admin = verified_client(make_user(role=Role.ADMIN, team=None))
    current = services.current_version()
    admin.post(reverse("cases:version_new", args=[current.case_type_id]), {"note": "Feiten."})
    draft = CaseTypeVersion.objects.get(case_type=current.case_type, number=current.number + 1)
    url = reverse("cases:version", args=[draft.pk])
    plan = draft.stages.get(code="plan-van-aanpak")
    page = admin.get(url).content.decode()
    assert "Beantwoord door" in page and "afgeleid: er staat een overdracht" in page
    added = admin.post(
        url,
        {
            "action": "criterion_add",
            "stage": plan.pk,
            "question": "Staat de verstrekking aan het RIEC in het register?",
            "choices": "ja, nee",
            "mandatory": "on",
            "fact": Fact.HANDOVER_REGISTERED,
        },
    )
    assert added.status_code == 302
    made = plan.criteria.get(question__startswith="Staat de verstrekking")
    assert made.fact == Fact.HANDOVER_REGISTERED
    # Back to judgement, as the form says.
    monitoring = draft.stages.get(code="interventie").criteria.get(code="interventies-vastgelegd")
    admin.post(
        url,
        {
            "action": "criterion_save",
            "criterion": monitoring.pk,
            "question": monitoring.question,
            "choices": "ja, nee",
            "mandatory": "on",
            "fact": "",
        },
    )
    monitoring.refresh_from_db()
    assert monitoring.fact == ""
    refused = admin.post(
        url,
        {
            "action": "criterion_save",
            "criterion": monitoring.pk,
            "question": monitoring.question,
            "choices": "ja, nee",
            "fact": "weather_is_fine",
        },
    )
    assert refused.status_code == 400 and "Selecteer een geldige keuze" in refused.content.decode()
    admin.post(url, {"action": "publish", "confirmed": "yes"})
    shown = admin.get(url).content.decode()
    assert "afgeleid: er staat een overdracht in het verstrekkingenregister" in shown

    newer = services.case_type_new_version(case_type=draft.case_type, actor=analyst, note="")
    copied = StageCriterion.objects.get(
        stage__version=newer, question__startswith="Staat de verstrekking"
    )
    assert copied.fact == Fact.HANDOVER_REGISTERED
    case = open_case(north, analyst, title="Na de nieuwe versie")
    assert case.version == draft
