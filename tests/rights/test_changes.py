"""Carrying out a request of a data subject (issue 16, part C), as the privacy officer does it
on the request's page and over the API, with the person's data made as users make it (the
Meldpunt's API, the analyst's registrations, a case and its hand-over: tests/rights/helpers):

- a correction of a report (one with a time) is a new version as an improvement is, and of a
  registered subject a version of its own that the subject page shows; the reason names the
  request;
- a restriction takes the report and the subject out of the analyst's inbox, search, API and
  subject page, and lifting it brings them back;
- a removal destroys through the retention machinery, refused while a legal hold lasts, and
  leaves nothing of the report or subject behind; its statement names the request;
- the recipients of the hand-over are listed to be told, and telling them is a notice;
- every other role is refused, and nothing changes.
"""

import io
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone

from baken.audit.models import AuditEntry
from baken.cases.models import HandoverNotice
from baken.core.roles import Role
from baken.privacy import retention
from baken.privacy import services as privacy_services
from baken.privacy.models import DestroyedItem, RetentionRun
from baken.reports.models import Report
from baken.rights import services
from baken.rights.models import Hit, Request, StepKind
from baken.subjects.models import Subject
from tests.api.test_schema_fuzz import CHECKS, _failure, _schema
from tests.api.test_triage_api import auth
from tests.htmlforms import form_values
from tests.privacy.test_destruction import (
    NEEDLES,
    _file,
    _files_holding,
    _register_subjects,
    _rows_holding,
    _work_and_decide,
)
from tests.rights.helpers import BIRTH, NAME, person_everywhere

pytestmark = pytest.mark.django_db

OTHER_ROLES = [r for r in Role.values if r != Role.PRIVACY_OFFICER]


def _request(officer, kind: str, name: str = NAME, birth: str = BIRTH) -> Request:
    return services.request_register(
        actor=officer,
        kind=kind,
        requester_name=name,
        requester_birth_date=date.fromisoformat(birth),
        requester_address="Kerkstraat 14, 1781 AB Den Helder",
        identity_verified="Paspoort getoond aan de balie",
        description="Wil dat de gemeente haar gegevens aanpast.",
        received_on=timezone.localdate(),
    )


def _confirm(officer, request: Request, kind: str, object_id: int) -> Hit:
    return services.hit_confirm(actor=officer, pk=request.pk, kind=kind, object_id=object_id)


def _page(client, request: Request) -> str:
    page = client.get(f"/verzoeken/{request.pk}")
    assert page.status_code == 200, page.content[:300]
    return page.content.decode()


# --- correction ------------------------------------------------------------------------------


def test_a_report_with_a_time_is_corrected_as_a_new_version_naming_the_request(
    make_user, verified_client
):
    person = person_everywhere(make_user)
    officer = person.officer
    filed = Client().post(
        "/api/v1/reports",
        {
            "category": "drugs",
            "description": "Geertruida Wolfswinkel haalt 's nachts pakketten op bij de loods.",
            "observed_at": {
                "start": "2026-11-28T22:30:00+01:00",
                "end": "2026-11-28T23:10:00+01:00",
            },
            "subjects": [{"type": "person", "name": NAME, "birth_date": BIRTH}],
            "reporter": {"anonymous": True},
        },
        content_type="application/json",
    )
    assert filed.status_code == 201, filed.content
    report = Report.objects.get(pk=filed.json()["id"])
    Report.objects.filter(pk=report.pk).update(team=person.analyst.team)
    request = _request(officer, "rectification")
    hit = _confirm(officer, request, "report", report.pk)
    client = verified_client(officer)

    page = _page(client, request)
    url = f"/verzoeken/{request.pk}/items/{hit.pk}/corrigeren"
    assert url in page
    shown = client.get(url)
    assert shown.status_code == 200
    assert "pakketten op bij de loods" in shown.content.decode()
    values = form_values(shown.content.decode(), url)
    assert values["observed_start"] == "2026-11-28T22:30"  # the time, as the form shows it
    values["description"] = "Een bewoonster haalt 's nachts pakketten op bij de loods."
    values["reason"] = ""
    refused = client.post(url, values)
    assert refused.status_code == 400
    assert "Een bewoonster haalt" in refused.content.decode()  # what was typed is kept
    values["reason"] = "Naam stond er ten onrechte in."
    saved = client.post(url, values)
    assert saved.status_code == 302, saved.content[:500]

    report.refresh_from_db()
    assert report.description.startswith("Een bewoonster")
    assert report.revision == 1
    # The time is as it was, to the second.
    assert report.observed_start == timezone.datetime.fromisoformat("2026-11-28T22:30:00+01:00")
    version = report.versions.get()
    assert version.changed == ["description"]
    assert version.reason == f"Verzoek {request.reference}: Naam stond er ten onrechte in."
    assert version.author == officer
    assert report.original["description"].startswith("Geertruida")  # the original stays
    hit.refresh_from_db()
    assert hit.handled == "corrected"
    assert request.steps.filter(kind=StepKind.CORRECTED).exists()
    assert AuditEntry.objects.filter(action="report.improve", object_id=str(report.pk)).exists()
    assert AuditEntry.objects.filter(action="rights.correct", object_id=str(request.pk)).exists()
    # The team sees the version, with the request as its reason.
    versions = Client().get(f"/api/v1/reports/{report.pk}/versions", **auth(person.analyst))
    assert versions.json()[-1]["reason"].startswith(f"Verzoek {request.reference}")


