"""The dates Baken takes from a person, one range for all of them: a figures period, a week
of the weekly overview, a task's deadline, an intervention's start and end. Wide enough for
any register and any plan; narrow enough that date arithmetic on them (a week's figures
reach 52 weeks back, its bounds one week on) never overflows, so a typing error such as
0001-01-01 or 9999-12-31 is refused with OUT_OF_RANGE instead of failing later."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
OUT_OF_RANGE = _("Choose a date between 2000 and 2100.")


def in_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST


# --- Writing a moment for a person -----------------------------------------------------------
# One way for every page, diff, PDF, export and e-mail: Dutch local time (settings.TIME_ZONE),
# `5 december 2026 22:30` where a person reads and `05-12-2026 22:30` in tables and exports.
# Values may arrive as a date, an aware datetime or an ISO 8601 string (a report's stored
# "when" and the versions' JSON hold strings), so the same moment written with two offsets
# (`22:30+01:00` and `21:30+00:00`) reads the same. The API keeps ISO 8601 with its offset.


def as_moment(value: object) -> date | datetime | None:
    """A date or an aware datetime in Dutch local time, from a date, a datetime or an ISO 8601
    string; None for anything else (an empty value, a string that is no moment)."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        if len(text) == 10:  # "2026-12-05": a day, not midnight
            return value.date()
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return timezone.localtime(value)
    if isinstance(value, date):
        return value
    return None


def long(value: object, *, default: str = "") -> str:
    """`5 december 2026 22:30` (a datetime) or `5 december 2026` (a date), in the active
    language; `default` when the value is no moment."""
    moment = as_moment(value)
    if moment is None:
        return default if value in (None, "") else str(value)
    fmt = "DATETIME_FORMAT" if isinstance(moment, datetime) else "DATE_FORMAT"
    return date_format(moment, fmt)


def compact(value: object, *, default: str = "") -> str:
    """`05-12-2026 22:30` (a datetime) or `05-12-2026` (a date): for tables and exports."""
    moment = as_moment(value)
    if moment is None:
        return default if value in (None, "") else str(value)
    fmt = "SHORT_DATETIME_FORMAT" if isinstance(moment, datetime) else "SHORT_DATE_FORMAT"
    return date_format(moment, fmt)


def is_moment_text(value: object) -> bool:
    """True for a string that is an ISO 8601 date or datetime (as stored in a report's data)."""
    return isinstance(value, str) and len(value) >= 10 and as_moment(value) is not None
