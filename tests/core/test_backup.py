"""The backup and restore drill: a populated Baken backed up, restored as another installation
(its own database, var folder and process) and shown to be the same, with its data key.

Runs on the suite's database: SQLite (restored into another file) or PostgreSQL with
DATABASE_URL (restored into a second database made and dropped here, with pg_restore).
"""

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from baken.audit.verification import verify_chain
from baken.core.roles import Role
from baken.exports import storage
from baken.exports.models import Export
from baken.reports import attachments
from baken.reports.models import Attachment, Report
from baken.reports.reporter import reporter_contact
from tests.cases.test_cases import open_case
from tests.databases import second_database
from tests.intake.test_attachments import jpeg_with_gps, upload

pytestmark = pytest.mark.django_db(transaction=True)

NAMED = {
    "category": "drugs",
    "description": "Sterke hennepgeur bij de loods achter de garage, ramen afgeplakt.",
    "location": {"address": {"postcode": "1234 ab", "house_number": 12}},
    "reporter": {
        "anonymous": False,
        "name": "Ilse Handhaving",
        "email": "ilse@gemeente.example",
        "phone": "06 12345678",
    },
}

# Run in the restored installation: what a person there would see of the reports.
READ_BACK = """
import hashlib, json
from baken.reports import attachments
from baken.reports.models import Attachment
from baken.reports.reporter import reporter_contact
from baken.reports.models import Report
from baken.exports import storage
from baken.exports.models import Export
named = Report.objects.get(reference=REFERENCE)
print(json.dumps({
    "references": sorted(Report.objects.values_list("reference", flat=True)),
    "description": named.description,
    "contact": reporter_contact(named),
    "attachments": sorted(
        hashlib.sha256(attachments.read(a.id)).hexdigest() for a in Attachment.objects.all()
    ),
    "exports": [
        hashlib.sha256(b"".join(storage.read_segments(e.pk))).hexdigest()
        for e in Export.objects.all()
    ],
}))
"""


@pytest.fixture
def installation(tmp_path, settings):
    """This test's own file folders (not the suite's shared var/), the data key kept apart."""
    settings.ATTACHMENT_DIR = tmp_path / "var" / "attachments"
    settings.EXPORT_DIR = tmp_path / "var" / "exports"
    settings.SUGGESTION_MODEL_FILE = tmp_path / "var" / "models" / "category-suggester.joblib"
    key = tmp_path / "keys" / "data.key"
    key.parent.mkdir()
    shutil.copy(settings.DATA_KEY_FILE, key)
    return key


@pytest.fixture
def elsewhere(tmp_path):
    """An empty second installation: a database of its own and a var folder of its own."""
    var = tmp_path / "elsewhere"
    var.mkdir()
    with second_database(suffix="restored", sqlite_file=var / "baken.sqlite3") as url:
        yield var, url


def baken(*args, var: Path, database_url: str, key: Path) -> subprocess.CompletedProcess:
    """`baken ...` as the other installation runs it: production settings, its own env."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("BAKEN_", "DATABASE_URL"))},
        "DJANGO_SETTINGS_MODULE": "baken.settings",
        "BAKEN_DEBUG": "off",
        "BAKEN_VAR_DIR": str(var),
        "BAKEN_DATA_KEY_FILE": str(key),
        "BAKEN_SECRET_KEY": "restored-installation-" + "x" * 40,
        "DATABASE_URL": database_url,
    }
    return subprocess.run(
        [sys.executable, "-m", "baken", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def plain_in(folder: Path, needles: list[str]) -> dict[str, list[str]]:
    """Which needles each file under `folder` holds as plain text: its bytes, and for a
    PostgreSQL dump (pg_dump compresses table data) the SQL `pg_restore` makes of it."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        content = path.read_bytes()
        if path.name == "database.dump":
            content += subprocess.run(
                ["pg_restore", "--file=-", str(path)], capture_output=True, check=True
            ).stdout
        if hits := [n for n in needles if n.encode() in content]:
            found[str(path.relative_to(folder))] = hits
    return found


