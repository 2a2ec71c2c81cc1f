"""Single sign-on against a real OpenID Connect provider (django-oauth-toolkit in its own
process, tests/oidc_provider): nothing of the flow is mocked."""

import threading
import time
from urllib.parse import urlsplit

import pytest
import requests
from django.db import connection
from django.test import Client
from django.urls import reverse

from baken.accounts.models import User
from baken.accounts.sso import services
from baken.audit.models import AuditEntry
from baken.core.roles import Role
from tests.factories import PASSWORD
from tests.oidc_provider import fixture as idp
from tests.oidc_provider.fixture import PROVIDER_PASSWORD, Browser

WORKSPACE = "/werkruimte/"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    started = idp.start(tmp_path_factory.mktemp("idp"))
    yield started
    started.process.terminate()
    started.process.wait(timeout=10)


@pytest.fixture
def sso(settings, provider):
    settings.OIDC_ENABLED = True
    settings.OIDC_OP_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = idp.CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = idp.CLIENT_SECRET
    settings.OIDC_ROLE_MAP = {
        "oov-teamleiders": (Role.TEAM_LEAD, "OOV Havenwaard"),
        "oov-analisten": (Role.ANALYST, "OOV Havenwaard"),
        "bestuur": (Role.MANAGEMENT, ""),
    }
    for name in idp.USERS:
        provider.set_groups(name, None)
    return provider


def sso_login(client, username, *, browser=None, next_url=""):
    """Click "log in with the municipality account", sign in at the provider, come back."""
    browser = browser or Browser()
    start = reverse("accounts:sso_start") + (f"?next={next_url}" if next_url else "")
    response = client.get(start)
    assert response.status_code == 302
    back = browser.follow_to_baken(
        response["Location"], username=username, password=PROVIDER_PASSWORD
    )
    parts = urlsplit(back)
    assert parts.path == reverse("accounts:sso_callback")
    return client.get(f"{parts.path}?{parts.query}")


def actions(user=None):
    entries = AuditEntry.objects.order_by("seq")
    if user is not None:
        entries = entries.filter(object_type="accounts.user", object_id=str(user.pk))
    return [(e.action, e.detail) for e in entries]


@pytest.mark.django_db
def test_login_maps_the_group_to_role_and_team_and_counts_as_two_factor(client, sso):
    sso.set_groups("alice", ["medewerkers", "oov-analisten"])

    response = sso_login(client, "alice", next_url=WORKSPACE)

    assert response.status_code == 302
    assert response["Location"] == WORKSPACE
    user = User.objects.get(sso_identity="alice")
    assert (user.role, user.team.name, user.email) == (
        Role.ANALYST,
        "OOV Havenwaard",
        "alice@gemeente.test",
    )
    assert not user.has_usable_password()
    # The session is verified (the identity provider did the second factor): the workspace
    # opens, and the session middleware does not end it as a half login.
    assert client.get(WORKSPACE).status_code == 200
    assert client.get(WORKSPACE).status_code == 200
    logins = [detail for action, detail in actions(user) if action == "auth.login"]
    assert logins == [{"second_factor": "identity_provider"}]


@pytest.mark.django_db
def test_a_person_without_a_mapped_group_is_refused_with_a_dutch_page(client, sso):
    sso.set_groups("bob", ["medewerkers"])

    response = sso_login(client, "bob")

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 403
    assert "niet in een groep die toegang geeft tot Baken" in page.content.decode()
    assert not User.objects.filter(sso_identity="bob").exists()
    assert client.get(WORKSPACE).status_code == 302
    assert ("auth.sso_refused", {"reason": "no_group"}) in actions()


@pytest.mark.django_db
def test_a_changed_group_changes_the_role_at_the_next_login(client, sso):
    sso.set_groups("carol", ["oov-analisten"])
    sso_login(client, "carol")
    client.post(reverse("accounts:logout"))
    sso.set_groups("carol", ["oov-teamleiders", "oov-analisten"])

    sso_login(client, "carol")

    user = User.objects.get(sso_identity="carol")
    assert user.role == Role.TEAM_LEAD
    assert (
        "user.update",
        {"fields": ["role"], "role": "team_lead", "source": "sso"},
    ) in actions(user)


