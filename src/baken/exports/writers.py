"""The two file formats, written row by row into a binary sink (storage.EncryptedWriter).

CSV is for Dutch Excel: UTF-8 with a byte-order mark (else Excel reads it as Windows-1252),
`;` between fields and a decimal comma (Excel in a Dutch locale splits on `;`, since the
comma is its decimal sign). Moments are Dutch local time written `05-12-2026 22:30`
(baken.core.dates, ADR 0016): as text in CSV, as real date cells with that number format in
XLSX. XLSX is written by XlsxWriter in constant_memory mode: each row goes to disk as it is
written, so a large export does not grow in memory.

Both guard against formula injection (OWASP "CSV injection"): a report's fields come from
outside, and a cell such as `=HYPERLINK(...)` must stay text. In CSV a text cell starting
with = + - @ or a tab or carriage return gets a leading apostrophe, which Excel shows as
text; in XLSX every text is written as a string cell, never parsed as a formula, number or
link.
"""

import codecs
import csv
import io
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

import xlsxwriter
from django.conf import settings

from baken.core import dates

from .storage import work_dir


class Sink(Protocol):
    def write(self, data: bytes, /) -> int: ...


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def _local(moment: datetime) -> datetime:
    """A moment as the municipality's wall-clock time, without a zone (spreadsheets have none)."""
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).replace(tzinfo=None)


class CsvWriter:
    def __init__(self, sink: Sink):
        self._sink = sink
        self._buffer = io.StringIO()
        self._csv = csv.writer(self._buffer, delimiter=";", lineterminator="\r\n")
        sink.write(codecs.BOM_UTF8)

    def header(self, names: list[str]) -> None:
        self.rows([names])

    def rows(self, rows: list[list]) -> None:
        self._csv.writerows([[self._cell(value) for value in row] for row in rows])
        self._sink.write(self._buffer.getvalue().encode("utf-8"))
        self._buffer.seek(0)
        self._buffer.truncate()

    @staticmethod
    def _cell(value) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return str(int(value))
        if isinstance(value, date):  # a datetime too: `05-12-2026 22:30` in Dutch local time
            return dates.compact(value)
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return repr(value).replace(".", ",")
        return neutralised(str(value))

    def close(self) -> None:
        pass


class XlsxWriter:
    def __init__(self, sink: Sink, *, sheet_name: str):
        self._book = xlsxwriter.Workbook(
            sink,
            {
                "constant_memory": True,
                "tmpdir": str(work_dir()),
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "remove_timezone": True,
            },
        )
        self._sheet = self._book.add_worksheet(sheet_name[:31])
        self._bold = self._book.add_format({"bold": True})
        # Real date cells (sortable, filterable in Excel) shown the one Dutch compact way.
        self._moment = self._book.add_format({"num_format": "dd-mm-yyyy hh:mm"})
        self._day = self._book.add_format({"num_format": "dd-mm-yyyy"})
        self._row = 0

    def header(self, names: list[str]) -> None:
        for col, name in enumerate(names):
            self._sheet.write_string(self._row, col, name, self._bold)
        self._sheet.set_column(0, max(len(names) - 1, 0), 18)
        self._sheet.freeze_panes(1, 0)
        self._row += 1

    def rows(self, rows: list[list]) -> None:
        for row in rows:
            for col, value in enumerate(row):
                self._cell(col, value)
            self._row += 1

    def _cell(self, col: int, value) -> None:
        if value is None:
            self._sheet.write_blank(self._row, col, None)
        elif isinstance(value, bool):
            self._sheet.write_boolean(self._row, col, value)
        elif isinstance(value, datetime):
            self._sheet.write_datetime(self._row, col, _local(value), self._moment)
        elif isinstance(value, date):
            self._sheet.write_datetime(self._row, col, value, self._day)
        elif isinstance(value, int | float):
            self._sheet.write_number(self._row, col, value)
        else:
            self._sheet.write_string(self._row, col, str(value))

    def close(self) -> None:
        self._book.close()


def writer_for(fmt: str, sink: Sink, *, title: str) -> CsvWriter | XlsxWriter:
    return XlsxWriter(sink, sheet_name=title) if fmt == "xlsx" else CsvWriter(sink)
