"""Search: reports by the words of their description and by reference, subjects by a
misspelt name and by identifier — and never anything the user may not see, with the same
answer as for nothing at all."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.reports.models import Report
from baken.subjects import search
from baken.subjects.search_index import ensure_search_index
from tests.api.test_triage_api import auth
from tests.reports.test_triage import file_report

from .helpers import subject, team_report

pytestmark = pytest.mark.django_db
SMELL = "Sterke anijslucht en afgeplakte ramen bij de loods aan de Havenkade."


@pytest.fixture
def analyst(make_user):
    return make_user(role=Role.ANALYST)


@pytest.fixture
def outsider(make_user):
    return make_user(role=Role.ANALYST, team__name="Andere gemeente")


def described(team, description) -> Report:
    report = team_report(team)
    report.description = description
    report.save(update_fields=["description"])
    return report


def test_a_report_is_found_by_words_of_its_description(analyst):
    report = described(analyst.team, SMELL)
    described(analyst.team, "Veel korte bezoeken aan een woning.")
    found = search.search(user=analyst, query="anijslucht loods").reports
    assert found == [report]
    assert search.search(user=analyst, query="ANIJSLUCHT").reports == [report]
    # An edited description is searched as it is now (the index follows the table).
    report.description = "Een kapsalon zonder klanten."
    report.save(update_fields=["description"])
    assert search.search(user=analyst, query="anijslucht").reports == []
    assert search.search(user=analyst, query="kapsalon").reports == [report]


def test_a_report_is_found_by_its_reference(analyst):
    report = team_report(analyst.team)
    query = report.reference.lower().replace("-", "")
    assert search.search(user=analyst, query=query).reports == [report]


def test_a_subject_is_found_by_a_misspelt_name_and_by_identifier(analyst):
    report = team_report(analyst.team)
    jan = subject("Jan de Vries", report=report, judge=analyst, bsn="111222333")
    subject("Bakkerij Jansen B.V.", "organisation", report=report, judge=analyst)
    subject("Piet Bakker", report=report, judge=analyst)
    assert search.search(user=analyst, query="Jan de Vriess").subjects[0] == jan
    assert search.search(user=analyst, query="jan vrise").subjects[0] == jan
    assert search.search(user=analyst, query="111 222 333").subjects == [jan]
    found = search.search(user=analyst, query="Bakkerij Janssen").subjects
    assert found[0].name == "Bakkerij Jansen B.V."


def test_nothing_invisible_ever_appears(analyst, outsider, client):
    hidden_report = described(outsider.team, SMELL)
    subject("Geheime Gerrit Groenveld", report=hidden_report, judge=outsider, bsn="123456782")
    subject("Zichtbare Zwaan", report=team_report(analyst.team), judge=analyst)
    for query in ("anijslucht", "Geheime Gerrit Groenveld", "geheime gerit", "123456782"):
        results = search.search(user=analyst, query=query)
        assert results.empty, query
        # The owner does find them: the emptiness is need-to-know, not a broken index.
        assert not search.search(user=outsider, query=query).empty, query
    # The API gives the same answer as for something that does not exist at all.
    secret = client.get("/api/v1/search", {"q": "Geheime Gerrit"}, **auth(analyst)).json()
    nothing = client.get("/api/v1/search", {"q": "Xqzvw Kkjjh"}, **auth(analyst)).json()
    assert (
        {**secret, "query": ""}
        == {**nothing, "query": ""}
        == {
            "query": "",
            "reports": [],
            "subjects": [],
        }
    )


def test_search_page_and_api(analyst, verified_client, client):
    report = described(analyst.team, SMELL)
    jan = subject("Jan de Vries", report=report, judge=analyst)
    page = verified_client(analyst).get(reverse("subjects:search"), {"q": "anijslucht"})
    assert page.status_code == 200 and report.reference in page.content.decode()
    page = verified_client(analyst).get(reverse("subjects:search"), {"q": "jan de vriess"})
    assert reverse("subjects:detail", args=[jan.pk]) in page.content.decode()
    body = client.get("/api/v1/search", {"q": "Jan de Vriess"}, **auth(analyst)).json()
    assert body["subjects"] == [{"id": jan.pk, "kind": "person", "name": "Jan de Vries"}]
    entry = AuditEntry.objects.filter(action="search").latest("seq")
    assert entry.detail == {"reports": [], "subjects": [jan.pk]}  # ids, not the query


def test_api_refuses_bad_parameters_as_problems(analyst, client):
    for params in ({"q": "x"}, {"q": "jan", "limit": "0"}, {"q": "jan", "limit": "veel"}):
        response = client.get("/api/v1/search", params, **auth(analyst))
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.ADMIN, Role.PRIVACY_OFFICER])
def test_roles_outside_the_workspace_get_403(role, make_user, verified_client, client):
    user = make_user(role=role)
    assert verified_client(user).get(reverse("subjects:search"), {"q": "jan"}).status_code == 403
    response = client.get("/api/v1/search", {"q": "jan"}, **auth(user))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_query_count_does_not_grow_with_results(analyst, verified_client):
    def count(n):
        for i in range(n):
            report = described(analyst.team, f"{SMELL} Nummer {i}.")
            subject(f"Jan de Vries {i}", report=report, judge=analyst)
        browser = verified_client(analyst)
        with CaptureQueriesContext(connection) as queries:
            page = browser.get(reverse("subjects:search"), {"q": "anijslucht jan vries"})
        assert page.status_code == 200
        return len(queries)

    assert count(1) == count(6) <= 20


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps FTS5 in sync by triggers")
def test_a_dropped_trigger_is_put_back_and_the_index_rebuilt(analyst):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER search_report_ai")
    report = file_report(description=SMELL)  # inserted while the trigger was gone
    Report.objects.filter(pk=report.pk).update(team=analyst.team)
    assert ensure_search_index(connection) == ["search_report"]
    assert search.search(user=analyst, query="anijslucht").reports == [report]
    assert ensure_search_index(connection) == []


def test_a_swapped_letter_in_a_short_surname_is_found_by_its_words(analyst):
    """Trigrams miss 'Nwoak' for 'Nowak' (they share too few); the word path does not."""
    report = team_report(analyst.team)
    nowak = subject("Anna Nowak", report=report, judge=analyst)
    subject("Anna de Vries", report=report, judge=analyst)
    assert [s.pk for s in search.search(user=analyst, query="Anna Nwoak").subjects][:1] == [
        nowak.pk
    ]
    assert nowak.pk in [s.pk for s in search.search(user=analyst, query="Nwoak").subjects]


def test_a_name_with_a_new_word_is_found_at_once(analyst):
    """The vocabulary each process keeps is renewed when a name brings a new word."""
    report = team_report(analyst.team)
    subject("Kees Bakker", report=report, judge=analyst)
    assert search.search(user=analyst, query="Kees Bakker").subjects  # vocabulary loaded
    assert "wijnbergen" not in search._vocabulary().get(10, [])
    new = subject("Kees Wijnbergen", report=report, judge=analyst)
    assert "wijnbergen" in search._vocabulary()[10]
    assert search.word_variants("wijnbregen", search._vocabulary())[1] == "wijnbergen"
    assert [s.pk for s in search.search(user=analyst, query="Kees Wijnbregen").subjects][:1] == [
        new.pk
    ]


def test_word_variants_are_near_spellings_closest_first():
    vocabulary = {5: ["nowak", "nowik", "bakke"], 6: ["bakker", "nowaks"], 4: ["nowa"]}
    assert search.word_variants("nwoak", vocabulary)[:2] == ["nwoak", "nowak"]
    assert "bakker" not in search.word_variants("nwoak", vocabulary)


def test_a_deleted_name_leaves_the_vocabulary(analyst):
    """The words of names are kept for search only while a subject has them (retention)."""
    report = team_report(analyst.team)
    gone = subject("Kees Zwanenburg", report=report, judge=analyst)
    subject("Kees Bakker", report=report, judge=analyst)
    assert "zwanenburg" in search._vocabulary()[10]
    gone.mentions.all().delete()
    gone.delete()
    assert "zwanenburg" not in search._vocabulary().get(10, [])
    assert "kees" in search._vocabulary()[4]  # still Kees Bakker's


def test_a_long_query_uses_a_few_words_and_an_initial_narrows(analyst):
    report = team_report(analyst.team)
    pieter = subject("Pieter Jansen", report=report, judge=analyst)
    for first in ("Anna", "Bram", "Cor", "Dirk"):
        subject(f"{first} Jansen", report=report, judge=analyst)
    assert search.search(user=analyst, query="P. Jansen").subjects[0] == pieter
    many = " ".join(a + b for a in "bcdfghjklm" for b in "aeiou")  # 50 different words
    with CaptureQueriesContext(connection) as queries:
        search.search(user=analyst, query=many)
    assert len(queries) < 20
