"""Moments in exports read the one Dutch way, in Dutch local time (ADR 0016): CSV writes
`28-11-2026 22:30` as text, XLSX a real date cell shown `dd-mm-yyyy hh:mm`. Categories are
named, never coded."""

import io
from datetime import UTC, datetime

import openpyxl
import pytest

from baken.reports.models import Report

from .conftest import csv_rows, file_bytes, reports_for
from .test_exports import export_of

pytestmark = pytest.mark.django_db

WINTER = datetime(2026, 11, 28, 21, 30, tzinfo=UTC)  # 22:30 in Amsterdam
SUMMER = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)  # 00:30 the next day in Amsterdam


def test_the_csv_writes_moments_in_dutch_local_time_and_names_the_category(analyst, north):
    first, second = reports_for(north, 2)
    Report.objects.filter(pk=first.pk).update(received_at=WINTER)
    Report.objects.filter(pk=second.pk).update(received_at=SUMMER)
    header, *rows = csv_rows(file_bytes(export_of(analyst)))
    received = {row[0]: row[header.index("Ontvangen")] for row in rows}
    assert received == {first.reference: "28-11-2026 22:30", second.reference: "02-07-2026 00:30"}
    categories = {row[header.index("Categorie")] for row in rows}
    assert first.category.name in categories and first.category.code not in categories


def test_the_xlsx_shows_real_date_cells_the_dutch_way(analyst, north):
    [report] = reports_for(north, 1)
    Report.objects.filter(pk=report.pk).update(received_at=WINTER)
    data = file_bytes(export_of(analyst, fmt="xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cell = sheet.cell(row=2, column=2)
    assert cell.value == datetime(2026, 11, 28, 22, 30)  # noqa: DTZ001 (a spreadsheet has no zone)
    assert cell.number_format == "dd-mm-yyyy hh:mm"
