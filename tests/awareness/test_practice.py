"""Practising at /melden/oefenen (issue 17): an employee answers a situation without logging
in and sees the team's advice; only one more in a count is kept. The functional administrator
keeps the scenarios; the team reads the counts."""

import threading
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.awareness import practice
from baken.awareness.models import PracticeScenario, PracticeTally
from baken.core.roles import Role
from baken.reports.models import Category

DEFAULTS = import_module("baken.awareness.migrations.0002_default_scenarios")


def row_counts() -> dict[str, int]:
    """The number of rows in every table of Baken, to see that an answer adds nothing else."""
    existing = set(connection.introspection.table_names())
    names = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    } & existing
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        found = {}
        for name in sorted(names):
            cursor.execute(f"SELECT COUNT(*) FROM {q(name)}")  # noqa: S608 (our own tables)
            found[name] = cursor.fetchone()[0]
    return found


def changed(before: dict, after: dict) -> dict:
    return {name: (before[name], after[name]) for name in before if before[name] != after[name]}


def tally(scenario, answer: str) -> int:
    row = PracticeTally.objects.filter(scenario=scenario, answer=answer).first()
    return row.count if row else 0


def first_scenario() -> PracticeScenario:
    return practice.scenarios_active().first()


# --- the default scenarios ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_defaults_cover_the_themes_and_teach_when_not_to_report():
    scenarios = list(PracticeScenario.objects.select_related("category"))
    assert len(scenarios) == len(DEFAULTS.SCENARIOS) == 10
    assert {s.advice for s in scenarios} == {"report", "doubt", "no"}
    assert len({s.category.code for s in scenarios}) >= 7
    neighbours = next(s for s in scenarios if "buurman" in s.situation)
    assert neighbours.advice == "no" and "buurtbemiddeling" in neighbours.explanation
    assert all(s.situation.endswith("Zou u dit melden?") for s in scenarios)


@pytest.mark.django_db
def test_the_defaults_migration_goes_back_and_forth():
    DEFAULTS.unload(apps, None)
    assert not PracticeScenario.objects.exists()
    DEFAULTS.load(apps, None)
    DEFAULTS.load(apps, None)  # once more: nothing twice
    assert PracticeScenario.objects.count() == 10


# --- the employee's page -----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_answer_on_the_page_counts_one_and_keeps_nothing_else(client):
    page = client.get(reverse("awareness:practice"))
    body = page.content.decode()
    scenario = first_scenario()
    assert page.status_code == 200
    assert "horecavergunning" in body and "Situatie 1 van 10" in body
    for label in ("Ja, ik zou dit melden", "Ik twijfel", "Nee, ik zou dit niet melden"):
        assert label in body
    assert set(page.cookies) <= {"csrftoken"}
    before = row_counts()

    answered = client.post(
        reverse("awareness:practice_answer", args=[scenario.pk]), {"answer": "doubt"}, follow=True
    )

    body = answered.content.decode()
    assert answered.status_code == 200
    assert answered.redirect_chain == [
        (reverse("awareness:practice_answer", args=[scenario.pk]) + "?antwoord=doubt", 303)
    ]
    assert "Het team adviseert" in body and "Ja, ik zou dit melden" in body
    assert "U koos iets anders" in body
    assert "Eén keer contant betalen is op zich geen reden om te melden." in body
    assert "Grote contante betalingen" in body  # a sign of the theme, from the catalogue
    assert reverse("intake:report") in body
    assert reverse("awareness:practice_answer", args=[practice.scenarios_active()[1].pk]) in body
    assert set(answered.cookies) <= {"csrftoken"}  # no session, nothing new
    assert changed(before, row_counts()) == {"awareness_practicetally": (0, 1)}
    assert tally(scenario, "doubt") == 1

    again = client.post(
        reverse("awareness:practice_answer", args=[scenario.pk]), {"answer": "report"}, follow=True
    )
    assert "Dat is hetzelfde als het advies van het team." in again.content.decode()
    client.post(reverse("awareness:practice_answer", args=[scenario.pk]), {"answer": "doubt"})
    assert tally(scenario, "doubt") == 2 and tally(scenario, "report") == 1
    assert set(changed(before, row_counts())) == {"awareness_practicetally"}
    assert not AuditEntry.objects.exists()
    assert "baken_session" not in client.cookies


