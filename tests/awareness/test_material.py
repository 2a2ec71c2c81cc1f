"""The material for a training (issue 17): a poster, a pocket card, a slide and an intranet
block that Baken makes from its own configuration. The printed pieces name the municipality
and the short address, and their QR code, read as a phone reads it (the page drawn by
pypdfium2, the code decoded by zxing-cpp), leads exactly to the Meldpunt; the slide shows the
catalogue as the administrator left it; the intranet block is plain HTML without script. Only
the team (analyst, team lead) and the functional administrator get them."""

import io
from html.parser import HTMLParser

import pypdfium2
import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from pypdf import PdfReader

from baken.core.roles import Role
from tests.intake.test_catalogue_admin import _form as category_form
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

PAGE = "/werkruimte/bewustwording/materiaal"
POSTER = f"{PAGE}/poster.pdf"
CARD = f"{PAGE}/zakkaart.pdf"
SLIDE = f"{PAGE}/signalen.png"
INTRANET = f"{PAGE}/intranet"
MELDPUNT = "https://meldpunt.havenwaard.nl/melden"
MM = 72 / 25.4  # PDF points in a millimetre


@pytest.fixture(autouse=True)
def havenwaard(settings):
    settings.MUNICIPALITY_NAME = "Gemeente Havenwaard"
    settings.SITE_URL = "https://meldpunt.havenwaard.nl"
    settings.MELDPUNT_SHORT_URL = "havenwaard.nl/melden"


def signed_in(user) -> Client:
    """A client of its own per user, past both factors (as tests/conftest's verified_client)."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


@pytest.fixture
def team_lead(make_user):
    return signed_in(make_user(role=Role.TEAM_LEAD))


@pytest.fixture
def administrator(make_user):
    return signed_in(make_user(role=Role.ADMIN, team=None))


def _get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response


def qr_codes(pdf: bytes, page: int) -> list[str]:
    """What a phone reads from the page's QR codes."""
    drawn = pypdfium2.PdfDocument(pdf)[page].render(scale=4).to_pil()
    return [found.text for found in zxingcpp.read_barcodes(drawn)]


def page_sizes_mm(pdf: bytes) -> list[tuple[int, int]]:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return [(round(p.mediabox.width / MM), round(p.mediabox.height / MM)) for p in pages]


def test_the_poster_names_the_municipality_and_its_code_leads_to_the_meldpunt(team_lead):
    response = _get(team_lead, POSTER)
    assert response["Content-Type"] == "application/pdf"
    assert page_sizes_mm(response.content) == [(210, 297)]
    text = pdf_text(response.content)
    for expected in (
        "Gemeente Havenwaard",
        "Zie je iets wat niet klopt? Meld het.",
        "havenwaard.nl/melden",
        "Anoniem melden kan.",
        "Ramen die zijn afgeplakt of altijd bedekt",  # the first sign of the first theme
    ):
        assert expected in text, expected
    assert qr_codes(response.content, 0) == [MELDPUNT]


