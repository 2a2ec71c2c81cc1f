"""One refusal type (ADR 0027): a service refuses once, in English msgids, and the API answers
it as problem+json in the client's language while a page shows it in Dutch; a refusal a page
did not show itself becomes its 404, 403 or 400 page."""

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext_lazy

from baken.core.refusals import Kind, RefusalMiddleware, Refused
from baken.core.roles import Role
from baken.reports import weighing
from baken.reports.models import Criterion
from baken.reports.weighing_form import criteria_answers_save
from tests.reports.test_weighing_form import auth, file_report

pytestmark = pytest.mark.django_db

WEIGHED = gettext_lazy("This report has been weighed already.")


def test_the_kind_decides_the_status_and_the_message_is_translated_when_shown():
    assert [Refused("x", kind=k).status for k in Kind] == [404, 403, 409, 400, 410]
    refused = Refused("weighed", WEIGHED, field="status")
    with translation.override("nl"):
        assert str(refused) == "Deze melding is al gewogen."
    with translation.override("en"):
        assert refused.invalid_params() == [
            {"name": "status", "code": "weighed", "reason": "This report has been weighed already."}
        ]
    several = Refused(problems={"title": "a", "rationale": "b"})
    assert [p["code"] for p in several.invalid_params()] == ["title", "rationale"]
    assert Refused("case_not_found", kind=Kind.NOT_FOUND).invalid_params() == []


@pytest.fixture
def weighed(make_user, north):
    analyst = make_user(role=Role.ANALYST, team=north)
    report = file_report(north)
    criteria = Criterion.objects.filter(is_active=True, mandatory=True)
    answers = {c.code: {"choice": c.choices[0], "motivation": "Zie melding."} for c in criteria}
    criteria_answers_save(report=report, actor=analyst, answers=answers)
    weighing.decision_make(report=report, actor=analyst, kind="in_analysis", rationale="Past.")
    return analyst, report, answers


def test_the_api_gives_a_services_refusal_in_dutch_or_in_english_as_asked(client, weighed):
    """weighing.py used to raise English text that the API returned as it was."""
    analyst, report, answers = weighed
    url = f"/api/v1/reports/{report.pk}/weighing"
    body = {"answers": [{"criterion": k, **v} for k, v in answers.items()]}
    dutch = client.post(url, body, content_type="application/json", **auth(analyst))
    assert dutch.status_code == 400
    assert dutch["Content-Type"] == "application/problem+json"
    assert dutch.json()["invalid_params"] == [
        {"name": "status", "code": "status", "reason": "Deze melding is al gewogen."}
    ]
    english = client.post(
        url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **auth(analyst)
    )
    reason = english.json()["invalid_params"][0]["reason"]
    assert reason == "This report has been weighed already."


def test_a_refusal_no_page_showed_becomes_its_404_403_or_400_page(make_user):
    request = RequestFactory().post("/werkruimte/iets")
    request.user = make_user(role=Role.ANALYST)
    middleware = RefusalMiddleware(lambda r: None)
    with pytest.raises(Http404):
        middleware.process_exception(request, Refused("gone", kind=Kind.NOT_FOUND))
    with translation.override("nl"):
        page = middleware.process_exception(request, Refused("weighed", WEIGHED))
    assert page.status_code == 400
    assert "Deze melding is al gewogen." in page.content.decode()
    assert middleware.process_exception(request, ValueError("not ours")) is None
