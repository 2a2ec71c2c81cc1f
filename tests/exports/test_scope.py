"""Need-to-know follows the file: an export records the role and team its owner had when they
asked for it, and its file is made and given only while they still have that role and team
and are active. A team lead moved from Noord to Zuid does not download Noord's rows any
more, on the page or over the API; every refusal is in the audit log."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.exports import services, storage
from baken.exports.models import Export, State

from .conftest import reports_for
from .test_exports import export_of
from .test_exports_api import EXPORTS, auth

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(make_user, north):
    return make_user(role=Role.TEAM_LEAD, team=north)


@pytest.fixture
def noord_export(lead, north):
    reports_for(north, 2)
    export = export_of(lead)
    assert export.state == State.DONE and export.rows_done == 2
    assert (export.scope_role, export.scope_team_id) == (Role.TEAM_LEAD, north.pk)
    return export


def refusals(export) -> list[str]:
    entries = AuditEntry.objects.filter(action="export.download_refused", object_id=str(export.pk))
    return [entry.detail["reason"] for entry in entries]


def test_the_owner_downloads_while_role_and_team_are_unchanged(verified_client, lead, noord_export):
    browser = verified_client(lead)
    response = browser.get(reverse("exports:file", args=[noord_export.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content)
    file = browser.get(f"{EXPORTS}/{noord_export.pk}/file", **auth(lead))
    assert file.status_code == 200
    assert refusals(noord_export) == []


def test_a_team_lead_moved_to_another_team_no_longer_gets_the_old_teams_file(
    verified_client, client, lead, south, noord_export
):
    lead.team = south
    lead.save()
    browser = verified_client(lead)
    file_page = reverse("exports:file", args=[noord_export.pk])

    response = browser.get(file_page)
    assert response.status_code == 403
    assert "Content-Disposition" not in response
    assert str(response.context["withheld"]) == str(services.WITHHELD["scope"])
    assert escape(str(response.context["withheld"])) in response.content.decode()

    # The export's page and the list say so instead of offering the file.
    detail = browser.get(reverse("exports:detail", args=[noord_export.pk]))
    assert detail.status_code == 200 and detail.context["withheld"]
    assert file_page not in detail.content.decode()
    listing = browser.get(reverse("exports:list"))
    assert listing.context["exports"] == [(noord_export, "scope")]
    assert file_page not in listing.content.decode()

    # Over the API: a problem naming the reason, and no file_url.
    api = client.get(f"{EXPORTS}/{noord_export.pk}/file", **auth(lead))
    assert api.status_code == 403
    assert api["Content-Type"] == "application/problem+json"
    problem = api.json()
    assert problem["code"] == "export_withheld" and problem["detail"]
    status = client.get(f"{EXPORTS}/{noord_export.pk}", **auth(lead)).json()
    assert status["state"] == "done" and status["file_url"] is None
    assert status["withheld"] == "scope"

    assert refusals(noord_export) == ["scope", "scope"]
    assert not AuditEntry.objects.filter(action="export.download").exists()
    assert storage.path_for(noord_export.pk).exists()  # kept until its time, never given


def test_a_changed_role_in_the_same_team_withholds_the_file(client, lead, noord_export):
    lead.role = Role.ANALYST  # may still export reports, but not as a team lead
    lead.save()
    response = client.get(f"{EXPORTS}/{noord_export.pk}/file", **auth(lead))
    assert response.status_code == 403
    assert refusals(noord_export) == ["scope"]


def test_an_owner_who_may_export_nothing_any_more_is_told_why(verified_client, lead, noord_export):
    lead.role = Role.PRIVACY_OFFICER
    lead.team = None
    lead.save()
    response = verified_client(lead).get(reverse("exports:file", args=[noord_export.pk]))
    assert response.status_code == 403 and "Content-Disposition" not in response
    assert str(response.context["withheld"]) == str(services.WITHHELD["not_allowed"])
    assert refusals(noord_export) == ["not_allowed"]


def test_a_deactivated_owner_gets_nothing(verified_client, client, lead, noord_export):
    browser, token = verified_client(lead), auth(lead)
    lead.is_active = False
    lead.save()
    # Their session and token no longer work at all ...
    assert browser.get(reverse("exports:file", args=[noord_export.pk])).status_code in (302, 401)
    assert client.get(f"{EXPORTS}/{noord_export.pk}/file", **token).status_code == 401
    # ... and the service refuses them itself, logged, whatever object it is handed.
    lead.is_active = True  # a stale copy, as a long request might hold
    with pytest.raises(services.DownloadRefused) as refused:
        services.export_open(user=lead, export=noord_export)
    assert refused.value.reason == "inactive" and refused.value.code == "export_withheld"
    assert refusals(noord_export) == ["inactive"]
    assert not AuditEntry.objects.filter(action="export.download").exists()


def test_the_database_decides_not_a_stale_user_object(lead, south, noord_export):
    stale = type(lead).objects.get(pk=lead.pk)
    lead.team = south
    lead.save()
    with pytest.raises(services.DownloadRefused):
        services.export_open(user=stale, export=noord_export)


def test_an_export_whose_owner_moved_before_it_ran_is_not_made(lead, north, south):
    reports_for(north, 1)
    queued = Export.objects.create(
        user=lead,
        kind="reports",
        format="csv",
        scope_role=lead.role,
        scope_team_id=north.pk,
        created_at=timezone.now(),
        expires_at=timezone.now(),
    )
    lead.team = south
    lead.save()
    done = services.export_run(export_id=queued.pk)
    assert done.state == State.FAILED and done.failure == "scope"
    assert not storage.path_for(queued.pk).exists()