def test_the_pocket_card_has_the_code_on_the_front_and_signs_on_the_back(team_lead):
    pdf = _get(team_lead, CARD).content
    assert page_sizes_mm(pdf) == [(85, 55), (85, 55)]
    reader = PdfReader(io.BytesIO(pdf))
    front, back = (" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Gemeente Havenwaard" in front and "havenwaard.nl/melden" in front
    assert qr_codes(pdf, 0) == [MELDPUNT]
    assert "Anoniem melden kan" in back and "havenwaard.nl/melden" in back
    assert "Ramen die zijn afgeplakt of altijd bedekt" in back
    assert qr_codes(pdf, 1) == []


def test_without_a_site_address_the_code_holds_the_address_baken_was_reached_on(
    team_lead, settings
):
    settings.SITE_URL = ""
    settings.MELDPUNT_SHORT_URL = ""
    settings.ALLOWED_HOSTS = ["baken.havenwaard.nl"]
    pdf = team_lead.get(CARD, HTTP_HOST="baken.havenwaard.nl").content
    assert qr_codes(pdf, 0) == ["http://baken.havenwaard.nl/melden"]
    assert "baken.havenwaard.nl/melden" in pdf_text(pdf)
    # The page warns before anyone prints a poster that leads to the workspace's host.
    page = team_lead.get(reverse("awareness:material"), HTTP_HOST="baken.havenwaard.nl")
    assert "BAKEN_SITE_URL is niet ingesteld" in page.content.decode()
    settings.SITE_URL = "https://meldpunt.havenwaard.nl"
    page = team_lead.get(reverse("awareness:material"), HTTP_HOST="baken.havenwaard.nl")
    assert "BAKEN_SITE_URL is niet ingesteld" not in page.content.decode()


def _slide(client) -> Image.Image:
    response = _get(client, SLIDE)
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    image.load()
    return image


def test_the_slide_shows_the_catalogue_as_the_administrator_left_it(team_lead, administrator):
    before = _slide(team_lead)
    assert before.size == (1920, 1080)
    assert "Containers die 's nachts worden geopend" not in before.text["Description"]

    # The administrator adds a theme with its signs through the catalogue's page, and
    # switches another off.
    response = administrator.post("/beheer/categorieen/nieuw", category_form())
    assert response.status_code == 302
    after = _slide(team_lead)
    assert after.size == (1920, 1080)
    shown = after.text["Description"]
    assert "Ondermijning in de haven: Containers die 's nachts worden geopend" in shown
    assert "Drugs: Ramen die zijn afgeplakt of altijd bedekt" in shown  # the others stay
    assert after.tobytes() != before.tobytes()


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_the_intranet_block_is_plain_html_with_the_link(team_lead):
    page = _get(team_lead, PAGE).content.decode()
    response = _get(team_lead, INTRANET)
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert 'filename="meldpunt-intranet.html"' in response["Content-Disposition"]
    document = response.content.decode()
    parser = _Tags()
    parser.feed(document)
    tags = {tag for tag, _ in parser.tags}
    assert tags <= {"html", "head", "meta", "title", "body", "div", "p", "a"}, tags
    assert "<script" not in document.lower() and "<style" not in document.lower()
    links = [attrs["href"] for tag, attrs in parser.tags if tag == "a"]
    assert links == [MELDPUNT]
    assert not [name for _, attrs in parser.tags for name in attrs if name.startswith("on")]
    assert "Meld het op havenwaard.nl/melden" in document
    assert "Gemeente Havenwaard" in document
    # The block to copy is the same, shown escaped in the page's field.
    assert "&lt;a href=&quot;https://meldpunt.havenwaard.nl/melden&quot;" in page
    # Its style is allowed inline in this answer only; only Baken's own page may frame it.
    assert "style-src 'unsafe-inline'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "'unsafe-inline'" not in _get(team_lead, PAGE)["Content-Security-Policy"]


def test_the_page_lists_each_piece_with_a_preview_and_its_download(administrator):
    page = _get(administrator, PAGE).content.decode()
    for expected in (
        "Materiaal voor een training",
        'href="/werkruimte/bewustwording/materiaal/poster.pdf"',
        'href="/werkruimte/bewustwording/materiaal/zakkaart.pdf"',
        'src="/werkruimte/bewustwording/materiaal/signalen.png"',
        'src="/werkruimte/bewustwording/materiaal/intranet"',
        "Zie je iets wat niet klopt? Meld het.",  # the poster's and card's previews
        MELDPUNT,
        "Categorieën en signalen wijzigen",  # the administrator keeps the catalogue
    ):
        assert expected in page, expected


def test_the_page_says_when_the_municipality_is_not_set(team_lead, settings):
    settings.MUNICIPALITY_NAME = ""
    page = _get(team_lead, PAGE).content.decode()
    assert "het materiaal noemt geen gemeente" in page
    assert "Categorieën en signalen wijzigen" not in page  # the team does not keep it
    assert "Gemeente Havenwaard" not in pdf_text(_get(team_lead, POSTER).content)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ANALYST, True),
        (Role.TEAM_LEAD, True),
        (Role.ADMIN, True),
        (Role.INTAKE, False),
        (Role.CASE_HANDLER, False),
        (Role.MANAGEMENT, False),
        (Role.PRIVACY_OFFICER, False),
    ],
)
def test_only_the_team_and_the_administrator_get_the_material(make_user, role, allowed):
    teamless = role in (Role.ADMIN, Role.MANAGEMENT, Role.PRIVACY_OFFICER)
    client = signed_in(make_user(role=role, **({"team": None} if teamless else {})))
    for url in (PAGE, POSTER, CARD, SLIDE, INTRANET):
        assert client.get(url).status_code == (200 if allowed else 403), url
        assert client.post(url).status_code == 405, url  # nothing here takes a write


def test_nobody_signed_in_is_sent_to_log_in(client):
    for url in (PAGE, POSTER, CARD, SLIDE, INTRANET):
        response = client.get(url)
        assert response.status_code == 302 and "/inloggen" in response["Location"], url


def test_the_material_is_in_the_municipalitys_language_whatever_the_readers(team_lead):
    team_lead.post("/i18n/taal", {"language": "en", "next": PAGE})
    page = _get(team_lead, PAGE).content.decode()
    assert "Material for a training" in page  # the page itself in English
    assert "Zie je iets wat niet klopt? Meld het." in page  # the previews as printed
    assert "Zie je iets wat niet klopt? Meld het." in pdf_text(_get(team_lead, POSTER).content)
