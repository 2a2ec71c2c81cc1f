"""The upgrade drill: the previous release installed from git, filled with demo data and a report
made through its API, then upgraded in place to this code and migrated, without loss.

The previous release is `PREVIOUS` (tagged v0.1.0; see CHANGELOG.md). Both releases run in their
own processes with the same interpreter, var folder, data key and database: a fresh PostgreSQL
database made and dropped here when the suite runs on PostgreSQL (DATABASE_URL), otherwise a
fresh SQLite file. Needs the git history (CI clones main with it).
"""

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.databases import second_database

PREVIOUS = "eeab89c"
REPO = Path(__file__).resolve().parents[2]
CURRENT_SRC = REPO / "src"

NAMED = {
    "category": "drugs",
    "description": "Bestelbusjes laden 's nachts dozen uit bij de loods aan de Havenweg.",
    "location": {"address": {"postcode": "1234 ab", "house_number": 12}},
    "reporter": {
        "anonymous": False,
        "name": "Piet Upgrade",
        "email": "piet@gemeente.example",
        "phone": "06 12345678",
    },
}

# Run through the old code's own API, as a reporter's browser or an intake system would.
REPORT_THROUGH_API = f"""
import json
from django.test import Client
response = Client(HTTP_HOST="localhost").post(
    "/api/v1/reports", data=json.dumps({NAMED!r}), content_type="application/json"
)
assert response.status_code == 201, (response.status_code, response.content)
print(json.dumps(response.json()))
"""

# Run in both releases: the row count of every table the release has, and every report as a
# person would read it (the reporter's contact decrypted with the data key).
SNAPSHOT = """
import json
from django.apps import apps
try:
    from baken.reports.reporter import reporter_contact
except ImportError:  # before issue 14 moved the contact details to reports
    from baken.intake.services import reporter_contact
from baken.reports.models import Report
counts = {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.managed}
reports = [
    {
        "pk": r.pk,
        "reference": r.reference,
        "description": r.description,
        "status": r.status,
        "category": r.category.code if r.category else None,
        "received_at": r.received_at.isoformat(),
        "contact": reporter_contact(r),
    }
    for r in Report.objects.select_related("category").order_by("pk")
]
print(json.dumps({"counts": counts, "reports": reports}))
"""

# Run in the upgraded release: the intake officer reads the API-made report over the current API.
READ_OVER_API = """
import io, json
from django.core.management import call_command
from django.test import Client
out = io.StringIO()
call_command("token", "intake", stdout=out)
response = Client(HTTP_HOST="localhost").get(
    "/api/v1/reports/PK", HTTP_AUTHORIZATION="Token " + out.getvalue().strip()
)
print(json.dumps({"status": response.status_code, "body": response.json()}))
"""


@pytest.fixture
def previous_release(tmp_path) -> Path:
    """The previous release's source tree, exported from git."""
    found = subprocess.run(
        ["git", "-C", str(REPO), "cat-file", "-e", f"{PREVIOUS}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    if found.returncode != 0:
        pytest.fail(
            f"The upgrade test needs commit {PREVIOUS} (release v0.1.0) in the git history of "
            f"{REPO}; clone with history (not --depth 1) to run it."
        )
    archive = tmp_path / "previous.tar"
    subprocess.run(["git", "-C", str(REPO), "archive", "-o", str(archive), PREVIOUS], check=True)
    tree = tmp_path / "previous"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return tree


@pytest.fixture
def database_url(tmp_path):
    """A fresh, empty database for the installation being upgraded."""
    with second_database(suffix="upgrade", sqlite_file=tmp_path / "upgraded.sqlite3") as url:
        yield url


def run_baken(src: Path, *args: str, var: Path, database_url: str) -> str:
    """`python -m baken ...` from the source tree `src`, as one installation (var, key, db)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BAKEN_", "DATABASE_URL"))},
        "PYTHONPATH": str(src),
        "DJANGO_SETTINGS_MODULE": "baken.settings",
        "BAKEN_DEBUG": "on",
        "BAKEN_VAR_DIR": str(var),
        "BAKEN_DATA_KEY_FILE": str(var.parent / "keys" / "data.key"),
        "BAKEN_RATELIMIT_ENABLE": "off",
        "DATABASE_URL": database_url,
    }
    done = subprocess.run(
        [sys.executable, "-m", "baken", *args],
        cwd=var.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"baken {' '.join(args[:2])} from {src}:\n{done.stderr[-3000:]}"
    return done.stdout


def last_json(stdout: str):
    """The JSON line a `shell -c` script printed (after Django's own banner)."""
    return json.loads(stdout.strip().splitlines()[-1])


def test_the_previous_release_upgrades_in_place_without_losing_anything(
    previous_release, database_url, tmp_path
):
    old_src = previous_release / "src"
    var = tmp_path / "var"
    var.mkdir()
    (tmp_path / "keys").mkdir()
    install = {"var": var, "database_url": database_url}
    # The previous release, installed as its README says, with a report made through its API.
    run_baken(old_src, "create-data-key", str(tmp_path / "keys" / "data.key"), **install)
    run_baken(old_src, "migrate", "--noinput", **install)
    run_baken(old_src, "demo-setup", **install)
    made = last_json(run_baken(old_src, "shell", "-c", REPORT_THROUGH_API, **install))
    before = last_json(run_baken(old_src, "shell", "-c", SNAPSHOT, **install))

    # The upgrade: the same installation, this code, `baken migrate`.
    run_baken(CURRENT_SRC, "migrate", "--noinput", **install)
    after = last_json(run_baken(CURRENT_SRC, "shell", "-c", SNAPSHOT, **install))

    # Models that moved to another app keep their table, and so their rows (issue 14).
    moved = {
        "subjects.Area": "places.Area",
        "subjects.RegisteredAddress": "places.RegisteredAddress",
        **{
            f"intake.{name}": f"reports.{name}"
            for name in (
                "Category",
                "Indicator",
                "Question",
                "Receipt",
                "ReporterContact",
                "Attachment",
                "Message",
            )
        },
    }
    filled = ("reports.Report", "intake.Receipt", "intake.ReporterContact", "audit.AuditEntry")
    for label in (*filled, "subjects.Area", "subjects.RegisteredAddress", "intake.Category"):
        assert before["counts"][label] > 0, label
    # Django's own bookkeeping grows by the new models' content types and permissions.
    grown = {"auth.Permission", "contenttypes.ContentType"}
    changed = {
        label: (count, after["counts"].get(moved.get(label, label)))
        for label, count in before["counts"].items()
        if after["counts"].get(moved.get(label, label)) != count and label not in grown
    }
    assert changed == {}, "tables whose rows changed in the upgrade (before, after)"
    assert all(after["counts"][label] >= before["counts"][label] for label in grown)
    assert after["reports"] == before["reports"]
    named = next(r for r in after["reports"] if r["reference"] == made["reference"])
    assert named["contact"]["name"] == "Piet Upgrade"
    assert named["description"] == NAMED["description"]

    # The chain of the previous release's audit entries still verifies under this code.
    run_baken(CURRENT_SRC, "audit", "verify", **install)
    # And the upgraded site serves the report made before the upgrade.
    read = READ_OVER_API.replace("PK", str(named["pk"]))
    served = last_json(run_baken(CURRENT_SRC, "shell", "-c", read, **install))
    assert served["status"] == 200, served
    assert served["body"]["reference"] == made["reference"]
    assert served["body"]["description"] == NAMED["description"]
