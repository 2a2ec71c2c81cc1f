"""Production settings pass Django's deploy checks; a missing data key stops start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

BAKEN = [sys.executable, "-m", "baken"]


def _production_env(tmp_path: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BAKEN_", "DJANGO_"))}
    key = tmp_path / "data.key"
    if not key.exists():
        subprocess.run(
            [*BAKEN, "create-data-key", str(key)], env=env, check=True, capture_output=True
        )
    env.update(
        BAKEN_VAR_DIR=str(tmp_path),
        BAKEN_SECRET_KEY="x" * 20 + "production-secret-key-with-enough-entropy-0123456789",
        BAKEN_DATA_KEY_FILE=str(key),
        BAKEN_ALLOWED_HOSTS="baken.gemeente.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    env.update(extra)
    return env


def test_production_settings_pass_check_deploy(tmp_path):
    result = subprocess.run(
        [*BAKEN, "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_fails_check_deploy(tmp_path):
    env = _production_env(tmp_path)
    del env["BAKEN_SECRET_KEY"]
    result = subprocess.run([*BAKEN, "check", "--deploy"], env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "BAKEN_SECRET_KEY" in result.stderr


def test_missing_data_key_stops_start_up_with_a_clear_message(tmp_path):
    env = _production_env(tmp_path, BAKEN_DATA_KEY_FILE=str(tmp_path / "absent.key"))
    result = subprocess.run([*BAKEN, "check"], env=env, capture_output=True, text=True)
    assert result.returncode == 2
    assert "absent.key does not exist" in result.stderr and "Traceback" not in result.stderr


def test_data_key_is_never_overwritten(tmp_path):
    env = _production_env(tmp_path)
    result = subprocess.run(
        [*BAKEN, "create-data-key", str(tmp_path / "data.key")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "never overwritten" in result.stderr


def test_bad_switch_value_is_named(tmp_path):
    env = _production_env(tmp_path, BAKEN_DEBUG="maybe")
    result = subprocess.run([*BAKEN, "check"], env=env, capture_output=True, text=True)
    assert result.returncode == 2 and "BAKEN_DEBUG must be 'on' or 'off'" in result.stderr


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    # Nothing of a page's address leaves the site (a tile server, a link); within the site the
    # browser still sends the Origin that Django's CSRF check needs (no-referrer sends "null").
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_production_cookies_are_secure(tmp_path):
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    env = _production_env(tmp_path, DJANGO_SETTINGS_MODULE="baken.settings")
    result = subprocess.run(
        [*BAKEN, "shell", "--no-imports", "-c", code], env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["True", "True", "True", "False"], result.stderr
