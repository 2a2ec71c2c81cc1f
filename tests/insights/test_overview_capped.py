"""The weekly overview counts the week's reports as the inbox does, up to a cap (issue 18: a
busy team's week at national scale was counted whole at every visit). Below the cap the page,
the API and the e-mail say how many; above it "more than", and the pages still lead to every
report of the week, each once. The cap is set low here instead of making a thousand reports."""

import re
from datetime import timedelta

import pytest

from baken.core.roles import Role
from baken.insights import overview, overview_reading
from baken.insights.overview_mail import overview_send
from baken.insights.overview_week import Week
from baken.reports import inbox
from baken.reports.models import Report
from tests.factories import TeamFactory
from tests.insights.figures_helpers import make_report

pytestmark = pytest.mark.django_db

WEEK = "2026-W47"
PAGE = f"/werkruimte/inzicht/weekoverzicht/{WEEK}"


@pytest.fixture
def week(make_user):
    team = TeamFactory(name="Noord")
    lead = make_user(role=Role.TEAM_LEAD, team=team, email="lotte@noord.example")
    begins = Week.parse(WEEK).begins
    refs = []
    for i in range(5):
        report = make_report(team, category="drugs")
        Report.objects.filter(pk=report.pk).update(received_at=begins + timedelta(hours=3 + i))
        refs.append(report.reference)
    overview.subscription_set(user=lead, subscribed=True)
    return lead, refs, overview.overview_build(week=Week.parse(WEEK))


@pytest.fixture
def small(monkeypatch):
    """A cap of 3 and pages of 2 (the inbox's cap is 1,000, pages of 50)."""
    monkeypatch.setattr(inbox, "COUNT_CAP", 3)
    monkeypatch.setattr(overview_reading, "COUNT_CAP", 3)
    monkeypatch.setattr(overview_reading, "PAGE", 2)
    monkeypatch.setattr(overview_reading, "LISTED", 2)


def _walk(browser) -> tuple[list[str], list[str]]:
    """Every page of the week's list, following "Volgende": (page texts, references seen)."""
    texts, seen, url = [], [], PAGE
    for _ in range(10):
        html = browser.get(url).content.decode()
        texts.append(html)
        table = html.split('id="ov-reports"', 1)[1].split("</table>", 1)[0]
        seen += re.findall(r'<a href="/werkruimte/meldingen/\d+">([^<]+)</a>', table)
        following = re.search(r'href="\?pagina=(\d+)#ov-reports">Volgende</a>', html)
        if following is None:
            break
        url = f"{PAGE}?pagina={following[1]}"
    return texts, seen


def test_below_the_cap_the_week_says_how_many(week, verified_client, monkeypatch):
    monkeypatch.setattr(overview_reading, "PAGE", 2)
    lead, refs, _built = week
    browser = verified_client(lead)
    texts, seen = _walk(browser)
    assert "5 nieuwe meldingen die u mag zien." in texts[0]
    assert "Pagina 1 van 3" in texts[0]
    assert sorted(seen) == sorted(refs)
    api = browser.get(f"/api/v1/weekly-overviews/{WEEK}").json()["new_reports"]
    assert (api["count"], api["count_capped"], api["pages"]) == (5, False, 3)


def test_above_the_cap_it_says_more_and_the_pages_still_reach_every_report(
    week, small, verified_client, smtp_server
):
    lead, refs, built = week
    browser = verified_client(lead)
    texts, seen = _walk(browser)
    assert "Meer dan 3 nieuwe meldingen die u mag zien." in texts[0]
    assert "Pagina 1</span>" in texts[0] and "Pagina 1 van" not in texts[0]
    assert sorted(seen) == sorted(refs), "every report of the week once, in three pages"
    assert len(texts) == 3
    api = browser.get(f"/api/v1/weekly-overviews/{WEEK}").json()["new_reports"]
    assert (api["count"], api["count_capped"]) == (3, True)
    assert api["pages"] == 2  # this page and the next: as far as known

    assert overview_send(overview=built) == 1
    text = smtp_server.messages[0].get_body(("plain",)).get_content()
    assert "Nieuwe meldingen van deze week (meer dan 3)" in text
    assert "En nog meer: zie het weekoverzicht in Baken." in text
    assert sum(ref in text for ref in refs) == 2  # the first LISTED
