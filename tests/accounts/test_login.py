import time

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from baken.accounts import services
from baken.audit.models import AuditEntry
from tests.factories import PASSWORD, current_code

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:verify")
HOME = reverse("core:home")


def test_password_alone_does_not_open_the_workspace(client, make_user):
    user = make_user()
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.url == VERIFY
    assert client.get(HOME).status_code == 302  # still sent to the login page


def test_password_and_code_log_in_and_are_audited(client, make_user):
    user = make_user()
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    response = client.post(VERIFY, {"code": current_code(user)})
    assert response.url == HOME
    assert "Welkom" in client.get(HOME).content.decode()
    assert AuditEntry.objects.filter(action="auth.login", actor_id=user.pk).exists()


def test_next_parameter_is_honoured_but_only_on_this_site(client, make_user):
    user = make_user()
    client.post(f"{LOGIN}?next=/account", {"username": user.username, "password": PASSWORD})
    assert client.post(VERIFY, {"code": current_code(user)}).url == "/account"
    client.logout()
    other = make_user()
    client.post(
        LOGIN + "?next=https://evil.example/", {"username": other.username, "password": PASSWORD}
    )
    assert client.post(VERIFY, {"code": current_code(other)}).url == HOME


def test_wrong_password_gets_a_dutch_message_and_keeps_the_username(client, make_user):
    user = make_user()
    response = client.post(LOGIN, {"username": user.username, "password": "wrong"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "horen niet bij elkaar" in body
    assert f'value="{user.username}"' in body


def test_empty_login_form_names_the_missing_fields(client, db):
    body = client.post(LOGIN, {}).content.decode()
    assert "Gebruikersnaam" in body and "Dit veld is verplicht" in body


def test_wrong_code_is_refused_with_a_clear_message(client, make_user):
    user = make_user()
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    response = client.post(
        VERIFY, {"code": "000000" if current_code(user) != "000000" else "111111"}
    )
    assert response.status_code == 200
    assert "niet juist" in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_repeated_wrong_codes_are_throttled(client, make_user):
    user = make_user()
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    client.post(VERIFY, {"code": "12345x"})
    client.post(VERIFY, {"code": "000001"})
    response = client.post(VERIFY, {"code": current_code(user)})
    # django-otp's throttle refuses even the right code until the wait is over.
    assert "Wacht" in response.content.decode()


def test_lockout_after_repeated_password_failures(client, make_user, settings):
    user = make_user()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": user.username, "password": "wrong"})
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "tijdelijk geblokkeerd" in response.content.decode()


def test_recovery_code_logs_in_once(client, make_user):
    user = make_user()
    codes = services.recovery_codes_generate(user=user)
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    response = client.post(VERIFY, {"code": codes[0]}, follow=True)
    assert "herstelcode gebruikt" in response.content.decode()
    assert StaticToken.objects.filter(device__user=user).count() == len(codes) - 1
    client.post(reverse("accounts:logout"))
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 200  # refused the second time


def test_first_login_enrols_an_authenticator_and_shows_recovery_codes(client, make_user):
    user = make_user(with_totp=False)
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    assert response.url == reverse("accounts:enrol")
    page = client.get(response.url).content.decode()
    assert "data:image/svg+xml" in page  # the QR code, as an image the CSP allows
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    from django_otp.oath import totp

    code = f"{totp(device.bin_key):06d}"
    response = client.post(reverse("accounts:enrol"), {"code": code})
    assert response.url == reverse("accounts:recovery_codes")
    codes_page = client.get(response.url).content.decode()
    assert codes_page.count("<code>") == services.RECOVERY_CODE_COUNT
    # Shown once: asking again goes back to the account page.
    assert client.get(reverse("accounts:recovery_codes")).status_code == 302
    assert TOTPDevice.objects.get(user=user).confirmed


def test_enrolment_refuses_a_wrong_code(client, make_user):
    user = make_user(with_totp=False)
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    response = client.post(reverse("accounts:enrol"), {"code": "abc"})
    assert "zes cijfers" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_the_half_way_state_expires(client, make_user, monkeypatch):
    user = make_user()
    client.post(LOGIN, {"username": user.username, "password": PASSWORD})
    later = time.time() + 600
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post(VERIFY, {"code": current_code(user)}, follow=True)
    assert "duurde te lang" in response.content.decode()


def test_idle_session_expires_with_a_message(client, make_user, login, monkeypatch, settings):
    user = make_user()
    login(user)
    assert client.get(HOME).status_code == 200
    later = time.time() + settings.SESSION_IDLE_SECONDS + 5
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.get(HOME, follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "sessie is verlopen" in response.content.decode()


def test_a_user_at_work_stays_logged_in_past_the_idle_period(
    client, make_user, login, monkeypatch, settings
):
    user = make_user()
    login(user)
    start = time.time()
    # A page every ten minutes, for three times the idle period: the session lives on.
    for minutes in range(10, 3 * settings.SESSION_IDLE_SECONDS // 60, 10):
        monkeypatch.setattr(time, "time", lambda minutes=minutes: start + minutes * 60)
        assert client.get(HOME).status_code == 200


def test_pages_within_a_minute_do_not_write_the_session(client, make_user, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = make_user()
    login(user)
    client.get(HOME)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_logout_everywhere_ends_other_sessions(client, make_user, login, django_user_model):
    from django.test import Client

    user = make_user()
    other_device = Client()
    other_device.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    login(user)
    client.post(reverse("accounts:logout_everywhere"))
    assert client.get(HOME).status_code == 302
    assert other_device.get(HOME).status_code == 302


def test_a_session_without_second_factor_is_not_accepted(client, make_user):
    user = make_user()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(HOME).status_code == 302


def test_passwords_are_hashed_with_argon2(make_user):
    assert make_user().password.startswith("argon2")
