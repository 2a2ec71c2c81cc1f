"""What one view of the report page costs (issue 18): the same statements however much the
team holds, one write (its read entry), and nothing written to the session afterwards — the
page view's token is signed, not kept (audit/page_views.py)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.reports.models import Report
from tests.reports.test_triage import file_report

pytestmark = pytest.mark.django_db


def _report(team, status="received", **extra) -> Report:
    report = file_report(
        location={"address": {"postcode": "1781AB", "house_number": 3}},
        subjects=[{"type": "vehicle", "license_plate": "12-ab-cd"}],
        **extra,
    )
    Report.objects.filter(pk=report.pk).update(team=team, status=status)
    return report


def _view(browser, report) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = browser.get(reverse("reports:detail", args=[report.pk]))
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def _writes(statements: list[str]) -> list[str]:
    return [s for s in statements if re.match(r"\s*(INSERT|UPDATE|DELETE)", s, re.I)]


@pytest.mark.parametrize("role", [Role.ANALYST, Role.TEAM_LEAD])
@pytest.mark.parametrize("status", ["in_triage", "in_analysis"])
def test_the_report_page_reads_as_many_statements_with_more_reports_and_writes_only_its_read(
    verified_client, make_user, role, status
):
    user = make_user(role=role)
    browser = verified_client(user)
    report = _report(user.team, status)
    _view(browser, report)  # a session's first page sets its idle clock
    _page, few = _view(browser, report)
    for _i in range(12):
        _report(user.team, status)
    page, many = _view(browser, report)
    assert len(many) == len(few), (len(few), len(many))
    assert len(few) <= 30, len(few)
    # One write: the read entry (and the chain's head). The session row is not touched.
    assert not [s for s in many if "django_session" in s and not s.lstrip().startswith("SELECT")]
    assert all("audit" in s for s in _writes(many)), _writes(many)
    assert report.reference in page


def test_the_panels_of_a_page_view_log_no_read_of_their_own_without_a_session_write(
    verified_client, make_user
):
    analyst = make_user(role=Role.ANALYST)
    browser = verified_client(analyst)
    report = _report(analyst.team)
    page, _statements = _view(browser, report)
    panels = [u.replace("&amp;", "&") for u in re.findall(r'hx-get="([^"]+)"', page)]
    assert panels and all("view=" in url for url in panels)
    for url in panels:
        assert browser.get(url, HTTP_HX_REQUEST="true").status_code in (200, 204)
    reads = AuditEntry.objects.filter(
        action="report.read", object_id=str(report.pk), actor_id=analyst.pk
    )
    assert reads.count() == 1
    # Another page view gets a token of its own; a stale or forged one covers nothing.
    token = re.search(r"view=([\w-]+)", page).group(1)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    related = reverse("reports:related", args=[report.pk])
    browser.get(f"{related}?view={forged}", HTTP_HX_REQUEST="true")
    assert reads.count() == 2
