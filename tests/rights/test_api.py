"""The request register over the API (`/api/v1/rights/requests`), as a client of the privacy
officer uses it: register, search, confirm, reject, extend, note, decide; ISO 8601 dates,
problem+json for bad input with nothing written; every other role refused with 403."""

import pytest
from django.test import Client

from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.rights.models import Hit, Request
from tests.api.test_triage_api import auth
from tests.rights.helpers import BIRTH, BSN, NAME, person_everywhere

pytestmark = pytest.mark.django_db
BASE = "/api/v1/rights/requests"


@pytest.fixture
def person(make_user):
    return person_everywhere(make_user)


_TOKENS: dict[int, dict] = {}


@pytest.fixture(autouse=True)
def _fresh_tokens():
    _TOKENS.clear()  # the users of one test only: ids come again in the next


def call(user, method, url, body=None, **params):
    """A call with the user's token (made once: making one is an audit entry)."""
    client = Client()
    if user.pk not in _TOKENS:
        _TOKENS[user.pk] = {**auth(user), "HTTP_ACCEPT_LANGUAGE": "nl"}
    headers = _TOKENS[user.pk]
    if method == "get":
        return client.get(url, params, **headers)
    return client.post(url, body or {}, content_type="application/json", **headers)


def test_register_search_confirm_reject_and_decide(person):
    officer = person.officer
    made = call(
        officer,
        "post",
        BASE,
        {
            "kind": "rectification",
            "requester_name": NAME,
            "requester_birth_date": BIRTH,
            "identity_verified": "Paspoort getoond",
            "description": "Mijn geboortedatum klopt niet.",
            "received_on": "2026-01-31",
        },
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["deadline"] == "2026-02-28" and body["due"] == "2026-02-28"
    assert body["overdue"] is True and body["days_left"] < 0
    assert [s["kind"] for s in body["steps"]] == ["registered"]
    pk = body["id"]
    found = call(officer, "post", f"{BASE}/{pk}/search", {"bsn": BSN, "name": NAME})
    assert found.status_code == 200, found.content
    result = found.json()
    assert result["searched_by"] == ["naam", "BSN"]
    subjects = result["subjects"]["items"]
    assert [(i["kind"], i["object_id"]) for i in subjects] == [("subject", person.subject.pk)]
    sealed = next(i for i in result["reports"]["items"] if i["object_id"] == person.sealed.pk)
    assert sealed["sealed"] is True and sealed["mentions"][0]["linked_to"] == ""
    assert [i["object_id"] for i in result["handovers"]["items"]] == [person.handover.pk]
    confirmed = call(
        officer,
        "post",
        f"{BASE}/{pk}/hits/confirm",
        {"kind": "subject", "object_id": person.subject.pk, "reasons": subjects[0]["reasons"]},
    )
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["label"] == f"Persoon {NAME} (#{person.subject.pk})"
    rejected = call(
        officer,
        "post",
        f"{BASE}/{pk}/hits/reject",
        {"kind": "report", "object_id": person.described.pk, "reason": "Naamgenoot."},
    )
    assert rejected.status_code == 200 and rejected.json()["kind"] == "rejected"
    detail = call(officer, "get", f"{BASE}/{pk}").json()
    assert [h["object_id"] for h in detail["hits"]] == [person.subject.pk]
    assert call(officer, "post", f"{BASE}/{pk}/notes", {"text": "Gebeld."}).status_code == 201
    extended = call(officer, "post", f"{BASE}/{pk}/extend", {"reason": "Veel gegevens."})
    assert extended.json()["extended_until"] == "2026-04-28"
    twice = call(officer, "post", f"{BASE}/{pk}/extend", {"reason": "Nog eens."})
    assert twice.status_code == 409 and twice["Content-Type"] == "application/problem+json"
    decided = call(
        officer,
        "post",
        f"{BASE}/{pk}/decision",
        {"outcome": "granted", "rationale": "Geboortedatum gecorrigeerd."},
    )
    assert decided.status_code == 200 and decided.json()["state"] == "decided"
    listed = call(officer, "get", BASE, state="decided").json()
    assert [r["reference"] for r in listed["results"]] == [body["reference"]]


def test_bad_input_is_a_problem_in_dutch_and_nothing_is_written(person):
    officer = person.officer
    refused = call(
        officer,
        "post",
        BASE,
        {
            "kind": "access",
            "requester_name": "",
            "identity_verified": "",
            "description": "Inzage.",
            "received_on": "2026-01-31",
        },
    )
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    reasons = {p["name"]: p["reason"] for p in refused.json()["invalid_params"]}
    assert reasons["requester_name"] == "Vul de naam in van de persoon die het vraagt."
    assert set(reasons) == {"requester_name", "identity_verified"}
    assert Request.objects.count() == 1  # only the fixture's
    pk = person.request.pk
    empty = call(officer, "post", f"{BASE}/{pk}/search", {"name": ""})
    assert empty.status_code == 400 and empty.json()["code"] == "search_empty"
    bsn = call(officer, "post", f"{BASE}/{pk}/search", {"bsn": "12"})
    assert bsn.json()["invalid_params"][0]["name"] == "bsn"
    unknown = call(officer, "post", f"{BASE}/{pk}/hits/confirm", {"kind": "case", "object_id": 99})
    assert unknown.status_code == 404 and not Hit.objects.exists()
    wrong_type = call(officer, "post", f"{BASE}/{pk}/decision", {"outcome": "granted"})
    assert wrong_type.status_code == 400
    assert call(officer, "get", f"{BASE}/987654").status_code == 404


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.PRIVACY_OFFICER])
def test_every_other_role_is_refused(person, make_user, role):
    other = make_user(role=role)
    call(other, "get", "/api/v1/me")  # the token, made before counting
    pk = person.request.pk
    written = AuditEntry.objects.count()
    assert call(other, "get", BASE).status_code == 403
    assert call(other, "get", f"{BASE}/{pk}").status_code == 403
    for path, body in (
        ("", {"kind": "access"}),
        (f"/{pk}/notes", {"text": "x"}),
        (f"/{pk}/extend", {"reason": "x"}),
        (f"/{pk}/search", {"name": NAME}),
        (f"/{pk}/hits/confirm", {"kind": "subject", "object_id": person.subject.pk}),
        (f"/{pk}/hits/reject", {"kind": "subject", "object_id": person.subject.pk}),
        (f"/{pk}/decision", {"outcome": "granted", "rationale": "x"}),
    ):
        response = call(other, "post", BASE + path, body)
        assert response.status_code == 403, path
        assert NAME not in response.content.decode()
    assert AuditEntry.objects.count() == written
    assert not Hit.objects.exists()


