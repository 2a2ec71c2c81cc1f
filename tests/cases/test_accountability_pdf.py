"""The accountability report's timeline (issue 12, item 6): the moment of each event stays in
its own column, never printed over "Wat" beside it. Read from the PDF itself: where each
cell's text starts and how wide the moment's text is in its font."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic._font import Font

from baken.cases import work

pytestmark = pytest.mark.django_db

# A moment as a table shows it: 05-12-2026 22:30 (or 5-12-2026, 5 december 2026 22:30).
MOMENT = re.compile(r"^\d{1,2}[- ][\w-]+?[- ]\d{4},? \d{2}:\d{2}")


def _width(font: Font, text: str) -> float:
    """The width of `text` in thousandths of the font size: WeasyPrint's fonts keep their
    widths by glyph, so each character goes to its glyph first (the font's ToUnicode map)."""
    glyph = {char: code for code, char in font.character_map.items()}
    widths = font.character_widths
    return sum(widths.get(glyph.get(c, c), widths["default"]) for c in text)


def _rows(pdf: bytes) -> list[tuple[float, float, list[float]]]:
    """Per moment in the timeline: where its text ends, and where the texts of its row start
    (the row's cells, in points from the left)."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    starts: dict[float, list[float]] = {}
    moments: list[tuple[float, float, float]] = []

    def operand(operator, args, cm, tm):
        if operator in (b"TJ", b"Tj"):
            y = round(tm[5] * cm[3] + cm[5], 1)
            starts.setdefault(y, []).append(tm[4] * cm[0] + cm[4])

    def text(content, cm, tm, font_dict, font_size):
        found = MOMENT.match(content.strip())
        if found and font_dict:
            x, y = tm[4] * cm[0] + cm[4], round(tm[5] * cm[3] + cm[5], 1)
            scale = font_size * tm[0] * cm[0] / 1000
            width = _width(Font.from_font_resource(font_dict), found.group()) * scale
            moments.append((x, x + width, y))

    page.extract_text(visitor_operand_before=operand, visitor_text=text)
    return [(x, end, sorted(starts.get(y, []))) for x, end, y in moments]


def test_the_timelines_moment_never_prints_over_what_happened(case, analyst, verified_client):
    work.case_note_add(case=case, actor=analyst, text="Eigenaar belde zelf op.")
    pdf = verified_client(analyst).get(reverse("cases:accountability", args=[case.pk])).content
    rows = _rows(pdf)
    assert len(rows) >= 3  # opened, the member, the note
    for start, end, cells in rows:
        what = min(x for x in cells if x > start + 1)  # the next column's text
        assert end < what, f"the moment ends at {end:.0f}pt, 'Wat' starts at {what:.0f}pt"
