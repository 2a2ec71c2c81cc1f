"""The charts in a real browser (issue 12, item 13): a week without a lead time is not drawn
(Chart.js skips the point: a gap, not a drop to 0) and reads "—" in the table; management's
backlog by state draws a bar for the same open reports the age chart counts."""

import pytest

from baken.accounts.models import Team
from baken.core.roles import Role
from baken.reports.workflow import Status
from tests.browser.test_dashboard import _charts_drawn
from tests.browser.test_triage import _as
from tests.insights.figures_helpers import make_report
from tests.insights.test_chart_gaps import backlog

pytestmark = pytest.mark.django_db(transaction=True)

POINTS = """key => {
  const chart = Chart.getChart(document.querySelector('#canvas-' + key));
  const meta = chart.getDatasetMeta(0);
  return chart.data.labels.map((label, i) => [label, chart.data.datasets[0].data[i],
    meta.data[i].skip]);
}"""


def test_gaps_and_the_backlog_by_state_as_drawn(
    browser, live_server, make_user, axe_violations, screenshot
):
    team = Team.objects.create(name="OOV Havenwaard")
    for days in (10, 11, 31, 32):
        make_report(team, days_ago=days, status=Status.NO_ACTION)
    backlog(team)

    context, page = _as(browser, live_server, make_user(role=Role.TEAM_LEAD, team=team))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/werkruimte/inzicht/?period=12")
    _charts_drawn(page)
    points = page.evaluate(POINTS, "lead_weighing")
    drawn = [i for i, (_label, value, _skip) in enumerate(points) if value is not None]
    gaps = [p for p in points[drawn[0] : drawn[-1]] if p[1] is None]
    assert gaps and all(skip for _label, _value, skip in gaps), points
    section = page.locator("#figure-lead_weighing-title").locator("..")
    section.locator("summary").click()
    for label, _value, _skip in gaps:
        row = section.locator("tr").filter(has=page.get_by_role("rowheader", name=label))
        assert row.locator("td").inner_text() == "—"
    assert axe_violations(page) == []
    screenshot(page, "lead-time-gap", element=section)
    context.close()

    context, page = _as(browser, live_server, make_user(role=Role.MANAGEMENT, team=None))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/werkruimte/inzicht/management")
    _charts_drawn(page)
    bars = page.evaluate(POINTS, "backlog_by_state")
    assert bars[0][:2] == ["Nog niet gewogen", 30] and bars[1][1] is None, bars
    assert axe_violations(page) == []
    screenshot(
        page,
        "management-backlog",
        element=page.locator("#figure-backlog_by_age-title").locator("../.."),
    )
    context.close()
