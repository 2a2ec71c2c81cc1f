"""The request register's pages (`/verzoeken/`) as the privacy officer uses them, in Dutch:
register a request, see its deadline, search for the person, confirm and reject what was
found, extend, add a note and decide. Bad input comes back at its field with what was typed
kept; every other role gets 403 and nothing is written."""

import pytest

from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.rights.models import Hit, Request, RequestState, StepKind
from tests.rights.helpers import BIRTH, BSN, NAME, person_everywhere

pytestmark = pytest.mark.django_db
OTHER_ROLES = [r for r in Role.values if r != Role.PRIVACY_OFFICER]


@pytest.fixture
def person(make_user):
    return person_everywhere(make_user)


def text(response) -> str:
    return response.content.decode()


def test_a_request_is_registered_and_bad_input_keeps_what_was_typed(make_user, login):
    client = login(make_user(role=Role.PRIVACY_OFFICER))
    page = client.get("/verzoeken/nieuw")
    assert "Nieuw verzoek" in text(page) and "Hoe de identiteit is gecontroleerd" in text(page)
    form = {
        "kind": "erasure",
        "requester_name": "Pieter Bakker",
        "requester_birth_date": "1975-06-01",
        "requester_address": "Dorpsstraat 3, Havenwaard",
        "identity_verified": "",
        "description": "Wil dat de melding over hem wordt verwijderd.",
        "received_on": "2026-11-20",
    }
    refused = client.post("/verzoeken/nieuw", form)
    assert refused.status_code == 400
    assert "Dit veld is verplicht" in text(refused)
    assert "Wil dat de melding over hem wordt verwijderd." in text(refused)
    assert "Pieter Bakker" in text(refused)
    assert not Request.objects.exists()
    form["identity_verified"] = "Rijbewijs getoond aan de balie"
    form["received_on"] = "2099-01-01"
    future = client.post("/verzoeken/nieuw", form)
    assert "De datum van ontvangst kan niet in de toekomst liggen." in text(future)
    form["received_on"] = "2026-11-20"
    done = client.post("/verzoeken/nieuw", form, follow=True)
    made = Request.objects.get()
    assert f"Verzoek {made.reference} is vastgelegd" in text(done)
    assert "20 december 2026" in text(done)  # the deadline, one month on


def test_the_list_shows_deadlines_and_filters(person, login):
    client = login(person.officer)
    page = text(client.get("/verzoeken/"))
    assert person.request.reference in page and NAME in page
    assert "nog 3" in page  # received today: a month left (28 to 31 days)
    overdue = text(client.get("/verzoeken/", {"overdue": "yes"}))
    assert person.request.reference not in overdue
    assert "Geen verzoek past bij deze filters." in overdue


def test_search_confirm_reject_extend_note_and_decide_on_the_page(person, login):
    client = login(person.officer)
    url = f"/verzoeken/{person.request.pk}"
    page = text(client.get(url))
    assert f"Verzoek {person.request.reference}" in page
    assert 'value="Geertruida Wolfswinkel"' in page  # the search starts with her name
    criteria = {"name": NAME, "birth_date": BIRTH, "bsn": BSN}
    found = text(client.post(f"{url}/zoeken", criteria))
    assert "Geregistreerde betrokkenen (1)" in found
    assert "Meldingen die de persoon noemen" in found
    assert person.sealed.reference in found and "afgeschermd" in found
    assert "Overdracht van casus" in found and "Belastingdienst" in found
    judged = client.post(
        f"{url}/beoordelen",
        {
            **criteria,
            "kind": "subject",
            "object_id": person.subject.pk,
            "reasons": ["Zelfde BSN", "Zelfde geboortedatum"],
            "judgement": "confirm",
        },
    )
    assert judged.status_code == 200
    assert "bevestigd: is de persoon" in text(judged)
    hit = Hit.objects.get()
    assert hit.reasons == ["Zelfde BSN", "Zelfde geboortedatum"]
    rejected = client.post(
        f"{url}/beoordelen",
        {
            **criteria,
            "kind": "report",
            "object_id": person.described.pk,
            "reason": "Een naamgenoot.",
            "judgement": "reject",
        },
    )
    assert "afgewezen: gaat niet over de persoon" in text(rejected)
    # The search is shown again, not recorded again.
    assert person.request.steps.filter(kind=StepKind.SEARCHED).count() == 1
    missing = client.post(f"{url}/verlengen", {"reason": ""})
    assert missing.status_code == 400 and "Dit veld is verplicht" in text(missing)
    extended = client.post(f"{url}/verlengen", {"reason": "Veel gegevens."}, follow=True)
    assert "De termijn is verlengd tot" in text(extended)
    client.post(f"{url}/notitie", {"text": "Verzoeker gebeld."})
    no_rationale = client.post(f"{url}/besluit", {"outcome": "granted", "rationale": ""})
    assert no_rationale.status_code == 400
    decided = client.post(
        f"{url}/besluit", {"outcome": "partly", "rationale": "Eén melding niet."}, follow=True
    )
    assert "Het besluit over het verzoek is vastgelegd." in text(decided)
    assert "Eén melding niet." in text(decided)
    assert Request.objects.get().state == RequestState.DECIDED
    timeline = list(person.request.steps.values_list("kind", flat=True))
    assert timeline == [
        "registered",
        "searched",
        "confirmed",
        "rejected",
        "extended",
        "note",
        "decided",
    ]


