"""The audit log as a privacy officer reads it (issue 12, item 7): names, Dutch labels,
details as "label: value" lines, a link only where the officer may look, and a CSV of a
search for the officer's own records."""

import csv
import io

import pytest
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.audit.services import Target, audit_record
from baken.core.actors import SYSTEM
from baken.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user(role=Role.PRIVACY_OFFICER, team=None, first_name="Priya", last_name="Mulder")


@pytest.fixture
def officer_client(officer, verified_client):
    return verified_client(officer)


def _log(client, **params) -> str:
    response = client.get(reverse("audit:log"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_names_labels_and_details_instead_of_ids_and_codes(officer_client, make_user):
    ann = make_user(role=Role.ANALYST, first_name="Ann", last_name="de Vries", username="avries")
    audit_record(
        actor=ann,
        action="report.read",
        target=Target("reports.report", "301"),
        detail={"parts": ["data", "versions", "attachments"]},
    )
    audit_record(actor=ann, action="insights.dashboard", detail={"first": "2026-11-02"})

    page = _log(officer_client)
    assert "Ann de Vries (avries)" in page and "Analist" in page
    assert "Melding bekeken" in page and "Melding 301" in page
    assert "Getoonde onderdelen: gegevens, versies, bijlagen" in page
    assert "Vanaf: 2 november 2026" in page
    table = page[page.index("<table") : page.index("</table>")]
    for code in ("report.read", "reports.report", "analyst", "{&#x27;parts"):
        assert code not in table


def test_a_removed_user_and_the_system_are_named_plainly(officer_client, make_user):
    gone = make_user()
    audit_record(actor=gone, action="auth.login")
    gone_pk = gone.pk
    gone.delete()
    audit_record(actor=SYSTEM, action="reporter.notify", target=Target("reports.report", "5"))

    page = _log(officer_client)
    assert f"Verwijderde of onbekende gebruiker (nummer {gone_pk})" in page
    assert "Baken zelf" in page and "Melder op de hoogte gebracht" in page


def test_object_type_filter_is_a_select_of_dutch_labels(officer_client, make_user):
    user = make_user()
    audit_record(actor=user, action="report.read", target=Target("reports.report", "7"))
    audit_record(actor=user, action="case.read", target=Target("cases.case", "8"))

    page = _log(officer_client)
    assert '<select name="object_type"' in page
    assert '<option value="reports.report">Melding</option>' in page
    assert '<option value="cases.case">Casus</option>' in page

    page = _log(officer_client, object_type="cases.case")
    assert "Casus 8" in page and "Melding 7" not in page


def test_a_case_links_to_the_review_form_and_a_report_to_nothing(officer_client, make_user):
    """The privacy officer sees no report content and a case only by review, with a reason:
    the log offers exactly that, and says nothing more about either."""
    user = make_user()
    audit_record(actor=user, action="case.read", target=Target("cases.case", "8"))
    audit_record(actor=user, action="report.read", target=Target("reports.report", "7"))

    page = _log(officer_client)
    review = reverse("cases:review", args=[8])
    assert f'href="{review}"' in page and "Inzien met opgave van reden" in page
    assert reverse("reports:detail", args=[7]) not in page
    assert officer_client.get(review).status_code == 200  # the form asks for the reason first


def test_csv_of_the_search_is_dutch_excel_and_logged(officer_client, officer, make_user):
    ann = make_user(first_name="Ann", last_name="de Vries", username="avries")
    audit_record(actor=ann, action="report.read", target=Target("reports.report", "301"))
    audit_record(actor=ann, action="auth.login")

    response = officer_client.get(reverse("audit:csv"), {"action": "report.read"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["Nr.", "Tijdstip", "Gebruiker", "Rol", "Actie", "Object"]
    assert len(rows) == 2  # only the searched action
    row = rows[1]
    assert row[2] == "Ann de Vries (avries)" and row[4] == "Melding bekeken"
    assert row[5] == "Melding 301"
    assert len(row[1]) == 16 and row[1][2] == "-" and row[1][10] == " "  # 05-12-2026 22:30

    logged = AuditEntry.objects.filter(action="audit.export").last()
    assert logged.actor_id == officer.pk
    assert logged.detail == {"action": "report.read", "rows": 1}


def test_a_formula_in_a_name_stays_text_in_the_csv(officer_client, make_user):
    sly = make_user(first_name="=HYPERLINK(1)", last_name="", username="sly")
    audit_record(actor=sly, action="auth.login")
    raw = b"".join(officer_client.get(reverse("audit:csv")).streaming_content).decode()
    assert "'=HYPERLINK(1) (sly)" in raw


@pytest.mark.parametrize("role", [Role.ANALYST, Role.TEAM_LEAD, Role.ADMIN, Role.MANAGEMENT])
def test_only_the_privacy_officer_may_download(verified_client, make_user, role):
    response = verified_client(make_user(role=role)).get(reverse("audit:csv"))
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="audit.export").exists()


def test_a_bad_period_in_the_download_shows_the_error_not_a_file(officer_client):
    response = officer_client.get(
        reverse("audit:csv"), {"since": "2026-02-01", "until": "2026-01-01"}
    )
    assert response.status_code == 400 and "einddatum" in response.content.decode().lower()
