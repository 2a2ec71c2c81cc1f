"""Category suggestion (ADR 0008): learned from the team's weighed reports, silent when it
knows too little, offered on the report page and over the API only to who may see the report."""

import io
import itertools
import re
from datetime import timedelta

import joblib
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from baken.audit.models import AuditEntry
from baken.core.roles import Role
from baken.reports import suggestions
from baken.reports.models import Category, Report
from baken.reports.services import new_reference
from baken.reports.tasks import suggester_retrain
from baken.reports.workflow import Status

pytestmark = pytest.mark.django_db

# Words that mark a category, and the everyday words a report wraps them in.
SIGNS = {
    "drugs": ["hennepgeur", "afgeplakte ramen", "hennepkwekerij", "drugsafval", "anijsgeur"],
    "mensenhandel": ["busje haalt arbeiders op", "matrassen", "uitbuiting", "paspoorten"],
    "witwassen": ["contant betaald", "grote bedragen cash", "dure auto's", "geldkoerier"],
}
PLACES = ["bij de loods", "aan de Havenkade", "in de schuur", "achter het pand", "op de hoek"]
TIMES = ["'s nachts", "elke avond", "in het weekend", "vorige week", "al maanden"]


def make_reports(counts: dict[str, int], *, status=Status.REFERRED, team=None) -> list[Report]:
    """Weighed reports (by default), with varied texts for each category."""
    now = timezone.now()
    reports = []
    for code, count in counts.items():
        category = Category.objects.get(code=code)
        phrases = itertools.cycle(itertools.product(SIGNS[code], PLACES, TIMES))
        for i in range(count):
            sign, place, time = next(phrases)
            reports.append(
                Report(
                    reference=new_reference(),
                    channel="web",
                    category=category,
                    description=f"Melding {i}: {sign} {place}, {time}.",
                    status=status,
                    received_at=now - timedelta(days=i + 1),
                    team=team,
                )
            )
    return Report.objects.bulk_create(reports)


@pytest.fixture(autouse=True)
def model_file(settings, tmp_path):
    settings.SUGGESTION_MODEL_FILE = tmp_path / "models" / "category-suggester.joblib"
    return settings.SUGGESTION_MODEL_FILE


@pytest.fixture
def analyst(make_user):
    return make_user(role=Role.ANALYST)


@pytest.fixture
def enough(analyst):
    """Enough weighed reports in three categories, visible to the analyst's team."""
    return make_reports({"drugs": 30, "mensenhandel": 20, "witwassen": 20}, team=analyst.team)


def new_report(analyst, description: str) -> Report:
    return Report.objects.create(
        reference=new_reference(),
        channel="web",
        description=description,
        received_at=timezone.now(),
        team=analyst.team,
    )


def test_says_nothing_with_too_little_data(analyst, model_file):
    make_reports({"drugs": 30, "witwassen": 4}, team=analyst.team)  # one usable category
    result = suggestions.suggester_train()
    assert not result.trained and result.reason == "too_little_data"
    assert not model_file.exists()
    report = new_report(analyst, "Sterke hennepgeur bij de loods.")
    assert suggestions.category_suggestion(user=analyst, report=report) == (None, "no_model")


def test_only_weighed_reports_count(analyst):
    make_reports({"drugs": 40, "witwassen": 40}, status=Status.IN_TRIAGE, team=analyst.team)
    assert not suggestions.suggester_train().trained


def test_sealed_reports_are_not_learned_from(analyst):
    """Reports decided 'no action' are sealed (issue 15): the suggester does not learn from them."""
    reports = make_reports({"drugs": 40, "witwassen": 40}, team=analyst.team)
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(
        status=Status.NO_ACTION, weighed_at=timezone.now()
    )
    assert suggestions.training_examples() == ([], [])
    assert not suggestions.suggester_train().trained


