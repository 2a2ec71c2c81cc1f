"""The deployment examples in deploy/ are valid: systemd accepts the units (systemd-analyze
verify, where it is installed), every ExecStart names a command and options Baken or gunicorn
knows, gunicorn accepts its config, and the environment file names only real settings."""

import configparser
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
VENV_BIN = "/opt/baken/venv/bin"
BIN = Path(sys.executable).parent


def read_unit(path: Path) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read(path)
    return unit


def test_there_is_a_unit_for_web_worker_and_scheduler():
    assert [unit.name for unit in UNITS] == [
        "baken-scheduler.service",
        "baken-web.service",
        "baken-worker.service",
    ]


@pytest.mark.parametrize("path", UNITS, ids=lambda path: path.name)
def test_each_unit_runs_a_real_command_as_the_service_user_with_the_environment_file(
    path, settings
):
    # As in production: db_worker refuses a backend that is not the database one.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    unit = read_unit(path)
    assert unit.sections() == ["Unit", "Service", "Install"]
    service = unit["Service"]
    assert service["EnvironmentFile"] == "/etc/baken/baken.env"
    assert service["User"] == "baken" and service["Restart"] in {"always", "on-failure"}
    assert service["ProtectSystem"] == "strict" and service["ReadWritePaths"] == "/var/lib/baken"
    program, *args = shlex.split(service["ExecStart"])
    assert program.startswith(VENV_BIN + "/")
    if program.endswith("/gunicorn"):
        assert args == ["--config", "/etc/baken/gunicorn.conf.py", "baken.wsgi"]
        return
    assert program == f"{VENV_BIN}/baken"
    name, *options = args
    app = get_commands()[name]  # a KeyError names a command Baken does not have
    parser = load_command_class(app, name).create_parser("baken", name)
    parser.parse_args(options)  # exits (SystemExit) on an unknown option


def test_systemd_accepts_the_units(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed here; the parse check above still ran")
    copies = []
    for path in UNITS:
        # systemd checks that ExecStart's program exists: point it at this machine's venv.
        copy = tmp_path / path.name
        copy.write_text(path.read_text().replace(VENV_BIN, str(BIN)))
        copies.append(str(copy))
    result = subprocess.run(
        ["systemd-analyze", "verify", *copies], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr  # no unknown keys or bad values either


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_gunicorn_accepts_its_config(log_format, tmp_path):
    result = subprocess.run(
        [
            str(BIN / "gunicorn"),
            "--check-config",
            "--config",
            str(DEPLOY / "gunicorn.conf.py"),
            "baken.wsgi",
        ],
        env={**os.environ, "BAKEN_LOG_FORMAT": log_format, "BAKEN_VAR_DIR": str(tmp_path)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_the_example_environment_names_only_settings_baken_reads():
    names = re.findall(
        r"^(\w+)=", (DEPLOY / "systemd" / "baken.env.example").read_text(), re.MULTILINE
    )
    sources = [*(ROOT / "src/baken/settings").glob("*.py"), DEPLOY / "gunicorn.conf.py"]
    read = "".join(source.read_text() for source in sources)
    unknown = [
        name for name in names if name != "DJANGO_SETTINGS_MODULE" and f'"{name}"' not in read
    ]
    assert names and unknown == []
