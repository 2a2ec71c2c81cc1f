"""A named reporter can be reached: the intake officer, analyst and team lead of the report's
team open the contact details with one click and a reason, on the report page and over the
API; each opening is one audit entry carrying the reason; nobody else sees them."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.reports.models import Report
from tests.panels import page_with_panels

pytestmark = pytest.mark.django_db

REPORTER = {
    "anonymous": False,
    "name": "Els de Vries",
    "email": "els@example.nl",
    "phone": "06 1234 5678",
}
REASON = "Vragen welk huisnummer zij bedoelt."


def _file(client, team, **extra) -> Report:
    response = client.post(
        "/api/v1/reports",
        {
            "category": "drugs",
            "description": "Hennepgeur bij de schuur achter Dorpsstraat 3.",
            **extra,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    Report.objects.filter(pk=response.json()["id"]).update(team=team)
    return Report.objects.get(pk=response.json()["id"])


@pytest.fixture
def named(client, north) -> Report:
    return _file(client, north, reporter=REPORTER)


@pytest.fixture
def anonymous(client, north) -> Report:
    return _file(client, north)


def _token(user) -> dict:
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    return {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}


def _last_seq() -> int:
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def _since(seq: int) -> list[AuditEntry]:
    """Every audit entry written after `seq`, about anything."""
    return list(AuditEntry.objects.filter(seq__gt=seq).order_by("seq"))


def _reveals(report) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action="report.contact_reveal", object_type="reports.report", object_id=str(report.pk)
        )
    )


# --- The report page ---------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.INTAKE, Role.ANALYST, Role.TEAM_LEAD])
def test_the_reports_team_opens_the_contact_with_a_reason(
    verified_client, make_user, north, named, role
):
    user = make_user(role=role, team=north)
    browser = verified_client(user)
    page = page_with_panels(browser, reverse("reports:detail", args=[named.pk]))
    action = reverse("intake:contact", args=[named.pk])
    assert f'action="{action}"' in page and "Contactgegevens tonen" in page
    assert "Els de Vries" not in page  # closed until someone opens it
    before = _last_seq()

    shown = browser.post(action, {"contact-reason": REASON})

    assert shown.status_code == 200
    body = shown.content.decode()
    assert "Els de Vries" in body and "els@example.nl" in body and "+31612345678" in body
    assert shown["Cache-Control"].startswith("max-age=0")
    new = _since(before)
    assert [e.action for e in new] == ["report.contact_reveal"]  # exactly one entry
    assert new[0].detail == {"reason": REASON} and new[0].actor_id == user.pk


def test_without_a_reason_nothing_opens_and_the_error_is_dutch(
    verified_client, make_user, north, named
):
    browser = verified_client(make_user(role=Role.INTAKE, team=north))
    response = browser.post(reverse("intake:contact", args=[named.pk]), {"contact-reason": "  "})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Geef aan waarom u de contactgegevens van de melder opent." in body
    assert 'href="#id_contact-reason"' in body  # the error summary links to the field
    assert "Els de Vries" not in body and _reveals(named) == []


def test_with_htmx_the_panel_is_swapped_in_place(verified_client, make_user, north, named):
    browser = verified_client(make_user(role=Role.ANALYST, team=north))
    action = reverse("intake:contact", args=[named.pk])
    empty = browser.post(action, {"contact-reason": ""}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 200  # htmx swaps only a 2xx answer
    assert "<html" not in empty.content.decode() and "Geef aan waarom" in empty.content.decode()
    shown = browser.post(action, {"contact-reason": REASON}, HTTP_HX_REQUEST="true")
    body = shown.content.decode()
    assert 'id="reporter-contact"' in body and "Els de Vries" in body and "<html" not in body
    assert len(_reveals(named)) == 1


def test_an_anonymous_report_has_no_contact_to_open(verified_client, make_user, north, anonymous):
    browser = verified_client(make_user(role=Role.TEAM_LEAD, team=north))
    page = page_with_panels(browser, reverse("reports:detail", args=[anonymous.pk]))
    assert reverse("intake:contact", args=[anonymous.pk]) not in page
    response = browser.post(
        reverse("intake:contact", args=[anonymous.pk]), {"contact-reason": REASON}
    )
    assert response.status_code == 400
    assert "Deze melder is anoniem" in response.content.decode()
    assert _reveals(anonymous) == []


@pytest.mark.parametrize(
    ("role", "same_team"),
    [
        (Role.PRIVACY_OFFICER, True),
        (Role.MANAGEMENT, True),
        (Role.ADMIN, True),
        (Role.ANALYST, False),
        (Role.INTAKE, False),
        (Role.TEAM_LEAD, False),
        (Role.CASE_HANDLER, False),
    ],
)
def test_nobody_else_sees_the_contact(
    verified_client, make_user, north, south, named, role, same_team
):
    user = make_user(role=role, team=north if same_team else south)
    browser = verified_client(user)
    response = browser.post(reverse("intake:contact", args=[named.pk]), {"contact-reason": REASON})
    assert response.status_code == 404  # as for any report they may not see
    assert "Els de Vries" not in response.content.decode() and _reveals(named) == []


@pytest.mark.parametrize("role", [Role.ANALYST, Role.CASE_HANDLER])
def test_seeing_the_report_is_not_enough(verified_client, make_user, south, named, role):
    """Assigned to them from another team (so they see the report): still not theirs to open."""
    user = make_user(role=role, team=south)
    Report.objects.filter(pk=named.pk).update(assignee=user)
    browser = verified_client(user)
    assert browser.get(reverse("reports:detail", args=[named.pk])).status_code == 200
    page = page_with_panels(browser, reverse("reports:detail", args=[named.pk]))
    assert reverse("intake:contact", args=[named.pk]) not in page
    response = browser.post(reverse("intake:contact", args=[named.pk]), {"contact-reason": REASON})
    assert response.status_code == 403
    assert "Els de Vries" not in response.content.decode() and _reveals(named) == []


def test_a_case_handler_of_the_team_does_not_open_it(verified_client, make_user, north, named):
    user = make_user(role=Role.CASE_HANDLER, team=north)
    Report.objects.filter(pk=named.pk).update(assignee=user)
    response = verified_client(user).post(
        reverse("intake:contact", args=[named.pk]), {"contact-reason": REASON}
    )
    assert response.status_code == 403 and _reveals(named) == []


def test_an_unrouted_report_is_the_intake_queues(client, verified_client, make_user, north):
    unrouted = _file(client, None, reporter=REPORTER)
    intake = make_user(role=Role.INTAKE, team=north)
    response = verified_client(intake).post(
        reverse("intake:contact", args=[unrouted.pk]), {"contact-reason": REASON}
    )
    assert response.status_code == 200 and "Els de Vries" in response.content.decode()


# --- The API -------------------------------------------------------------------------------


def test_the_api_gives_the_contact_to_the_team_with_one_audit_entry(
    client, make_user, north, named
):
    headers = _token(make_user(role=Role.ANALYST, team=north))
    before = _last_seq()
    response = client.post(
        f"/api/v1/reports/{named.pk}/contact",
        {"reason": REASON},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    assert response.json() == {
        "name": "Els de Vries",
        "organisation": "",
        "email": "els@example.nl",
        "phone": "+31612345678",
        "may_contact": True,
        "department": "",
    }
    new = _since(before)
    assert [(e.action, e.object_id, e.detail) for e in new] == [
        ("report.contact_reveal", str(named.pk), {"reason": REASON})
    ]


def test_the_api_refuses_as_problem_json(client, make_user, north, south, named, anonymous):
    team_lead = _token(make_user(role=Role.TEAM_LEAD, team=north))
    url = f"/api/v1/reports/{named.pk}/contact"

    def post(url, body, headers):
        return client.post(url, body, content_type="application/json", **headers)

    no_reason = post(url, {"reason": ""}, team_lead)
    assert no_reason.status_code == 400
    assert no_reason["Content-Type"] == "application/problem+json"
    assert no_reason.json()["invalid_params"][0]["name"] == "reason"
    assert post(url, {}, team_lead).status_code == 400
    assert post(url, {"reason": REASON}, {}).status_code == 401
    officer = _token(make_user(role=Role.PRIVACY_OFFICER, team=north))
    assert post(url, {"reason": REASON}, officer).status_code == 404
    other = make_user(role=Role.ANALYST, team=south)
    assert post(url, {"reason": REASON}, _token(other)).status_code == 404
    Report.objects.filter(pk=named.pk).update(assignee=other)
    forbidden = post(url, {"reason": REASON}, _token(other))
    assert forbidden.status_code == 403 and forbidden["Content-Type"] == "application/problem+json"
    gone = post(f"/api/v1/reports/{anonymous.pk}/contact", {"reason": REASON}, team_lead)
    assert gone.status_code == 404 and "Els" not in gone.content.decode()
    assert _reveals(named) == [] and _reveals(anonymous) == []


def test_the_contact_endpoint_is_in_the_schema(client):
    document = client.get("/api/v1/schema", HTTP_ACCEPT="application/json").json()
    operation = document["paths"]["/api/v1/reports/{id}/contact"]["post"]
    assert operation["operationId"] == "reports_contact_reveal"
    assert {"200", "400", "403", "404"} <= set(operation["responses"])


@pytest.mark.parametrize(
    ("role", "same_team", "status"),
    [
        (Role.PRIVACY_OFFICER, True, 404),
        (Role.MANAGEMENT, True, 404),
        (Role.ADMIN, True, 404),
        (Role.ANALYST, False, 404),
        (Role.TEAM_LEAD, False, 404),
        (Role.CASE_HANDLER, False, 404),
        (Role.CASE_HANDLER, True, 404),
    ],
)
def test_nobody_else_gets_the_contact_over_the_api(
    client, make_user, north, south, named, role, same_team, status
):
    headers = _token(make_user(role=role, team=north if same_team else south))
    response = client.post(
        f"/api/v1/reports/{named.pk}/contact",
        {"reason": REASON},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert "Els" not in response.content.decode() and _reveals(named) == []
