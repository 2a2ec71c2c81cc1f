"""A closed case on the approved destruction list is kept by the nightly run while a legal
hold keeps a report that would go with it — also a report merged into one of the case's
reports — and the run counts it as held (issue 16, review finding 1: the hold's row went
with the report)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from baken.cases.models import Case
from baken.core.roles import Role
from baken.privacy import retention, services
from baken.privacy.models import DestructionProposal, LegalHold, ProposalState
from baken.reports.duplicates import report_merge
from baken.reports.models import Report
from tests.cases.test_cases import in_analysis
from tests.privacy.test_case_destruction import _closed_case, _line

pytestmark = pytest.mark.django_db

LATER = timedelta(days=5 * 365 + 2)


def test_a_hold_on_a_report_merged_into_a_cases_report_keeps_the_case(make_user):
    lead = make_user(role=Role.TEAM_LEAD)
    analyst = make_user(role=Role.ANALYST, team=lead.team)
    officer = make_user(role=Role.PRIVACY_OFFICER)
    case = _closed_case(lead.team, analyst, lead, "Loods aan de haven")
    leading = Report.objects.filter(cases=case).get()
    duplicate = in_analysis(lead.team)
    report_merge(leading=leading, duplicate=duplicate, actor=analyst, reason="Zelfde loods.")
    # The case is proposed and approved before the hold is placed.
    assert _line(retention.run(now=timezone.now() + LATER)[1]).listed == 1
    services.destruction_list_approve(actor=officer)
    services.hold_place(
        actor=officer,
        target=duplicate,
        reason="court",
        explanation="Rechtszaak 26/5120 over de loods.",
        until=timezone.localdate() + timedelta(days=6 * 365),
    )

    found = _line(retention.run(now=timezone.now() + LATER)[1])
    assert (found.done, found.held) == (0, 1)
    assert Case.objects.filter(pk=case.pk).exists()
    assert Report.objects.filter(pk__in=[leading.pk, duplicate.pk]).count() == 2
    assert LegalHold.objects.filter(report=duplicate, lifted_at__isnull=True).exists()
    assert DestructionProposal.objects.get(case=case).state == ProposalState.APPROVED

    # Once the hold is lifted the next run destroys the case with both reports.
    hold = LegalHold.objects.get(report=duplicate)
    services.hold_lift(actor=officer, pk=hold.pk, explanation="Rechtszaak is afgerond.")
    found = _line(retention.run(now=timezone.now() + LATER)[1])
    assert found.done == 1
    assert not Report.objects.filter(pk__in=[leading.pk, duplicate.pk]).exists()


def test_a_hold_on_a_cases_own_report_keeps_it_off_the_list(make_user):
    lead = make_user(role=Role.TEAM_LEAD)
    analyst = make_user(role=Role.ANALYST, team=lead.team)
    officer = make_user(role=Role.PRIVACY_OFFICER)
    case = _closed_case(lead.team, analyst, lead, "Schuur aan de dijk")
    services.hold_place(
        actor=officer,
        target=Report.objects.filter(cases=case).get(),
        reason="police",
        explanation="Verzoek van de politie, PL-26-311.",
        until=timezone.localdate() + timedelta(days=6 * 365),
    )
    found = _line(retention.run(now=timezone.now() + LATER)[1])
    assert (found.due, found.held, found.listed) == (1, 1, 0)
    assert not DestructionProposal.objects.exists()
