"""The answers a reporter gave to the category's extra questions are on the report page, with
the question's own text, in the original and in the working version."""

import re

import pytest
from django.urls import reverse

from baken.core.roles import Role
from baken.reports.models import Category, Question, Report

pytestmark = pytest.mark.django_db


def _questions_added_by_the_administrator(browser) -> None:
    drugs = Category.objects.get(code="drugs")
    form = {
        "name": drugs.name,
        "code": "drugs",
        "description": drugs.description,
        "position": str(drugs.position),
        "deadline_days": str(drugs.deadline_days),
        "is_active": "on",
        "signs": "Hennepgeur",
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
        "questions-0-code": "hoe_lang",
        "questions-0-text": "Hoe lang ruikt u het al?",
        "questions-0-kind": "text",
        "questions-0-position": "1",
        "questions-1-code": "vaker",
        "questions-1-text": "Gebeurt het vaker?",
        "questions-1-kind": "yes_no",
        "questions-1-position": "2",
    }
    response = browser.post(reverse("intake:category_edit", args=[drugs.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Question.objects.filter(category=drugs).count() == 2


def _section(page: str, title_id: str) -> str:
    return page.split(f'id="{title_id}"')[1].split("</section>")[0]


def test_extra_answers_show_with_their_questions(client, verified_client, make_user, north):
    admin = make_user(role=Role.ADMIN, team=None)
    _questions_added_by_the_administrator(verified_client(admin))
    client.logout()
    response = client.post(
        "/melden",
        {
            "category": "drugs",
            "description": "Hennepgeur bij de schuur achter Dorpsstraat 3.",
            "answer-drugs-hoe_lang": "Sinds de zomer",
            "answer-drugs-vaker": "ja",
            "identity": "anonymous",
        },
    )
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.answers == {"hoe_lang": "Sinds de zomer", "vaker": True}
    Report.objects.filter(pk=report.pk).update(team=north)

    analyst = make_user(role=Role.ANALYST, team=north)
    page = verified_client(analyst).get(reverse("reports:detail", args=[report.pk]))
    body = page.content.decode()
    for title in ("original-title", "working-title"):
        part = _section(body, title)
        assert "Hoe lang ruikt u het al?" in part and "Sinds de zomer" in part
        assert re.search(r"Gebeurt het vaker\?</dt>\s*<dd[^>]*>ja</dd>", part), part
        assert "hoe_lang" not in part and "vaker</dt>" not in part  # never the code
