"""The PDFs draw with the fonts that come with the package, not with whatever the server has."""

import subprocess
import sys

from baken.core.pdf import FONTS, font_faces

RENDER = """
import io, sys
from pypdf import PdfReader
from baken.core.pdf import render_pdf

pdf = render_pdf('<p style="font-family: DejaVu Sans">Melding <b>vet</b> en <i>schuin</i></p>')
page = PdfReader(io.BytesIO(pdf)).pages[0]
fonts = sorted(font["/BaseFont"].split("+")[-1] for font in page["/Resources"]["/Font"].values())
print(" ".join(fonts), "|", page.extract_text())
"""


def test_the_package_holds_the_four_faces_of_dejavu_sans():
    assert sorted(path.name for path in FONTS.glob("*.ttf")) == [
        "DejaVuSans-Bold.ttf",
        "DejaVuSans-BoldOblique.ttf",
        "DejaVuSans-Oblique.ttf",
        "DejaVuSans.ttf",
    ]
    assert font_faces().count("@font-face") == 4


def test_a_pdf_is_readable_on_a_server_without_fonts(tmp_path):
    # Fontconfig with no font directories at all: only the packaged files can draw the text.
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    done = subprocess.run(
        [sys.executable, "-c", RENDER],
        env={"FONTCONFIG_FILE": str(config), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    fonts, text = done.stdout.strip().split(" | ")
    assert fonts == "DejaVu-Sans DejaVu-Sans-Bold DejaVu-Sans-Italic"
    assert text == "Melding vet en schuin"