def restored_after_the_run(last_month: Path, *, tmp_path: Path, elsewhere, key: Path):
    """Back up today, keep only today's key store apart (as the operator does), and restore
    last month's backup with it into the empty installation `elsewhere`."""
    today = tmp_path / "backup-today"
    call_command("backup", str(today), stdout=io.StringIO())
    key_store = tmp_path / "keys" / "key-store.json"
    (today / "key-store.json").rename(key_store)
    var, database_url = elsewhere
    restored = baken(
        "restore",
        str(last_month),
        "--key-store",
        str(key_store),
        var=var,
        database_url=database_url,
        key=key,
    )
    assert restored.returncode == 0, restored.stderr
    return restored, key_store


def populate(client, make_user, north) -> Report:
    """Reports through the public API (one named, with a photo), a case, audited reads."""
    attachment_id = upload(client, jpeg_with_gps()).json()["id"]
    response = client.post(
        "/api/v1/reports",
        dict(NAMED, attachments=[attachment_id]),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    client.post(
        "/api/v1/reports",
        {"description": "Veel verkeer 's nachts bij de loods.", "reporter": {"anonymous": True}},
        content_type="application/json",
    )
    analyst = make_user(role=Role.ANALYST, team=north)
    open_case(north, analyst, title="Loods Havenweg")
    out = io.StringIO()
    call_command("token", analyst.username, stdout=out)
    token = {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}
    client.get("/api/v1/reports", **token)
    exported = client.post(
        "/api/v1/exports",
        {"kind": "reports", "format": "csv", "filters": {}},
        content_type="application/json",
        **token,
    )
    assert exported.status_code == 202, exported.content
    return Report.objects.get(pk=response.json()["id"])


def test_a_backup_restores_as_another_installation_with_the_same_reports_files_and_audit_chain(
    client, make_user, north, installation, elsewhere, tmp_path
):
    named = populate(client, make_user, north)
    backup = tmp_path / "backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["engine"] == connection.vendor
    assert sorted({f["path"].split("/")[1] for f in manifest["files"]}) == [
        "attachments",
        "exports",
    ]
    key_text = installation.read_text().strip()
    assert all(
        key_text not in p.read_text(errors="ignore") for p in backup.rglob("*") if p.is_file()
    )

    var, database_url = elsewhere
    restored = baken("restore", str(backup), var=var, database_url=database_url, key=installation)
    assert restored.returncode == 0, restored.stderr
    assert "reporter's contact details decrypted" in restored.stdout

    script = READ_BACK.replace("REFERENCE", repr(named.reference))
    read = baken("shell", "-c", script, var=var, database_url=database_url, key=installation)
    assert read.returncode == 0, read.stderr
    there = json.loads(read.stdout.strip().splitlines()[-1])
    assert there["references"] == sorted(Report.objects.values_list("reference", flat=True))
    assert len(there["references"]) == 3
    assert there["description"] == named.description
    assert there["contact"] == reporter_contact(named)
    assert there["contact"]["name"] == "Ilse Handhaving"
    photo = attachments.read(Attachment.objects.get(report=named).id)
    assert there["attachments"] == [hashlib.sha256(photo).hexdigest()]
    [export] = Export.objects.all()
    assert there["exports"] == [
        hashlib.sha256(b"".join(storage.read_segments(export.pk))).hexdigest()
    ]

    verified = baken("audit", "verify", var=var, database_url=database_url, key=installation)
    assert verified.returncode == 0, verified.stderr
    entries = verify_chain().checked
    assert entries > 3 and f"{entries} entries verified" in verified.stdout

    again = baken("restore", str(backup), var=var, database_url=database_url, key=installation)
    assert again.returncode == 1 and "The database is not empty" in again.stderr


def test_a_restore_with_another_data_key_is_refused_and_leaves_the_target_empty(
    client, make_user, north, installation, elsewhere, tmp_path
):
    populate(client, make_user, north)
    backup = tmp_path / "backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    var, database_url = elsewhere
    wrong = tmp_path / "keys" / "other.key"
    subprocess.run([sys.executable, "-m", "baken", "create-data-key", str(wrong)], check=True)

    refused = baken("restore", str(backup), var=var, database_url=database_url, key=wrong)
    assert refused.returncode == 1
    assert "is not the key this backup was made with" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (var / "attachments").exists()

    # The target was left as it was: the right key restores into it afterwards (here from the
    # backup packed as a tar file, as the docs suggest for keeping it as one file).
    packed = tmp_path / "baken-backup.tar.gz"
    with tarfile.open(packed, "w:gz") as archive:
        archive.add(backup, arcname="baken-2026-12-06")
    right = baken("restore", str(packed), var=var, database_url=database_url, key=installation)
    assert right.returncode == 0, right.stderr
    assert "reporter's contact details decrypted" in right.stdout


def test_a_damaged_backup_is_refused_before_anything_is_restored(
    client, make_user, north, installation, elsewhere, tmp_path
):
    populate(client, make_user, north)
    backup = tmp_path / "backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    [photo] = (backup / "files" / "attachments").iterdir()
    damaged = bytearray(photo.read_bytes())
    damaged[20] ^= 0xFF
    photo.write_bytes(bytes(damaged))
    var, database_url = elsewhere

    refused = baken("restore", str(backup), var=var, database_url=database_url, key=installation)
    assert refused.returncode == 1
    assert f"files/attachments/{photo.name} (SHA-256 does not match" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (var / "attachments").exists()


def test_a_sealed_backup_is_refused_with_an_older_key_store_and_by_a_newer_baken(
    client, make_user, north, installation, elsewhere, tmp_path
):
    """Its rows are read with the models of the Baken that made it, and only the owners whose
    key the key store holds come back: an older key store would leave out as destroyed what
    was made in between (ADR 0032). Both are refused before anything is written."""
    populate(client, make_user, north)
    earlier = tmp_path / "earlier"
    call_command("backup", str(earlier), stdout=io.StringIO())
    older_store = json.loads((earlier / "key-store.json").read_text())
    older_store["created_at"] = "2026-01-01T00:00:00+00:00"  # as a backup's of January
    older = tmp_path / "older-key-store.json"
    older.write_text(json.dumps(older_store))
    backup = tmp_path / "backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    var, database_url = elsewhere

    refused = baken(
        "restore",
        str(backup),
        "--key-store",
        str(older),
        var=var,
        database_url=database_url,
        key=installation,
    )
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "before this backup" in refused.stderr and "Nothing was restored" in refused.stderr

    manifest = json.loads((backup / "manifest.json").read_text())
    dropped = manifest["migrations"].pop()
    (backup / "manifest.json").write_text(json.dumps(manifest))
    refused = baken("restore", str(backup), var=var, database_url=database_url, key=installation)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "made by an older Baken" in refused.stderr and dropped in refused.stderr

    restored = baken("restore", str(earlier), var=var, database_url=database_url, key=installation)
    assert restored.returncode == 0, restored.stderr  # the target stayed empty


def test_a_backup_is_never_written_over_an_existing_folder(installation, tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "old.txt").write_text("vorige week")
    with pytest.raises(CommandError, match="is not an empty folder"):
        call_command("backup", str(tmp_path / "backup"))


def test_a_folder_without_a_manifest_is_not_taken_for_a_backup(tmp_path):
    (tmp_path / "database.sqlite3").write_bytes(b"SQLite format 3\x00")
    with pytest.raises(CommandError, match="holds no manifest.json: this is not a Baken backup"):
        call_command("restore", str(tmp_path))
