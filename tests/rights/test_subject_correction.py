"""Correcting a registered subject on a request (issue 16, review finding 6): a value that
does not fit is refused with a specific Dutch message, never cut short; and a correction
made on an older version than the subject's latest is refused (409) as a report's on an
older revision is, so two corrections at once cannot undo each other."""

import pytest
from django.test import Client

from baken.reports.models import Report
from baken.subjects.models import Subject
from baken.subjects.services import subject_create_from
from tests.api.test_triage_api import auth
from tests.htmlforms import form_values
from tests.rights.helpers import NAME, person_everywhere
from tests.rights.test_changes import _confirm, _request

pytestmark = pytest.mark.django_db


def _post(officer, request, hit, body):
    return Client().post(
        f"/api/v1/rights/requests/{request.pk}/hits/{hit.pk}/correction",
        body,
        content_type="application/json",
        **auth(officer),
    )


def test_a_name_too_long_is_refused_not_cut_short(make_user):
    person = person_everywhere(make_user)
    officer = person.officer
    request = _request(officer, "rectification")
    hit = _confirm(officer, request, "subject", person.subject.pk)
    long_name = "Geertruida " + "Wolfswinkel-" * 30  # 371 characters
    refused = _post(
        officer,
        request,
        hit,
        {"revision": 0, "reason": "Naam volledig", "changes": {"name": long_name}},
    )
    assert refused.status_code == 400, refused.content
    problems = {p["name"]: p["reason"] for p in refused.json()["invalid_params"]}
    assert problems == {"name": "Gebruik maximaal 300 tekens."}
    letter = _post(
        officer, request, hit, {"revision": 0, "reason": "Adres", "changes": {"bsn": "1" * 40}}
    )
    assert letter.status_code == 400
    assert Subject.objects.get(pk=person.subject.pk).name == NAME
    assert not Subject.objects.get(pk=person.subject.pk).versions.exists()


def test_an_address_with_a_long_house_letter_is_refused(make_user):
    person = person_everywhere(make_user)
    officer = person.officer
    address = Client().post(
        "/api/v1/reports",
        {
            "category": "drugs",
            "description": "Kelder ruikt naar hennep.",
            "subjects": [
                {
                    "type": "address",
                    "address": {"postcode": "1781AB", "house_number": 14, "house_letter": "A"},
                }
            ],
            "reporter": {"anonymous": True},
        },
        content_type="application/json",
    )
    assert address.status_code == 201, address.content
    report = Report.objects.get(pk=address.json()["id"])
    Report.objects.filter(pk=report.pk).update(team=person.analyst.team)
    subject = subject_create_from(report_subject=report.subjects.get(), actor=person.analyst)
    request = _request(officer, "rectification")
    hit = _confirm(officer, request, "subject", subject.pk)
    refused = _post(
        officer,
        request,
        hit,
        {"revision": 0, "reason": "Huisletter", "changes": {"house_letter": "BC"}},
    )
    assert refused.status_code == 400
    problems = {p["name"]: p["reason"] for p in refused.json()["invalid_params"]}
    assert problems == {"house_letter": "Geef één letter als huisletter."}
    assert Subject.objects.get(pk=subject.pk).house_letter == "A"


def test_a_correction_on_an_older_version_is_refused_over_the_api(make_user):
    person = person_everywhere(make_user)
    officer = person.officer
    request = _request(officer, "rectification")
    hit = _confirm(officer, request, "subject", person.subject.pk)
    first = _post(
        officer,
        request,
        hit,
        {"revision": 0, "reason": "Geboortedatum", "changes": {"birth_date": "1968-09-12"}},
    )
    assert first.status_code == 200 and first.json()["version"] == 1
    second = _post(
        officer,
        request,
        hit,
        {
            "revision": 0,
            "reason": "Naam",
            "changes": {"name": "G. Wolfswinkel", "birth_date": "1968-09-21"},
        },
    )
    assert second.status_code == 409, second.content
    assert second.json()["code"] == "stale"
    (problem,) = second.json()["invalid_params"]
    assert problem["name"] == "revision" and "versie 1" in problem["reason"]
    subject = Subject.objects.get(pk=person.subject.pk)
    assert (subject.name, subject.birth_date.isoformat()) == (NAME, "1968-09-12")
    missing = _post(officer, request, hit, {"reason": "Naam", "changes": {"name": "G. W."}})
    assert missing.status_code == 400
    again = _post(
        officer, request, hit, {"revision": 1, "reason": "Naam", "changes": {"name": "G. W."}}
    )
    assert again.status_code == 200 and again.json()["version"] == 2


def test_a_correction_on_the_page_made_meanwhile_is_not_undone(make_user, verified_client):
    """The officer opens the form; a colleague corrects the date of birth over the API; the
    form she sends (with the old date in it) is refused and keeps what she typed, and once
    she sends it again, knowingly, it is saved."""
    person = person_everywhere(make_user)
    officer = person.officer
    request = _request(officer, "rectification")
    hit = _confirm(officer, request, "subject", person.subject.pk)
    client = verified_client(officer)
    url = f"/verzoeken/{request.pk}/items/{hit.pk}/corrigeren"
    values = form_values(client.get(url).content.decode(), url)
    assert values["revision"] == "0"
    colleague = make_user(role="privacy_officer")
    meanwhile = _post(
        colleague,
        request,
        hit,
        {"revision": 0, "reason": "Geboortedatum", "changes": {"birth_date": "1968-09-12"}},
    )
    assert meanwhile.status_code == 200
    values.update({"name": "Geertruida Wolfswinkel-Bos", "reason": "Huwelijk"})
    stale = client.post(url, values)
    assert stale.status_code == 409
    text = stale.content.decode()
    assert "intussen gecorrigeerd" in text and "Wolfswinkel-Bos" in text
    assert Subject.objects.get(pk=person.subject.pk).birth_date.isoformat() == "1968-09-12"
    again = form_values(text, url)
    assert again["revision"] == "1" and again["name"] == "Geertruida Wolfswinkel-Bos"
    again["birth_date"] = "1968-09-12"
    assert client.post(url, again).status_code == 302
    subject = Subject.objects.get(pk=person.subject.pk)
    assert subject.name == "Geertruida Wolfswinkel-Bos"
    assert subject.birth_date.isoformat() == "1968-09-12"
