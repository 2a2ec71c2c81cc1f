"""The 'kleine afdeling' rule (issue 17, ADR 0034): a report, anonymous or named, from a
department of fewer than 25 employees shows the team only 'kleine afdeling', never the
department's name — on the report page, in the API, in every export, in the weekly overview
and in search — also after the department has grown. A named reporter's department is given
by name only in the audited opening of their contact details, to the report's team.

The departments are made by the functional administrator through the page and the API, the
reports come in through the public Meldpunt API, as a reporter's browser sends them."""

import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from baken.accounts.models import Team
from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.exports import services as export_services
from baken.exports import storage
from baken.insights import overview
from baken.insights.overview_week import Week
from baken.reports.models import Department, DepartmentSize, Report
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

SMALL_NAME = "Vergunningen"
LARGE_NAME = "Burgerzaken"
SMALL = "kleine afdeling"
OVERVIEW = "/werkruimte/inzicht/weekoverzicht/"


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.EXPORT_DIR = tmp_path / "exports"


def submit(client, *, department: str, anonymous: bool, description: str) -> Report:
    """A report through the public Meldpunt API, naming the reporter's department."""
    reporter: dict = {"anonymous": anonymous, "department": department}
    if not anonymous:
        reporter.update(name="Piet Klaassen", may_contact=False)
    answer = client.post(
        "/api/v1/reports",
        {"channel": "web", "category": "drugs", "description": description, "reporter": reporter},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    report = Report.objects.select_related("department").get(pk=answer.json()["id"])
    assert report.department is not None and report.department.code == department
    assert report.department_small == (report.department.size == DepartmentSize.SMALL)
    return report


@pytest.fixture
def week():
    return Week.last_complete()


@pytest.fixture
def world(client, make_user, verified_client, week):
    """Two departments from the administrator; three reports from the public; the team
    'OOV Haven' gets the two anonymous ones, 'OOV Dorpen' the named one."""
    harbour = Team.objects.create(name="OOV Haven")
    villages = Team.objects.create(name="OOV Dorpen")
    admin = make_user(role=Role.ADMIN)
    browser = verified_client(admin)
    made = browser.post(
        reverse("awareness:department_create"),
        {"name": SMALL_NAME, "size": "small", "position": "1", "is_active": "on"},
    )
    assert made.status_code == 302
    large = {"name": LARGE_NAME, "size": "large"}
    made = browser.post("/api/v1/departments", large, content_type="application/json")
    assert made.status_code == 201 and made.json()["code"] == "burgerzaken"
    client.logout()
    anonymous_small = submit(
        client, department="vergunningen", anonymous=True, description="Hennepgeur bij de loods."
    )
    named = submit(
        client, department="vergunningen", anonymous=False, description="Vreemde aanvraag."
    )
    anonymous_large = submit(
        client, department="burgerzaken", anonymous=True, description="Spookbewoning gemeld."
    )
    during = week.begins.replace(hour=12) + (week.ends - week.begins) / 2
    Report.objects.filter(pk__in=[anonymous_small.pk, anonymous_large.pk]).update(
        team=harbour, received_at=during
    )
    Report.objects.filter(pk=named.pk).update(team=villages, received_at=during)
    return {
        "admin": admin,
        "analyst": make_user(role=Role.ANALYST, team=harbour),
        "lead": make_user(role=Role.TEAM_LEAD, team=harbour),
        "other": make_user(role=Role.ANALYST, team=villages),
        "anonymous_small": anonymous_small,
        "named": named,
        "anonymous_large": anonymous_large,
    }


def page(browser, report: Report) -> str:
    answer = browser.get(reverse("reports:detail", args=[report.pk]))
    assert answer.status_code == 200
    return answer.content.decode()


def exported(user, kind: str, fmt: str) -> str:
    export = export_services.export_request(
        user=user, kind=kind, fmt=fmt, filters={}, language="nl"
    )
    export.refresh_from_db()
    data = b"".join(storage.read_segments(export.pk))
    if fmt == "csv":
        return data.decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(data)).active
    rows = sheet.iter_rows(values_only=True)
    return "\n".join(";".join("" if v is None else str(v) for v in row) for row in rows)


def everything_the_team_sees(browser, user, world, week) -> str:
    """The small department's anonymous report wherever it reaches the team."""
    report = world["anonymous_small"]
    shown = [page(browser, report)]
    detail = browser.get(f"/api/v1/reports/{report.pk}").json()
    assert detail["reporter_department"] == SMALL
    listed = browser.get("/api/v1/reports").json()["results"]
    assert {r["reference"]: r["reporter_department"] for r in listed} == {
        report.reference: SMALL,
        world["anonymous_large"].reference: LARGE_NAME,
    }
    shown += [json.dumps(detail), json.dumps(listed, ensure_ascii=False)]
    shown += [exported(user, "reports", fmt) for fmt in ("csv", "xlsx")]
    overview.overview_build(week=week)
    html = browser.get(OVERVIEW + str(week)).content.decode()
    pdf = pdf_text(browser.get(OVERVIEW + str(week) + ".pdf").content)
    api = browser.get(f"/api/v1/weekly-overviews/{week}").json()
    rows = {r["reference"]: r["reporter_department"] for r in api["new_reports"]["results"]}
    assert rows[report.reference] == SMALL
    return "\n".join([*shown, html, pdf, json.dumps(api, ensure_ascii=False)])


