"""One view of a subject page in the browser, its relations panel loaded by htmx, is one read
in the privacy officer's audit log, listing the parts shown (issue 12, item 7)."""

import datetime

import pytest

from baken.core.actors import SYSTEM
from baken.core.roles import Role
from baken.intake import services as intake_services
from baken.reports.models import Report, ReportSubject
from baken.reports.validation import check_report
from baken.subjects.models import Relation
from baken.subjects.relations import relation_add
from baken.subjects.services import subject_create_from
from tests.browser.test_audit_log import _log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_subject_page_view_is_one_read_in_the_audit_log(
    page, browser, live_server, make_user, axe_violations, screenshot
):
    analyst = make_user(
        role=Role.ANALYST, first_name="Ann", last_name="de Vries", username="avries"
    )
    payload = {
        "description": "Jan de Vries laat busjes laden bij de schuur van zijn bedrijf.",
        "category": "drugs",
        "subjects": [
            {"type": "person", "name": "Jan de Vries"},
            {"type": "organisation", "name": "Schuur B.V.", "kvk_number": "12345678"},
        ],
    }
    report = intake_services.report_submit(checked=check_report(payload), actor=SYSTEM).report
    Report.objects.filter(pk=report.pk).update(team=analyst.team)
    jan, company = (
        subject_create_from(report_subject=named, actor=analyst)
        for named in ReportSubject.objects.filter(report=report).order_by("position")
    )
    relation_add(
        source=jan,
        target=company,
        kind=Relation.Kind.OWNER_OF,
        actor=analyst,
        start_date=datetime.date(2020, 1, 1),
        source_report=report,
    )

    context = browser.new_context(base_url=live_server.url)
    analyst_page = context.new_page()
    _log_in(analyst_page, analyst)
    analyst_page.goto(f"/werkruimte/betrokkenen/{jan.pk}")
    panel = analyst_page.get_by_role("region", name="Relaties")
    panel.get_by_role("link", name="Schuur B.V.").wait_for()
    analyst_page.wait_for_load_state("networkidle")
    context.close()

    officer = make_user(
        role=Role.PRIVACY_OFFICER, team=None, first_name="Priya", last_name="Mulder"
    )
    _log_in(page, officer)
    page.goto(f"/auditlog?object_type=subjects.subject&object_id={jan.pk}")
    reads = page.locator("#results tbody tr").filter(has_text="Betrokkene bekeken")
    assert reads.count() == 1
    text = reads.first.inner_text()
    assert "Ann de Vries (avries)" in text
    assert "Getoonde onderdelen:" in text and "relaties" in text and "tijdlijn" in text
    assert axe_violations(page) == []
    screenshot(page, "audit-log-subject-page")
