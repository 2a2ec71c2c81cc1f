"""Cases (issue "Werkruimte III", items 1–3): opened from reports in further analysis, moved
on only when the mandatory criteria of the stage are answered, closed with a result and
reopened with a reason, each step a decision with its rationale; the case type versioned;
need-to-know by membership, every membership change and review logged."""

import pytest
from django.utils import timezone

from baken.accounts.models import Team
from baken.audit.models import AuditEntry
from baken.audit.verification import verify_chain
from baken.cases import selectors, services, work
from baken.cases.models import (
    CaseDecision,
    CaseResult,
    CaseType,
    ConsultationState,
    Fact,
    InterventionType,
    Source,
    StageCriterion,
)
from baken.core.roles import Role
from baken.reports.models import Report
from baken.reports.selectors import report_list
from baken.reports.workflow import Status
from tests.factories import UserFactory
from tests.reports.test_triage import file_report

pytestmark = pytest.mark.django_db


def in_analysis(team) -> Report:
    report = file_report()
    Report.objects.filter(pk=report.pk).update(team=team, status=Status.IN_ANALYSIS)
    return Report.objects.get(pk=report.pk)


def open_case(team, actor, *, title="Loods", summary="", handler=None, rationale="Ernstig."):
    """A case of `team` opened by `actor` from one new report in further analysis."""
    return services.case_open(
        reports=[in_analysis(team)],
        title=title,
        summary=summary,
        team=team,
        handler=handler,
        actor=actor,
        rationale=rationale,
    )


@pytest.fixture
def case(analyst, handler, north):
    return open_case(
        north,
        analyst,
        title="Hennepkwekerij Dorpsstraat",
        summary="Signalen van een kwekerij in de schuur.",
        handler=handler,
        rationale="Weging 3: concreet en recent.",
    )


def answer_all(case, actor):
    """Meet every mandatory criterion of the case's stage as a team does: what a derived one
    asks for recorded (meet_fact), the others answered with their first choice."""
    for criterion in StageCriterion.objects.filter(stage=case.stage, mandatory=True):
        if criterion.fact:
            meet_fact(case, criterion.fact, actor)
            continue
        services.case_answer(
            case=case,
            criterion=criterion,
            choice=criterion.choices[0],
            motivation="Vastgelegd in het dossier.",
            actor=actor,
        )


def meet_fact(case, fact: str, actor) -> None:
    """Record what makes `fact` hold, through the services a team uses: a source approved by
    the privacy officer with its hit recorded, or an intervention."""
    if fact in (Fact.SOURCES_APPROVED, Fact.HITS_RECORDED):
        if not case.consultations.filter(state=ConsultationState.APPROVED).exists():
            officer = UserFactory(role=Role.PRIVACY_OFFICER)
            asked = work.consultation_request(
                case=case, source=Source.objects.get(code="brp"), purpose="Wie?", actor=actor
            )
            work.consultation_decide(
                consultation=asked, officer=officer, approve=True, motivation="Nodig."
            )
        for consultation in case.consultations.filter(state="approved", hit__isnull=True):
            work.consultation_hit(consultation=consultation, hit=True, actor=actor)
    elif fact == Fact.INTERVENTION_RECORDED:
        work.intervention_add(
            case=case,
            kind=InterventionType.objects.get(code="bibob"),
            start_date=timezone.localdate(),
            actor=actor,
        )
    else:
        raise AssertionError(f"no way to meet {fact} here")


def test_a_case_is_opened_from_reports_in_further_analysis(case, analyst, handler):
    report = case.reports.get()
    assert report.status == Status.LINKED_TO_CASE
    assert case.stage.code == "bronnenonderzoek" and case.version.number == 1
    assert set(case.memberships.values_list("user", flat=True)) == {analyst.pk, handler.pk}
    [opened] = case.decisions.all()
    assert opened.kind == "open" and opened.rationale == "Weging 3: concreet en recent."
    assert AuditEntry.objects.filter(action="case.open", object_id=str(case.pk)).exists()
    assert report.status_changes.last().reason == "Weging 3: concreet en recent."
    assert verify_chain().ok


def test_only_a_report_in_further_analysis_becomes_a_case(analyst, north):
    fresh = file_report()
    with pytest.raises(services.CaseRefused):
        services.case_open(
            reports=[fresh],
            title="Te vroeg",
            summary="",
            team=north,
            handler=None,
            actor=analyst,
            rationale="Nog niet gewogen.",
        )
    assert Report.objects.get(pk=fresh.pk).status == Status.RECEIVED


def test_a_case_moves_on_only_when_its_mandatory_criteria_are_answered(case, analyst):
    with pytest.raises(services.CaseRefused) as refused:
        services.case_advance(case=case, actor=analyst, rationale="Bronnen geraadpleegd.")
    named = [c.code for c in refused.value.open_criteria]
    assert named == ["bronnen-goedgekeurd", "hit-no-hit", "weging-4"]
    assert "Weging 4: welke route volgt de casus?" in refused.value.problems["criteria"]
    answer_all(case, analyst)
    moved = services.case_advance(case=case, actor=analyst, rationale="Bronnen geraadpleegd.")
    assert moved.stage.code == "plan-van-aanpak"
    step = CaseDecision.objects.filter(case=case, kind="advance").get()
    assert (step.from_stage.code, step.to_stage.code) == ("bronnenonderzoek", "plan-van-aanpak")


