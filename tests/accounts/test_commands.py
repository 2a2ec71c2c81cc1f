import io

import pytest
from django.core.management import CommandError, call_command

from baken.accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db


def test_users_add_creates_user_and_team(monkeypatch):
    monkeypatch.setenv("BAKEN_PASSWORD", "een-lang-en-sterk-wachtwoord")
    call_command(
        "users",
        "add",
        "pietje",
        "--role",
        "analyst",
        "--team",
        "OOV Oost",
        "--email",
        "p@example.org",
        stdout=io.StringIO(),
    )
    user = User.objects.get(username="pietje")
    assert user.role == "analyst" and user.team.name == "OOV Oost"
    assert user.check_password("een-lang-en-sterk-wachtwoord")


def test_users_add_refuses_duplicates_and_weak_passwords(monkeypatch, make_user):
    make_user(username="bestaat")
    monkeypatch.setenv("BAKEN_PASSWORD", "een-lang-en-sterk-wachtwoord")
    with pytest.raises(CommandError, match="already exists"):
        call_command("users", "add", "bestaat", "--role", "analyst")
    monkeypatch.setenv("BAKEN_PASSWORD", "kort")
    with pytest.raises(CommandError):
        call_command("users", "add", "nieuw", "--role", "analyst")
    assert not User.objects.filter(username="nieuw").exists()


def test_users_add_names_what_the_model_refuses_instead_of_a_traceback(monkeypatch):
    monkeypatch.setenv("BAKEN_PASSWORD", "een-lang-en-sterk-wachtwoord")
    with pytest.raises(CommandError) as refused:
        call_command("users", "add", "met spatie", "--role", "analyst")
    assert "Voer een geldige gebruikersnaam in" in str(refused.value) or "username" in str(
        refused.value
    )
    assert not User.objects.filter(username="met spatie").exists()


def test_token_prints_only_the_token_and_stores_only_its_hash(make_user):
    user = make_user()
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    raw = out.getvalue().strip()
    assert raw.startswith("bkn_") and "\n" not in raw
    stored = ApiToken.objects.get(user=user)
    assert stored.digest == ApiToken.digest_of(raw) and raw not in stored.digest


def test_totp_is_refused_for_a_real_user(make_user):
    with pytest.raises(CommandError, match="not a demo user"):
        call_command("totp", make_user().username)
