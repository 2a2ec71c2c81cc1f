"""Opening a report page with a photo is one read of the report: the photo's own request
logs that photo (attachment.view), not a second, empty "Melding bekeken" (issue 12, item 7)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from baken.audit.models import AuditEntry
from baken.core.actors import SYSTEM
from baken.core.roles import Role
from baken.intake import services as intake_services
from baken.reports.models import Report
from baken.reports.validation import check_report

pytestmark = pytest.mark.django_db


def test_the_photo_on_the_report_page_is_no_second_read_of_the_report(verified_client, make_user):
    analyst = make_user(role=Role.ANALYST)
    made = intake_services.report_submit(
        checked=check_report({"description": "Hennepgeur bij de schuur.", "category": "drugs"}),
        actor=SYSTEM,
    ).report
    Report.objects.filter(pk=made.pk).update(team=analyst.team)
    browser = verified_client(analyst)
    png = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(png, "PNG")
    browser.post(
        reverse("reports:attachment_add", args=[made.pk]),
        {"file": SimpleUploadedFile("schuur.png", png.getvalue(), "image/png")},
    )
    before = AuditEntry.objects.filter(action="report.read").count()

    browser.get(reverse("reports:detail", args=[made.pk]))
    item = made.attachments.get()
    assert browser.get(reverse("reports:attachment", args=[made.pk, item.pk])).status_code == 200

    reads = AuditEntry.objects.filter(action="report.read", object_id=str(made.pk))
    assert reads.count() - before == 1
    assert AuditEntry.objects.filter(action="attachment.view", object_id=str(item.pk)).count() == 1
    # Someone who may not see the report still gets nothing.
    stranger = make_user(role=Role.ANALYST, team=None)
    url = reverse("reports:attachment", args=[made.pk, item.pk])
    assert verified_client(stranger).get(url).status_code == 404
