import csv
import io

import openpyxl
import pytest
from django.utils import timezone

from baken.core.roles import Role
from baken.exports import storage
from baken.exports.models import Export
from baken.reports.models import Report
from tests.reports.test_triage import file_report


@pytest.fixture(autouse=True)
def export_dir(settings, tmp_path):
    settings.EXPORT_DIR = tmp_path / "exports"
    return settings.EXPORT_DIR


@pytest.fixture
def analyst(make_user, north):
    return make_user(role=Role.ANALYST, team=north)


def reports_for(team, n, **fields) -> list[Report]:
    made = []
    for i in range(n):
        report = file_report(description=f"Melding nummer {i} met voldoende tekst.")
        Report.objects.filter(pk=report.pk).update(team=team, received_at=timezone.now(), **fields)
        made.append(Report.objects.get(pk=report.pk))
    return made


def file_bytes(export: Export) -> bytes:
    return b"".join(storage.read_segments(export.pk))


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM, for Excel
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]
