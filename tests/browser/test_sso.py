"""Logging in through the municipality's identity provider in a real browser: Baken's login
page, the provider's own sign-in page (a real OpenID Connect provider in its own process,
tests/oidc_provider), back into Baken; logging out at both; a refused person."""

import copy

import pytest
from playwright.sync_api import expect

from baken.core.roles import Role
from baken.settings.oidc import origins
from tests.oidc_provider import fixture as idp

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def provider(live_server, settings, tmp_path):
    started = idp.start(tmp_path, baken=live_server.url)
    settings.OIDC_ENABLED = True
    settings.OIDC_OP_ISSUER = started.issuer
    settings.OIDC_RP_CLIENT_ID = idp.CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = idp.CLIENT_SECRET
    settings.OIDC_ROLE_MAP = {"oov-analisten": (Role.ANALYST, "OOV Havenwaard")}
    # As the settings module does when SSO is configured: logging out posts a form that
    # redirects to the provider, which the browser allows only with the provider's origin.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] += origins(
        {"OIDC_ENABLED": True, "OIDC_OP_ISSUER": started.issuer, "OIDC_OP_END_SESSION_ENDPOINT": ""}
    )
    settings.CONTENT_SECURITY_POLICY = policy
    yield started
    started.process.terminate()
    started.process.wait(timeout=10)


def _sign_in_at_provider(page, username):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(idp.PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_login_and_logout_through_the_identity_provider(
    page, provider, live_server, axe_violations, screenshot
):
    provider.set_groups("alice", ["oov-analisten"])
    page.goto("/")
    sso_button = page.get_by_role("link", name="Inloggen met uw gemeente-account")
    expect(sso_button).to_be_visible()
    # The break-glass password field does not take the focus from the municipality account.
    expect(page.get_by_label("Gebruikersnaam")).not_to_be_focused()
    assert axe_violations(page) == []
    screenshot(page, "sso-login")

    sso_button.click()
    page.get_by_role("heading", name="Test identity provider").wait_for()
    _sign_in_at_provider(page, "alice")

    expect(page.get_by_text("alice · Analist")).to_be_visible()
    assert page.url.startswith(live_server.url)

    page.get_by_role("button", name="Uitloggen").click()
    expect(page.get_by_text("U bent uitgelogd.")).to_be_visible()
    assert page.url == f"{live_server.url}/inloggen"
    # The provider's session ended too: it asks for the password again.
    page.get_by_role("link", name="Inloggen met uw gemeente-account").click()
    page.get_by_role("heading", name="Test identity provider").wait_for()


def test_a_person_without_access_sees_why(page, provider, axe_violations, screenshot):
    provider.set_groups("bob", ["medewerkers"])
    page.goto("/inloggen")
    page.get_by_role("link", name="Inloggen met uw gemeente-account").click()
    _sign_in_at_provider(page, "bob")

    expect(page.get_by_role("heading", name="Geen toegang tot Baken")).to_be_visible()
    expect(page.get_by_text("niet in een groep die toegang geeft tot Baken")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "sso-refused")
