"""What changed between two versions of a report, for people to read.

Written by hand on top of difflib (standard library): word-level for the description, and a
readable line per other field. No library renders our report fields better.
"""

import difflib
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from baken.core import dates

from .models import Category, SubjectKind

FIELD_LABELS = {
    "category": _("Category"),
    "description": _("Description"),
    "observed_at": _("When"),
    "location": _("Where"),
    "subjects": _("Who or what"),
}


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str
    words: list[tuple[str, str]]  # (op, text): op is "=", "-" or "+"


_SUBJECTS_SEP = "; "


def _text(field: str, value) -> str:
    if value in (None, "", [], {}):
        return "—"
    if field == "observed_at":
        # Dutch local time, one format: the same moment stored with another offset reads
        # the same (and so is no change).
        return " – ".join(dates.long(v) for v in (value.get("start"), value.get("end")) if v)
    if field == "location":
        parts = []
        if address := value.get("address"):
            parts.append(address_text(address))
        if point := value.get("point"):  # as the page writes it: (52,95070, 4,73240)
            lat, lon = (formats.number_format(point[axis], 5) for axis in ("lat", "lon"))
            parts.append(f"({lat}, {lon})")
        if description := value.get("description"):
            parts.append(description)
        return " ".join(parts)
    if field == "subjects":
        return _SUBJECTS_SEP.join(subject_text(s) for s in value)
    if field == "category":
        return category_name(value)
    return str(value)


def category_name(code: str) -> str:
    return Category.objects.filter(code=code).values_list("name", flat=True).first() or code


def address_text(address: dict) -> str:
    """`Pakhuisweg 7A, 1784AA Havenwaard` (or `1784AA 7A, Havenwaard` without a street), as
    the report page writes an address."""
    number = f"{address.get('house_number') or ''}{address.get('house_letter') or ''}"
    if address.get("addition"):
        number += f"-{address['addition']}"
    place = [address.get("postcode"), address.get("city")]
    if address.get("street"):
        lines = [f"{address['street']} {number}".strip(), " ".join(str(p) for p in place if p)]
    else:
        lines = [" ".join(str(p) for p in (place[0], number) if p), place[1] or ""]
    return ", ".join(line for line in lines if line)


def subject_text(subject: dict) -> str:
    """`Persoon: Jan van der Berg 2 april 1980 111222333 Lange man`: a subject in one line."""
    kind = subject.get("type", "")
    parts = [
        dates.long(subject[key]) if key == "birth_date" else str(subject[key])
        for key in ("name", "birth_date", "bsn", "kvk_number", "license_plate")
        if subject.get(key)
    ]
    if subject.get("address"):
        parts.append(address_text(subject["address"]))
    if subject.get("description"):
        parts.append(subject["description"])
    label = SubjectKind(kind).label if kind in SubjectKind.values else kind
    return f"{label}: {' '.join(parts)}"


def _words(before: str, after: str, sep: str | None = None) -> list[tuple[str, str]]:
    """Word by word; with `sep`, part by part (a subject is added or removed whole, so the
    last word before a new one does not read as changed: "1971" against "1971;")."""
    a, b = before.split(sep), after.split(sep)
    join = sep or " "
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", join.join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("-", join.join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", join.join(b[j1:j2])))
    return out


def changes_between(before: dict, after: dict, fields: list[str]) -> list[Change]:
    changes = []
    for field in fields:
        old, new = _text(field, before.get(field)), _text(field, after.get(field))
        if old == new:
            # Older versions recorded a time as changed when only its offset differed.
            continue
        changes.append(
            Change(
                field=field,
                label=str(FIELD_LABELS.get(field, field)),
                before=old,
                after=new,
                words=_words(old, new, sep=_SUBJECTS_SEP if field == "subjects" else None),
            )
        )
    return changes
