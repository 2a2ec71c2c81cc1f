"""/melden/over: every employee reads, without logging in, what undermining is, the signs per
theme as the catalogue has them now, what happens to a report and what anonymous means."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from baken.core.roles import Role
from baken.reports.models import Category

pytestmark = pytest.mark.django_db


def _page(client) -> str:
    response = client.get("/melden/over")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_is_open_to_everyone_and_linked_from_the_meldpunt(client):
    assert reverse("awareness:about") == "/melden/over"
    form = client.get("/melden").content.decode()
    assert 'href="/melden/over"' in form
    assert "Wat is ondermijning en wat gebeurt er met uw melding?" in form
    body = _page(client)  # nobody logged in: the page itself, not the login page
    assert "<h1>Ondermijning: wat is het, en wat gebeurt er met uw melding?</h1>" in body
    assert 'href="/melden"' in body and 'href="/melden/opvolgen"' in body


def test_the_page_explains_in_plain_dutch(client, settings):
    settings.MUNICIPALITY_NAME = "gemeente Zaanstad"
    body = _page(client)
    for text in (
        "Ondermijning betekent dat criminelen gewone bedrijven",
        "Voor iedereen die werkt bij gemeente Zaanstad.",
        "Het team OOV van gemeente Zaanstad leest uw melding.",
        "Alleen de mensen in het team die uw melding nodig hebben",
        "Baken schrijft elke keer op wie uw melding opent.",
        "We bewaren uw IP-adres niet.",
        "Anoniem betekent niet:",
        "Tip: schrijf op wat u zag, niet hoe u het weet.",
        "Dan ziet het team alleen “kleine afdeling”",
        "Met uw ontvangstcode ziet u hoe het met uw melding staat.",
    ):
        assert text in body, text


def test_without_a_municipality_name_the_page_says_the_municipality(client, settings):
    settings.MUNICIPALITY_NAME = ""
    body = _page(client)
    assert "Voor iedereen die werkt bij de gemeente." in body
    assert "Het team OOV van de gemeente leest uw melding." in body


def test_the_signs_are_the_catalogues_and_follow_an_administrators_change(
    client, make_user, verified_client
):
    body = _page(client)
    for category in Category.objects.filter(is_active=True):
        assert f"<h3>{escape(category.name)}</h3>" in body
        for sign in category.indicators.all():
            assert f"<li>{escape(sign.text)}</li>" in body

    # The functional administrator changes a sign and switches a theme off: the page
    # shows it at the next visit.
    admin = verified_client(make_user(role=Role.ADMIN, team=None))
    drugs = Category.objects.get(code="drugs")
    gone = Category.objects.filter(is_active=True).exclude(code="drugs").first()
    texts = [s.text for s in drugs.indicators.all()][1:] + ["Ramen die altijd zijn afgeplakt"]
    dropped = escape(drugs.indicators.first().text)
    assert f"<li>{dropped}</li>" in body
    for category, active, signs in ((drugs, True, texts), (gone, False, None)):
        form = {
            "name": category.name,
            "code": category.code,
            "description": category.description,
            "deadline_days": str(category.deadline_days),
            "position": str(category.position),
            "signs": "\n".join(signs or [s.text for s in category.indicators.all()]),
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
            "questions-MIN_NUM_FORMS": "0",
            "questions-MAX_NUM_FORMS": "1000",
        }
        if active:
            form["is_active"] = "on"
        edit = reverse("intake:category_edit", args=[category.pk])
        assert admin.post(edit, form).status_code == 302
    after = _page(client)
    assert "<li>Ramen die altijd zijn afgeplakt</li>" in after
    assert f"<li>{dropped}</li>" not in after
    assert f"<h3>{escape(gone.name)}</h3>" not in after
