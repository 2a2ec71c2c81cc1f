"""`{{ value|moment }}` and `{{ value|moment_compact }}`: every page writes a date or a time the
one Dutch way (baken.core.dates). A builtin (settings.TEMPLATES), so no template loads it."""

from django import template

from baken.core import dates

register = template.Library()


@register.filter
def moment(value: object) -> str:
    """`5 december 2026 22:30`, or `5 december 2026` for a date; empty for no value."""
    return dates.long(value)


@register.filter
def moment_compact(value: object) -> str:
    """`05-12-2026 22:30`, or `05-12-2026` for a date: in tables."""
    return dates.compact(value)
