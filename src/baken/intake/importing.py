"""Importing a legacy register (CSV or XLSX) into the uniform report format.

Columns are recognised by name, Dutch or English (case and spaces do not matter). Every row is
checked like any other report; one bad row means nothing is imported, and every bad row is
named with its reason. Each row's idempotency key is derived from the row's own content (and
how often that content occurred before in the file), so importing the same file twice, or a
later export that repeats earlier rows, adds nothing the second time.
"""

import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.db import transaction

from baken.reports import identifiers
from baken.reports.models import Category
from baken.reports.validation import ReportInvalid, check_report

from . import services

COLUMNS = {
    "description": ("omschrijving", "beschrijving", "description", "melding"),
    "category": ("categorie", "category", "soort"),
    "observed_start": ("datum", "waargenomen", "waargenomen_op", "observed_at", "date"),
    "observed_end": ("tot", "waargenomen_tot", "observed_until"),
    "postcode": ("postcode",),
    "house_number": ("huisnummer", "house_number"),
    "house_letter": ("huisletter", "house_letter"),
    "addition": ("toevoeging", "huisnummertoevoeging", "addition"),
    "street": ("straat", "street"),
    "city": ("plaats", "woonplaats", "city"),
    "place": ("locatie", "plek", "place"),
    "person_name": ("persoon", "naam_persoon", "person"),
    "birth_date": ("geboortedatum", "birth_date"),
    "bsn": ("bsn",),
    "organisation": ("bedrijf", "organisatie", "organisation", "company"),
    "kvk_number": ("kvk", "kvk_nummer", "kvk_number"),
    "license_plate": ("kenteken", "license_plate", "licence_plate"),
    "reporter_name": ("melder", "naam_melder", "reporter"),
    "reporter_email": ("email_melder", "e-mail_melder", "reporter_email"),
}


@dataclass
class Outcome:
    total: int = 0
    imported: int = 0
    skipped: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)


def _key(header: str) -> str:
    return header.strip().lower().replace(" ", "_")


class UnreadableFile(Exception):
    """The file is not a CSV or XLSX file this import can read."""


def _rows(path: Path) -> Iterator[dict]:
    try:
        yield from _read(path)
    except (csv.Error, UnicodeDecodeError, ValueError, KeyError, OSError) as exc:
        raise UnreadableFile(str(exc) or exc.__class__.__name__) from None
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        if exc.__class__.__module__.startswith(("openpyxl", "zipfile")):
            raise UnreadableFile(str(exc)) from None
        raise


def _read(path: Path) -> Iterator[dict]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).active
        rows = sheet.iter_rows(values_only=True)
        headers = [_key(str(h or "")) for h in next(rows, [])]
        for values in rows:
            yield {h: v for h, v in zip(headers, values, strict=False) if h}
        return
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel  # one column, or nothing to tell the delimiter by
    for row in csv.DictReader(io.StringIO(text), dialect=dialect):
        yield {_key(k): v for k, v in row.items() if k}


def _value(row: dict, name: str) -> str:
    for column in COLUMNS[name]:
        value = row.get(column)
        if value not in (None, ""):
            if isinstance(value, datetime):
                return value.isoformat()
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, float) and value.is_integer():
                return str(int(value))
            return str(value).strip()
    return ""


def _category_code(raw: str, by_name: dict[str, str]) -> str:
    return by_name.get(raw.lower(), raw)


def _location(v) -> dict:
    address = {k: v(k) for k in ("postcode", "house_letter", "addition", "street", "city") if v(k)}
    if v("house_number"):
        address["house_number"] = identifiers.house_number(v("house_number"))
    location: dict = {"address": address} if address else {}
    if v("place"):
        location["description"] = v("place")
    return location


def _subjects(v) -> list[dict]:
    rows = []
    if v("person_name") or v("bsn"):
        rows.append(
            {
                "type": "person",
                "name": v("person_name"),
                "bsn": v("bsn"),
                "birth_date": v("birth_date"),
            }
        )
    if v("organisation") or v("kvk_number"):
        rows.append(
            {"type": "organisation", "name": v("organisation"), "kvk_number": v("kvk_number")}
        )
    if v("license_plate"):
        rows.append({"type": "vehicle", "license_plate": v("license_plate")})
    return [{k: val for k, val in row.items() if val} for row in rows]


def payload_from_row(row: dict, *, channel: str, key: str, by_name: dict[str, str]) -> dict:
    def v(name: str) -> str:
        return _value(row, name)

    payload: dict = {"channel": channel, "description": v("description"), "idempotency_key": key}
    if v("category"):
        payload["category"] = _category_code(v("category"), by_name)
    if v("observed_start"):
        payload["observed_at"] = {"start": v("observed_start")}
        if v("observed_end"):
            payload["observed_at"]["end"] = v("observed_end")
    if location := _location(v):
        payload["location"] = location
    if subjects := _subjects(v):
        payload["subjects"] = subjects
    if v("reporter_name"):
        reporter = {"anonymous": False, "name": v("reporter_name"), "may_contact": False}
        if v("reporter_email"):
            reporter["email"] = v("reporter_email")
        payload["reporter"] = reporter
    return payload


def _row_digest(row: dict) -> str:
    content = sorted((k, str(v).strip()) for k, v in row.items() if v not in (None, ""))
    return hashlib.sha256(repr(content).encode()).hexdigest()[:24]


def import_file(
    path: Path, *, channel: str, dry_run: bool, progress: Callable[[int], None] | None = None
) -> Outcome:
    by_name = {name.lower(): code for code, name in Category.objects.values_list("code", "name")}
    outcome, checked_rows = Outcome(), []
    seen: dict[str, int] = {}
    for number, row in enumerate(_rows(path), start=2):  # row 1 holds the headers
        if not any(value not in (None, "") for value in row.values()):
            continue
        outcome.total += 1
        digest = _row_digest(row)
        seen[digest] = seen.get(digest, 0) + 1
        payload = payload_from_row(
            row, channel=channel, key=f"import-{digest}-{seen[digest]}", by_name=by_name
        )
        try:
            checked_rows.append(check_report(payload))
        except ReportInvalid as invalid:
            outcome.rejected.extend((number, e["name"], e["reason"]) for e in invalid.errors)
        if progress and outcome.total % 100 == 0:
            progress(outcome.total)
    if outcome.rejected or dry_run:
        return outcome
    with transaction.atomic():
        for checked in checked_rows:
            if services.report_import(checked=checked):
                outcome.imported += 1
            else:
                outcome.skipped += 1
    return outcome
