"""The access review pages under /toezicht/ as the privacy officer uses them: the open flags
first, filters, a flag with the audit entries behind it in words, a review that needs a note,
the weekly access report per team as a page and a PDF; every page view in the audit log;
every other role refused."""

from datetime import datetime

import pytest

from baken.audit.actions import AuditAction
from baken.audit.models import AuditEntry
from baken.cases.selectors import case_review
from baken.core.roles import Role
from baken.oversight import review
from baken.oversight.models import AccessFlag, FlagKind, FlagReview, ReviewState
from tests.pdf import pdf_text

from .conftest import AMSTERDAM, WEDNESDAY, browser
from .test_review import normal_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(office, clock):
    """A Wednesday of normal work, and the analyst back at 22:40 for two reports."""
    normal_day(office, clock)
    clock.at(22, 40)
    office.read(office.analyst, office.reports[2])
    clock.tick(3)
    office.read(office.analyst, office.reports[3])
    clock.at(4, day=WEDNESDAY.replace(day=19))
    review.run(WEDNESDAY)
    return AccessFlag.objects.get()


def test_the_officer_sees_the_open_flags_in_dutch(office, flagged):
    page = browser(office.officer).get("/toezicht/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<h1>Toegangscontrole</h1>" in text
    assert "Inzage &#x27;s nachts of in het weekend" in text
    assert "2 keer gelezen in de nacht (van 22:00 tot 7:00)." in text
    assert str(office.analyst) in text and "Analist, Noord" in text
    assert "18 november 2026" in text and "Nog niet beoordeeld" in text
    assert 'href="/toezicht/weekrapport"' in text
    assert 'aria-current="page">Toegangscontrole' in text
    entry = AuditEntry.objects.filter(action=AuditAction.ACCESS_FLAG_LIST).get()
    assert entry.actor_id == office.officer.pk and entry.detail == {"ids": [flagged.pk]}


def test_filters_narrow_the_list_and_a_wrong_date_keeps_what_was_typed(office, flagged):
    officer = browser(office.officer)
    for query, shown in [
        ("?state=reviewed", False),
        ("?state=open&kind=off_hours", True),
        (f"?kind=many_reads&user={office.analyst.pk}", False),
        (f"?user={office.analyst.pk}&since=2026-11-18&until=2026-11-18", True),
        ("?since=2026-11-19", False),
    ]:
        text = officer.get(f"/toezicht/{query}").content.decode()
        assert (f'href="/toezicht/{flagged.pk}"' in text) is shown, query
    wrong = officer.get("/toezicht/?since=2026-11-20&until=2026-11-18&kind=off_hours")
    assert wrong.status_code == 400
    text = wrong.content.decode()
    assert "De einddatum ligt vóór de begindatum." in text
    assert 'value="2026-11-20"' in text and '<option value="off_hours" selected>' in text


def test_a_flag_shows_the_entries_behind_it_in_words(office, flagged):
    page = browser(office.officer).get(f"/toezicht/{flagged.pk}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "De 2 auditregels achter dit signaal" in text
    for seq in flagged.entries:
        assert f"<td>{seq}</td>" in text
    assert "18-11-2026 22:40" in text and "18-11-2026 22:43" in text
    assert "Melding bekeken" in text
    assert f"Melding {office.reports[2].reference}" in text
    assert f"Melding {office.reports[3].reference}" in text
    assert f"/auditlog?actor={office.analyst.pk}&amp;since=2026-11-18&amp;until=2026-11-18" in text
    entry = AuditEntry.objects.get(action=AuditAction.ACCESS_FLAG_READ)
    assert (entry.actor_id, entry.object_type, entry.object_id) == (
        office.officer.pk,
        "oversight.accessflag",
        str(flagged.pk),
    )


def test_a_review_needs_a_note_and_is_kept(office, flagged):
    officer = browser(office.officer)
    url = f"/toezicht/{flagged.pk}/beoordeling"
    refused = officer.post(url, {"state": "to_discuss", "note": "  "})
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Schrijf op waarom: een beoordeling heeft altijd een toelichting." in text
    assert 'value="to_discuss" id="id_state_1" checked' in text or (
        'value="to_discuss"' in text and "checked" in text
    )
    assert not FlagReview.objects.exists()
    done = officer.post(url, {"state": "to_discuss", "note": "Vragen bij de teamleider."})
    assert done.status_code == 302
    page = officer.get(done["Location"]).content.decode()
    assert "Uw beoordeling is opgeslagen." in page
    assert "Bespreken" in page and "Vragen bij de teamleider." in page
    officer.post(url, {"state": "justified", "note": "Piketdienst, afgesproken met de teamleider."})
    flagged.refresh_from_db()
    assert flagged.state == ReviewState.JUSTIFIED and flagged.reviewed_by == office.officer
    assert list(FlagReview.objects.values_list("state", flat=True)) == ["to_discuss", "justified"]
    reviewed = AuditEntry.objects.filter(action=AuditAction.ACCESS_FLAG_REVIEW)
    assert [e.detail for e in reviewed] == [{"state": "to_discuss"}, {"state": "justified"}]
    assert "Piketdienst" not in str(reviewed.last().detail)  # the note stays out of the log
    listed = officer.get("/toezicht/?state=justified").content.decode()
    assert f'href="/toezicht/{flagged.pk}"' in listed


def test_nobody_reviews_a_flag_about_their_own_reads(office, clock):
    clock.at(23, 10)
    assert case_review(officer=office.officer, pk=office.case.pk, reason="Klacht 2026-31")
    review.run(WEDNESDAY)
    flag = AccessFlag.objects.get(user=office.officer)
    officer = browser(office.officer)
    page = officer.get(f"/toezicht/{flag.pk}").content.decode()
    assert "een andere privacyfunctionaris beoordeelt het" in page
    assert 'name="note"' not in page
    answer = officer.post(f"/toezicht/{flag.pk}/beoordeling", {"state": "justified", "note": "x"})
    assert answer.status_code == 403
    assert AccessFlag.objects.get(pk=flag.pk).state == ReviewState.OPEN


def test_the_weekly_access_report_per_team(office, clock):
    normal_day(office, clock)
    clock.at(9, day=WEDNESDAY.replace(day=23))
    officer = browser(office.officer)
    page = officer.get("/toezicht/weekrapport")  # the week that ended: 16 to 22 November
    assert page.status_code == 200
    text = page.content.decode()
    assert "Week 47: 16 november 2026 tot en met 22 november 2026" in text
    # The hint fits the week picker ("Week 47, 2026") and a plain text field alike.
    assert "Kies de week. Ziet u geen weekkiezer? Typ dan het jaar en het weeknummer" in text
    assert "<h2>Noord</h2>" in text and "<h2>Zuid</h2>" in text
    report = officer.get("/api/v1/access-review/weeks/2026-W47").json()
    noord = next(team for team in report["teams"] if team["name"] == "Noord")
    people = {person["name"]: person for person in noord["people"]}
    analyst = people[str(office.analyst)]
    lines = {line["kind"]: line["days"] for line in analyst["lines"]}
    assert lines["reports"] == [0, 0, 8, 0, 0, 0, 0]  # Wednesday: the eight reports
    assert lines["exports"] == [0, 0, 1, 0, 0, 0, 0]
    handler = {line["kind"]: line["days"] for line in people[str(office.handler)]["lines"]}
    assert handler["cases"] == [0, 0, 1, 0, 0, 0, 0] and handler["reports"][2] == 2
    everyone = [p["name"] for team in report["teams"] for p in team["people"]]
    assert str(office.officer) not in everyone and str(office.lead) in everyone
    pdf = officer.get("/toezicht/weekrapport.pdf?week=2026-W47")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "toegangsrapport-2026-W47.pdf" in pdf["Content-Disposition"]
    words = pdf_text(pdf.content)
    assert "Weekrapport van de inzage" in words and str(office.analyst) in words
    assert "Team samen" in words
    forms = list(
        AuditEntry.objects.filter(action=AuditAction.ACCESS_REPORT_READ).values_list(
            "detail", flat=True
        )
    )
    assert forms == [
        {"week": "2026-W47", "form": "page"},
        {"week": "2026-W47", "form": "json"},
        {"week": "2026-W47", "form": "pdf"},
    ]
    wrong = officer.get("/toezicht/weekrapport?week=2026-W60")
    assert wrong.status_code == 400
    assert "Schrijf de week als jaar en weeknummer" in wrong.content.decode()
    assert 'value="2026-W60"' in wrong.content.decode()


OTHERS = [Role.INTAKE, Role.ANALYST, Role.CASE_HANDLER, Role.TEAM_LEAD, Role.MANAGEMENT, Role.ADMIN]


@pytest.mark.parametrize("role", OTHERS)
def test_every_other_role_is_refused_pages_and_api(office, flagged, make_user, role):
    someone = browser(make_user(role=role, team=office.north))
    before = AuditEntry.objects.count()
    for url in (
        "/toezicht/",
        f"/toezicht/{flagged.pk}",
        "/toezicht/weekrapport",
        "/toezicht/weekrapport.pdf",
    ):
        assert someone.get(url).status_code == 403, url
    assert (
        someone.post(
            f"/toezicht/{flagged.pk}/beoordeling", {"state": "justified", "note": "Prima."}
        ).status_code
        == 403
    )
    for url in (
        "/api/v1/access-review/flags",
        f"/api/v1/access-review/flags/{flagged.pk}",
        "/api/v1/access-review/weeks/2026-W47",
        "/api/v1/access-review/weeks/2026-W47/report.pdf",
    ):
        answer = someone.get(url)
        assert answer.status_code == 403, url
        assert answer["Content-Type"] == "application/problem+json"
    answer = someone.post(
        f"/api/v1/access-review/flags/{flagged.pk}/review",
        {"state": "justified", "note": "Prima."},
        content_type="application/json",
    )
    assert answer.status_code == 403
    assert AuditEntry.objects.count() == before  # nothing read, nothing logged
    assert AccessFlag.objects.get().state == ReviewState.OPEN
    assert "Toegangscontrole" not in someone.get("/").content.decode()


def test_the_api_lists_shows_and_reviews_a_flag(office, flagged):
    api = browser(office.officer)
    listed = api.get("/api/v1/access-review/flags?state=open&kind=off_hours").json()
    assert listed["count"] == 1
    [item] = listed["results"]
    assert item["kind"] == FlagKind.OFF_HOURS and item["day"] == "2026-11-18"
    assert item["user"] == {
        "id": office.analyst.pk,
        "name": str(office.analyst),
        "role": "analyst",
        "team": "Noord",
    }
    assert datetime.fromisoformat(item["period_start"]) == datetime(
        2026, 11, 18, 22, 40, tzinfo=AMSTERDAM
    )
    assert item["entries"] == flagged.entries
    assert item["summary"] == "2 keer gelezen in de nacht (van 22:00 tot 7:00)."
    bad = api.get("/api/v1/access-review/flags?state=closed")
    assert bad.status_code == 400 and bad.json()["invalid_params"][0]["name"] == "state"
    detail = api.get(f"/api/v1/access-review/flags/{flagged.pk}").json()
    assert [e["seq"] for e in detail["audit_entries"]] == flagged.entries
    first = detail["audit_entries"][0]
    assert first["action"] == "report.read" and first["action_label"] == "Melding bekeken"
    assert first["object"] == f"Melding {office.reports[2].reference}"
    assert datetime.fromisoformat(first["at"]) == datetime(2026, 11, 18, 22, 40, tzinfo=AMSTERDAM)
    url = f"/api/v1/access-review/flags/{flagged.pk}/review"
    no_note = api.post(url, {"state": "incident", "note": ""}, content_type="application/json")
    assert no_note.status_code == 400
    problem = no_note.json()
    assert problem["code"] == "note_required"
    assert problem["invalid_params"][0]["name"] == "note"
    done = api.post(
        url,
        {"state": "incident", "note": "Geen reden voor inzage; melding aan de CISO."},
        content_type="application/json",
    )
    assert done.status_code == 200
    assert done.json()["state"] == "incident" and done.json()["reviews"][0]["state"] == "incident"
    assert api.get("/api/v1/access-review/flags/987654").status_code == 404
    assert api.get("/api/v1/access-review/weeks/2026-W60").status_code == 404


def test_a_user_number_no_database_holds_is_a_problem_not_an_error(office, flagged):
    """`user` has a maximum (2^63 - 1, the largest id the databases hold): past it a 400
    problem naming it; at it, no flag is about that user."""
    api = browser(office.officer)
    for huge in (10**30, 2**63):
        answer = api.get(f"/api/v1/access-review/flags?user={huge}")
        assert answer.status_code == 400, answer.content[:300]
        assert answer["Content-Type"] == "application/problem+json"
        assert [p["name"] for p in answer.json()["invalid_params"]] == ["user"]
    largest = api.get(f"/api/v1/access-review/flags?user={2**63 - 1}")
    assert largest.status_code == 200 and largest.json()["count"] == 0
    assert api.get(f"/api/v1/access-review/flags/{10**30}").status_code == 404
    page = api.get(f"/toezicht/?user={10**30}")
    assert page.status_code == 400 and f'href="/toezicht/{flagged.pk}"' not in page.content.decode()