def test_an_anonymous_report_from_a_small_department_never_shows_its_name(
    world, verified_client, week
):
    for user in (world["analyst"], world["lead"]):
        browser = verified_client(user)
        seen = everything_the_team_sees(browser, user, world, week)
        assert SMALL_NAME not in seen and "vergunningen" not in seen
        assert SMALL in seen and LARGE_NAME in seen
        assert "Afdeling melder" in page(browser, world["anonymous_small"])
        # Searching the department's name finds none of its anonymous reports.
        found = browser.get("/api/v1/search", {"q": SMALL_NAME}).json()
        assert world["anonymous_small"].pk not in [r["id"] for r in found["reports"]]
    # No audit entry of a read carries the department.
    reads = AuditEntry.objects.filter(action__in=["report.read", "report.list"])
    assert reads.exists() and not any(SMALL_NAME in json.dumps(e.detail) for e in reads)


def test_a_named_report_hides_its_small_department_but_in_the_contact_reveal(
    world, make_user, verified_client, week
):
    """A case handler of the named report's team sees 'kleine afdeling' everywhere; the
    analyst of that team learns the name only by opening the contact, with a reason."""
    named = world["named"]
    handler = make_user(role=Role.CASE_HANDLER, team=world["other"].team)
    Report.objects.filter(pk=named.pk).update(assignee=handler)
    for user in (handler, world["other"]):
        browser = verified_client(user)
        html = page(browser, named)
        assert SMALL in html and SMALL_NAME not in html
        detail = browser.get(f"/api/v1/reports/{named.pk}").json()
        assert detail["reporter_department"] == SMALL
        assert detail["reporter_department_small"] is True
        listed = browser.get("/api/v1/reports").json()["results"]
        assert [(r["reporter_department"], r["reporter_department_small"]) for r in listed] == [
            (SMALL, True)
        ]
        exports = "".join(exported(user, "reports", fmt) for fmt in ("csv", "xlsx"))
        assert SMALL in exports and SMALL_NAME not in exports
    # The weekly overview of the named report's team.
    browser = verified_client(world["other"])
    overview.overview_build(week=week)
    html = browser.get(OVERVIEW + str(week)).content.decode()
    api = browser.get(f"/api/v1/weekly-overviews/{week}").json()
    [row] = api["new_reports"]["results"]
    assert (row["reporter_department"], row["reporter_department_small"]) == (SMALL, True)
    assert SMALL in html and SMALL_NAME not in html + json.dumps(api)
    # The analyst opens the contact: the department's name comes with it, audited.
    before = AuditEntry.objects.filter(action="report.contact_reveal").count()
    panel = browser.post(
        reverse("intake:contact", args=[named.pk]), {"contact-reason": "Navragen welke loods."}
    ).content.decode()
    main = panel[panel.find("<main") : panel.find("</main>")]
    assert "Afdeling" in main and SMALL_NAME in main and "Piet Klaassen" in main, main
    revealed = browser.post(
        f"/api/v1/reports/{named.pk}/contact",
        {"reason": "Navragen welke loods."},
        content_type="application/json",
    )
    assert revealed.status_code == 200 and revealed.json()["department"] == SMALL_NAME
    assert AuditEntry.objects.filter(action="report.contact_reveal").count() == before + 2
    # The case handler may not open it.
    refused = verified_client(handler).post(
        f"/api/v1/reports/{named.pk}/contact",
        {"reason": "Nieuwsgierig."},
        content_type="application/json",
    )
    assert refused.status_code in (403, 404) and SMALL_NAME not in refused.content.decode()


def test_a_large_department_is_shown_by_name_and_none_as_none(world, verified_client):
    browser = verified_client(world["analyst"])
    detail = browser.get(f"/api/v1/reports/{world['anonymous_large'].pk}").json()
    assert detail["reporter_department"] == LARGE_NAME
    assert detail["reporter_department_small"] is False
    Report.objects.filter(pk=world["anonymous_large"].pk).update(department=None)
    detail = browser.get(f"/api/v1/reports/{world['anonymous_large'].pk}").json()
    assert (detail["reporter_department"], detail["reporter_department_small"]) == ("", False)


def test_a_department_that_grew_still_hides_its_earlier_anonymous_reports(
    world, client, verified_client
):
    admin = verified_client(world["admin"])
    changed = admin.patch(
        "/api/v1/departments/vergunningen", {"size": "large"}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["size"] == "large"
    assert Department.objects.get(code="vergunningen").size == DepartmentSize.LARGE
    browser = verified_client(world["analyst"])
    earlier = page(browser, world["anonymous_small"])
    assert SMALL in earlier and SMALL_NAME not in earlier
    assert SMALL_NAME not in exported(world["analyst"], "reports", "csv")
    # A department that shrank hides its earlier anonymous reports from then on.
    admin = verified_client(world["admin"])
    admin.patch(
        "/api/v1/departments/burgerzaken", {"size": "small"}, content_type="application/json"
    )
    browser = verified_client(world["analyst"])
    detail = browser.get(f"/api/v1/reports/{world['anonymous_large'].pk}").json()
    assert detail["reporter_department"] == SMALL
    # An anonymous report that arrives after the growth names the (now large) department.
    client.logout()
    later = submit(client, department="vergunningen", anonymous=True, description="Later gemeld.")
    Report.objects.filter(pk=later.pk).update(team=world["analyst"].team)
    browser = verified_client(world["analyst"])
    assert browser.get(f"/api/v1/reports/{later.pk}").json()["reporter_department"] == SMALL_NAME