@pytest.mark.django_db
def test_reloading_the_advice_counts_the_answer_once(client):
    """POST-redirect-GET: a reload (F5) or back/forward on the advice GETs it again."""
    scenario = first_scenario()
    url = reverse("awareness:practice_answer", args=[scenario.pk])
    answered = client.post(url, {"answer": "no"})
    assert answered.status_code == 303
    assert answered["Location"] == url + "?antwoord=no"
    for _ in range(2):
        advice = client.get(answered["Location"])
        assert advice.status_code == 200
        assert "Het team adviseert" in advice.content.decode()
        assert "U koos iets anders" in advice.content.decode()
    assert tally(scenario, "no") == 1
    assert PracticeTally.objects.count() == 1
    # An answer that is not one of the three: the question again, nothing counted.
    unknown = client.get(url + "?antwoord=misschien").content.decode()
    assert "Het team adviseert" not in unknown and "Ik twijfel" in unknown
    assert PracticeTally.objects.get().count == 1


@pytest.mark.django_db
def test_the_page_answers_with_the_csrf_check_on(client):
    """The form carries the Meldpunt's CSRF token; a post without it is refused."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    scenario = first_scenario()
    url = reverse("awareness:practice_answer", args=[scenario.pk])
    assert strict.post(url, {"answer": "no"}).status_code == 403
    strict.get(url)
    token = strict.cookies["csrftoken"].value
    assert strict.post(url, {"answer": "no", "csrfmiddlewaretoken": token}).status_code == 303
    assert tally(scenario, "no") == 1


@pytest.mark.django_db
def test_a_wrong_answer_or_scenario_counts_nothing(client):
    scenario = first_scenario()
    url = reverse("awareness:practice_answer", args=[scenario.pk])
    refused = client.post(url, {"answer": "misschien"})
    assert refused.status_code == 400
    assert "Kies een van de drie antwoorden." in refused.content.decode()
    assert scenario.situation in refused.content.decode()  # the question again
    PracticeScenario.objects.filter(pk=scenario.pk).update(is_active=False)
    assert client.post(url, {"answer": "no"}).status_code == 404
    assert client.get(url).status_code == 404
    assert client.get(reverse("awareness:practice_answer", args=[987654])).status_code == 404
    assert not PracticeTally.objects.exists()


@pytest.mark.django_db
def test_answers_are_rate_limited_per_client_and_scenario(client, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "practice_scenario": "2/h"}
    scenario, other = practice.scenarios_active()[:2]
    url = reverse("awareness:practice_answer", args=[scenario.pk])
    for _ in range(2):
        assert client.post(url, {"answer": "report"}).status_code == 303
    limited = client.post(url, {"answer": "report"})
    assert limited.status_code == 429
    assert "Te veel antwoorden" in limited.content.decode()
    api = client.post(
        reverse("api:practice-scenario-answers", args=[scenario.pk]),
        {"answer": "report"},
        content_type="application/json",
    )
    assert api.status_code == 429 and api["Content-Type"] == "application/problem+json"
    assert tally(scenario, "report") == 2
    # Another scenario is still open to this client (the limit per client is wider).
    assert client.post(reverse("awareness:practice_answer", args=[other.pk]), {"answer": "no"})
    assert tally(other, "no") == 1


@pytest.mark.django_db
def test_the_meldpunt_links_to_practising(client):
    assert reverse("awareness:practice") in client.get(reverse("intake:report")).content.decode()


# --- the API -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_lists_and_answers_without_login_and_keeps_only_the_count(client):
    listed = client.get(reverse("api:practice-scenarios"))
    assert listed.status_code == 200
    first = listed.json()[0]
    assert first["theme"] == "witwassen" and first["advice"] == "report"
    assert "Grote contante betalingen" in first["signs"]
    before = row_counts()
    answered = client.post(
        reverse("api:practice-scenario-answers", args=[first["id"]]),
        {"answer": "no"},
        content_type="application/json",
    )
    assert answered.status_code == 200
    data = answered.json()
    assert data["advice"] == "report" and data["matches"] is False
    assert data["explanation"].startswith("Ja, meld dit.")
    assert changed(before, row_counts()) == {"awareness_practicetally": (0, 1)}
    assert not answered.cookies


@pytest.mark.django_db
def test_the_api_refuses_an_unknown_answer_and_a_switched_off_scenario(client):
    scenario = first_scenario()
    url = reverse("api:practice-scenario-answers", args=[scenario.pk])
    wrong = client.post(url, {"answer": "maybe"}, content_type="application/json")
    assert wrong.status_code == 400 and wrong["Content-Type"] == "application/problem+json"
    assert wrong.json()["invalid_params"][0]["name"] == "answer"
    PracticeScenario.objects.filter(pk=scenario.pk).update(is_active=False)
    gone = client.post(url, {"answer": "no"}, content_type="application/json")
    assert gone.status_code == 404 and gone["Content-Type"] == "application/problem+json"
    assert gone.json()["code"] == "practice_scenario_unknown"
    assert scenario.pk not in [s["id"] for s in client.get("/api/v1/practice-scenarios").json()]
    assert not PracticeTally.objects.exists()


# --- the team's counts and who may read them ---------------------------------------------------


@pytest.fixture
def answered_otherwise(client):
    """Five employees answer 'no' where the team advises to report, one answers 'report'."""
    scenario = first_scenario()
    url = reverse("awareness:practice_answer", args=[scenario.pk])
    for answer in ["no"] * 5 + ["report"]:
        client.post(url, {"answer": answer})
    return scenario


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.ANALYST, Role.TEAM_LEAD, Role.ADMIN])
def test_the_team_sees_the_counts_and_what_differs(
    role, answered_otherwise, make_user, verified_client
):
    team_client = verified_client(make_user(role=role))
    page = team_client.get(reverse("awareness:practice_counts"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Veel anders dan het advies" in body and "17%" in body
    counts = team_client.get(reverse("api:practice-scenario-counts")).json()
    row = next(r for r in counts if r["id"] == answered_otherwise.pk)
    assert (row["report"], row["doubt"], row["no"], row["total"]) == (1, 0, 5, 6)
    assert row["differs"] is True and round(row["matched_share"], 2) == 0.17
    assert sum(1 for r in counts if r["differs"]) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.INTAKE, Role.CASE_HANDLER, Role.MANAGEMENT, Role.PRIVACY_OFFICER]
)
def test_other_roles_see_no_counts_and_cannot_edit(role, make_user, verified_client):
    other = verified_client(make_user(role=role))
    assert other.get(reverse("awareness:practice_counts")).status_code == 403
    assert other.get(reverse("api:practice-scenario-counts")).status_code == 403
    assert other.get(reverse("awareness:practice_admin")).status_code == 403
    scenario = first_scenario()
    edit = reverse("awareness:practice_edit", args=[scenario.pk])
    assert other.post(edit, {"situation": "Iets anders."}).status_code == 403
    assert PracticeScenario.objects.get(pk=scenario.pk).situation == scenario.situation


@pytest.mark.django_db
def test_nobody_signed_in_sees_no_counts(client):
    assert client.get(reverse("awareness:practice_counts")).status_code == 302
    assert client.get(reverse("api:practice-scenario-counts")).status_code == 401


# --- the functional administrator ------------------------------------------------------------


@pytest.fixture
def admin_client(make_user, verified_client):
    return verified_client(make_user(role=Role.ADMIN, team=None))


def _form(**overrides) -> dict:
    data = {
        "category": str(Category.objects.get(code="vastgoed").pk),
        "situation": "Een makelaar vraagt of de gemeente een pand kan kopen zonder dat de "
        "naam van de koper in de stukken komt. Zou u dit melden?",
        "advice": "report",
        "explanation": "Ja, meld dit. Een koper die onbekend wil blijven is een signaal.",
        "position": "5",
        "is_active": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_admin_adds_and_switches_off_a_scenario(admin_client, client):
    created = admin_client.post(reverse("awareness:practice_create"), _form())
    assert created.status_code == 302
    scenario = PracticeScenario.objects.get(situation__startswith="Een makelaar")
    entry = AuditEntry.objects.get(action="practice_scenario.create")
    assert entry.object_id == str(scenario.pk)
    page = client.get(reverse("awareness:practice")).content.decode()
    assert "Een makelaar" in page and "Situatie 1 van 11" in page  # position 5: the first
    listed = admin_client.get(reverse("awareness:practice_admin")).content.decode()
    assert "Een makelaar" in listed

    edit = reverse("awareness:practice_edit", args=[scenario.pk])
    form = _form(advice="doubt")
    form.pop("is_active")
    assert admin_client.post(edit, form).status_code == 302
    scenario.refresh_from_db()
    assert scenario.advice == "doubt" and not scenario.is_active
    assert AuditEntry.objects.filter(action="practice_scenario.update").count() == 1
    assert "Een makelaar" not in client.get(reverse("awareness:practice")).content.decode()
    assert client.get(reverse("awareness:practice_answer", args=[scenario.pk])).status_code == 404


@pytest.mark.django_db
def test_changing_the_advice_starts_the_counts_afresh(admin_client, client):
    scenario = first_scenario()  # the team advises 'report'
    url = reverse("awareness:practice_answer", args=[scenario.pk])
    for answer in ("report", "no", "no"):
        client.post(url, {"answer": answer})
    edit = reverse("awareness:practice_edit", args=[scenario.pk])
    form_page = admin_client.get(edit).content.decode()
    assert "Als u het advies wijzigt, beginnen de tellingen van deze situatie opnieuw." in form_page
    form = _form(
        category=str(scenario.category_id),
        situation=scenario.situation,
        explanation=scenario.explanation,
        advice="no",
    )

    saved = admin_client.post(edit, form, follow=True)

    assert "Het advies is gewijzigd, dus de tellingen beginnen opnieuw." in saved.content.decode()
    assert not PracticeTally.objects.filter(scenario=scenario).exists()
    entry = AuditEntry.objects.get(action="practice_scenario.update")
    assert entry.detail["counts_reset"] is True
    client.post(url, {"answer": "no"})
    assert tally(scenario, "no") == 1 and tally(scenario, "report") == 0


@pytest.mark.django_db
def test_rewording_a_scenario_keeps_its_counts(admin_client, client):
    scenario, other = practice.scenarios_active()[:2]
    client.post(reverse("awareness:practice_answer", args=[scenario.pk]), {"answer": "doubt"})
    client.post(reverse("awareness:practice_answer", args=[other.pk]), {"answer": "doubt"})
    form = _form(
        category=str(scenario.category_id),
        situation=scenario.situation + " Het gaat om een nieuwe zaak.",
        explanation=scenario.explanation,
        advice=scenario.advice,
    )

    saved = admin_client.post(
        reverse("awareness:practice_edit", args=[scenario.pk]), form, follow=True
    )

    body = saved.content.decode()
    assert "Het oefenscenario is opgeslagen." in body
    assert "de tellingen beginnen opnieuw" not in body
    assert tally(scenario, "doubt") == 1 and tally(other, "doubt") == 1
    entry = AuditEntry.objects.get(action="practice_scenario.update")
    assert entry.detail["counts_reset"] is False


@pytest.mark.django_db
def test_the_admin_form_says_what_is_missing_and_keeps_the_input(admin_client):
    response = admin_client.post(
        reverse("awareness:practice_create"), _form(situation="", advice="misschien")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dit veld is verplicht." in body
    assert "Een koper die onbekend wil blijven" in body
    assert not AuditEntry.objects.filter(action="practice_scenario.create").exists()
    assert admin_client.get(reverse("awareness:practice_edit", args=[987654])).status_code == 404


# --- two answers at the same moment ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_answers_at_once_count_two():
    """Real threads on their own connections, both the first answer of their kind: one
    creates the count, the other adds to it (SQLite queues the writers; on PostgreSQL the
    unique constraint makes the second wait and then increment)."""
    DEFAULTS.load(apps, None)  # a transactional test starts from a flushed database
    scenario = first_scenario()
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def answer():
        try:
            barrier.wait(timeout=10)
            practice.answer_record(scenario_id=scenario.pk, answer="doubt")
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=answer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, (connection.vendor, errors)
    assert tally(scenario, "doubt") == 2
    assert PracticeTally.objects.filter(scenario=scenario).count() == 1
