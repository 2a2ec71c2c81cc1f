"""ISO weeks (Monday to Sunday) in the municipality's time zone, as the weekly overview counts
them: "2026-W47" runs from Monday 16 November 00:00 to Monday 23 November 00:00,
Europe/Amsterdam, whatever the offset to UTC that week."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from baken.core.dates import EARLIEST, LATEST

_LABEL = re.compile(r"^(\d{4})-W(\d{2})$")
# The years a week may be asked for: those of Baken's dates (core.dates), so that its figures
# (52 weeks back) and its bounds (one week on) stay inside what date can hold.
FIRST_YEAR, LAST_YEAR = EARLIEST.year, LATEST.year


class WeekError(ValueError):
    """Text that is not an ISO week."""


@dataclass(frozen=True, order=True)
class Week:
    start: date  # the Monday

    @classmethod
    def parse(cls, text: str) -> "Week":
        """ "2026-W47" → that week; anything else, or a week the year does not have, raises."""
        match = _LABEL.match((text or "").strip())
        if not match:
            raise WeekError(f"{text!r} is not a week: write it as YYYY-Www, e.g. 2026-W47.")
        year, number = int(match[1]), int(match[2])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise WeekError(
                f"{text.strip()} is not a week Baken knows: "
                f"the year must lie from {FIRST_YEAR} to {LAST_YEAR}."
            )
        try:
            return cls(date.fromisocalendar(year, number, 1))
        except ValueError:
            raise WeekError(f"{year} has no week {number}.") from None

    @classmethod
    def of(cls, day: date) -> "Week":
        return cls(day - timedelta(days=day.weekday()))

    @classmethod
    def last_complete(cls, now: datetime | None = None) -> "Week":
        """The latest week that has ended: on a Monday morning, the week before."""
        today = timezone.localdate(now or timezone.now())
        return cls.of(today).minus(1)

    def minus(self, weeks: int) -> "Week":
        return Week(self.start - timedelta(weeks=weeks))

    @property
    def label(self) -> str:
        year, number, _ = self.start.isocalendar()
        return f"{year}-W{number:02d}"

    @property
    def last_day(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def begins(self) -> datetime:
        return datetime.combine(self.start, time(), tzinfo=ZoneInfo(settings.TIME_ZONE))

    @property
    def ends(self) -> datetime:
        """The first moment after the week (exclusive bound)."""
        return self.minus(-1).begins

    def __str__(self) -> str:
        return self.label
