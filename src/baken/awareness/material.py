"""The awareness material (issue 17): a poster, a pocket card, a slide of the signs and a block
for the intranet, made by Baken from its own configuration, so that the material always points
at this installation's Meldpunt and shows the signs of the catalogue as the administrator keeps
it today.

The material names no person and holds nothing from a report: it is not an export of data, and
reading it writes no audit entry (as the catalogue's own pages write none). Who may make it is
decided here, once, for the page and every download: the team (insights: analyst, team lead)
and the functional administrator (configure), who hand it out in trainings.

Everything is drawn offline: the QR code by segno, the PDFs by WeasyPrint with the packaged
fonts and no base URL (core.pdf), the slide by Pillow (material_slide.py).
"""

import io
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader

from baken.core.actors import Actor
from baken.core.pdf import render_pdf
from baken.core.refusals import Kind, Refused
from baken.core.roles import Capability
from baken.reports.models import Category

# The print style, one file for the PDFs and the page's previews, so what the page shows is
# what comes out of the printer.
PRINT_CSS = Path(__file__).with_name("static") / "awareness" / "material-print.css"


@dataclass(frozen=True)
class Theme:
    """An active category of the catalogue with its signs, in the catalogue's order."""

    name: str
    signs: tuple[str, ...]


@dataclass(frozen=True)
class Sign:
    theme: str
    text: str


@dataclass(frozen=True)
class Material:
    municipality: str  # empty: BAKEN_MUNICIPALITY_NAME is not set
    url: str  # the Meldpunt's absolute address: what every QR code holds
    short_url: str  # the address printed beside the code, for those who type it
    themes: tuple[Theme, ...]
    # The material is printed in the municipality's language, whatever the reader's.
    language: str

    @cached_property
    def qr(self) -> segno.QRCode:
        return segno.make(self.url, error="m")

    @cached_property
    def qr_data_uri(self) -> str:
        # Without a size of its own (viewBox only), so the style gives it its size in mm.
        return self.qr.svg_data_uri(scale=1, omitsize=True, dark="#000", light="#fff")

    def signs(self, *, limit: int, max_chars: int) -> list[Sign]:
        """A few signs for a small surface: the first of each theme, then the second of each,
        and so on, leaving out those longer than `max_chars` (the texts are the
        administrator's, of any length; the printed surface does not grow)."""
        chosen: list[Sign] = []
        for rank in range(max((len(theme.signs) for theme in self.themes), default=0)):
            for theme in self.themes:
                if len(chosen) == limit:
                    return chosen
                if rank < len(theme.signs) and len(theme.signs[rank]) <= max_chars:
                    chosen.append(Sign(theme.name, theme.signs[rank]))
        return chosen

    def poster_signs(self, limit: int = 6) -> list[Sign]:
        return self.signs(limit=limit, max_chars=100)

    def card_signs(self, limit: int = 5) -> list[Sign]:
        return self.signs(limit=limit, max_chars=110)


def may_use(actor: Actor) -> bool:
    return bool(
        actor.is_authenticated
        and (actor.can(Capability.INSIGHTS) or actor.can(Capability.CONFIGURE))
    )


def meldpunt_url(*, request) -> str:
    """The Meldpunt's address as people outside Baken reach it: BAKEN_SITE_URL when set (the
    address behind the proxy), otherwise the address this request came in on."""
    path = reverse("intake:report")
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def short_address(url: str) -> str:
    return settings.MELDPUNT_SHORT_URL or re.sub(r"^https?://", "", url)


def themes() -> tuple[Theme, ...]:
    categories = Category.objects.filter(is_active=True).prefetch_related("indicators")
    found = (
        Theme(category.name, tuple(sign.text for sign in category.indicators.all()))
        for category in categories
    )
    return tuple(theme for theme in found if theme.signs)


def material_for(*, actor: Actor, request) -> Material:
    """The material as the configuration makes it now, for a user who may hand it out."""
    if not may_use(actor):
        raise Refused(
            "material_not_allowed",
            _("The awareness material is for the team and the functional administrator."),
            kind=Kind.FORBIDDEN,
        )
    url = meldpunt_url(request=request)
    return Material(
        municipality=settings.MUNICIPALITY_NAME,
        url=url,
        short_url=short_address(url),
        themes=themes(),
        language=settings.LANGUAGE_CODE,
    )


def _pdf(template: str, material: Material, signs: list[Sign]) -> bytes:
    with translation.override(material.language):
        style = PRINT_CSS.read_text(encoding="utf-8")
        context = {"material": material, "signs": signs, "style": style}
        return render_pdf(render_to_string(template, context))


def _fitted(template: str, material: Material, signs, *, pages: int, most: int) -> bytes:
    """The PDF with as many signs as fit its pages: long signs, a long name or address, or a
    language with a longer headline would otherwise push the code onto a page of its own.
    One rendering in the usual case; one more for every sign that has to go."""
    for limit in range(most, -1, -1):
        pdf = _pdf(template, material, signs(limit))
        if len(PdfReader(io.BytesIO(pdf)).pages) <= pages:
            return pdf
    return pdf


def poster_pdf(material: Material) -> bytes:
    """An A4 poster: the headline, a few signs, the QR code and the short address."""
    template = "awareness/material/poster_pdf.html"
    return _fitted(template, material, material.poster_signs, pages=1, most=6)


def pocket_card_pdf(material: Material) -> bytes:
    """A card of 85 × 55 mm, two pages: the front with the code, the back with signs."""
    template = "awareness/material/pocket_card_pdf.html"
    return _fitted(template, material, material.card_signs, pages=2, most=5)


def intranet_block(material: Material) -> str:
    """The block to paste into the intranet: plain HTML with its style inline, no script and
    nothing fetched from elsewhere (an intranet's editor keeps what it is given)."""
    with translation.override(material.language):
        return render_to_string(
            "awareness/material/intranet_block.html", {"material": material}
        ).strip()


def intranet_document(material: Material) -> str:
    """The block as a page of its own: the download, and the preview's frame."""
    with translation.override(material.language):
        return render_to_string(
            "awareness/material/intranet_document.html",
            {"material": material, "intranet_html": intranet_block(material)},
        )