def test_a_search_with_bad_input_comes_back_in_dutch(person, login):
    client = login(person.officer)
    refused = client.post(
        f"/verzoeken/{person.request.pk}/zoeken", {"bsn": "12345", "name": "Truus"}
    )
    assert refused.status_code == 400
    assert "Dit is geen geldig BSN" in text(refused)
    assert 'value="12345"' in text(refused) and 'value="Truus"' in text(refused)


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_is_refused(person, make_user, login, role):
    client = login(make_user(role=role))
    pk = person.request.pk
    written = AuditEntry.objects.count()
    for url in ("/verzoeken/", "/verzoeken/nieuw", f"/verzoeken/{pk}"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert NAME not in text(response)
    for url, body in (
        ("/verzoeken/nieuw", {"kind": "access", "requester_name": "X"}),
        (f"/verzoeken/{pk}/notitie", {"text": "x"}),
        (f"/verzoeken/{pk}/verlengen", {"reason": "x"}),
        (f"/verzoeken/{pk}/zoeken", {"name": NAME}),
        (f"/verzoeken/{pk}/beoordelen", {"kind": "subject", "object_id": 1}),
        (f"/verzoeken/{pk}/besluit", {"outcome": "granted", "rationale": "x"}),
    ):
        response = client.post(url, body)
        assert response.status_code == 403, url
        assert NAME not in text(response)
    assert AuditEntry.objects.filter(action__startswith="rights.").count() == 1  # registered
    assert AuditEntry.objects.count() == written
    assert "Verzoeken van betrokkenen" not in text(client.get("/"))


def test_the_menu_shows_the_register_to_the_privacy_officer(person, login):
    assert "Verzoeken van betrokkenen" in text(login(person.officer).get("/"))


def test_a_double_click_registers_one_request(make_user, login):
    """The form carries a one-time key: the same form sent twice (a double click, the browser
    sending it again) registers one request and shows it; a form shown again with a problem
    keeps its key; a new form has a new one."""
    from tests.htmlforms import form_values

    client = login(make_user(role=Role.PRIVACY_OFFICER))
    values = form_values(text(client.get("/verzoeken/nieuw")), "/verzoeken/nieuw")
    key = values["request_key"]
    assert len(key) == 36  # a UUID
    values.update(
        {
            "kind": "rectification",
            "requester_name": "Pieter Bakker",
            "identity_verified": "",
            "description": "Zijn adres in de melding klopt niet.",
            "received_on": "2026-11-20",
        }
    )
    refused = client.post("/verzoeken/nieuw", values)
    assert refused.status_code == 400
    assert form_values(text(refused), "/verzoeken/nieuw")["request_key"] == key
    values["identity_verified"] = "Rijbewijs getoond aan de balie"
    first = client.post("/verzoeken/nieuw", values)
    second = client.post("/verzoeken/nieuw", values, follow=True)
    made = Request.objects.get()
    assert first["Location"] == f"/verzoeken/{made.pk}"
    assert second.redirect_chain == [(f"/verzoeken/{made.pk}", 302)]
    assert f"Verzoek {made.reference} was al vastgelegd" in text(second)
    assert made.steps.count() == 1
    assert AuditEntry.objects.filter(action="rights.request_register").count() == 1
    fresh = form_values(text(client.get("/verzoeken/nieuw")), "/verzoeken/nieuw")
    assert fresh["request_key"] != key
    values["request_key"] = fresh["request_key"]
    assert client.post("/verzoeken/nieuw", values).status_code == 302
    assert Request.objects.count() == 2  # the same person asking again: a request of its own
