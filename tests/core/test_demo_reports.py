import io

import pytest
from django.core.management import call_command

from baken.intake.identifiers import bsn_is_valid
from baken.reports.models import Report, ReportSubject, StatusChange

pytestmark = pytest.mark.django_db


def _snapshot():
    return list(
        Report.objects.order_by("reference").values_list(
            "reference", "description", "status", "postcode", "channel", "received_at"
        )
    )


def test_demo_data_is_deterministic_for_a_seed(django_db_blocker):
    call_command(
        "demo-data", "--reports", "150", "--seed", "7", stdout=io.StringIO(), stderr=io.StringIO()
    )
    first = _snapshot()
    Report.objects.all().delete()
    call_command(
        "demo-data", "--reports", "150", "--seed", "7", stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert _snapshot() == first and len(first) == 150
    Report.objects.all().delete()
    call_command(
        "demo-data", "--reports", "150", "--seed", "8", stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert _snapshot() != first


def test_demo_data_is_a_realistic_mix(settings, tmp_path):
    settings.ATTACHMENT_DIR = tmp_path
    call_command(
        "demo-data",
        "--reports",
        "400",
        "--seed",
        "1",
        "--photos",
        "0.05",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    reports = Report.objects.all()
    assert reports.count() == 400
    assert len(set(reports.values_list("category__code", flat=True))) >= 10
    assert {"web", "phone"} <= set(reports.values_list("channel", flat=True))
    assert (
        reports.filter(is_anonymous=True).exists() and reports.filter(is_anonymous=False).exists()
    )
    assert reports.filter(attachments__isnull=False).exists()
    bsns = ReportSubject.objects.exclude(bsn="").values_list("bsn", flat=True)
    assert bsns and all(bsn_is_valid(b) and b.startswith("9") for b in bsns)
    # Every report's history ends in its current status.
    for report in reports[:50]:
        assert StatusChange.objects.filter(report=report).last().to_status == report.status
