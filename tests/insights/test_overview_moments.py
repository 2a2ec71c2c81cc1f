"""The weekly overview's page, PDF and e-mail write the week and each report's receipt the one
Dutch way in Dutch local time (ADR 0016), and name each category, never its code."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from baken.core.roles import Role
from baken.insights import overview
from baken.insights.overview_mail import overview_send
from baken.insights.overview_pdf import overview_pdf
from baken.insights.overview_reading import overview_context
from baken.insights.overview_week import Week
from baken.reports.models import Report
from tests.factories import TeamFactory
from tests.insights.figures_helpers import make_report
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

# Sunday 22 November 2026 23:30 in Amsterdam: still week 47 there, though 22:30 in UTC.
LATE_SUNDAY = datetime(2026, 11, 22, 22, 30, tzinfo=UTC)


@pytest.fixture
def week(make_user):
    team = TeamFactory(name="Noord")
    lead = make_user(role=Role.TEAM_LEAD, team=team, email="lotte@noord.example")
    report = make_report(team, category="motorbendes")
    Report.objects.filter(pk=report.pk).update(received_at=LATE_SUNDAY)
    overview.subscription_set(user=lead, subscribed=True)
    built = overview.overview_build(week=Week.parse("2026-W47"))
    return lead, report, built


def test_the_mail_and_its_pdf_write_the_week_and_the_receipt_in_dutch(week, smtp_server):
    lead, report, built = week
    assert overview_send(overview=built) == 1
    [message] = smtp_server.messages
    text = message.get_body(("plain",)).get_content()
    assert "16 november 2026" in text and "22 november 2026" in text
    assert "2026-11-16" not in text
    line = next(line for line in text.splitlines() if report.reference in line)
    assert "22-11-2026 23:30" in line and "Motorbendes (OMG's)" in line
    assert "motorbendes" not in line

    pdf = pdf_text(overview_pdf({**overview_context(user=lead, overview=built), "reader": lead}))
    assert "16 november 2026" in pdf and "2026-11-16" not in pdf
    assert "22-11-2026 23:30" in pdf


def test_the_page_writes_the_week_in_dutch(week, verified_client):
    lead, _report, _built = week
    page = verified_client(lead).get(reverse("insights:overview_week", args=["2026-W47"]))
    html = page.content.decode()
    assert "maandag 16 november 2026" in html.lower() and "2026-11-16" not in html
