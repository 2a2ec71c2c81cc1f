"""The slide of the awareness material (issue 17): the signs of every active theme of the
catalogue on one image of 1920 × 1080, for the screen of a training.

Drawn with Pillow and the DejaVu fonts Baken packages for its PDFs (core/fonts): WeasyPrint
makes no images any more (PNG output went in version 53), and a browser is not there on a
server. The text is laid out here: the largest size at which every theme fits, down to a size
still legible from the back of a room; below that the later signs of a theme are left out
(a training shows the signs, the Meldpunt itself has them all).

The PNG carries the text it shows as its description, for who places it in a presentation
without seeing it.
"""

import io
from dataclasses import dataclass
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from baken.core.pdf import FONTS

from .material import Material, Theme

WIDTH, HEIGHT = 1920, 1080
MARGIN = 80
HEADER, FOOTER, PADDING = 150, 230, 36
COLUMNS, GAP = 3, 60
LARGEST, SMALLEST = 36, 24  # px of a sign's text; 24 px on 1080 lines reads across a room
DARK, ACCENT, SOFT, TEXT = "#154273", "#01689b", "#f3f6fa", "#1a1a1a"
_SYSTEM_FONTS = Path("/usr/share/fonts/truetype/dejavu")

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _font(size: int, *, bold: bool = False) -> Font:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in (FONTS, _SYSTEM_FONTS):
        if (folder / name).is_file():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size)  # a checkout without fonts: plain, but it draws