@pytest.mark.django_db
def test_losing_the_group_ends_access_at_the_next_login(
    client, sso, django_user_model, make_user, login
):
    sso.set_groups("carol", ["bestuur"])
    other_device = Client()
    sso_login(other_device, "carol")
    assert other_device.get("/").status_code == 200
    sso.set_groups("carol", None)

    response = sso_login(client, "carol")

    page = client.get(response["Location"])
    assert page.status_code == 403
    assert "toegang geeft tot Baken" in page.content.decode()
    user = django_user_model.objects.get(sso_identity="carol")
    assert not user.is_active
    # The session still open elsewhere ends too.
    assert other_device.get("/").status_code == 302
    # Back in the group: the administrator switches the account on again in Baken first.
    sso.set_groups("carol", ["bestuur"])
    response = sso_login(client, "carol")
    assert "is uitgeschakeld" in client.get(response["Location"]).content.decode()
    assert ("auth.sso_refused", {"reason": "inactive"}) in actions(user)
    admin = login(make_user(Role.ADMIN), test_client=Client())
    detail = reverse("accounts:user_detail", args=[user.pk])
    assert "Rol en team volgen de groepen" in admin.get(detail).content.decode()
    admin.post(detail, {"action": "update", "role": user.role, "is_active": "on"})
    response = sso_login(client, "carol")
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_an_expired_session_asks_to_log_in_again_and_the_provider_brings_you_back(client, sso):
    sso.set_groups("alice", ["oov-analisten"])
    browser = Browser()
    sso_login(client, "alice", browser=browser)
    session = client.session
    session["baken.last_seen"] = time.time() - 31 * 60
    session.save()

    response = client.get(WORKSPACE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert client.get(WORKSPACE).status_code == 302
    # The provider still knows the person: no password asked there (follow_to_baken would
    # fail without a username), straight back into Baken.
    response = client.get(reverse("accounts:sso_start"))
    back = urlsplit(browser.follow_to_baken(response["Location"]))
    client.get(f"{back.path}?{back.query}")
    assert client.get(WORKSPACE).status_code == 200


@pytest.mark.django_db
def test_logout_ends_the_session_at_baken_and_at_the_provider(client, sso):
    sso.set_groups("alice", ["oov-analisten"])
    browser = Browser()
    sso_login(client, "alice", browser=browser)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    end_session = response["Location"]
    assert end_session.startswith(sso.issuer)
    assert "id_token_hint=" in end_session
    assert client.get(WORKSPACE).status_code == 302
    assert browser.follow_to_baken(end_session) == "http://testserver/inloggen"
    # Logged out at the provider too: logging in again asks for the password there.
    response = client.get(reverse("accounts:sso_start"))
    with pytest.raises(AssertionError, match="asked to sign in"):
        browser.follow_to_baken(response["Location"])


@pytest.mark.django_db
def test_with_sso_on_the_password_login_is_for_the_administrator_only(
    client, sso, make_user, login
):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Inloggen met uw gemeente-account" in page
    analyst = make_user(Role.ANALYST)

    response = client.post(
        reverse("accounts:login"), {"username": analyst.username, "password": PASSWORD}
    )

    assert "Log in met uw gemeente-account" in response.content.decode()
    admin = make_user(Role.ADMIN)
    assert login(admin).get(reverse("accounts:users")).status_code == 200


@pytest.mark.django_db
def test_without_sso_the_login_page_is_as_before(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "gemeente-account" not in page
    assert client.get(reverse("accounts:sso_start")).status_code == 404
    assert client.get(reverse("accounts:sso_callback")).status_code == 404


@pytest.mark.django_db
def test_a_provider_that_does_not_answer_gets_a_dutch_page_not_an_error(client, sso, settings):
    settings.OIDC_OP_ISSUER = f"http://127.0.0.1:{idp._free_port()}/o"

    response = client.get(reverse("accounts:sso_start"))

    assert response.status_code == 503
    assert "De inlogdienst van de gemeente antwoordt op dit moment niet" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_an_id_token_from_another_issuer_is_refused(client, sso, settings):
    """Explicit endpoints instead of discovery, and an issuer the tokens do not name."""
    document = requests.get(f"{sso.issuer}/.well-known/openid-configuration", timeout=5).json()
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = document["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = document["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = document["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = document["jwks_uri"]
    settings.OIDC_OP_ISSUER = "https://login.other-municipality.test/o"
    sso.set_groups("alice", ["oov-analisten"])

    response = sso_login(client, "alice")

    assert response["Location"] == reverse("accounts:sso_refused")
    assert "Inloggen met uw gemeente-account is niet gelukt" in (
        client.get(response["Location"]).content.decode()
    )
    assert not User.objects.filter(sso_identity="alice").exists()
    assert ("auth.sso_refused", {"reason": "invalid_token"}) in actions()


def _callback_of(client, username):
    """Log in at the provider up to the point where it sends the browser back to Baken."""
    response = client.get(reverse("accounts:sso_start"))
    back = Browser().follow_to_baken(
        response["Location"], username=username, password=PROVIDER_PASSWORD
    )
    parts = urlsplit(back)
    return f"{parts.path}?{parts.query}"


@pytest.mark.django_db(transaction=True)
def test_two_first_logins_of_the_same_person_at_once_both_get_in(sso):
    """Two tabs: both come back from the provider before Baken knows the person."""
    sso.set_groups("alice", ["oov-analisten"])
    tabs = [Client(), Client()]
    callbacks = [_callback_of(tab, "alice") for tab in tabs]
    start = threading.Barrier(2)
    statuses = []

    def come_back(tab, callback):
        start.wait()
        try:
            statuses.append(tab.get(callback).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=come_back, args=pair) for pair in zip(tabs, callbacks, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    assert User.objects.filter(username="alice").count() == 1
    for tab in tabs:
        assert tab.get(WORKSPACE).status_code == 200


@pytest.mark.django_db
def test_a_first_login_that_finds_the_person_made_meanwhile_logs_them_in(sso):
    """What the later of two simultaneous first logins meets: the user exists by now."""
    claims = {"preferred_username": "alice", "groups": ["oov-analisten"]}
    first = services.user_create(claims)
    second = services.user_create(claims)
    assert second.pk == first.pk and second.role == Role.ANALYST
    assert User.objects.filter(sso_identity="alice").count() == 1
