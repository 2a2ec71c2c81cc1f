"""Baken's one Dutch way of writing a moment: `5 december 2026 22:30` where a person reads,
`05-12-2026 22:30` in tables (Django's own Dutch short format is `5-12-2026`, which lines up
badly in a column). Found through FORMAT_MODULE_PATH."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d-m-Y"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1
