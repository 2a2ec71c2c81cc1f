"""Dutch identifiers: checked and normalised with python-stdnum and phonenumbers where they
can; the licence plate by hand, because no maintained library knows the RDW side codes."""

import re

import phonenumbers
from stdnum.nl import bsn as stdnum_bsn


def bsn_is_valid(value: str) -> bool:
    """The BSN 11-test (elfproef)."""
    return stdnum_bsn.is_valid(value)


def house_number(value: str) -> int | str:
    """'12' → 12; anything else stays text for the format check to name it.

    Only ASCII digits count: '²'.isdigit() is true, yet int('²') fails.
    """
    return int(value) if re.fullmatch(r"[0-9]{1,5}", value) else value


def normalise_phone(value: str) -> str | None:
    """Any Dutch or international spelling → E.164 ('+31612345678'); None when invalid."""
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_RUNS = re.compile(r"[A-Z]+|[0-9]+")


def normalise_plate(value: str) -> str | None:
    """'ab123c', 'AB 123 C' → 'AB-123-C' (the RDW side codes 1–14).

    Six characters in two or three runs of letters and digits get the dashes of their side
    code; anything else (a foreign plate) is kept as upper-case letters and digits. None when
    nothing usable is left.
    """
    compact = re.sub(r"[^A-Za-z0-9]", "", value).upper()
    if not compact:
        return None
    runs = _RUNS.findall(compact)
    if len(compact) != 6 or len(runs) not in (2, 3):
        return compact
    if len(runs) == 2:
        # Side codes 1–6: two pairs of one kind and one of the other (AB-12-34, 12-AB-CD).
        runs = [part for run in runs for part in ([run[:2], run[2:]] if len(run) == 4 else [run])]
        if len(runs) != 3:
            return compact
    return "-".join(runs)


def normalise_kvk(value: str) -> str | None:
    """A Chamber of Commerce number: eight digits (spaces and dots allowed in input)."""
    digits = re.sub(r"[\s.]", "", value)
    return digits if re.fullmatch(r"[0-9]{8}", digits) else None
