"""Crypto-shredding (issue 15, ADR 0031): each report's contact details, messages and
attachments are encrypted under a key of the report's own. Destroying the report deletes its
key, and `baken backup` keeps the key store out of the database it saves, so a backup taken
before the destruction, restored afterwards with today's key store, cannot read the destroyed
report's contact details or photo — while the other reports still read."""

import base64
import hashlib
import io
import json
import sqlite3
import subprocess
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from baken.core.roles import Role
from baken.privacy import retention
from baken.reports import attachments
from baken.reports.keys import ReportKeyGone
from baken.reports.models import Attachment, Criterion, Message, Report, ReportKey
from baken.reports.reporter import reporter_contact
from tests.api.test_triage_api import auth
from tests.core.test_backup import (  # noqa: F401 (fixtures)
    baken,
    elsewhere,
    installation,
    plain_in,
    restored_after_the_run,
)
from tests.intake.test_attachments import jpeg_with_gps, upload

DESTROYED_NAME = "Gerda Verdwijnt"
KEPT_NAME = "Karel Blijft"


def _filed(client, name: str, description: str, **more) -> Report:
    photo = upload(client, jpeg_with_gps()).json()["id"]
    filed = client.post(
        "/api/v1/reports",
        {
            "category": "drugs",
            "description": description,
            "attachments": [photo],
            "reporter": {"anonymous": False, "name": name, "email": "melder@example.nl"},
            **more,
        },
        content_type="application/json",
    )
    assert filed.status_code == 201, filed.content
    report = Report.objects.get(pk=filed.json()["id"])
    answered = client.post(
        "/api/v1/followup/messages",
        {"receipt_code": filed.json()["receipt_code"], "text": f"Groet, {name}"},
        content_type="application/json",
    )
    assert answered.status_code == 201, answered.content
    return report


def _decided(client, analyst, report: Report) -> None:
    """Weighed and decided 'no action': the retention rule destroys it a year later."""
    Report.objects.filter(pk=report.pk).update(team=analyst.team)
    headers = auth(analyst)
    answers = [
        {"criterion": code, "choice": "nee", "motivation": "Geen aanwijzing."}
        for code in Criterion.objects.filter(mandatory=True).values_list("code", flat=True)
    ]
    url = f"/api/v1/reports/{report.pk}"
    weighed = client.post(
        f"{url}/weighing", {"answers": answers}, content_type="application/json", **headers
    )
    assert weighed.status_code == 200, weighed.content
    decided = client.post(
        f"{url}/decision",
        {"kind": "no_action", "rationale": "Geen ondermijning."},
        content_type="application/json",
        **headers,
    )
    assert decided.status_code == 201, decided.content


def _destroy_due() -> None:
    retention.run(now=timezone.now() + timedelta(days=400))


def _photo(report: Report) -> bytes:
    return attachments.read(Attachment.objects.get(report=report).id)


@pytest.mark.django_db
def test_contact_messages_and_photo_read_back_and_are_unreadable_without_the_reports_key(
    client,
):
    report = _filed(client, KEPT_NAME, "Hennepgeur bij de loods.")
    assert reporter_contact(report)["name"] == KEPT_NAME
    assert _photo(report).startswith(b"\xff\xd8")  # a JPEG, decrypted
    assert [m.text for m in Message.objects.filter(report=report)] == [f"Groet, {KEPT_NAME}"]
    # Nothing of it is stored as plain text.
    stored = Message.objects.get(report=report)
    assert KEPT_NAME.encode() not in bytes(stored.ciphertext)
    assert KEPT_NAME.encode() not in bytes(report.contact.ciphertext)

    # The data key alone no longer reads them: the report's own key is needed.
    ReportKey.objects.filter(report=report).delete()
    with pytest.raises(ReportKeyGone):
        reporter_contact(report)
    with pytest.raises(ReportKeyGone):
        _photo(report)
    with pytest.raises(ReportKeyGone):
        _ = Message.objects.get(report=report).text


