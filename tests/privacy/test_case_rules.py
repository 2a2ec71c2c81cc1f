"""Retention of closed cases per case type and result (issue 15): the functional
administrator proposes a rule for one case type, one result, or both; the privacy officer
approves it; the most specific rule in force decides when a closed case goes on the
destruction list, and the rule for every closed case governs the rest."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.utils import timezone

from baken.cases import catalogue
from baken.cases.models import Case, CaseResult, CaseType
from baken.core.refusals import Refused
from baken.core.roles import Role
from baken.privacy import retention, services
from baken.privacy.models import DestructionProposal, RetentionRule, RuleKind, RuleState
from tests.privacy.test_case_destruction import _closed_case

pytestmark = pytest.mark.django_db

SOURCE = "Privacyprotocol bestuurlijke aanpak, bijlage bewaartermijnen (besluit 2026-14)"


def _approved(admin, officer, **rule) -> RetentionRule:
    proposed = services.rule_propose(
        actor=admin,
        kind=RuleKind.CASE_CLOSED,
        period_unit="years",
        legal_source=SOURCE,
        explanation="Afwijkende termijn volgens het protocol.",
        **rule,
    )
    return services.rule_approve(actor=officer, pk=proposed.pk, note="Akkoord.")


def _other_type(case: Case, code: str = "vastgoed") -> CaseType:
    """A second case type (as the data migration installs one), and `case` moved into it."""
    other = catalogue.install(apps, {**catalogue.MODEL_PROTOCOL, "code": code, "name": "Vastgoed"})
    version = other.versions.get()
    Case.objects.filter(pk=case.pk).update(
        version=version,
        stage=version.stages.get(code=case.stage.code),
        result=CaseResult.objects.get(version=version, code=case.result.code),
    )
    return other


def _listed() -> set[str]:
    return set(DestructionProposal.objects.values_list("reference", flat=True))


def test_a_rule_per_case_type_and_per_result_governs_before_the_general_one(make_user):
    admin = make_user(role=Role.ADMIN)
    officer = make_user(role=Role.PRIVACY_OFFICER)
    lead = make_user(role=Role.TEAM_LEAD)
    analyst = make_user(role=Role.ANALYST, team=lead.team)
    plain = _closed_case(lead.team, analyst, lead, "Schuur aan de dijk")
    typed = _closed_case(lead.team, analyst, lead, "Pand Havenstraat")
    vastgoed = _other_type(typed)
    resulted = _closed_case(lead.team, analyst, lead, "Kapsalon Marktplein")
    code = "geen-grond"
    Case.objects.filter(pk=resulted.pk).update(
        result=CaseResult.objects.get(version=resulted.version, code=code)
    )

    by_type = _approved(admin, officer, period_amount=10, case_type=vastgoed.pk)
    by_result = _approved(admin, officer, period_amount=2, case_result=code)
    in_force = RetentionRule.objects.filter(kind=RuleKind.CASE_CLOSED, state=RuleState.IN_FORCE)
    assert in_force.count() == 3  # the general rule stays in force beside them
    assert by_type.label == "Afgesloten casus (casustype Vastgoed)"
    assert by_result.label == "Afgesloten casus (resultaat geen-grond)"

    now = timezone.now()
    retention.run(now=now + timedelta(days=3 * 365))
    assert _listed() == {resulted.reference}
    retention.run(now=now + timedelta(days=6 * 365))
    assert _listed() == {resulted.reference, plain.reference}  # not the vastgoed case yet
    _record, lines = retention.run(now=now + timedelta(days=11 * 365))
    assert _listed() == {resulted.reference, plain.reference, typed.reference}
    listed_by = dict(DestructionProposal.objects.values_list("reference", "rule_id"))
    assert listed_by[typed.reference] == by_type.pk
    assert listed_by[resulted.reference] == by_result.pk
    closed_lines = [line for line in lines if line.rule.kind == RuleKind.CASE_CLOSED]
    assert {line.rule.pk for line in closed_lines} == set(in_force.values_list("pk", flat=True))


def test_type_and_result_together_are_more_specific_than_either(make_user):
    admin = make_user(role=Role.ADMIN)
    officer = make_user(role=Role.PRIVACY_OFFICER)
    lead = make_user(role=Role.TEAM_LEAD)
    analyst = make_user(role=Role.ANALYST, team=lead.team)
    case = _closed_case(lead.team, analyst, lead, "Pand Havenstraat")
    vastgoed = _other_type(case)
    _approved(admin, officer, period_amount=10, case_type=vastgoed.pk)
    both = _approved(
        admin, officer, period_amount=1, case_type=vastgoed.pk, case_result="interventie-uitgevoerd"
    )
    retention.run(now=timezone.now() + timedelta(days=400))
    assert DestructionProposal.objects.get().rule_id == both.pk


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        ({"kind": RuleKind.REPORT_NO_ACTION, "case_result": "geen-grond"}, "case_result"),
        ({"kind": RuleKind.IDEMPOTENCY, "case_type": 1}, "case_type"),
        ({"kind": RuleKind.CASE_CLOSED, "case_type": 999_999}, "case_type"),
        ({"kind": RuleKind.CASE_CLOSED, "case_result": "bestaat-niet"}, "case_result"),
    ],
)
def test_a_scope_is_for_closed_cases_only_and_must_exist(make_user, rule, field):
    with pytest.raises(Refused) as refused:
        services.rule_propose(
            actor=make_user(role=Role.ADMIN),
            period_amount=2,
            period_unit="years",
            legal_source=SOURCE,
            explanation="Proef.",
            **rule,
        )
    assert field in refused.value.problems
    assert not RetentionRule.objects.filter(state=RuleState.PROPOSED).exists()


def test_the_administrator_proposes_one_on_the_page_and_the_officer_sees_it_in_force(
    login, make_user
):
    admin = login(make_user(role=Role.ADMIN), test_client=Client())
    page = admin.get("/bewaren/").content.decode()
    assert "Alleen voor dit resultaat" in page and "Geen grond voor een interventie" in page
    answer = admin.post(
        "/bewaren/regels/voorstel",
        {
            "kind": RuleKind.CASE_CLOSED,
            "period_amount": 2,
            "period_unit": "years",
            "legal_source": SOURCE,
            "explanation": "Zonder interventie korter bewaren.",
            "case_type": "",
            "case_result": "geen-grond",
        },
        follow=True,
    )
    assert answer.status_code == 200
    proposed = RetentionRule.objects.get(state=RuleState.PROPOSED)
    assert (proposed.case_result, proposed.case_type_id) == ("geen-grond", None)

    officer = login(make_user(role=Role.PRIVACY_OFFICER), test_client=Client())
    officer.post(f"/bewaren/regels/{proposed.pk}/besluit", {"decision": "approve", "note": ""})
    shown = officer.get("/bewaren/").content.decode()
    assert "Afgesloten casus (resultaat geen-grond)" in shown
    assert "Afgesloten casus</td>" in shown  # the rule for every closed case stays listed

    wrong = admin.post(
        "/bewaren/regels/voorstel",
        {
            "kind": RuleKind.REPORT_REFERRED,
            "period_amount": 2,
            "period_unit": "years",
            "legal_source": SOURCE,
            "explanation": "Proef.",
            "case_result": "geen-grond",
        },
    )
    assert wrong.status_code == 400
    assert "Alleen de regel voor afgesloten casussen" in wrong.content.decode()
    assert "Proef." in wrong.content.decode()  # what was typed is kept