HUGE = 10**30  # more than any database holds (a 64-bit integer at most)


def _registered(officer, kind: str) -> int:
    made = call(
        officer,
        "post",
        BASE,
        {
            "kind": kind,
            "requester_name": NAME,
            "requester_birth_date": BIRTH,
            "identity_verified": "Paspoort getoond",
            "description": "Zie de brief van 3 november.",
            "received_on": "2026-11-03",
        },
    )
    assert made.status_code == 201, made.content
    return made.json()["id"]


def _problem_at(response, name: str) -> None:
    assert response.status_code == 400, (name, response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/problem+json"
    names = [p["name"] for p in response.json()["invalid_params"]]
    assert name in names, names


def test_numbers_no_database_holds_are_a_problem_not_an_error(person):
    """Every whole number of the rights API's bodies has a maximum (2^63 - 1, the largest id
    the databases hold): past it a 400 problem naming the field, nothing written; at it,
    what the number names is simply not there."""
    officer = person.officer
    correction = _registered(officer, "rectification")
    erasure = _registered(officer, "erasure")
    confirmed = call(
        officer,
        "post",
        f"{BASE}/{correction}/hits/confirm",
        {"kind": "report", "object_id": person.named.pk},
    )
    assert confirmed.status_code == 200, confirmed.content
    hit = confirmed.json()["id"]
    removable = call(
        officer,
        "post",
        f"{BASE}/{erasure}/hits/confirm",
        {"kind": "report", "object_id": person.other.pk},
    )
    assert removable.status_code == 200, removable.content
    written = AuditEntry.objects.count(), Hit.objects.count()
    for huge in (HUGE, 2**63):
        for action in ("confirm", "reject"):
            _problem_at(
                call(
                    officer,
                    "post",
                    f"{BASE}/{correction}/hits/{action}",
                    {"kind": "report", "object_id": huge},
                ),
                "object_id",
            )
        _problem_at(call(officer, "post", f"{BASE}/{erasure}/removal", {"hits": [huge]}), "hits.0")
        _problem_at(
            call(
                officer,
                "post",
                f"{BASE}/{correction}/hits/{hit}/correction",
                {"revision": huge, "reason": "Naam", "changes": {"description": "Iets anders."}},
            ),
            "revision",
        )
    assert (AuditEntry.objects.count(), Hit.objects.count()) == written
    largest = 2**63 - 1
    gone = call(
        officer,
        "post",
        f"{BASE}/{correction}/hits/confirm",
        {"kind": "report", "object_id": largest},
    )
    assert gone.status_code == 404 and gone.json()["code"] == "hit_not_found"
    assert call(officer, "get", f"{BASE}/{HUGE}").status_code == 404


def test_the_same_request_key_twice_registers_one_request(person):
    """`request_key`, a key of the client's choosing: sent again (a retry after a lost
    answer) nothing is registered twice and the answer is 409 naming the request."""
    officer = person.officer
    body = {
        "kind": "erasure",
        "requester_name": NAME,
        "identity_verified": "Paspoort getoond",
        "description": "Wil dat de meldingen over haar worden verwijderd.",
        "received_on": "2026-11-03",
        "request_key": "7f0c1a52-8d6b-4c8e-9a51-3c2f5e4d1b90",
    }
    made = call(officer, "post", BASE, body)
    assert made.status_code == 201, made.content
    again = call(officer, "post", BASE, body)
    assert again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"
    problem = again.json()
    assert problem["code"] == "registered_already"
    assert made.json()["reference"] in problem["invalid_params"][0]["reason"]
    assert problem["invalid_params"][0]["name"] == "request_key"
    assert Request.objects.filter(requester_name=NAME, kind="erasure").count() == 1
    wrong = call(officer, "post", BASE, {**body, "request_key": "twee keer"})
    assert wrong.status_code == 400
    assert wrong.json()["invalid_params"][0]["name"] == "request_key"
    other = call(officer, "post", BASE, {**body, "request_key": None})
    assert other.status_code == 201  # without a key: registered, as before
