"""The text of a PDF as its reader sees it: words joined by single spaces (table cells and
long lines wrap in the PDF)."""

import io

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