def test_close_with_a_result_and_reopen_with_a_reason(case, analyst, handler):
    """The case's handler closes and reopens (the analyst works in it, does not steer)."""
    for _ in range(2):
        answer_all(case, analyst)
        case = services.case_advance(case=case, actor=analyst, rationale="Volgende fase.")
    result = CaseResult.objects.get(version=case.version, code="interventie-uitgevoerd")
    with pytest.raises(services.CaseRefused):  # the intervention criterion is open
        services.case_close(case=case, actor=handler, result=result, rationale="Klaar.")
    answer_all(case, analyst)
    with pytest.raises(services.CaseRefused):  # no result
        services.case_close(case=case, actor=handler, result=None, rationale="Klaar.")
    closed = services.case_close(
        case=case, actor=handler, result=result, rationale="Pand gesloten."
    )
    assert closed.is_closed and closed.stage.is_closed and closed.result == result
    with pytest.raises(services.CaseRefused):
        services.case_advance(case=closed, actor=analyst, rationale="Verder.")
    with pytest.raises(services.CaseRefused):
        services.case_reopen(case=closed, actor=handler, reason="  ")
    reopened = services.case_reopen(case=closed, actor=handler, reason="Nieuwe melding.")
    assert not reopened.is_closed and reopened.stage.code == "interventie"
    kinds = list(case.decisions.values_list("kind", flat=True))
    assert kinds == ["open", "advance", "advance", "close", "reopen"]


def test_a_new_version_of_the_case_type_leaves_running_cases_alone(case, analyst, north):
    case_type = CaseType.objects.get(code="modelprotocol")
    version = services.case_type_new_version(
        case_type=case_type, actor=analyst, note="Extra criterium bij bronnenonderzoek."
    )
    StageCriterion.objects.create(
        stage=version.stages.get(code="bronnenonderzoek"),
        position=9,
        code="bibob",
        question="Is een Bibob-toets overwogen?",
        choices=["ja", "nee"],
    )
    version.published_at = timezone.now()  # a draft starts no case
    version.save(update_fields=["published_at"])
    answer_all(case, analyst)  # the running case answers its own version's criteria
    moved = services.case_advance(case=case, actor=analyst, rationale="Verder.")
    assert moved.version.number == 1 and moved.stage.code == "plan-van-aanpak"
    newer = open_case(north, analyst, title="Tweede casus", rationale="Verdere analyse.")
    assert newer.version == version
    assert "bibob" in [c.code for c in services.open_criteria(newer)]


def test_need_to_know_by_membership(case, analyst, handler, make_user, north):
    other_handler = make_user(role=Role.CASE_HANDLER, team=north)
    open_case(
        north,
        make_user(role=Role.TEAM_LEAD, team=north),
        title="Andere casus",
        handler=other_handler,
        rationale="Verdere analyse.",
    )
    report = case.reports.get()
    colleague = make_user(role=Role.ANALYST, team=Team.objects.create(name="Zuid"))
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    for user in (analyst, handler, lead):
        assert selectors.case_get(user=user, pk=case.pk) == case
    assert report_list(user=handler).filter(pk=report.pk).exists()  # through the case
    for role in (Role.MANAGEMENT, Role.ADMIN, Role.PRIVACY_OFFICER, Role.INTAKE):
        outsider = make_user(role=role, team=north)
        assert selectors.case_get(user=outsider, pk=case.pk) is None
    for outsider in (other_handler, colleague):
        assert selectors.case_get(user=outsider, pk=case.pk) is None
        assert not selectors.case_list(user=outsider).filter(pk=case.pk).exists()
        assert not report_list(user=outsider).filter(pk=report.pk).exists()
    # A member removed loses the case and its reports at once; both changes are logged.
    services.member_add(case=case, user=other_handler, actor=lead, reason="Handhaving.")
    assert selectors.case_get(user=other_handler, pk=case.pk) == case
    services.member_remove(case=case, user=other_handler, actor=lead, reason="Klaar.")
    assert selectors.case_get(user=other_handler, pk=case.pk) is None
    assert not report_list(user=other_handler).filter(pk=report.pk).exists()
    actions = AuditEntry.objects.filter(action__startswith="case.member").values_list(
        "action", flat=True
    )
    assert list(actions) == ["case.member_add", "case.member_remove"]


def test_the_privacy_officer_reviews_on_request_only_and_it_is_logged(case, make_user):
    officer = make_user(role=Role.PRIVACY_OFFICER, team=None)
    assert selectors.case_get(user=officer, pk=case.pk) is None
    assert selectors.case_review(officer=officer, pk=case.pk, reason="") is None
    reviewed = selectors.case_review(officer=officer, pk=case.pk, reason="Verzoek van betrokkene.")
    assert reviewed == case and case.reviews.get().officer == officer
    assert AuditEntry.objects.filter(action="case.review", actor_id=officer.pk).exists()
    analyst = make_user(role=Role.ANALYST)
    assert selectors.case_review(officer=analyst, pk=case.pk, reason="Nieuwsgierig.") is None
