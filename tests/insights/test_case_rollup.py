"""The dashboard's and the management view's case figures come from the rollup (issue 18,
insights/case_rollup.py): they equal the counts over the cases and interventions themselves
after cases are opened, advanced, closed and destroyed and interventions added and changed
through the services, for a team and for the municipality; cases inserted without `save()`
are counted too; and the pages ask as many queries with more cases."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from baken.cases import services as case_services
from baken.cases import work
from baken.cases.models import Case, CaseResult, Intervention, InterventionState, InterventionType
from baken.core.roles import Role
from baken.insights import figures_rollup as rollup
from baken.insights.figures import figures_compute, params_from
from baken.insights.management_figures import management_params, management_sections
from tests.cases.test_cases import answer_all, open_case

pytestmark = pytest.mark.django_db


def direct(team, params) -> dict:
    """The case figures counted over the cases and interventions (what the rollup replaces)."""
    cases = Case.objects.order_by()
    interventions = Intervention.objects.order_by().filter(
        start_date__gte=params.first, start_date__lt=params.last + timedelta(weeks=1)
    )
    if team is not None:
        cases, interventions = cases.filter(team=team), interventions.filter(case__team=team)
    start, end = rollup.week_span(params.first, params.last)
    stages = (
        cases.filter(closed_at__isnull=True)
        .values("stage__name")
        .annotate(n=Count("pk"))
        .order_by("stage__position", "stage__name")
    )
    closed = (
        cases.filter(closed_at__gte=start, closed_at__lt=end)
        .values("result__name")
        .annotate(n=Count("pk"))
        .order_by("result__name")
    )
    names = dict(InterventionState.choices)
    return {
        "cases_by_stage": {r["stage__name"]: r["n"] for r in stages},
        "results": {r["result__name"] or "Without a result": r["n"] for r in closed},
        "interventions_by_kind": {
            r["kind__name"]: r["n"]
            for r in interventions.values("kind__name").annotate(n=Count("pk")).order_by()
        },
        "interventions_by_state": {
            str(names[r["state"]]): r["n"]
            for r in interventions.values("state").annotate(n=Count("pk")).order_by()
        },
    }


def shown(team, params) -> dict:
    figures = figures_compute(team=team, params=params)
    return {
        "cases_by_stage": figures.cases_by_stage,
        "results": figures.results,
        "interventions_by_kind": figures.interventions_by_kind,
        "interventions_by_state": figures.interventions_by_state,
    }


def check(*teams) -> None:
    with translation.override("en"):
        for query in ({}, {"period": "52"}):
            params, _form = params_from(query)
            for team in teams:
                assert shown(team, params) == direct(team, params)
                # Ordered as the cases were: stages by position (a chart's order).
                assert list(shown(team, params)["cases_by_stage"]) == list(
                    direct(team, params)["cases_by_stage"]
                )
        management = management_params()
        for team in (None, *teams):
            assert shown(team, management) == direct(team, management)


@pytest.fixture
def people(make_user, north, south):
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    return {
        "lead": lead,
        "analyst": make_user(role=Role.ANALYST, team=north),
        "other_lead": make_user(role=Role.TEAM_LEAD, team=south),
        "other": make_user(role=Role.ANALYST, team=south),
    }


def _advanced(case, actor):
    answer_all(case, actor)
    return case_services.case_advance(case=case, actor=actor, rationale="Volgende fase.")


def _closed(case, actor, lead):
    for _ in range(2):
        case = _advanced(case, actor)
    answer_all(case, actor)
    result = CaseResult.objects.get(version=case.version, code="interventie-uitgevoerd")
    return case_services.case_close(case=case, actor=lead, result=result, rationale="Gesloten.")


def test_case_figures_equal_direct_counts_through_the_services(people, north, south):
    analyst, lead, other = people["analyst"], people["lead"], people["other"]
    kinds = list(InterventionType.objects.filter(is_active=True)[:2])
    today = timezone.localdate()
    cases = [open_case(north, analyst, title=f"Loods {i}") for i in range(3)]
    theirs = open_case(south, other, title="Schuur")
    check(north, south)

    work.intervention_add(case=cases[0], kind=kinds[0], start_date=today, actor=analyst)
    running = work.intervention_add(
        case=cases[1], kind=kinds[-1], start_date=today - timedelta(days=20), actor=analyst
    )
    work.intervention_add(case=theirs, kind=kinds[0], start_date=today, actor=other)
    check(north, south)

    # A change of state, a case a stage further, one closed, one of the other team destroyed.
    work.intervention_update(
        intervention=Intervention.objects.get(pk=running.pk),
        state=InterventionState.RUNNING,
        outcome="",
        end_date=None,
        actor=analyst,
    )
    _advanced(cases[2], analyst)
    _closed(cases[0], analyst, lead)
    check(north, south)
    Case.objects.get(pk=theirs.pk).delete()  # as retention's destroy_case does, with cascade
    check(north, south)


def test_cases_inserted_without_save_are_counted(people, north):
    open_case(north, people["analyst"])
    check(north)
    template = Case.objects.get()
    Case.objects.bulk_create(
        [
            Case(
                reference=f"C-B{i}",
                title="Batch",
                team=north,
                version=template.version,
                stage=template.stage,
                opened_at=timezone.now() - timedelta(days=30 * i),
            )
            for i in range(3)
        ]
    )
    check(north)
    params, _form = params_from({})
    assert sum(figures_compute(team=north.pk, params=params).cases_by_stage.values()) == 4


def test_the_management_view_suppresses_the_small_case_counts(people, north, make_user):
    """Two interventions of one kind: fewer than the threshold, shown as "< 5" and never as the
    number, as before the rollup."""
    analyst = people["analyst"]
    kind = InterventionType.objects.filter(is_active=True).first()
    last_week = timezone.localdate() - timedelta(days=7)
    for i in range(2):
        case = open_case(north, analyst, title=f"Pand {i}")
        work.intervention_add(case=case, kind=kind, start_date=last_week, actor=analyst)
    with translation.override("en"):
        manager = make_user(role=Role.MANAGEMENT)
        sections = {s.key: s for s in management_sections(user=manager)}
    cells = sections["interventions_by_kind"].cells
    assert cells[kind.name] == "< 5"
    assert 2 not in cells.values()


def test_the_dashboard_asks_as_many_queries_with_more_cases(people, north, verified_client):
    lead, analyst = people["lead"], people["analyst"]
    client = verified_client(lead)
    kind = InterventionType.objects.filter(is_active=True).first()

    def count(url) -> int:
        client.get(url)  # the rollup brought up to date
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def grow(n):
        for i in range(n):
            case = open_case(north, analyst, title=f"Loods {i}")
            work.intervention_add(
                case=case, kind=kind, start_date=timezone.localdate(), actor=analyst
            )

    grow(1)
    few = count(reverse("insights:dashboard"))
    grow(4)
    assert count(reverse("insights:dashboard")) == few


def test_the_management_view_asks_as_many_queries_with_more_cases(
    make_user, people, north, verified_client
):
    client = verified_client(make_user(role=Role.MANAGEMENT))
    analyst = people["analyst"]
    kind = InterventionType.objects.filter(is_active=True).first()
    url = reverse("insights:management")

    def count() -> int:
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def grow(n):
        for i in range(n):
            case = open_case(north, analyst, title=f"Pand {i}")
            work.intervention_add(
                case=case, kind=kind, start_date=timezone.localdate(), actor=analyst
            )

    grow(1)
    few = count()
    grow(4)
    assert count() == few