def test_a_registered_subject_is_corrected_with_a_history_on_its_page(
    make_user, verified_client, login
):
    person = person_everywhere(make_user)
    officer, subject = person.officer, person.subject
    request = _request(officer, "rectification")
    hit = _confirm(officer, request, "subject", subject.pk)
    client = verified_client(officer)
    url = f"/verzoeken/{request.pk}/items/{hit.pk}/corrigeren"
    values = form_values(client.get(url).content.decode(), url)
    assert values["name"] == NAME and values["bsn"] == "123456782"
    values.update({"name": "Geertruida Wolfswinkel-Bos", "bsn": "123456789", "reason": "Huwelijk"})
    refused = client.post(url, values)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "geen geldig BSN" in text and "Wolfswinkel-Bos" in text
    values["bsn"] = "123456782"
    assert client.post(url, values).status_code == 302

    subject.refresh_from_db()
    assert subject.name == "Geertruida Wolfswinkel-Bos"
    assert "bos" in subject.name_key  # the search key is derived again
    assert [v.number for v in subject.versions.all()] == [0, 1]
    assert subject.versions.get(number=0).data["name"] == NAME  # the registered original
    assert subject.versions.get(number=1).reason == f"Verzoek {request.reference}: Huwelijk"
    # The analyst finds her by the new name and reads the history on her page.
    analyst = login(person.analyst, test_client=Client())
    found = analyst.get("/api/v1/search", {"q": "Wolfswinkel-Bos"}).json()
    assert subject.pk in [s["id"] for s in found["subjects"]]
    page = analyst.get(f"/werkruimte/betrokkenen/{subject.pk}").content.decode()
    assert "Correcties" in page and "Zoals geregistreerd" in page
    assert NAME in page and "Wolfswinkel-Bos" in page and "Huwelijk" in page


