"""On the demo data a new team tries first: the intake officer corrects reports with a time
(they answered 500) and opens a named reporter's contact details."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from baken.accounts.models import User
from baken.reports.models import Report, ReportVersion
from baken.reports.selectors import report_list

from .test_correcting_every_shape import correct

pytestmark = pytest.mark.django_db


def test_the_demo_intake_officer_corrects_timed_reports_and_reaches_a_reporter(
    settings, tmp_path, verified_client
):
    settings.VAR_DIR = tmp_path
    call_command("demo-setup", stdout=io.StringIO())
    intake = User.objects.get(username="intake")
    browser = verified_client(intake)
    timed = list(
        report_list(user=intake)
        .filter(observed_start__isnull=False, merged_into__isnull=True)
        .order_by("pk")[:3]
    )
    assert len(timed) == 3
    for report in timed:
        response = correct(
            browser, report, "Nagevraagd bij de melder.", description=report.description + " Na."
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        version = ReportVersion.objects.get(report=report, number=report.revision + 1)
        assert version.changed == ["description"]
        page = browser.get(reverse("reports:detail", args=[report.pk])).content.decode()
        assert "<ins>Na.</ins>" in page

    named = report_list(user=intake).filter(is_anonymous=False).order_by("pk").first()
    assert named is not None
    shown = browser.post(
        reverse("intake:contact", args=[named.pk]), {"contact-reason": "Terugbellen."}
    )
    assert shown.status_code == 200 and "@havenwaard.example" in shown.content.decode()
    assert Report.objects.get(pk=named.pk).contact  # the encrypted row it opened
