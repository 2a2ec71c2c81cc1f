import pytest
from django.conf import settings
from playwright.sync_api import expect

from baken.core.roles import Role
from tests.factories import PASSWORD, current_code

pytestmark = pytest.mark.django_db(transaction=True)


def _log_in(page, user):
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Code:", exact=True).fill(current_code(user))
    page.get_by_role("button", name="Inloggen").click()


def test_login_with_second_factor_and_no_accessibility_violations(
    page, make_user, axe_violations, screenshot
):
    user = make_user(role=Role.ANALYST, first_name="Fatima")
    page.goto("/")
    assert page.url.split("?")[0].endswith("/inloggen") and "next=" in page.url
    assert axe_violations(page) == []
    screenshot(page, "login")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    assert axe_violations(page) == []
    screenshot(page, "login-code")
    page.get_by_label("Code:", exact=True).fill(current_code(user))
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Welkom, Fatima").wait_for()
    assert axe_violations(page) == []
    screenshot(page, "home")


def test_wrong_password_then_lockout(page, make_user, screenshot):
    user = make_user()
    page.goto("/inloggen")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Gebruikersnaam").fill(user.username)
        page.get_by_label("Wachtwoord").fill("niet-het-wachtwoord")
        with page.expect_navigation():
            page.get_by_role("button", name="Volgende").click()
        if attempt == 0:
            alert = page.get_by_role("alert").filter(has_text="horen niet bij elkaar")
            expect(alert).to_be_visible()
            # What the user typed is still there.
            assert page.get_by_label("Gebruikersnaam").input_value() == user.username
    page.get_by_role("heading", name="tijdelijk geblokkeerd").wait_for()
    screenshot(page, "locked-out")


def test_role_based_navigation(page, make_user, browser, live_server):
    officer = make_user(role=Role.PRIVACY_OFFICER, first_name="Priya")
    _log_in(page, officer)
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    nav.get_by_role("link", name="Auditlog").click()
    page.get_by_role("heading", name="Auditlog").wait_for()
    assert nav.get_by_role("link", name="Gebruikers").count() == 0

    context = browser.new_context(base_url=live_server.url)
    analyst_page = context.new_page()
    _log_in(analyst_page, make_user(role=Role.ANALYST))
    analyst_nav = analyst_page.get_by_role("navigation", name="Hoofdmenu")
    assert analyst_nav.get_by_role("link", name="Auditlog").count() == 0
    assert analyst_page.goto("/auditlog").status == 403
    context.close()


def test_language_switch(page, make_user, axe_violations):
    _log_in(page, make_user(first_name="Sam"))
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Welcome, Sam").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert axe_violations(page) == []
    page.get_by_role("button", name="Nederlands").click()
    page.get_by_role("heading", name="Welkom, Sam").wait_for()


def test_audit_log_page_filters_without_reload(page, make_user, axe_violations, screenshot):
    officer = make_user(role=Role.PRIVACY_OFFICER)
    _log_in(page, officer)
    page.goto("/auditlog")
    page.get_by_label("Actie").select_option(label="Ingelogd")
    page.get_by_role("button", name="Zoeken").click()
    page.wait_for_url("**action=auth.login**")
    rows = page.locator("#results tbody tr")
    assert rows.count() >= 1
    assert all("Ingelogd" in rows.nth(i).inner_text() for i in range(rows.count()))
    assert axe_violations(page) == []
    # The README's screenshot of the log is made by tests/browser/test_audit_log.py.


def test_first_login_enrolment_page_is_accessible(page, make_user, axe_violations, screenshot):
    user = make_user(with_totp=False)
    page.goto("/inloggen")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Volgende").click()
    page.get_by_role("img", name="QR-code").wait_for()
    assert axe_violations(page) == []
    screenshot(page, "enrol")