def test_suggests_the_right_category_for_an_obvious_text(analyst, enough, model_file):
    result = suggestions.suggester_train()
    assert result.trained and result.examples == 70
    assert set(result.classes) == {"drugs", "mensenhandel", "witwassen"}
    assert result.accuracy is not None and result.accuracy > result.baseline
    assert model_file.exists() and model_file.stat().st_mode & 0o077 == 0
    assert AuditEntry.objects.filter(action="suggestions.train").exists()

    report = new_report(analyst, "Sterke hennepgeur en afgeplakte ramen in de schuur.")
    suggestion = suggestions.category_suggest(user=analyst, report=report)
    assert suggestion is not None and suggestion.category.code == "drugs"
    assert 0.6 <= suggestion.confidence <= 1


def test_says_nothing_below_the_confidence_threshold(settings, analyst, enough):
    suggestions.suggester_train()
    settings.SUGGESTION_MIN_CONFIDENCE = 0.99
    report = new_report(analyst, "Er gebeurt iets vreemds op de hoek.")
    assert suggestions.category_suggestion(user=analyst, report=report) == (None, "low_confidence")


def test_raised_thresholds_silence_an_older_model(settings, analyst, enough):
    suggestions.suggester_train()
    settings.SUGGESTION_MIN_REPORTS = 1000
    report = new_report(analyst, "Sterke hennepgeur bij de loods.")
    assert suggestions.category_suggestion(user=analyst, report=report)[1] == "too_little_data"


def test_a_retired_category_is_not_suggested(analyst, enough):
    suggestions.suggester_train()
    Category.objects.filter(code="drugs").update(is_active=False)
    report = new_report(analyst, "Sterke hennepgeur en afgeplakte ramen in de schuur.")
    suggestion = suggestions.category_suggest(user=analyst, report=report)
    assert suggestion is None or suggestion.category.code != "drugs"


def test_a_model_file_not_written_by_baken_is_never_unpickled(analyst, enough, model_file):
    suggestions.suggester_train()
    assert b"hennep" not in model_file.read_bytes()  # encrypted at rest
    report = new_report(analyst, "Sterke hennepgeur bij de loods.")
    tampered = bytearray(model_file.read_bytes())
    tampered[-1] ^= 1
    model_file.write_bytes(bytes(tampered))
    assert suggestions.category_suggestion(user=analyst, report=report) == (None, "no_model")
    # A plain pickle, as someone with write access to the var dir might leave there.
    joblib.dump({"format": suggestions.FORMAT, "pipeline": None, "meta": {}}, model_file)
    assert suggestions.category_suggestion(user=analyst, report=report) == (None, "no_model")


def test_a_retrained_model_is_picked_up(analyst, enough, model_file):
    suggestions.suggester_train()
    assert suggestions.suggester_meta()["examples"] == 70
    make_reports({"witwassen": 10}, team=analyst.team)
    suggestions.suggester_train()
    assert suggestions.suggester_meta()["examples"] == 80


def test_command_trains_and_reports(enough, model_file):
    out = io.StringIO()
    call_command("suggestions", "train", stdout=out)
    assert "trained on 70 weighed reports in 3 categories" in out.getvalue()
    assert "Held-out accuracy" in out.getvalue() and model_file.exists()
    status = io.StringIO()
    call_command("suggestions", "status", stdout=status)
    assert "on 70 reports" in status.getvalue()


def test_command_exits_1_without_data(model_file):
    err = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("suggestions", "train", stderr=err)
    assert raised.value.returncode == 1
    assert "Too little data" in err.getvalue() and not model_file.exists()


def test_too_little_data_removes_an_older_model(analyst, enough, model_file):
    suggestions.suggester_train()
    Report.objects.all().delete()  # e.g. a retention run
    assert not suggestions.suggester_train().trained
    assert not model_file.exists()