def _wrap(text: str, font: Font, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and font.getlength(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


@dataclass
class _Block:
    """One theme as drawn: its heading and signs as wrapped lines, and the height they take."""

    theme: Theme
    heading: list[str]
    signs: list[list[str]]
    height: int


class _Layout:
    def __init__(self, size: int):
        self.size = size
        self.text = _font(size)
        self.heading = _font(size + 2, bold=True)
        self.line = round(size * 1.3)
        self.column = (WIDTH - 2 * MARGIN - (COLUMNS - 1) * GAP) // COLUMNS
        self.indent = round(size * 1.1)
        self._blocks: dict[tuple[Theme, int], _Block] = {}

    def block(self, theme: Theme, signs: int) -> _Block:
        if (theme, signs) not in self._blocks:
            heading = _wrap(theme.name, self.heading, self.column)
            wrapped = [
                _wrap(sign, self.text, self.column - self.indent) for sign in theme.signs[:signs]
            ]
            lines = len(heading) + sum(len(sign) for sign in wrapped)
            gaps = len(wrapped) * (self.line // 4) + self.line // 2
            self._blocks[theme, signs] = _Block(theme, heading, wrapped, lines * self.line + gaps)
        return self._blocks[theme, signs]

    def columns(self, themes: tuple[Theme, ...], counts: list[int]) -> list[list[_Block]] | None:
        """The blocks in columns, a block never split; None when they do not fit."""
        room = HEIGHT - HEADER - FOOTER - 2 * PADDING
        columns: list[list[_Block]] = [[]]
        used = 0
        for theme, count in zip(themes, counts, strict=True):
            block = self.block(theme, count)
            if used + block.height > room and columns[-1]:
                if len(columns) == COLUMNS:
                    return None
                columns.append([])
                used = 0
            if block.height > room:
                return None
            columns[-1].append(block)
            used += block.height
        return columns


def _filled(layout: _Layout, themes: tuple[Theme, ...], counts: list[int]):
    """The room left at this size given to more signs, one theme after the other."""
    grown = True
    while grown:
        grown = False
        for i, theme in enumerate(themes):
            if counts[i] < len(theme.signs):
                counts[i] += 1
                if layout.columns(themes, counts) is None:
                    counts[i] -= 1
                else:
                    grown = True
    return layout.columns(themes, counts) or []


def _fit(themes: tuple[Theme, ...]) -> tuple[_Layout, list[list[_Block]]]:
    """The largest size that shows three signs of every theme, else two, else one; then as
    many more as the room left takes."""
    for wanted in (3, 2, 1):
        counts = [min(wanted, len(theme.signs)) for theme in themes]
        for size in range(LARGEST, SMALLEST - 1, -2):
            layout = _Layout(size)
            if layout.columns(themes, counts) is not None:
                return layout, _filled(layout, themes, counts)
    # More themes than one slide holds even with one sign each: the first ones that fit.
    layout = _Layout(SMALLEST)
    for count in range(len(themes) - 1, 0, -1):
        if (columns := layout.columns(themes[:count], [1] * count)) is not None:
            return layout, columns
    return layout, []


def _draw_columns(draw: ImageDraw.ImageDraw, layout: _Layout, columns) -> None:
    for number, blocks in enumerate(columns):
        x = MARGIN + number * (layout.column + GAP)
        y = HEADER + PADDING
        for block in blocks:
            for line in block.heading:
                draw.text((x, y), line, font=layout.heading, fill=ACCENT)
                y += layout.line
            for sign in block.signs:
                square = layout.size // 3
                top = y + (layout.line - square) // 2
                draw.rectangle((x, top, x + square, top + square), fill=ACCENT)
                for line in sign:
                    draw.text((x + layout.indent, y), line, font=layout.text, fill=TEXT)
                    y += layout.line
                y += layout.line // 4
            y += layout.line // 2


def _fitting(text: str, width: int, size: int, *, bold: bool = False) -> Font:
    """The font at `size`, smaller when the text (an address, a name) is wider than `width`."""
    font = _font(size, bold=bold)
    while size > SMALLEST and font.getlength(text) > width:
        size -= 2
        font = _font(size, bold=bold)
    return font


def _draw_frame(image: Image.Image, material: Material) -> None:
    draw = ImageDraw.Draw(image)
    width = WIDTH - 2 * MARGIN
    draw.rectangle((0, 0, WIDTH, HEADER), fill=DARK)
    title = _("The signs of undermining crime")
    draw.text((MARGIN, 28), title, font=_fitting(title, width, 60, bold=True), fill="#fff")
    if material.municipality:
        name = _fitting(material.municipality, width, 30)
        draw.text((MARGIN, 100), material.municipality, font=name, fill="#fff")
    top = HEIGHT - FOOTER
    draw.rectangle((0, top, WIDTH, HEIGHT), fill=SOFT)
    draw.rectangle((0, top, WIDTH, top + 6), fill=DARK)
    drawn = io.BytesIO()
    material.qr.save(drawn, kind="png", scale=6, border=2, dark="#000", light="#fff")
    qr = Image.open(drawn).convert("RGB")
    image.paste(qr, (WIDTH - MARGIN - qr.width, top + 6 + (FOOTER - 6 - qr.height) // 2))
    call = _("Do you see something that is not right? Report it: %(address)s") % {
        "address": material.short_url
    }
    room = width - qr.width - GAP
    draw.text((MARGIN, top + 60), call, font=_fitting(call, room, 44, bold=True), fill=DARK)
    draw.text((MARGIN, top + 130), _("You can report anonymously."), font=_font(32), fill=TEXT)


def slide_png(material: Material) -> bytes:
    with translation.override(material.language):
        image = Image.new("RGB", (WIDTH, HEIGHT), "#fff")
        _draw_frame(image, material)
        layout, columns = _fit(material.themes)
        _draw_columns(ImageDraw.Draw(image), layout, columns)
        shown = [block for blocks in columns for block in blocks]
        described = "\n".join(
            f"{block.theme.name}: " + "; ".join(" ".join(sign) for sign in block.signs)
            for block in shown
        )
        info = PngInfo()
        info.add_text("Title", _("The signs of undermining crime"))
        info.add_text("Description", described, zip=True)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info, optimize=True)
    return out.getvalue()
