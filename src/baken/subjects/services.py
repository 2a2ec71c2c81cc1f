"""Loading the address register from a BAG extract (CSV)."""

import csv
import io
from collections.abc import Callable, Iterable
from pathlib import Path

from django.db import transaction

from baken.audit.services import audit_record
from baken.intake.identifiers import house_number, normalise_postcode

from .models import RegisteredAddress

COLUMNS = {
    "postcode": ("postcode",),
    "house_number": ("huisnummer", "house_number"),
    "house_letter": ("huisletter", "house_letter"),
    "addition": ("huisnummertoevoeging", "toevoeging", "addition"),
    "street": ("openbareruimte", "straat", "openbare_ruimte", "street"),
    "city": ("woonplaats", "plaats", "city"),
    "lat": ("lat", "latitude", "breedtegraad"),
    "lon": ("lon", "lng", "longitude", "lengtegraad"),
}


def _pick(row: dict, name: str) -> str:
    for column in COLUMNS[name]:
        if row.get(column):
            return row[column].strip()
    return ""


def _address(row: dict) -> RegisteredAddress | str:
    postcode = normalise_postcode(_pick(row, "postcode"))
    number = house_number(_pick(row, "house_number"))
    if postcode is None or not isinstance(number, int) or not _pick(row, "street"):
        return "postcode, house number and street are required and must be valid"
    lat, lon = _pick(row, "lat"), _pick(row, "lon")
    try:
        coordinates = (
            float(lat.replace(",", ".")) if lat else None,
            float(lon.replace(",", ".")) if lon else None,
        )
    except ValueError:
        return "lat/lon are not numbers"
    return RegisteredAddress(
        postcode=postcode,
        house_number=number,
        house_letter=_pick(row, "house_letter")[:1].upper(),
        addition=_pick(row, "addition")[:10],
        street=_pick(row, "street"),
        city=_pick(row, "city"),
        lat=coordinates[0],
        lon=coordinates[1],
    )


def addresses_load(rows: Iterable[dict], *, progress: Callable[[int], None] | None = None):
    """Replace the register with `rows`; all or nothing. Returns (loaded, rejected rows)."""
    addresses, rejected = [], []
    for number, row in enumerate(rows, start=2):
        result = _address({k.strip().lower(): (v or "") for k, v in row.items() if k})
        if isinstance(result, str):
            rejected.append((number, result))
        else:
            addresses.append(result)
        if progress and number % 10000 == 0:
            progress(number - 1)
    if rejected:
        return 0, rejected
    with transaction.atomic():
        RegisteredAddress.objects.all().delete()
        RegisteredAddress.objects.bulk_create(addresses, batch_size=5000, ignore_conflicts=True)
        audit_record(actor=None, action="addresses.load", detail={"count": len(addresses)})
    return len(addresses), []


def csv_rows(path: Path) -> Iterable[dict]:
    text = path.read_text(encoding="utf-8-sig")
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    return csv.DictReader(io.StringIO(text), dialect=dialect)
