"""The sharing register as a CSV file that Dutch Excel opens as it is: semicolons, UTF-8 with
a byte order mark, Dutch headers, compact Dutch local times (`05-12-2026 22:30`), and a text
that starts like a formula kept as text. Streamed in batches (privacy.sharing_register
.export_rows), at most LIMIT rows, the newest first."""

import csv
from collections.abc import Iterable, Iterator

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from baken.core import dates

from .sharing_register import HANDOVER, Named, SharingRow

LIMIT = 50_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    def write(self, value: str) -> str:
        return value


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def header() -> list[str]:
    return [
        _("Kind"),
        _("Moment"),
        _("Kind of recipient"),
        _("Recipient"),
        _("Legal basis or rationale"),
        _("What was shared"),
        _("By"),
        _("Team"),
        _("Case"),
        _("Reports"),
        _("Subjects"),
        _("Package (SHA-256)"),
    ]


def named(items: list[Named], *, numbered: bool) -> str:
    """Reports by reference, subjects by name and number; one no longer there by number."""
    shown = []
    for item in items:
        if item.text is None:
            shown.append(_("#%(n)d (no longer in Baken)") % {"n": item.pk})
        else:
            shown.append(f"{item.text} (#{item.pk})" if numbered else item.text)
    return ", ".join(shown)


def row(found: SharingRow) -> list[str]:
    package = f"{found.package} ({found.package_sha256})" if found.package else ""
    return [
        str(_("Hand-over") if found.source == HANDOVER else _("Decision")),
        dates.compact(found.at),
        found.kind_label,
        found.recipient,
        found.basis,
        found.what,
        found.by,
        found.team or "",
        found.case or "",
        named(found.reports, numbered=False),
        named(found.subjects, numbered=True),
        package,
    ]


def csv_lines(rows: Iterable[SharingRow]) -> Iterator[str]:
    """The file's lines, in the language of the request (the lines are written while the
    answer streams, after the view has returned)."""
    return _lines(rows, translation.get_language())


def _lines(rows: Iterable[SharingRow], language: str | None) -> Iterator[str]:
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    with translation.override(language):
        yield "\ufeff" + writer.writerow(header())
        for found in rows:
            yield writer.writerow([_cell(value) for value in row(found)])


def file_name() -> str:
    return f"verstrekkingen-{timezone.localtime():%Y-%m-%d-%H%M}.csv"
