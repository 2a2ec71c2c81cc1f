"""One view of the report page is one read entry in the audit log, listing the parts shown,
however many panels the page loads afterwards (issue 12, item 7)."""

import re

import pytest
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.audit.verification import verify_chain
from baken.core.actors import SYSTEM
from baken.core.roles import Role
from baken.intake import services as intake_services
from baken.reports.models import Report
from baken.reports.validation import check_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(make_user):
    return make_user(role=Role.ANALYST)


@pytest.fixture
def report(analyst):
    payload = {
        "description": "Hennepgeur bij de schuur achter Dorpsstraat 3.",
        "category": "drugs",
        "subjects": [{"type": "vehicle", "license_plate": "12-ab-cd"}],
    }
    made = intake_services.report_submit(checked=check_report(payload), actor=SYSTEM).report
    Report.objects.filter(pk=made.pk).update(team=analyst.team)
    return made


def _reads(report, user):
    return AuditEntry.objects.filter(
        action="report.read", object_id=str(report.pk), actor_id=user.pk
    )


def _panel_urls(page: str) -> list[str]:
    return [url.replace("&amp;", "&") for url in re.findall(r'hx-get="([^"]+)"', page)]


def test_the_page_and_its_panels_are_one_read_listing_the_parts(verified_client, analyst, report):
    browser = verified_client(analyst)
    page = browser.get(reverse("reports:detail", args=[report.pk])).content.decode()
    panels = _panel_urls(page)
    assert len(panels) >= 3  # suggestion, subjects, related
    for url in panels:
        assert browser.get(url, HTTP_HX_REQUEST="true").status_code in (200, 204)

    reads = list(_reads(report, analyst))
    assert len(reads) == 1
    parts = reads[0].detail["parts"]
    assert {"data", "versions", "attachments", "subjects", "related", "suggestion"} <= set(parts)
    assert verify_chain().ok


def test_a_panel_fetched_alone_logs_its_own_read(verified_client, analyst, report):
    browser = verified_client(analyst)
    browser.get(reverse("reports:related", args=[report.pk]), HTTP_HX_REQUEST="true")
    reads = list(_reads(report, analyst))
    assert len(reads) == 1 and reads[0].detail == {"parts": ["related"]}


def test_a_token_does_not_cover_another_report_or_another_user(
    verified_client, make_user, analyst, report
):
    browser = verified_client(analyst)
    page = browser.get(reverse("reports:detail", args=[report.pk])).content.decode()
    token = re.search(r"view=([\w-]+)", page).group(1)
    other = intake_services.report_submit(
        checked=check_report({"description": "Drugshandel bij de haven.", "category": "drugs"}),
        actor=SYSTEM,
    ).report
    Report.objects.filter(pk=other.pk).update(team=analyst.team)
    browser.get(f"{reverse('reports:related', args=[other.pk])}?view={token}")
    assert _reads(other, analyst).count() == 1

    colleague = make_user(role=Role.ANALYST, team=analyst.team)
    verified_client(colleague).get(f"{reverse('reports:related', args=[report.pk])}?view={token}")
    assert _reads(report, colleague).count() == 1