@pytest.mark.django_db(transaction=True)
def test_destroying_a_report_deletes_its_key(client, make_user, north):
    analyst = make_user(role=Role.ANALYST, team=north)
    gone = _filed(client, DESTROYED_NAME, "Afgeplakte ramen aan de dijk.")
    kept = _filed(client, KEPT_NAME, "Veel verkeer 's nachts bij de loods.")
    _decided(client, analyst, gone)
    assert ReportKey.objects.filter(report=gone).exists()

    _destroy_due()

    assert not Report.objects.filter(pk=gone.pk).exists()
    assert not ReportKey.objects.filter(report_id=gone.pk).exists()
    assert reporter_contact(kept)["name"] == KEPT_NAME


# Run in the restored installation: what it holds and can read of each report.
READ_BACK = """
import hashlib, json
from baken.reports import attachments
from baken.reports.models import Attachment, Message, Report, ReportKey
from baken.reports.reporter import reporter_contact

out = {"keys": ReportKey.objects.count(), "attachments": Attachment.objects.count()}
for report in Report.objects.all():
    photo = Attachment.objects.get(report=report).id
    out[report.reference] = {
        "description": report.description,
        "subjects": sorted(s.name or s.license_plate for s in report.subjects.all()),
        "contact": reporter_contact(report)["name"],
        "photo": hashlib.sha256(attachments.read(photo)).hexdigest(),
        "messages": [m.text for m in Message.objects.filter(report=report)],
    }
print(json.dumps(out))
"""

# What the destroyed report told, each of it personal: none may be readable in a backup.
GONE_TEXT = "Afgeplakte ramen aan de Dijkweg, kwekerij vermoed."
GONE_PERSON = "Hendrik Schaduwvelt"
GONE_PLATE = "ZX-987-Q"
GONE_PLACE = "achter de schuur met het groene dak"


