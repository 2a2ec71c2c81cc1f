"""The sharing register across Baken (issue 16): every hand-over of a case and every report
forwarded or referred, for the privacy officer; the filters, "about whom" above all, find
what was shared about one person and nothing about another; the CSV holds what the page
shows; every read is in the audit log; every other role is refused, on the page and in the
API. The data is made as the teams make it: reports through the Meldpunt's service, named
subjects registered by an analyst, cases opened, hand-overs recorded on the case page and
reports forwarded through the triage API."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from baken.audit.models import AuditEntry
from baken.cases import services as case_services
from baken.cases.models import Handover
from baken.core.roles import Role
from baken.reports import weighing
from baken.reports.models import Criterion, Decision
from baken.subjects.models import Subject
from baken.subjects.services import mention_judge, subject_create_from
from tests.api.test_triage_api import auth
from tests.subjects.test_matching import named_in, report_naming

pytestmark = pytest.mark.django_db

PAGE = "/registers/verstrekkingen"
CSV = "/registers/verstrekkingen.csv"
API = "/api/v1/registers/sharing"
API_CSV = "/api/v1/registers/sharing.csv"
JAN = {"type": "person", "name": "Jan de Vries", "bsn": "111222333"}
PIET = {"type": "person", "name": "Piet Bakker"}
LOODS = {"type": "organisation", "name": "Loods Havenweg B.V.", "kvk_number": "12345678"}


def weigh(report, analyst):
    for criterion in Criterion.objects.filter(mandatory=True, is_active=True):
        weighing.criterion_answer_save(
            report=report,
            actor=analyst,
            criterion=criterion,
            choice=criterion.choices[0],
            motivation="Concreet en recent.",
        )


def case_from(report, analyst, title):
    """The report weighed into further analysis, and a case opened on it."""
    weigh(report, analyst)
    weighing.decision_make(
        report=report, actor=analyst, kind="in_analysis", rationale="Nader onderzoek nodig."
    )
    return case_services.case_open(
        reports=[report], title=title, summary="", handler=None, actor=analyst, rationale="Ernstig."
    )


def hand_over(browser, case, **form):
    """A hand-over recorded on the case page, as the team does (it downloads the package)."""
    response = browser.post(reverse("cases:handover", args=[case.pk]), form)
    assert response.status_code == 200, response.content[:300]
    return Handover.objects.filter(case=case).latest("pk")


@pytest.fixture
def world(make_user, north, south, verified_client):
    return build_world(make_user, north, south, verified_client)


def build_world(make_user, north, south, verified_client) -> dict:
    """North: a case about Jan de Vries handed to the police and the RIEC; a case about Piet
    Bakker handed to the tax office; a report naming Jan de Vries and a company, forwarded to
    another RIEC through the API. South: a report about nobody referred to a department."""
    analyst = make_user(role=Role.ANALYST, team=north, first_name="Anna", last_name="Smit")
    south_analyst = make_user(role=Role.ANALYST, team=south, first_name="Sem", last_name="Berg")
    about_jan = report_naming(north, JAN)
    jan = subject_create_from(report_subject=named_in(about_jan), actor=analyst)
    jan_case = case_from(about_jan, analyst, "Woning Dorpsstraat")
    about_piet = report_naming(north, PIET)
    piet = subject_create_from(report_subject=named_in(about_piet), actor=analyst)
    piet_case = case_from(about_piet, analyst, "Kapsalon Kerkstraat")

    browser = verified_client(analyst)
    police = hand_over(
        browser,
        jan_case,
        recipient_kind="police",
        recipient="Politie Noord-Holland",
        what="Samenvatting en betrokkenen.",
        legal_basis="Wpg art. 4:3",
    )
    riec = hand_over(
        browser,
        jan_case,
        recipient_kind="riec",
        recipient="RIEC Noord-Holland",
        what="Het dossier.",
        legal_basis="Convenant RIEC, art. 5",
    )
    tax = hand_over(
        browser,
        piet_case,
        recipient_kind="tax",
        recipient="Belastingdienst",
        what="Adresgegevens.",
        legal_basis="AWR art. 53",
    )

    # A later report names Jan (judged the same registered subject) and a company; it is
    # forwarded to another RIEC through the triage API.
    later = report_naming(north, {**JAN, "name": "J. de Vries"}, LOODS)
    mention_judge(report_subject=named_in(later), subject=jan, judgement="same", actor=analyst)
    company = subject_create_from(report_subject=named_in(later, 1), actor=analyst)
    weigh(later, analyst)
    forwarded = Client().post(
        f"/api/v1/reports/{later.pk}/decision",
        {"kind": "forwarded", "recipient": "RIEC Zuid", "rationale": "Signalen van witwassen."},
        content_type="application/json",
        **auth(analyst),
    )
    assert forwarded.status_code in (200, 201), forwarded.content[:300]
    nobody = report_naming(south)
    weigh(nobody, south_analyst)
    weighing.decision_make(
        report=nobody,
        actor=south_analyst,
        kind="referred",
        recipient="Afdeling Vergunningen",
        rationale="Hoort bij vergunningen.",
    )
    return {
        "analyst": analyst,
        "jan": jan,
        "piet": piet,
        "company": company,
        "police": police,
        "riec": riec,
        "tax": tax,
        "forwarded": Decision.objects.get(report=later, kind="forwarded"),
        "referred": Decision.objects.get(report=nobody),
        "south": south,
        "north": north,
    }


@pytest.fixture
def officer(make_user):
    return make_user(role=Role.PRIVACY_OFFICER, team=None, first_name="Priya", last_name="Mulder")


def _page(client, **query):
    response = client.get(PAGE, query)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def _api(client, officer, **query):
    response = client.get(API, query, **auth(officer))
    assert response.status_code == 200, response.content[:500]
    return response.json()


def _ids(body) -> set[tuple[str, int]]:
    return {(row["entry"], row["id"]) for row in body["results"]}


def test_every_hand_over_and_forwarded_report_newest_first(world, officer, login):
    text = _page(login(officer, test_client=Client()))
    for expected in (
        "Verstrekkingen",
        "Politie Noord-Holland",
        "RIEC Noord-Holland",
        "AWR art. 53",
        "RIEC Zuid",
        "Afdeling Vergunningen",
        "Wpg art. 4:3",
        "Signalen van witwassen.",
        "Jan de Vries (#",
        world["police"].case.reference,
        "5 overdrachten en besluiten",
    ):
        assert expected in text, expected
    # Newest first: the referral was the last thing shared.
    assert text.index("Afdeling Vergunningen") < text.index("Politie Noord-Holland")
    body = _api(Client(), officer)
    assert body["count"] == 5
    assert body["results"][0]["entry"] == "decision"
    assert body["results"][0]["recipient"] == "Afdeling Vergunningen"
    police = next(r for r in body["results"] if r["recipient"] == "Politie Noord-Holland")
    assert police["subjects"] == [{"id": world["jan"].pk, "text": "Jan de Vries"}]
    assert police["basis"] == "Wpg art. 4:3" and police["team"] == "Noord"
    assert police["package"].endswith(".zip") and len(police["package_sha256"]) == 64
    assert police["at"].endswith("+00:00") or police["at"].endswith("Z")


def test_about_whom_finds_every_hand_over_of_a_subject_and_not_others(world, officer, login):
    jan = world["jan"]
    expected = {
        ("handover", world["police"].pk),
        ("handover", world["riec"].pk),
        ("decision", world["forwarded"].pk),
    }
    client = Client()
    assert _ids(_api(client, officer, subject=jan.pk)) == expected
    # By name, by BSN and by number: the same answer.
    by_name = _api(client, officer, about="jan de vries")
    assert _ids(by_name) == expected
    assert by_name["about"] == [{"id": jan.pk, "name": "Jan de Vries", "kind": "person"}]
    assert _ids(_api(client, officer, about="111 222 333")) == expected
    assert _ids(_api(client, officer, about=f"#{jan.pk}")) == expected
    # Another person's: only the tax office's hand-over; the company's: only the forwarded
    # report that names it.
    assert _ids(_api(client, officer, about="Piet Bakker")) == {("handover", world["tax"].pk)}
    assert _ids(_api(client, officer, about="12345678")) == {("decision", world["forwarded"].pk)}
    page = _page(login(officer, test_client=Client()), about="Jan de Vries")
    assert "Politie Noord-Holland" in page and "RIEC Zuid" in page
    assert "AWR art. 53" not in page and "Afdeling Vergunningen" not in page
    assert "Over 1 geregistreerde betrokkene" in page


def test_a_subject_merged_later_still_finds_its_hand_overs(world, officer):
    """A hand-over names the subject of its day; merged into another, it is found as that one."""
    from baken.subjects.services import subject_merge

    jan, piet = world["jan"], world["piet"]
    subject_merge(keep=jan, merge=piet, actor=world["analyst"], reason="Dezelfde persoon.")
    found = _ids(_api(Client(), officer, subject=jan.pk))
    assert ("handover", world["tax"].pk) in found


def test_the_filters_narrow_the_register(world, officer):
    client = Client()
    assert _ids(_api(client, officer, recipient_kind="police")) == {
        ("handover", world["police"].pk)
    }
    assert _ids(_api(client, officer, recipient_kind="forwarded")) == {
        ("decision", world["forwarded"].pk)
    }
    assert _ids(_api(client, officer, recipient="riec")) == {
        ("handover", world["riec"].pk),
        ("decision", world["forwarded"].pk),
    }
    assert _ids(_api(client, officer, team=world["south"].pk)) == {
        ("decision", world["referred"].pk)
    }
    assert _api(client, officer, team=world["north"].pk)["count"] == 4
    today = timezone.localdate()
    assert _api(client, officer, since=today.isoformat(), until=today.isoformat())["count"] == 5
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert _api(client, officer, since=tomorrow)["count"] == 0
    combined = _api(client, officer, about="Jan de Vries", recipient_kind="riec")
    assert _ids(combined) == {("handover", world["riec"].pk)}


def test_bad_filters_get_a_dutch_error_and_keep_what_was_typed(world, officer, login):
    browser = login(officer, test_client=Client())
    response = browser.get(PAGE, {"about": "Niemand Bestaat", "recipient": "politie"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Geen geregistreerde betrokkene heeft deze naam" in text
    assert 'value="Niemand Bestaat"' in text and 'value="politie"' in text
    reversed_dates = browser.get(PAGE, {"since": "2026-12-05", "until": "2026-12-01"})
    assert reversed_dates.status_code == 400
    assert "De einddatum ligt vóór de begindatum." in reversed_dates.content.decode()
    problem = Client().get(API, {"since": "5-12-2026", "team": "999999"}, **auth(officer))
    assert problem.status_code == 400
    assert problem["Content-Type"].startswith("application/problem+json")
    names = {p["name"] for p in problem.json()["invalid_params"]}
    assert {"since", "team"} <= names
    unknown = Client().get(API, {"subject": "999999"}, **auth(officer))
    assert unknown.status_code == 400
    assert unknown.json()["invalid_params"][0]["name"] == "subject"


def test_the_csv_holds_the_rows_of_the_filter(world, officer, login):
    browser = login(officer, test_client=Client())
    response = browser.get(CSV, {"about": "Jan de Vries"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:4] == ["Soort", "Tijdstip", "Soort ontvanger", "Ontvanger"]
    assert len(rows) == 4
    by_recipient = {row[3]: row for row in rows[1:]}
    assert set(by_recipient) == {"Politie Noord-Holland", "RIEC Noord-Holland", "RIEC Zuid"}
    police = by_recipient["Politie Noord-Holland"]
    assert police[0] == "Overdracht" and police[2] == "De politie"
    assert police[4] == "Wpg art. 4:3" and police[8] == world["police"].case.reference
    assert f"Jan de Vries (#{world['jan'].pk})" in police[10]
    forwarded = by_recipient["RIEC Zuid"]
    assert forwarded[0] == "Besluit" and forwarded[4] == "Signalen van witwassen."
    assert "Loods Havenweg B.V." in forwarded[10]
    # The API's CSV is the same file.
    api = Client().get(API_CSV, {"about": "Jan de Vries"}, **auth(officer))
    assert api.status_code == 200
    assert b"".join(api.streaming_content).decode("utf-8") == content
    exports = AuditEntry.objects.filter(action="registers.sharing_export")
    assert exports.count() == 2
    assert exports.first().detail["rows"] == 3
    assert exports.first().detail["subjects"] == [world["jan"].pk]


def test_every_read_is_in_the_audit_log_without_the_typed_name(world, officer, login):
    _page(login(officer, test_client=Client()), about="Jan de Vries")
    entry = AuditEntry.objects.filter(action="registers.sharing_read").latest("seq")
    assert entry.actor_id == officer.pk and entry.object_type == "registers.sharing"
    assert entry.detail["subjects"] == [world["jan"].pk]
    assert sorted(entry.detail["handovers"]) == sorted([world["police"].pk, world["riec"].pk])
    assert entry.detail["decisions"] == [world["forwarded"].pk]
    assert "Vries" not in str(entry.detail)
    _api(Client(), officer)
    assert AuditEntry.objects.filter(action="registers.sharing_read").count() == 2


def test_a_destroyed_report_stays_in_the_register_by_number(world, officer):
    """The hand-over keeps the ids it held; a report gone from Baken shows as its number."""
    police = world["police"]
    [report_id] = police.reports
    Handover.objects.filter(pk=police.pk).update(reports=[report_id, 987654])
    body = _api(Client(), officer, recipient_kind="police")
    assert body["results"][0]["reports"][1] == {"id": 987654, "text": None}


def test_a_page_reads_a_fixed_number_of_queries(world, officer, login):
    browser = login(officer, test_client=Client())
    with CaptureQueriesContext(connection) as few:
        assert browser.get(PAGE).status_code == 200
    team = login(world["analyst"], test_client=Client())
    for number in range(4):  # more hand-overs: the same queries
        hand_over(
            team,
            world["police"].case,
            recipient_kind="municipality",
            recipient=f"Gemeente {number}",
            what="Samenvatting.",
            legal_basis="Convenant",
        )
    with CaptureQueriesContext(connection) as more:
        page = browser.get(PAGE).content.decode()
    assert "Gemeente 3" in page
    assert len(more) == len(few)


@pytest.mark.parametrize(
    "role",
    [Role.INTAKE, Role.ANALYST, Role.CASE_HANDLER, Role.TEAM_LEAD, Role.MANAGEMENT, Role.ADMIN],
)
def test_every_other_role_is_refused(world, make_user, login, role):
    user = make_user(role=role, team=world["north"])
    browser = login(user, test_client=Client())
    assert browser.get(PAGE).status_code == 403
    assert browser.get(CSV).status_code == 403
    for url in (API, API_CSV):
        refused = Client().get(url, {"about": "Jan de Vries"}, **auth(user))
        assert refused.status_code == 403
        assert refused["Content-Type"].startswith("application/problem+json")
    assert not AuditEntry.objects.filter(action__startswith="registers.").exists()
    menu = browser.get("/").content.decode()
    assert "Verstrekkingen" not in menu


def test_nobody_signed_in_is_sent_to_log_in(world):
    assert Client().get(PAGE).status_code == 302
    assert Client().get(API).status_code == 401


def test_the_menu_leads_the_officer_there(world, officer, login):
    home = login(officer, test_client=Client()).get("/", follow=True).content.decode()
    assert f'href="{PAGE}"' in home and "Verstrekkingen" in home


def test_subjects_found_by_name_are_registered_ones_of_every_team(world, officer):
    """The register is the whole municipality's: the officer finds any team's subject."""
    found = _api(Client(), officer, about="Loods Havenweg")
    assert [s["id"] for s in found["about"]] == [world["company"].pk]
    assert Subject.objects.filter(pk=world["company"].pk).exists()


@pytest.fixture
def one_connection(world):
    """As tests/api/test_schema_fuzz.py: the app is called in this thread, inside the test's
    transaction, so the handler must not close the connection after each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_answers_match_the_document(world, officer, make_user, one_connection):
    """Schemathesis: each register endpoint as the role that may use it, with real rows, its
    answer checked against the OpenAPI document (status, content type, schema)."""
    from tests.api.test_schema_fuzz import CHECKS, _failure, _schema

    schema = _schema()
    admin = make_user(role=Role.ADMIN, team=None)
    failures = []
    calls = [
        ("/api/v1/registers/sharing", {"about": "Jan de Vries", "pageSize": 2}, officer),
        ("/api/v1/registers/sharing", {"recipient_kind": "forwarded"}, officer),
        ("/api/v1/registers/sharing.csv", {"team": world["north"].pk}, officer),
        ("/api/v1/registers/processing", {}, admin),
        ("/api/v1/registers/processing.pdf", {}, officer),
    ]
    for path, query, user in calls:
        case = schema[path]["GET"].Case(query=query)
        try:
            response = case.call_and_validate(
                headers={"Authorization": auth(user)["HTTP_AUTHORIZATION"]}, checks=CHECKS
            )
            assert response.status_code == 200, response.text[:300]
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 (collect them all)
            failures.append(_failure(f"GET {path}", error))
    assert not failures, "\n\n".join(failures)
