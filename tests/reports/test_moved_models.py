"""The category catalogue and the parts of a report the Meldpunt stores moved from the intake
app to reports (issue 14, reports 0011, intake 0008, insights 0005): the tables keep their
names, so an installation with reports keeps every row, and the content types (which
permissions hang from) move with the models."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from PIL import Image

from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.core.actors import SYSTEM
from baken.core.roles import Role
from baken.intake import services as intake_services
from baken.reports.attachments import attachment_upload, read
from baken.reports.models import Message, Report
from baken.reports.reporter import reporter_contact
from baken.reports.validation import check_report

BEFORE = [
    ("reports", "0010_alter_routingrule_area"),
    ("insights", "0004_alter_figurebucket_area"),
    ("intake", "0007_category_motorbendes_dutch_name"),
]
MOVED = ("category", "indicator", "question", "receipt", "reportercontact", "attachment", "message")


def _photo() -> bytes:
    png = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(png, "PNG")
    return png.getvalue()


def _content_types() -> dict[str, tuple[int, str]]:
    ContentType.objects.clear_cache()
    found = ContentType.objects.filter(model__in=MOVED, app_label__in=["intake", "reports"])
    return {ct.model: (ct.pk, ct.app_label) for ct in found}


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_every_row_and_takes_the_content_types_along():
    attachment = attachment_upload(data=_photo(), name="loods.png", actor=SYSTEM)
    checked = check_report(
        {
            "description": "Bestelbusjes laden 's nachts dozen uit bij de loods.",
            "category": "drugs",
            "attachments": [str(attachment.id)],
            "reporter": {"anonymous": False, "name": "Piet Melder", "email": "piet@example.nl"},
        }
    )
    report = intake_services.report_submit(checked=checked, actor=SYSTEM).report
    Message.objects.create(
        report=report, author=Message.Author.TEAM, text="Welke loods?", sent_at=report.received_at
    )
    moved_types = _content_types()
    assert {app for _pk, app in moved_types.values()} == {"reports"}

    executor = MigrationExecutor(connection)
    try:
        # Back to the state before the move, with the data in place: the content types go
        # back to intake, keeping their ids.
        executor.migrate(BEFORE)
        assert _content_types() == {model: (pk, "intake") for model, (pk, _) in moved_types.items()}

        # And forward again, as an installation upgrades.
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
        assert _content_types() == moved_types
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    again = Report.objects.select_related("category", "receipt").get(pk=report.pk)
    assert again.category.code == "drugs" and again.category.indicators.exists()
    assert again.receipt.code_hash
    assert reporter_contact(again)["name"] == "Piet Melder"
    assert [a.id for a in again.attachments.all()] == [attachment.id]
    assert read(attachment.id).startswith(b"\x89PNG")
    assert [m.text for m in again.messages.all()] == ["Welke loods?"]
    # Permissions hang from the moved content types, under the new app's label.
    assert Permission.objects.get_by_natural_key("change_category", "reports", "category")


@pytest.mark.django_db
def test_the_audit_log_reads_and_finds_an_attachment_logged_before_the_move(
    make_user, verified_client
):
    attachment = attachment_upload(data=_photo(), name="loods.png", actor=SYSTEM)  # reports.*
    # An upload logged before the move keeps its code: the chain is never rewritten.
    audit_record(
        actor=SYSTEM, action=AuditAction.ATTACHMENT_UPLOAD, target=Target("intake.attachment", "7")
    )
    officer = make_user(role=Role.PRIVACY_OFFICER, team=None)
    browser = verified_client(officer)

    page = browser.get(reverse("audit:log"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert page.count('<option value="reports.attachment">Bijlage</option>') == 1
    assert "intake.attachment" not in page

    found = browser.get(reverse("audit:log"), {"object_type": "reports.attachment"})
    page = found.content.decode()
    assert f"Bijlage {attachment.id}" in page and "Bijlage 7" in page
