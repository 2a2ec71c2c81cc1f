"""An account locked out after repeated password failures (django-axes) cannot go on through
its API token either, until the lock is lifted."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.core.roles import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def test_a_locked_out_accounts_token_stops_until_an_administrator_unlocks_it(
    client, make_user, settings, verified_client
):
    user = make_user()
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    auth = {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}
    assert client.get("/api/v1/me", **auth).status_code == 200

    login = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": user.username, "password": "niet het wachtwoord"})
    assert client.post(login, {"username": user.username, "password": PASSWORD}).status_code == 429

    refused = client.get("/api/v1/me", **auth)
    assert refused.status_code == 401 and refused["Content-Type"] == PROBLEM
    assert "geblokkeerd" in refused.json()["detail"]

    # The administrator sees the lockout on the user's page and lifts it: the token works again.
    admin = verified_client(make_user(role=Role.ADMIN, team=None))
    page = reverse("accounts:user_detail", args=[user.pk])
    assert "Geblokkeerd na te veel mislukte inlogpogingen" in admin.get(page).content.decode()
    assert admin.post(page, {"action": "unlock"}).status_code == 302
    assert AuditEntry.objects.filter(action="user.unlock", object_id=str(user.pk)).exists()
    assert "Geblokkeerd" not in admin.get(page).content.decode()
    admin.logout()
    assert client.get("/api/v1/me", **auth).status_code == 200


def test_the_command_line_lifts_a_lockout_too(client, make_user, settings):
    user = make_user()
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    auth = {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "fout"})
    assert client.get("/api/v1/me", **auth).status_code == 401
    call_command("axes_reset_username", user.username, stdout=io.StringIO())
    assert client.get("/api/v1/me", **auth).status_code == 200


def test_the_token_works_again_once_the_lockout_has_passed(client, make_user, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt

    user = make_user()
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    auth = {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "fout"})
    assert client.get("/api/v1/me", **auth).status_code == 401
    # The cool-off (BAKEN_LOGIN_COOLOFF_MINUTES) ends the lock by itself.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    assert client.get("/api/v1/me", **auth).status_code == 200
