"""Weighing in one form (issue 12, item 12): every criterion answered and saved at once, the
open mandatory ones marked, each problem named in an error summary with nothing typed lost;
the same rules as one answer (ADR 0009: under the report's lock, closed after the decision
and on a merged report); intake sees why the decision is not theirs."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.core.actors import SYSTEM
from baken.core.roles import Role
from baken.intake import services as intake_services
from baken.reports import weighing
from baken.reports.duplicates import report_merge
from baken.reports.models import Criterion, CriterionAnswer, Report
from baken.reports.validation import check_report
from baken.reports.weighing_form import criteria_answers_save
from baken.reports.workflow import Status

pytestmark = pytest.mark.django_db


def file_report(team, description="Hennepgeur bij de schuur achter Dorpsstraat 3."):
    checked = check_report({"description": description, "category": "drugs"})
    report = intake_services.report_submit(checked=checked, actor=SYSTEM).report
    Report.objects.filter(pk=report.pk).update(team=team)
    return Report.objects.get(pk=report.pk)


def auth(user) -> dict:
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    return {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}


@pytest.fixture
def analyst(make_user, north):
    return make_user(role=Role.ANALYST, team=north)


@pytest.fixture
def report(north):
    return file_report(north)


def mandatory() -> list[Criterion]:
    return list(Criterion.objects.filter(is_active=True, mandatory=True))


def all_answers(**overrides) -> dict[str, str]:
    form = {}
    for c in mandatory():
        form[f"choice-{c.code}"] = c.choices[0]
        form[f"motivation-{c.code}"] = f"Motivering bij {c.code}."
    return {**form, **overrides}


def test_the_analyst_answers_every_criterion_in_one_save_and_then_decides(
    verified_client, analyst, report
):
    browser = verified_client(analyst)
    page = browser.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert page.count("Verplicht — nog niet beantwoord") == len(mandatory())
    assert page.count('name="motivation-') == Criterion.objects.filter(is_active=True).count()
    saved = browser.post(reverse("reports:weighing_save", args=[report.pk]), all_answers())
    assert saved.status_code == 302 and saved["Location"].endswith("#weging")
    assert CriterionAnswer.objects.filter(report=report).count() == len(mandatory())
    assert AuditEntry.objects.filter(action="report.criterion").count() == len(mandatory())
    page = browser.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Verplicht — nog niet beantwoord" not in page
    # Saving the same answers again writes nothing and says so.
    again = browser.post(reverse("reports:weighing_save", args=[report.pk]), all_answers())
    assert AuditEntry.objects.filter(action="report.criterion").count() == len(mandatory())
    assert again.status_code == 302
    decided = browser.post(
        reverse("reports:decide", args=[report.pk]),
        {"kind": "in_analysis", "rationale": "Past in het beeld van de wijk."},
    )
    assert decided.status_code == 302
    assert Report.objects.get(pk=report.pk).status == Status.IN_ANALYSIS


def test_with_htmx_the_panel_comes_back_in_place(verified_client, analyst, report):
    browser = verified_client(analyst)
    response = browser.post(
        reverse("reports:weighing_save", args=[report.pk]), all_answers(), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert f"{len(mandatory())} antwoorden zijn opgeslagen." in body
    assert 'id="weging"' in body


def test_a_wrong_answer_saves_nothing_names_each_problem_and_keeps_what_was_typed(
    verified_client, analyst, report
):
    first, second = mandatory()[:2]
    form = all_answers(**{f"choice-{first.code}": "misschien", f"motivation-{second.code}": "   "})
    browser = verified_client(analyst)
    response = browser.post(reverse("reports:weighing_save", args=[report.pk]), form)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="alert alert--error error-summary"' in body
    assert f'href="#choice-{first.code}"' in body and f'href="#motivation-{second.code}"' in body
    assert "Kies een van de antwoorden." in body and "Geef een korte motivering." in body
    third = mandatory()[2]
    assert f"Motivering bij {third.code}." in body  # what was typed is still there
    assert f"Motivering bij {first.code}." in body
    assert not CriterionAnswer.objects.exists()


def test_answers_are_refused_after_the_decision_and_on_a_merged_report(analyst, north, report):
    answers = {c.code: {"choice": c.choices[0], "motivation": "Zie melding."} for c in mandatory()}
    criteria_answers_save(report=report, actor=analyst, answers=answers)
    weighing.decision_make(report=report, actor=analyst, kind="in_analysis", rationale="Past.")
    with pytest.raises(weighing.WeighingRefused) as refused:
        criteria_answers_save(report=report, actor=analyst, answers=answers)
    assert "status" in refused.value.problems
    leading, duplicate = file_report(north), file_report(north, "Weer hennepgeur, 's nachts.")
    merged = report_merge(leading=leading, duplicate=duplicate, actor=analyst, reason="Zelfde.")
    with pytest.raises(weighing.WeighingRefused) as refused:
        criteria_answers_save(report=merged, actor=analyst, answers=answers)
    assert "merged" in refused.value.problems
    assert not CriterionAnswer.objects.filter(report=merged).exists()


def test_intake_sees_why_the_decision_is_not_theirs(verified_client, make_user, north, report):
    intake = make_user(role=Role.INTAKE, team=north)
    page = verified_client(intake).get(reverse("reports:detail", args=[report.pk]))
    body = page.content.decode()
    assert "Het besluit neemt de analist of teamleider van het team" in body
    assert 'id="weighing-form"' not in body
    assert "Verplicht — nog niet beantwoord" in body
    refused = verified_client(intake).post(
        reverse("reports:weighing_save", args=[report.pk]), all_answers()
    )
    assert refused.status_code == 403 and not CriterionAnswer.objects.exists()


def test_the_weighing_page_takes_a_fixed_number_of_queries(verified_client, analyst, report):
    """The whole report page with its weighing form: a bounded number of queries, and not one
    more when every criterion has its answer (answers and their authors in one query)."""
    browser = verified_client(analyst)
    url = reverse("reports:detail", args=[report.pk])
    browser.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(url).status_code == 200
        return len(queries)

    open_page = count()
    assert open_page <= 35
    browser.post(reverse("reports:weighing_save", args=[report.pk]), all_answers())
    assert count() == open_page


def test_the_api_saves_all_answers_at_once(client, analyst, report):
    headers = auth(analyst)
    url = f"/api/v1/reports/{report.pk}/weighing"
    answers = [
        {"criterion": c.code, "choice": c.choices[0], "motivation": "Zie melding."}
        for c in mandatory()
    ]
    bad = [*answers[:-1], {**answers[-1], "choice": "misschien"}]
    refused = client.post(url, {"answers": bad}, content_type="application/json", **headers)
    assert refused.status_code == 400
    assert refused.json()["invalid_params"][0]["name"] == f"{answers[-1]['criterion']}.choice"
    assert not CriterionAnswer.objects.exists()
    saved = client.post(url, {"answers": answers}, content_type="application/json", **headers)
    assert saved.status_code == 200, saved.content
    assert saved.json() == {"saved": [a["criterion"] for a in answers], "open": []}
