"""One Dutch way of writing a moment, whatever shape it arrives in."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import translation

from baken.core import dates

UTC = ZoneInfo("UTC")


def test_the_same_moment_with_two_offsets_reads_the_same_in_dutch_local_time():
    with translation.override("nl"):
        assert dates.long("2026-11-28T22:30:00+01:00") == "28 november 2026 22:30"
        assert dates.long("2026-11-28T21:30:00+00:00") == "28 november 2026 22:30"
        assert dates.long(datetime(2026, 12, 5, 21, 30, tzinfo=UTC)) == "5 december 2026 22:30"


def test_a_day_is_written_without_a_time_and_compactly_in_tables():
    with translation.override("nl"):
        assert dates.long("2026-12-05") == "5 december 2026"
        assert dates.long(date(2026, 7, 1)) == "1 juli 2026"
        assert dates.compact(datetime(2026, 12, 5, 21, 30, tzinfo=UTC)) == "05-12-2026 22:30"
        assert dates.compact(date(2026, 3, 4)) == "04-03-2026"


def test_what_is_no_moment_is_shown_as_it_is():
    assert dates.long("") == ""
    assert dates.long(None) == ""
    assert dates.long("gisteren rond tienen") == "gisteren rond tienen"
    assert not dates.is_moment_text("2026")
    assert dates.is_moment_text("2026-11-28T22:30:00+01:00")


def test_templates_have_the_filters_without_loading_them():
    template = Template("{{ when|moment }} · {{ when|moment_compact }} · {{ when }}")
    with translation.override("nl"):
        text = template.render(Context({"when": datetime(2026, 12, 5, 21, 30, tzinfo=UTC)}))
    assert text == "5 december 2026 22:30 · 05-12-2026 22:30 · 5 december 2026 22:30"
