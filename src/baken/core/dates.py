"""The dates Baken takes from a person, one range for all of them: a figures period, a week
of the weekly overview, a task's deadline, an intervention's start and end. Wide enough for
any register and any plan; narrow enough that date arithmetic on them (a week's figures
reach 52 weeks back, its bounds one week on) never overflows, so a typing error such as
0001-01-01 or 9999-12-31 is refused with OUT_OF_RANGE instead of failing later."""

from datetime import date

from django.utils.translation import gettext_lazy as _

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
OUT_OF_RANGE = _("Choose a date between 2000 and 2100.")


def in_range(day: date) -> bool:
    return EARLIEST <= day <= LATEST
