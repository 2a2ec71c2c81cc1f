"""PDFs with WeasyPrint, drawn with the fonts that come with the package (baken/core/fonts,
put there by `make assets`), so that a PDF looks the same on every server.

Without those files (a checkout before `make assets`) the system's DejaVu Sans is used.
"""

from pathlib import Path

FONTS = Path(__file__).with_name("fonts")
_FACES = [
    ("DejaVuSans.ttf", "normal", "normal"),
    ("DejaVuSans-Bold.ttf", "bold", "normal"),
    ("DejaVuSans-Oblique.ttf", "normal", "italic"),
    ("DejaVuSans-BoldOblique.ttf", "bold", "italic"),
]


def font_faces() -> str:
    """@font-face rules for the packaged DejaVu Sans files that are present."""
    return "\n".join(
        f'@font-face {{ font-family: "DejaVu Sans"; src: url("{path.as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for name, weight, style in _FACES
        if (path := FONTS / name).is_file()
    )


def render_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML document (no network: base_url is None)."""
    # Here, not at the top, for start-up: WeasyPrint takes seconds to import (2 s measured),
    # which every `baken` command (its checks load the URLs) and web worker would pay.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    faces = CSS(string=font_faces(), font_config=fonts)
    return HTML(string=html, base_url=None).write_pdf(stylesheets=[faces], font_config=fonts)
