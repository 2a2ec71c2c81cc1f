"""The data migration to per-report keys (reports 0014, issue 15, ADR 0031): an installation
with reports stored under the old scheme — contact details and files encrypted with keys
derived from the data key alone, the follow-up messages in plain text — upgrades to each
report's own key, every report gets one, and a second run changes nothing."""

import hashlib
import importlib
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from baken.core import crypto
from baken.reports import attachments
from baken.reports.models import Attachment, Message, Report, ReporterContact, ReportKey
from baken.reports.reporter import reporter_contact
from tests.intake.test_attachments import jpeg_with_gps, upload

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("reports", "0012_closed_receipt")]
# The purposes of the old scheme, as the code before issue 15 used them.
OLD_CONTACT = "baken.intake.contact.v1"
OLD_ATTACHMENT = "baken.intake.attachment.v1"
CONTACT = {"name": "Wim Oudgediend", "email": "wim@example.nl", "may_contact": True}
MESSAGE = "De loods staat achter de oude molen."


def _file(client, reporter: dict) -> Report:
    photo = upload(client, jpeg_with_gps()).json()["id"]
    filed = client.post(
        "/api/v1/reports",
        {"description": "Hennepgeur bij de loods.", "attachments": [photo], "reporter": reporter},
        content_type="application/json",
    )
    assert filed.status_code == 201, filed.content
    return Report.objects.get(pk=filed.json()["id"])


def _path(attachment_id) -> Path:
    return Path(settings.ATTACHMENT_DIR) / f"{attachment_id}.bin"


def test_old_contacts_messages_and_files_move_under_each_reports_own_key(
    client, settings, tmp_path
):
    settings.ATTACHMENT_DIR = tmp_path / "attachments"
    named = _file(client, {"anonymous": False, "name": "Iemand"})
    anonymous = _file(client, {"anonymous": True})
    unattached = upload(client, jpeg_with_gps()).json()["id"]
    photos = {a.id: attachments.read(a.id) for a in Attachment.objects.all()}
    assert len(photos) == 3

    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        # The old scheme, written as the code before the key store wrote it.
        old = executor.loader.project_state(BEFORE).apps
        old.get_model("reports", "ReporterContact").objects.filter(report_id=named.pk).update(
            ciphertext=crypto.encrypt(json.dumps(CONTACT).encode(), purpose=OLD_CONTACT)
        )
        old.get_model("reports", "Message").objects.create(
            report_id=named.pk, author="reporter", text=MESSAGE, sent_at=named.received_at
        )
        for attachment_id, photo in photos.items():
            _path(attachment_id).write_bytes(crypto.encrypt(photo, purpose=OLD_ATTACHMENT))
        assert "reports_reportkey" not in connection.introspection.table_names()
        # A run killed before left a new file whose row never committed: it is dropped.
        stale = _path(unattached).with_name(f"{unattached}.bin.new")
        stale.write_bytes(b"half written")

        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert set(ReportKey.objects.values_list("report_id", flat=True)) == {named.pk, anonymous.pk}
    assert reporter_contact(named) == CONTACT
    assert reporter_contact(anonymous) is None
    assert [m.text for m in Message.objects.filter(report=named)] == [MESSAGE]
    assert {a.id: attachments.read(a.id) for a in Attachment.objects.all()} == photos
    assert Attachment.objects.get(pk=unattached).report is None
    assert not stale.exists()
    assert not list(Path(settings.ATTACHMENT_DIR).glob("*.new"))
    # The data key alone no longer reads them: the old scheme is gone from the rows and files.
    with pytest.raises(InvalidTag):
        crypto.decrypt(
            bytes(ReporterContact.objects.get(pk=named.pk).ciphertext), purpose=OLD_CONTACT
        )
    for attachment_id in photos:
        with pytest.raises(InvalidTag):
            crypto.decrypt(_path(attachment_id).read_bytes(), purpose=OLD_ATTACHMENT)
    message_columns = [
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), Message._meta.db_table
        )
    ]
    assert "text" not in message_columns

    # Run again (as after an interrupted upgrade): nothing changes, everything still reads.
    def stored() -> tuple:
        files = sorted(hashlib.sha256(_path(i).read_bytes()).hexdigest() for i in photos)
        keys = sorted(bytes(w) for w in ReportKey.objects.values_list("wrapped", flat=True))
        contact = bytes(ReporterContact.objects.get(pk=named.pk).ciphertext)
        return files, keys, contact

    before = stored()
    migration = importlib.import_module("baken.reports.migrations.0014_report_keys_data")
    now = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    migration.forward(now, SimpleNamespace(connection=connection))
    assert stored() == before
    assert reporter_contact(named) == CONTACT
    assert {a.id: attachments.read(a.id) for a in Attachment.objects.all()} == photos
