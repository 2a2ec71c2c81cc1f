"""The awareness rows consume their stale-week marks (FigureStaleWeek.awareness_done) rather
than reading those above an id watermark: on PostgreSQL an id is handed out before commit, so
a change whose transaction commits after a higher mark was read has a mark below that mark,
and must still be counted at the next refresh (insights/awareness_rollup.py)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils.timezone import localdate

from baken.awareness.figures import add_months, awareness_compute
from baken.core.roles import Role
from baken.insights.awareness_rollup import awareness_refresh
from baken.insights.figures_rollup import rollup_refresh, week_of_day
from baken.insights.models import FigureStaleWeek, FigureState
from baken.reports.models import Department, DepartmentSize
from tests.awareness.test_figures import on, row

pytestmark = pytest.mark.django_db


def _departments():
    return [
        Department.objects.create(
            code=code, name=code.title(), size=DepartmentSize.LARGE, position=i
        )
        for i, code in enumerate(["vergunningen", "handhaving"])
    ]


def _counts(team, day: date) -> tuple[int, int]:
    f = awareness_compute(team=team.pk, start=day.replace(day=1), end=day)
    return row(f, "vergunningen").total, row(f, "handhaving").total


def test_a_change_whose_mark_commits_below_a_mark_already_read_is_counted(north):
    vergunningen, handhaving = _departments()
    day = localdate() - timedelta(days=1)
    report = on(day, north, department=vergunningen)
    first = FigureStaleWeek.objects.latest("pk").pk
    # Another change, committed first, with a higher id; the awareness rows read it.
    later = FigureStaleWeek.objects.create(pk=first + 50, week=week_of_day(day - timedelta(7)))
    assert awareness_refresh() is True
    assert _counts(north, day) == (1, 0)
    assert FigureStaleWeek.objects.filter(awareness_done=False).count() == 0

    # The report's change, its id handed out before `later` but committed after it was read.
    report.department = handhaving
    report.save()
    mark = FigureStaleWeek.objects.latest("pk")
    FigureStaleWeek.objects.filter(pk=mark.pk).update(id=first + 10)
    assert first + 10 < later.pk

    assert _counts(north, day) == (0, 1)  # the figures refresh before they are read
    assert FigureStaleWeek.objects.get(pk=first + 10).awareness_done is True


def test_the_dashboards_refresh_deletes_the_marks_it_rebuilt_and_awareness_reads_no_more(north):
    vergunningen, _handhaving = _departments()
    day = localdate() - timedelta(days=1)
    on(day, north, department=vergunningen)
    assert FigureStaleWeek.objects.exists()
    assert rollup_refresh() is True
    assert not FigureStaleWeek.objects.exists()
    assert _counts(north, day) == (1, 0)  # built with the rollup's weeks
    on(day, north, department=vergunningen)  # a mark the awareness rows have not read
    assert _counts(north, day) == (2, 0)
    assert not FigureStaleWeek.objects.filter(awareness_done=False).exists()


# --- while the worker brings the rows up to date, the figures say so ---------------------------

UPDATING = "Deze cijfers worden bijgewerkt en kunnen onvolledig of verouderd zijn."


def test_figures_left_to_the_worker_say_they_are_being_brought_up_to_date(
    north, make_user, verified_client, settings
):
    vergunningen, _handhaving = _departments()
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    manager = make_user(role=Role.MANAGEMENT, team=None)
    on(localdate() - timedelta(days=10), north, department=vergunningen)
    on(add_months(localdate().replace(day=1), -1), north, department=vergunningen)
    # Right after deploy, or after a change of the signs: more to rebuild than a page may.
    settings.INSIGHTS_INLINE_REFRESH_MAX = 1

    def section(html: str) -> str:
        return html[html.index('id="awareness-title"') :]

    def seen(user) -> list[bool]:
        """Whether the notice is on the user's pages (the figures page and the dashboard's
        section; management: its view's section), and the API's `updating`."""
        client = verified_client(user)
        if user.role == Role.MANAGEMENT:
            pages = [section(client.get(reverse("insights:management")).content.decode())]
        else:
            page = client.get(reverse("awareness:figures"))
            dashboard = client.get(reverse("insights:dashboard")).content.decode()
            pages = [page.content.decode(), section(dashboard)]
            assert page.context["figures"].updating is (UPDATING in pages[0])
        body = client.get("/api/v1/awareness/figures").json()
        return [UPDATING in html for html in pages] + [body["updating"]]

    assert seen(lead) == [True, True, True]
    assert seen(manager) == [True, True]
    assert FigureState.objects.get(pk=1).refresh_asked_at is not None  # the worker was asked

    # The worker's refresh done: the figures are current and say nothing.
    assert rollup_refresh() is True and awareness_refresh() is True
    assert seen(lead) == [False, False, False]
    assert seen(manager) == [False, False]
    body = verified_client(lead).get("/api/v1/awareness/figures").json()
    assert body["totals"]["total"] == 2


def test_the_api_document_has_the_updating_field(make_user, verified_client, north):
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    schema = verified_client(lead).get("/api/v1/schema?format=json").json()
    properties = schema["components"]["schemas"]["AwarenessFigures"]["properties"]
    assert properties["updating"]["type"] == "boolean"
