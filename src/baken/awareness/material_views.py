"""The awareness material's page and downloads (issue 17). Who may have them is decided by
material.material_for, for every one of these views alike."""

from csp.decorators import csp_replace
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from baken.core.roles import Capability

from .material import (
    Material,
    intranet_block,
    intranet_document,
    material_for,
    pocket_card_pdf,
    poster_pdf,
)
from .material_slide import slide_png

INTRANET_FILE = "meldpunt-intranet.html"


def _material(request) -> Material:
    return material_for(actor=request.user, request=request)


def _file(content: bytes | str, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_safe
def material_page(request):
    material = _material(request)
    context = {
        "material": material,
        "intranet_html": intranet_block(material),
        "file": INTRANET_FILE,
        # A link to the catalogue for who keeps it; the others ask the administrator.
        "user_configures": request.user.can(Capability.CONFIGURE),
        # Without it the QR code leads to the host this page was opened on (material.py).
        "site_url_set": bool(settings.SITE_URL),
    }
    return render(request, "awareness/material/page.html", context)


@require_safe
def poster(request):
    return _file(poster_pdf(_material(request)), "application/pdf", "poster-meldpunt.pdf")


@require_safe
def pocket_card(request):
    return _file(pocket_card_pdf(_material(request)), "application/pdf", "zakkaart-meldpunt.pdf")


@require_safe
def slide(request):
    return _file(slide_png(_material(request)), "image/png", "signalen.png")


# The block's own page is shown in a frame of the material page as a preview: framed by Baken
# itself only, and its inline style allowed here (nowhere else), with nothing else to load.
@require_safe
@xframe_options_sameorigin
@csp_replace(
    {
        "default-src": ["'none'"],
        "style-src": ["'unsafe-inline'"],
        "script-src": ["'none'"],
        "img-src": ["'none'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'none'"],
    }
)
def intranet(request):
    document = intranet_document(_material(request))
    return _file(document, "text/html; charset=utf-8", INTRANET_FILE)