def test_corrections_over_the_api(make_user):
    person = person_everywhere(make_user)
    officer = person.officer
    request = _request(officer, "rectification")
    report_hit = _confirm(officer, request, "report", person.named.pk)
    subject_hit = _confirm(officer, request, "subject", person.subject.pk)
    client, headers = Client(), auth(officer)
    base = f"/api/v1/rights/requests/{request.pk}/hits"
    bad = client.post(
        f"{base}/{report_hit.pk}/correction",
        {
            "revision": 0,
            "reason": "Adres klopt niet",
            "changes": {"location": {"address": {"postcode": "12345", "house_number": 3}}},
        },
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert "location.address.postcode" in [p["name"] for p in bad.json()["invalid_params"]]
    done = client.post(
        f"{base}/{report_hit.pk}/correction",
        {
            "revision": 0,
            "reason": "Geboortedatum klopt niet",
            "changes": {"subjects": [{"type": "person", "name": "G. Wolfswinkel"}]},
        },
        content_type="application/json",
        **headers,
    )
    assert done.status_code == 200, done.content
    assert done.json() == {
        "kind": "report",
        "object_id": person.named.pk,
        "version": 1,
        "changed": ["subjects"],
    }
    stale = client.post(
        f"{base}/{report_hit.pk}/correction",
        {
            "revision": 0,
            "reason": "Nog eens",
            "changes": {"description": "Een andere omschrijving van wat er gezien is."},
        },
        content_type="application/json",
        **headers,
    )
    assert stale.status_code == 409
    subject = client.post(
        f"{base}/{subject_hit.pk}/correction",
        {"revision": 0, "reason": "Geboortedatum", "changes": {"birth_date": "1968-09-12"}},
        content_type="application/json",
        **headers,
    )
    assert subject.status_code == 200, subject.content
    assert subject.json()["changed"] == ["birth_date"]
    assert Subject.objects.get(pk=person.subject.pk).birth_date == date(1968, 9, 12)
    # Only a request for correction corrects.
    access = _request(officer, "access")
    other = _confirm(officer, access, "subject", person.subject.pk)
    wrong = client.post(
        f"/api/v1/rights/requests/{access.pk}/hits/{other.pk}/correction",
        {"revision": 0, "reason": "x", "changes": {"name": "Iemand"}},
        content_type="application/json",
        **headers,
    )
    assert wrong.status_code == 409 and wrong.json()["code"] == "wrong_kind"


# --- restriction -----------------------------------------------------------------------------


def _analyst_sees(person, report: Report, subject: Subject) -> dict[str, bool]:
    analyst = Client()
    headers = auth(person.analyst)
    inbox = analyst.get("/api/v1/reports", {"page_size": 100}, **headers).json()["results"]
    found = analyst.get("/api/v1/search", {"q": "Wolfswinkel"}, **headers).json()
    return {
        "inbox": report.pk in [r["id"] for r in inbox],
        "search_report": report.pk in [r["id"] for r in found["reports"]],
        "search_subject": subject.pk in [s["id"] for s in found["subjects"]],
        "report_api": analyst.get(f"/api/v1/reports/{report.pk}", **headers).status_code == 200,
        "subject_api": analyst.get(f"/api/v1/subjects/{subject.pk}", **headers).status_code == 200,
    }


def test_a_restricted_report_and_subject_leave_every_list_until_lifted(
    make_user, verified_client, login
):
    person = person_everywhere(make_user)
    officer = person.officer
    report, subject = person.registered, person.subject
    assert all(_analyst_sees(person, report, subject).values())
    request = _request(officer, "restriction")
    report_hit = _confirm(officer, request, "report", report.pk)
    subject_hit = _confirm(officer, request, "subject", subject.pk)
    client = verified_client(officer)
    page = _page(client, request)
    assert "Beperken" in page
    for hit in (report_hit, subject_hit):
        done = client.post(f"/verzoeken/{request.pk}/items/{hit.pk}/beperken")
        assert done.status_code == 302

    assert not any(_analyst_sees(person, report, subject).values())
    analyst = login(person.analyst, test_client=Client())
    assert analyst.get(f"/werkruimte/meldingen/{report.pk}").status_code == 404
    assert analyst.get(f"/werkruimte/betrokkenen/{subject.pk}").status_code == 404
    lead = login(make_user(role=Role.TEAM_LEAD, team=person.analyst.team), test_client=Client())
    opened = lead.post(f"/werkruimte/meldingen/{report.pk}/openen", {"reason": "Controle"})
    assert opened.status_code == 404  # not even its team lead opens a restricted report
    # Named in another report, she is not offered to link again.
    panel = analyst.get(f"/werkruimte/betrokkenen/meldingen/{person.named.pk}/betrokkenen")
    assert f'/werkruimte/betrokkenen/{subject.pk}"' not in panel.content.decode()
    report.refresh_from_db()
    assert report.restricted_for == request.reference
    assert AuditEntry.objects.filter(action="report.restrict", object_id=str(report.pk)).exists()

    # Lifting asks why; the form comes back with the problem.
    lift = f"/verzoeken/{request.pk}/items/{report_hit.pk}/beperking-opheffen"
    empty = client.post(lift, {"reason": ""})
    assert empty.status_code == 400 and "Geef de reden" in empty.content.decode()
    for hit in (report_hit, subject_hit):
        url = f"/verzoeken/{request.pk}/items/{hit.pk}/beperking-opheffen"
        assert client.post(url, {"reason": "Juistheid is nagegaan."}).status_code == 302
    assert all(_analyst_sees(person, report, subject).values())
    assert analyst.get(f"/werkruimte/betrokkenen/{subject.pk}").status_code == 200
    assert Hit.objects.get(pk=report_hit.pk).handled == "lifted"


def test_restriction_over_the_api(make_user):
    person = person_everywhere(make_user)
    officer = person.officer
    request = _request(officer, "objection")
    hit = _confirm(officer, request, "subject", person.subject.pk)
    client, headers = Client(), auth(officer)
    base = f"/api/v1/rights/requests/{request.pk}/hits/{hit.pk}/restriction"
    done = client.post(base, **headers)
    assert done.status_code == 200 and done.json()["handled"] == "restricted"
    again = client.post(base, **headers)
    assert again.status_code == 409
    changes = client.get(f"/api/v1/rights/requests/{request.pk}/changes", **headers).json()
    item = next(i for i in changes["items"] if i["hit"] == hit.pk)
    assert item["restricted"] and item["may_lift"] and not item["may_restrict"]
    no_reason = client.post(
        f"{base}/lift", {"reason": ""}, content_type="application/json", **headers
    )
    assert no_reason.status_code == 400
    lifted = client.post(
        f"{base}/lift", {"reason": "Bezwaar ongegrond."}, content_type="application/json", **headers
    )
    assert lifted.status_code == 200 and lifted.json()["handled"] == "lifted"
    assert Subject.objects.get(pk=person.subject.pk).restricted_at is None


# --- the recipients of hand-overs ------------------------------------------------------------


def test_the_recipient_of_a_hand_over_is_listed_and_told(make_user, verified_client):
    person = person_everywhere(make_user)
    officer = person.officer
    request = _request(officer, "restriction")
    hit = _confirm(officer, request, "report", person.registered.pk)
    client = verified_client(officer)
    assert "Belastingdienst" not in _page(client, request).split("Vertel het de ontvangers")[1]
    client.post(f"/verzoeken/{request.pk}/items/{hit.pk}/beperken")
    page = _page(client, request)
    told = f"/verzoeken/{request.pk}/items/{hit.pk}/overdrachten/{person.handover.pk}/verteld"
    assert told in page and "Belastingdienst" in page
    assert client.post(told).status_code == 302
    notice = HandoverNotice.objects.get(handover=person.handover)
    assert (notice.by, notice.report_id) == (officer, person.registered.pk)
    assert "Verteld op" in _page(client, request)
    api = Client().get(f"/api/v1/rights/requests/{request.pk}/changes", **auth(officer)).json()
    assert api["to_tell"][0]["recipient"] == "Belastingdienst"
    assert len(api["to_tell"][0]["told"]) == 1


# --- removal ---------------------------------------------------------------------------------


def test_a_legal_hold_blocks_a_removal_and_says_so(make_user, verified_client):
    person = person_everywhere(make_user)
    officer = person.officer
    request = _request(officer, "erasure")
    hit = _confirm(officer, request, "report", person.named.pk)
    privacy_services.hold_place(
        actor=officer,
        target=person.named,
        reason="objection",
        explanation="Bezwaar 2026-31 loopt nog.",
        until=timezone.localdate() + timedelta(days=90),
    )
    client = verified_client(officer)
    page = _page(client, request)
    assert "Een bewaarplicht houdt" in page
    url = f"/verzoeken/{request.pk}/verwijderen"
    unconfirmed = client.post(url, {"items": [str(hit.pk)]})
    assert unconfirmed.status_code == 400
    assert "Bevestig" in unconfirmed.content.decode()
    held = client.post(url, {"items": [str(hit.pk)], "confirm": "on"})
    assert held.status_code == 400
    assert "bewaarplicht" in held.content.decode()
    assert Report.objects.filter(pk=person.named.pk).exists()
    assert not RetentionRun.objects.exists()
    api = Client().post(
        f"/api/v1/rights/requests/{request.pk}/removal",
        {"hits": [hit.pk]},
        content_type="application/json",
        **auth(officer),
    )
    assert api.status_code == 409 and api.json()["code"] == "held"


@pytest.mark.django_db(transaction=True)
def test_a_removal_leaves_nothing_of_the_report_and_subject_and_its_statement_names_the_request(
    client, make_user, verified_client
):
    """The report of the retention tests (a photo, a question and its answer, a note, a
    correction, the decision, the person and company registered with a relation), removed
    on the person's request with her registration: afterwards no table but the request
    register's own holds a word of it, no file, and the statement names the request."""
    analyst = make_user(role=Role.ANALYST)
    officer = make_user(role=Role.PRIVACY_OFFICER)
    report, receipt, files = _file(client, analyst)
    subjects = _register_subjects(client, analyst, report)
    _work_and_decide(client, analyst, report, receipt)
    assert _rows_holding(NEEDLES)
    request = _request(officer, "erasure", name="Cornelis Vrijdagsma", birth="1971-02-03")
    hits = [
        _confirm(officer, request, "report", report.pk),
        _confirm(officer, request, "subject", subjects["person"]),
    ]
    office = verified_client(officer)
    form = form_values(_page(office, request), f"/verzoeken/{request.pk}/verwijderen")
    assert form == {"csrfmiddlewaretoken": form["csrfmiddlewaretoken"]}  # nothing ticked yet
    removed = office.post(
        f"/verzoeken/{request.pk}/verwijderen",
        {"items": [str(h.pk) for h in hits], "confirm": "on"},
    )
    assert removed.status_code == 302, removed.content[:500]

    assert not Report.objects.filter(pk=report.pk).exists()
    assert not Subject.objects.filter(pk__in=subjects.values()).exists()  # the company too
    assert not any(path.exists() for path in files)
    left = {t: n for t, n in _rows_holding(NEEDLES).items() if not t.startswith("rights_")}
    assert left == {}
    # The request register keeps the person's own request (her name), nothing of the report.
    assert _files_holding([n for n in NEEDLES if "rijdagsma" not in n]) == {}
    run = RetentionRun.objects.get()
    assert run.request_reference == request.reference and run.started_by == officer
    lines = set(run.destroyed.values_list("object_type", "reference"))
    assert ("report", report.reference) in lines
    assert {("subject", f"#{pk}") for pk in subjects.values()} <= lines
    assert run.digest == retention.statement_digest(run)
    statement = office.get(f"/bewaren/runs/{run.pk}").content.decode()
    assert f"Verwijderd op verzoek {request.reference}" in statement
    assert report.reference in statement and "klopt met de regels hierboven" in statement
    assert {h.handled for h in Hit.objects.filter(request=request)} == {"removed"}
    assert request.steps.filter(kind=StepKind.REMOVED).exists()
    assert AuditEntry.objects.filter(
        action="retention.destroy_on_request", object_id=str(report.pk)
    ).exists()
    # The reporter who follows it up reads that it is closed.
    followed = client.post(
        "/api/v1/followup", {"receipt_code": receipt}, content_type="application/json"
    )
    assert followed.status_code == 410
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact" in out.getvalue() or "ongeschonden" in out.getvalue()


# --- every other role ------------------------------------------------------------------------


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_is_refused_and_nothing_changes(role, make_user, verified_client):
    person = person_everywhere(make_user)
    officer = person.officer
    rectification = _request(officer, "rectification")
    report_hit = _confirm(officer, rectification, "report", person.registered.pk)
    erasure = _request(officer, "erasure")
    removal_hit = _confirm(officer, erasure, "report", person.named.pk)
    restriction = _request(officer, "restriction")
    restrict_hit = _confirm(officer, restriction, "subject", person.subject.pk)
    other = make_user(role=role, team=person.analyst.team)
    client = verified_client(other)
    handover = person.handover.pk
    pages = [
        ("get", f"/verzoeken/{rectification.pk}/items/{report_hit.pk}/corrigeren", {}),
        (
            "post",
            f"/verzoeken/{rectification.pk}/items/{report_hit.pk}/corrigeren",
            {"revision": 0, "description": "Weg", "reason": "x"},
        ),
        (
            "post",
            f"/verzoeken/{erasure.pk}/verwijderen",
            {"items": [removal_hit.pk], "confirm": "on"},
        ),
        ("post", f"/verzoeken/{restriction.pk}/items/{restrict_hit.pk}/beperken", {}),
        (
            "post",
            f"/verzoeken/{restriction.pk}/items/{restrict_hit.pk}/beperking-opheffen",
            {"reason": "x"},
        ),
        (
            "post",
            f"/verzoeken/{rectification.pk}/items/{report_hit.pk}/overdrachten/{handover}/verteld",
            {},
        ),
    ]
    for method, url, data in pages:
        answer = getattr(client, method)(url, data)
        assert answer.status_code == 403, (url, answer.status_code)
    headers = auth(other)
    api = Client()
    base = "/api/v1/rights/requests"
    calls = [
        ("get", f"{base}/{rectification.pk}/changes", None),
        (
            "post",
            f"{base}/{rectification.pk}/hits/{report_hit.pk}/correction",
            {"revision": 0, "reason": "x", "changes": {"description": "Weg"}},
        ),
        ("post", f"{base}/{erasure.pk}/removal", {"hits": [removal_hit.pk]}),
        ("post", f"{base}/{restriction.pk}/hits/{restrict_hit.pk}/restriction", None),
        (
            "post",
            f"{base}/{restriction.pk}/hits/{restrict_hit.pk}/restriction/lift",
            {"reason": "x"},
        ),
        ("post", f"{base}/{rectification.pk}/hits/{report_hit.pk}/handovers/{handover}/told", None),
    ]
    for method, url, body in calls:
        kwargs = {"content_type": "application/json"} if body is not None else {}
        answer = getattr(api, method)(url, body or {}, **kwargs, **headers)
        assert answer.status_code == 403, (url, answer.status_code)
    assert Report.objects.get(pk=person.registered.pk).revision == 0
    assert Report.objects.filter(pk=person.named.pk).exists()
    assert Subject.objects.get(pk=person.subject.pk).restricted_at is None
    assert not HandoverNotice.objects.exists()
    assert not DestroyedItem.objects.exists()
    assert not Hit.objects.exclude(handled="").exists()


# --- the answers against the OpenAPI document ------------------------------------------------


@contextmanager
def _one_connection():
    """As tests/api/test_schema_fuzz.py: the app is called in this thread, inside the test's
    transaction, so the handler must not close the connection after each request. (After the
    data is made: the test client's requests connect the handler again.)"""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_answers_match_the_document(make_user):
    """Schemathesis: each endpoint of carrying out a request as the privacy officer, and the
    statement of a removal (a run without a rule), checked against the document."""
    person = person_everywhere(make_user)
    officer = person.officer
    headers = {"Authorization": auth(officer)["HTTP_AUTHORIZATION"]}
    rectification = _request(officer, "rectification")
    report_hit = _confirm(officer, rectification, "report", person.registered.pk)
    subject_hit = _confirm(officer, rectification, "subject", person.subject.pk)
    erasure = _request(officer, "erasure")
    hit = _confirm(officer, erasure, "report", person.named.pk)
    with _one_connection():
        failures = _answers_checked(
            headers, person, rectification, report_hit, subject_hit, erasure, hit
        )
    assert not failures, "\n\n".join(failures)


def _answers_checked(headers, person, rectification, report_hit, subject_hit, erasure, hit):
    schema = _schema()
    failures: list[str] = []

    def send(method, path, *, status, body=None, **path_parameters):
        given = {"body": body} if body is not None else {}
        case = schema[path][method].Case(path_parameters=path_parameters or None, **given)
        try:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            assert response.status_code == status, f"{response.status_code}: {response.text[:400]}"
            return response.json()
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 (collect them all)
            failures.append(_failure(f"{method} {path}", error))
            return None

    base = "/api/v1/rights/requests/{id}"
    send(
        "POST",
        f"{base}/hits/{{hit_pk}}/correction",
        status=200,
        body={
            "revision": 0,
            "reason": "Omschrijving",
            "changes": {"description": "Drukte bij de garage."},
        },
        id=rectification.pk,
        hit_pk=report_hit.pk,
    )
    send(
        "POST",
        f"{base}/hits/{{hit_pk}}/correction",
        status=200,
        body={"revision": 0, "reason": "Naam", "changes": {"name": "G. Wolfswinkel"}},
        id=rectification.pk,
        hit_pk=subject_hit.pk,
    )
    send(
        "POST",
        f"{base}/hits/{{hit_pk}}/restriction",
        status=200,
        id=rectification.pk,
        hit_pk=subject_hit.pk,
    )
    send(
        "POST",
        f"{base}/hits/{{hit_pk}}/handovers/{{handover_pk}}/told",
        status=201,
        id=rectification.pk,
        hit_pk=report_hit.pk,
        handover_pk=person.handover.pk,
    )
    changes = send("GET", f"{base}/changes", status=200, id=rectification.pk)
    assert changes and changes["to_tell"]
    send(
        "POST",
        f"{base}/hits/{{hit_pk}}/restriction/lift",
        status=200,
        body={"reason": "Nagegaan."},
        id=rectification.pk,
        hit_pk=subject_hit.pk,
    )
    removed = send("POST", f"{base}/removal", status=201, body={"hits": [hit.pk]}, id=erasure.pk)
    assert removed and removed["reports"] == 1
    send("GET", f"{base}/changes", status=200, id=erasure.pk)
    send("GET", "/api/v1/retention/runs/{id}", status=200, id=removed["run"] if removed else 0)
    return failures