def test_the_task_retrains(enough, model_file):
    result = suggester_retrain.enqueue()
    assert result.status == "SUCCESSFUL"
    assert result.return_value["trained"] is True and result.return_value["examples"] == 70
    assert model_file.exists()


def test_the_enqueue_command_runs_the_task(enough, model_file):
    out = io.StringIO()
    call_command("suggestions", "enqueue", stdout=out)
    assert "enqueued" in out.getvalue() and model_file.exists()


# The report page's partial.


def test_partial_shows_the_suggestion(verified_client, analyst, enough):
    suggestions.suggester_train()
    report = new_report(analyst, "Hennepkwekerij met afgeplakte ramen achter het pand.")
    response = verified_client(analyst).get(reverse("reports:suggestion", args=[report.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="category-suggestion"' in text
    assert "Drugs" in text and re.search(r"\(\d{2,3}%", text)


def test_partial_is_empty_without_a_suggestion(verified_client, analyst):
    report = new_report(analyst, "Hennepkwekerij met afgeplakte ramen achter het pand.")
    response = verified_client(analyst).get(reverse("reports:suggestion", args=[report.pk]))
    assert response.status_code == 204 and response.content == b""


def test_partial_is_404_for_a_report_the_user_cannot_see(verified_client, make_user, enough):
    suggestions.suggester_train()
    other_team = make_user(role=Role.ANALYST, team__name="OOV Elders")
    report = enough[0]
    response = verified_client(other_team).get(reverse("reports:suggestion", args=[report.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.ADMIN, Role.PRIVACY_OFFICER])
def test_partial_shows_nothing_to_roles_without_report_access(verified_client, make_user, role):
    user = make_user(role=role)
    report = make_reports({"drugs": 1}, team=user.team)[0]
    response = verified_client(user).get(reverse("reports:suggestion", args=[report.pk]))
    assert response.status_code == 403 and b"Drugs" not in response.content


def test_partial_shows_nothing_to_a_case_handler(verified_client, make_user, enough):
    suggestions.suggester_train()
    handler = make_user(role=Role.CASE_HANDLER)
    report = enough[0]
    # Not 'no action': a report decided so is sealed, and 404 for a case handler.
    Report.objects.filter(pk=report.pk).update(assignee=handler, status=Status.REFERRED)
    response = verified_client(handler).get(reverse("reports:suggestion", args=[report.pk]))
    assert response.status_code == 204


# The API.

URL = "/api/v1/reports/{}/category-suggestion"


def test_api_returns_the_suggestion(verified_client, analyst, enough):
    suggestions.suggester_train()
    report = new_report(analyst, "Hennepkwekerij met afgeplakte ramen achter het pand.")
    body = verified_client(analyst).get(URL.format(report.pk)).json()
    assert body["category"] == "drugs" and body["name"] == "Drugs"
    assert 0.6 <= body["confidence"] <= 1


def test_api_says_why_there_is_none(verified_client, analyst):
    report = new_report(analyst, "Hennepgeur.")
    response = verified_client(analyst).get(URL.format(report.pk))
    assert response.status_code == 200
    assert response.json()["category"] is None and response.json()["reason"] == "no_model"


def test_api_is_404_for_a_report_the_user_cannot_see(verified_client, make_user, enough):
    other_team = make_user(role=Role.ANALYST, team__name="OOV Elders")
    response = verified_client(other_team).get(URL.format(enough[0].pk))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.ADMIN, Role.PRIVACY_OFFICER])
def test_api_is_403_for_roles_without_report_access(verified_client, make_user, role):
    user = make_user(role=role)
    report = make_reports({"drugs": 1}, team=user.team)[0]
    response = verified_client(user).get(URL.format(report.pk))
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_api_is_in_the_schema(client):
    document = client.get("/api/v1/schema", HTTP_ACCEPT="application/json").json()
    operation = document["paths"]["/api/v1/reports/{id}/category-suggestion"]["get"]
    assert operation["operationId"] == "reports_category_suggestion"
