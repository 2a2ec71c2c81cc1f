"""ISO weeks (Monday to Sunday) in the municipality's time zone, for the weekly access report:
"2026-W49" runs from Monday 30 November 00:00 to Monday 7 December 00:00, Europe/Amsterdam.
(The insights app counts its weekly overview the same way; oversight may not import it.)"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from baken.core.dates import EARLIEST, LATEST

_LABEL = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, order=True)
class Week:
    start: date  # the Monday

    @classmethod
    def parse(cls, text: str) -> "Week | None":
        """ "2026-W49" → that week; None for anything else or a week outside Baken's dates."""
        match = _LABEL.match((text or "").strip())
        if not match or not EARLIEST.year <= int(match[1]) <= LATEST.year:
            return None
        try:
            return cls(date.fromisocalendar(int(match[1]), int(match[2]), 1))
        except ValueError:
            return None

    @classmethod
    def of(cls, day: date) -> "Week":
        return cls(day - timedelta(days=day.weekday()))

    @classmethod
    def last_complete(cls, now: datetime | None = None) -> "Week":
        """The latest week that has ended: on a Monday morning, the week before."""
        return cls(cls.of(timezone.localdate(now or timezone.now())).start - timedelta(weeks=1))

    @property
    def label(self) -> str:
        year, number, _ = self.start.isocalendar()
        return f"{year}-W{number:02d}"

    @property
    def number(self) -> int:
        return self.start.isocalendar()[1]

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range(7)]

    @property
    def begins(self) -> datetime:
        return datetime.combine(self.start, time(), tzinfo=ZoneInfo(settings.TIME_ZONE))

    @property
    def ends(self) -> datetime:
        """The first moment after the week (exclusive bound)."""
        return datetime.combine(
            self.start + timedelta(weeks=1), time(), tzinfo=ZoneInfo(settings.TIME_ZONE)
        )

    def __str__(self) -> str:
        return self.label
