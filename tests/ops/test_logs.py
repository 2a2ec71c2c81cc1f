"""Structured logs (BAKEN_LOG_FORMAT=json): one JSON object per line, and no personal data in
them, not even for a request that searched a person's name."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from baken.core.logs import JsonFormatter
from baken.core.roles import Role

ROOT = Path(__file__).resolve().parents[2]
NAME = "Pietersen"


@pytest.mark.django_db
def test_a_search_for_a_name_is_logged_without_the_name_or_the_user(
    make_user, verified_client, caplog
):
    user = make_user(Role.ANALYST, username="j.de.vries", email="j.de.vries@gemeente.nl")
    client = verified_client(user)
    caplog.set_level(logging.INFO)
    found = client.get(f"/werkruimte/betrokkenen/zoeken?q={NAME}", HTTP_X_REQUEST_ID="lb-1234abcd")
    assert found.status_code == 200 and found["X-Request-ID"] == "lb-1234abcd"
    # A page that is not there: Django logs a warning of its own.
    missing = client.get(f"/werkruimte/meldingen/999999?q={NAME}")
    assert missing.status_code == 404

    lines = [JsonFormatter().format(record) for record in caplog.records]
    parsed = [json.loads(line) for line in lines]
    assert all("\n" not in line for line in lines)
    for line in lines:
        for personal in (NAME, "j.de.vries", "gemeente.nl"):
            assert personal not in line
    requests = [entry for entry in parsed if entry["logger"] == "baken.request"]
    assert [entry["path"] for entry in requests] == [
        "/werkruimte/betrokkenen/zoeken",
        "/werkruimte/meldingen/999999",
    ]
    first, second = requests
    assert first["request_id"] == "lb-1234abcd" and len(second["request_id"]) == 32
    assert first["status"] == 200 and second["status"] == 404
    assert first["user_id"] == user.pk and first["level"] == "INFO"
    assert first["time"].endswith("+00:00") and first["duration_ms"] >= 0
    assert first["message"] == "GET /werkruimte/betrokkenen/zoeken 200"
    assert any(entry["logger"] == "django.request" for entry in parsed)


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "baken.settings.test", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_setting_switches_the_console_to_json_lines_and_refuses_an_unknown_format():
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('baken.request').info('GET /melden 200', extra={'status': 200}); "
        "logging.getLogger('baken').warning('plain')"
    )
    result = _run(code, BAKEN_LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stderr.splitlines())
    assert first["logger"] == "baken.request" and first["status"] == 200
    assert second == {**second, "level": "WARNING", "message": "plain"}
    text = _run(code)
    assert "INFO baken.request GET /melden 200" in text.stderr
    refused = subprocess.run(
        [sys.executable, "-m", "baken", "check"],
        env={**os.environ, "BAKEN_LOG_FORMAT": "xml"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2
    assert "BAKEN_LOG_FORMAT must be text or json, not 'xml'." in refused.stderr
