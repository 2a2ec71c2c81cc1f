"""The busy case pages read a bounded number of queries however much a case holds: the case
page with its timeline, and "my tasks" across cases."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baken.cases import services, tasks_work, work
from baken.cases.models import InterventionType, Source
from tests.cases.test_cases import open_case

pytestmark = pytest.mark.django_db


def _fill(case, actor, officer, n: int, new_user) -> None:
    """n of everything a case page shows: members, tasks, notes, source research, hand-overs
    and interventions. The team lead adds the members (membership is hers to steer)."""
    from baken.core.roles import Role

    source = Source.objects.filter(is_active=True).first()
    kind = InterventionType.objects.filter(is_active=True).first()
    lead = new_user(role=Role.TEAM_LEAD, team=case.team)
    for i in range(n):
        member = new_user(role=Role.CASE_HANDLER, team=case.team)
        services.member_add(case=case, user=member, actor=lead, reason=f"Lid {i}.")
        task = tasks_work.task_add(
            case=case, title=f"Taak {i}", assignee=member, deadline=date(2026, 12, 1), actor=actor
        )
        if i % 2:
            tasks_work.task_done(task=task, actor=member)
        work.case_note_add(case=case, actor=actor, text=f"Notitie {i}.")
        asked = work.consultation_request(case=case, source=source, purpose="Doel.", actor=actor)
        work.consultation_decide(
            consultation=asked, officer=officer, approve=True, motivation="Ja."
        )
        work.consultation_hit(consultation=asked, hit=bool(i % 2), actor=actor)
        work.handover_record(
            case=case,
            recipient_kind="riec",
            recipient=f"RIEC {i}",
            what="Samenvatting.",
            legal_basis="Convenant",
            actor=actor,
        )
        work.intervention_add(case=case, kind=kind, start_date=date(2026, 11, 2), actor=actor)


def _case(analyst, north):
    return open_case(north, analyst)


def _count(browser, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(url).status_code == 200
    return len(captured)


def test_the_case_page_reads_the_same_number_of_queries_for_one_or_six_of_everything(
    analyst, north, make_user, verified_client
):
    from baken.core.roles import Role

    officer = make_user(role=Role.PRIVACY_OFFICER, team=None)
    small, big = _case(analyst, north), _case(analyst, north)
    _fill(small, analyst, officer, 1, make_user)
    _fill(big, analyst, officer, 6, make_user)
    browser = verified_client(analyst)
    few = _count(browser, reverse("cases:detail", args=[small.pk]))
    many = _count(browser, reverse("cases:detail", args=[big.pk]))
    assert many == few, (few, many)
    # The page reads the rows its timeline shows once (timeline.timeline_rows), counts the
    # derived criteria from them and asks whether the user is a member from the members read.
    assert few <= 25, few


def test_my_tasks_reads_the_same_number_of_queries_for_one_or_many_cases(
    analyst, north, verified_client
):
    browser = verified_client(analyst)
    first = _case(analyst, north)
    tasks_work.task_add(
        case=first, title="Een", assignee=analyst, deadline=date(2026, 12, 1), actor=analyst
    )
    few = _count(browser, reverse("cases:my_tasks"))
    for i in range(8):
        case = _case(analyst, north)
        tasks_work.task_add(
            case=case,
            title=f"Taak {i}",
            assignee=analyst,
            deadline=date(2026, 11, 1),
            actor=analyst,
        )
    many = _count(browser, reverse("cases:my_tasks"))
    assert many == few, (few, many)


def test_derived_criteria_counted_from_the_rows_the_page_read_say_what_the_facts_say(
    analyst, north, make_user
):
    """The case page counts the facts from the rows it read (facts.derived_states `known`):
    the same state and sentence as the readers that ask the database, at each step."""
    from baken.cases.facts import derived_states
    from baken.cases.models import Fact, StageCriterion
    from baken.cases.timeline import timeline_rows
    from baken.core.roles import Role

    officer = make_user(role=Role.PRIVACY_OFFICER, team=None)
    case = _case(analyst, north)
    criteria = [StageCriterion(pk=i, fact=fact) for i, fact in enumerate(Fact.values, 1)]

    def same() -> None:
        asked = derived_states(case, criteria)
        counted = derived_states(case, criteria, known=timeline_rows(case))
        assert counted == asked

    same()
    source = Source.objects.filter(is_active=True).first()
    asked = work.consultation_request(case=case, source=source, purpose="Doel.", actor=analyst)
    same()
    work.consultation_decide(consultation=asked, officer=officer, approve=True, motivation="Ja.")
    same()
    work.consultation_hit(consultation=asked, hit=True, actor=analyst)
    same()
    kind = InterventionType.objects.filter(is_active=True).first()
    work.intervention_add(case=case, kind=kind, start_date=date(2026, 11, 2), actor=analyst)
    work.handover_record(
        case=case,
        recipient_kind="riec",
        recipient="RIEC",
        what="Samenvatting.",
        legal_basis="Convenant",
        actor=analyst,
    )
    same()
