"""`make run` on a developer's machine: with debug on and no mail server named, mail is
written to files under var/mail/ instead of a traceback for the missing server; production
settings still use SMTP."""

import os
import subprocess
import sys
from pathlib import Path

BAKEN = [sys.executable, "-m", "baken"]


def _env(tmp_path: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BAKEN_", "DJANGO_"))}
    env.update(
        BAKEN_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        BAKEN_SECRET_KEY="x" * 60,
    )
    env.update(extra)
    return env


def _backend(tmp_path: Path, **extra) -> str:
    result = subprocess.run(
        [*BAKEN, "shell", "-c", "from django.conf import settings; print(settings.EMAIL_BACKEND)"],
        env=_env(tmp_path, **extra),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].rsplit(".", 2)[-2]


def test_the_mail_backend_follows_debug_and_the_mail_host(tmp_path):
    assert _backend(tmp_path, BAKEN_DEBUG="on") == "filebased"
    assert _backend(tmp_path, BAKEN_DEBUG="on", BAKEN_EMAIL_HOST="mail.example") == "smtp"
    assert _backend(tmp_path, BAKEN_DEBUG="on", BAKEN_EMAIL_BACKEND="console") == "console"
    # Production (debug off; the data key the development runs above made): SMTP as ever.
    assert (tmp_path / "data.key").exists() and _backend(tmp_path) == "smtp"


def test_a_named_report_in_development_writes_its_mail_to_var_mail(tmp_path):
    env = _env(tmp_path, BAKEN_DEBUG="on")
    migrated = subprocess.run(
        [*BAKEN, "migrate", "--noinput", "--verbosity", "0"], env=env, capture_output=True
    )
    assert migrated.returncode == 0, migrated.stderr
    send = """
from django.test import Client
response = Client(HTTP_HOST="localhost").post("/melden", {
    "category": "drugs",
    "description": "Hennepgeur bij de schuur achter nummer 3, al weken.",
    "identity": "named",
    "reporter_name": "Sanne de Vries",
    "reporter_email": "sanne@example.org",
    "reporter_may_contact": "on",
})
print(response.status_code)
"""
    result = subprocess.run([*BAKEN, "shell", "-c", send], env=env, capture_output=True, text=True)
    assert result.stdout.strip().endswith("201"), result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "Connection refused" not in result.stderr
    # The tasks worker sends it (`make run` starts one beside the server).
    worker = subprocess.run(
        [*BAKEN, "db_worker", "--batch", "--no-startup-delay", "--verbosity", "0"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert worker.returncode == 0, worker.stderr
    assert "Traceback" not in worker.stderr and "Connection refused" not in worker.stderr
    [mail] = list((tmp_path / "mail").iterdir())
    assert "sanne@example.org" in mail.read_text()
