import pytest
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.audit.services import Target, audit_record
from baken.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(make_user, verified_client):
    return verified_client(make_user(role=Role.PRIVACY_OFFICER, team=None))


def test_privacy_officer_filters_by_user_action_object_and_period(officer_client, make_user):
    alice, bob = make_user(), make_user()
    audit_record(actor=alice, action="report.read", target=Target("reports.report", "41"))
    audit_record(actor=bob, action="report.read", target=Target("reports.report", "42"))
    audit_record(actor=bob, action="report.improve", target=Target("reports.report", "42"))

    page = officer_client.get(
        reverse("audit:log"), {"actor": bob.pk, "action": "report.read"}
    ).content.decode()
    assert "Melding 42" in page and "Melding 41" not in page

    page = officer_client.get(
        reverse("audit:log"), {"object_type": "reports.report", "object_id": "41"}
    ).content.decode()
    assert "Melding 41" in page and "Melding 42" not in page

    page = officer_client.get(reverse("audit:log"), {"since": "2000-01-01", "until": "2000-01-02"})
    assert "geen regels die passen" in page.content.decode()


def test_the_search_itself_is_logged(officer_client, make_user):
    audit_record(actor=make_user(), action="auth.login")
    officer_client.get(reverse("audit:log"), {"action": "auth.login"})
    entry = AuditEntry.objects.filter(action="audit.search").last()
    assert entry.detail == {"action": "auth.login"}


def test_bad_period_gets_a_dutch_error_and_keeps_the_input(officer_client):
    response = officer_client.get(
        reverse("audit:log"), {"since": "2026-02-01", "until": "2026-01-01"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "einddatum" in body.lower() and 'value="2026-02-01"' in body


def test_htmx_request_gets_only_the_results(officer_client):
    response = officer_client.get(reverse("audit:log"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<table" in body and "<html" not in body


def test_audit_page_query_count_does_not_grow_with_the_log(officer_client, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_with(entries: int) -> int:
        # Each entry by another user, with details naming a user and a team, about a case or
        # a report: names, labels and links cost the same for 5 entries as for 50.
        for n in range(entries):
            user = make_user()
            target = Target("cases.case" if n % 2 else "reports.report", str(n))
            detail = {"user": user.pk, "team": user.team_id, "parts": ["data", "related"]}
            audit_record(actor=user, action="report.read", target=target, detail=detail)
        with CaptureQueriesContext(connection) as captured:
            assert officer_client.get(reverse("audit:log")).status_code == 200
        return len(captured)

    few = queries_with(5)
    assert few <= 20
    assert queries_with(60) == few


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_dates_at_the_edge_of_the_calendar_get_an_error_not_a_500(officer_client, day):
    response = officer_client.get(reverse("audit:log"), {"since": day})
    assert response.status_code == 200
    assert "tussen 1900 en 2999" in response.content.decode()