def _key_rows_in_saved_database(backup) -> int:
    """The key store's rows in the backup's database file, read from the file itself."""
    manifest = json.loads((backup / "manifest.json").read_text())
    database = backup / manifest["database"]["path"]
    if connection.vendor == "sqlite":
        saved = sqlite3.connect(database)
        try:
            return saved.execute("SELECT count(*) FROM reports_reportkey").fetchone()[0]
        finally:
            saved.close()
    listing = subprocess.run(
        ["pg_restore", "--data-only", "--table=reports_reportkey", "--file=-", str(database)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "COPY public.reports_reportkey" not in listing:
        return 0
    copy = listing.split("COPY public.reports_reportkey", 1)[1]
    return len(copy.split("\n\\.", 1)[0].strip().splitlines()) - 1  # less the COPY line


# What the destroyed report told: none of it may be plain text in a backup.
GONE_WORDS = [GONE_TEXT, GONE_PERSON, GONE_PLATE, GONE_PLACE, DESTROYED_NAME, "Dijkweg"]


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_before_a_destruction_cannot_read_the_destroyed_report_afterwards(
    client,
    make_user,
    north,
    installation,  # noqa: F811
    elsewhere,  # noqa: F811
    tmp_path,
):
    """A backup holds each report's rows sealed under its key (ADR 0032), so an old backup
    restored with today's key store brings back nothing of a report destroyed since: not its
    text, the subjects it named, its contact details, messages or photo."""
    analyst = make_user(role=Role.ANALYST, team=north)
    gone = _filed(
        client,
        DESTROYED_NAME,
        GONE_TEXT,
        location={"description": GONE_PLACE},
        subjects=[
            {"type": "person", "name": GONE_PERSON, "birth_date": "1971-03-04"},
            {"type": "vehicle", "license_plate": GONE_PLATE},
        ],
    )
    kept = _filed(client, KEPT_NAME, "Veel verkeer 's nachts bij de loods.")
    kept_photo = hashlib.sha256(_photo(kept)).hexdigest()
    # The analyst improves the working version (a second version; the original is kept).
    Report.objects.filter(pk=gone.pk).update(team=analyst.team)
    improved = client.patch(
        f"/api/v1/reports/{gone.pk}",
        {
            "revision": 0,
            "reason": "Tijdstip aangevuld.",
            "changes": {
                "description": f"{GONE_TEXT} Aangevuld.",
                "observed_at": {"start": "2026-11-28T22:30:00+01:00"},
            },
        },
        content_type="application/json",
        **auth(analyst),
    )
    assert improved.status_code == 200, improved.content
    _decided(client, analyst, gone)

    last_month = tmp_path / "backup-last-month"
    call_command("backup", str(last_month), stdout=io.StringIO())
    # The database in the backup holds no report key; the key store file beside it does.
    assert _key_rows_in_saved_database(last_month) == 0
    stored = json.loads((last_month / "key-store.json").read_text())["stores"]["reports"]
    assert len(stored) == 2
    saved = next(last_month.glob("database.*")).read_bytes()
    assert not any(base64.b64decode(row["wrapped"]) in saved for row in stored)
    # Nothing the report told is in the backup as plain text, not even before it is destroyed.
    assert plain_in(last_month, GONE_WORDS) == {}
    assert plain_in(last_month, [north.name]) != {}  # the scan reads what is there

    _destroy_due()
    assert not Report.objects.filter(pk=gone.pk).exists()
    restored, key_store = restored_after_the_run(
        last_month, tmp_path=tmp_path, elsewhere=elsewhere, key=installation
    )
    var, database_url = elsewhere
    assert f"Keys loaded from {key_store}: 1 reports, 0 subjects, 0 cases." in restored.stdout
    assert "Left out of this backup: 1 reports." in restored.stdout

    read = baken("shell", "-c", READ_BACK, var=var, database_url=database_url, key=installation)
    assert read.returncode == 0, read.stderr
    there = json.loads(read.stdout.strip().splitlines()[-1])
    # The destroyed report is not back at all; the other reads as it did, whole.
    assert gone.reference not in there
    assert there["keys"] == 1 and there["attachments"] == 1
    assert there[kept.reference] == {
        "description": "Veel verkeer 's nachts bij de loods.",
        "subjects": [],
        "contact": KEPT_NAME,
        "photo": kept_photo,
        "messages": [f"Groet, {KEPT_NAME}"],
    }
    verified = baken("audit", "verify", var=var, database_url=database_url, key=installation)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    if connection.vendor == "sqlite":
        # The restored installation's files (its database among them) hold none of it.
        assert plain_in(var, GONE_WORDS) == {}


@pytest.mark.django_db
def test_a_report_whose_key_is_gone_is_410_in_the_api_and_empty_on_its_page(
    client, make_user, verified_client
):
    """After a backup of the format before sealed rows is restored, a report destroyed since
    is back until the next run, without its key: the API says its encrypted parts are gone
    (410), never a 500."""
    analyst = make_user(role=Role.ANALYST)
    report = _filed(client, DESTROYED_NAME, "Loods met afgeplakte ramen aan de Veerweg.")
    Report.objects.filter(pk=report.pk).update(team=analyst.team)
    ReportKey.objects.filter(report=report).delete()
    url = f"/api/v1/reports/{report.pk}"
    contact = client.post(
        f"{url}/contact",
        {"reason": "Terugbellen over de loods."},
        content_type="application/json",
        **auth(analyst),
    )
    assert contact.status_code == 410 and contact.json()["code"] == "report_key_gone"
    messages = client.get(f"{url}/messages", **auth(analyst))
    assert messages.status_code == 410 and messages["Content-Type"] == "application/problem+json"
    page = verified_client(analyst).get(f"/werkruimte/meldingen/{report.pk}")
    assert page.status_code == 200 and DESTROYED_NAME not in page.content.decode()


@pytest.mark.django_db
def test_a_new_reports_key_is_not_kept_on_the_report_after_its_transaction(
    django_capture_on_commit_callbacks,
):
    """report_create carries the new report's own key on the instance for the parts its
    caller encrypts next (the reporter's contact), and drops it at the commit, for every
    caller (the Meldpunt, the import, the demo loaders)."""
    from django.db import transaction

    from baken.core.actors import SYSTEM
    from baken.reports.reporter import reporter_contact_store
    from baken.reports.services import report_create
    from baken.reports.validation import check_report

    checked = check_report(
        {
            "description": "Een loods waar 's nachts busjes laden en lossen.",
            "channel": "import",
            "reporter": {"anonymous": False, "name": "Ilse", "phone": "06 12345678"},
        }
    )
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        report = report_create(data=checked.data, category=None, actor=SYSTEM)
        reporter_contact_store(report=report, reporter=checked.data["reporter"])
        assert "_fresh_key" in report.__dict__
    assert "_fresh_key" not in report.__dict__
    assert reporter_contact(report)["name"] == "Ilse"
