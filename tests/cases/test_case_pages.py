"""The case pages: opened from the report page, the stage with what is missing, each step
through the page, members; a case the user may not see is a 404 like a missing one."""

import pytest
from django.urls import reverse
from django.utils import timezone

from baken.audit.models import AuditEntry
from baken.cases.models import Case, CaseResult, StageCriterion
from baken.core.roles import Role
from baken.reports.models import Report
from baken.reports.workflow import Status
from tests.cases.test_cases import in_analysis, meet_fact
from tests.panels import page_with_panels

pytestmark = pytest.mark.django_db


def open_case(browser, report, **extra) -> Case:
    response = browser.post(
        reverse("cases:open", args=[report.pk]),
        {"title": "Loods Havenweg", "summary": "", "rationale": "Ernstig en concreet.", **extra},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Case.objects.get(reports=report)


def answer_stage(browser, case, actor):
    """Answer the stage's mandatory criteria on the page; what a derived one asks for is
    recorded instead (it has no answer form)."""
    for criterion in StageCriterion.objects.filter(stage=case.stage, mandatory=True):
        if criterion.fact:
            meet_fact(case, criterion.fact, actor)
            continue
        response = browser.post(
            reverse("cases:answer", args=[case.pk]),
            {"criterion": criterion.pk, "choice": criterion.choices[0], "motivation": "Gedaan."},
        )
        assert response.status_code == 302


def test_from_report_to_a_closed_case_through_the_pages(verified_client, analyst, make_user, north):
    report = in_analysis(north)
    browser = verified_client(analyst)
    page = page_with_panels(browser, reverse("reports:detail", args=[report.pk]))
    assert reverse("cases:open", args=[report.pk]) in page
    case = open_case(browser, report)
    assert Report.objects.get(pk=report.pk).status == Status.LINKED_TO_CASE
    detail = browser.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Nog nodig om verder te gaan" in detail and "Weging 4: welke route" in detail
    refused = browser.post(
        reverse("cases:advance", args=[case.pk]), {"advance-rationale": "Verder."}
    )
    assert refused.status_code == 400
    assert "Beantwoord eerst de verplichte criteria" in refused.content.decode()
    for _stage in range(2):
        answer_stage(browser, case, analyst)
        moved = browser.post(
            reverse("cases:advance", args=[case.pk]), {"advance-rationale": "Verder."}
        )
        assert moved.status_code == 302
        case.refresh_from_db()
    assert case.stage.code == "interventie"
    answer_stage(browser, case, analyst)
    # The analyst is a member but not the handler: closing is the team lead's or handler's.
    result = CaseResult.objects.get(version=case.version, code="geen-grond")
    close = {"close-result": result.pk, "close-rationale": "Geen grond gevonden."}
    assert browser.post(reverse("cases:close", args=[case.pk]), close).status_code == 403
    lead = verified_client(make_user(role=Role.TEAM_LEAD, team=north))
    assert lead.post(reverse("cases:close", args=[case.pk]), close).status_code == 302
    case.refresh_from_db()
    assert case.is_closed and case.result == result
    listed = browser.get(reverse("cases:list")).content.decode()
    assert case.reference in listed


def test_members_are_added_and_removed_with_a_reason_by_the_lead(
    verified_client, analyst, make_user, north
):
    case = open_case(verified_client(analyst), in_analysis(north))
    handler = make_user(role=Role.CASE_HANDLER, team=north)
    lead_user = make_user(role=Role.TEAM_LEAD, team=north)
    added = verified_client(lead_user).post(
        reverse("cases:member_add", args=[case.pk]), {"user": handler.pk, "reason": "Handhaving."}
    )
    assert added.status_code == 302
    assert verified_client(handler).get(reverse("cases:detail", args=[case.pk])).status_code == 200
    removed = verified_client(lead_user).post(
        reverse("cases:member_remove", args=[case.pk, handler.pk]), {"reason": "Klaar."}
    )
    assert removed.status_code == 302
    assert verified_client(handler).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert AuditEntry.objects.filter(action="case.member_remove").count() == 1


def test_the_privacy_officer_reviews_with_a_reason(verified_client, analyst, make_user, north):
    case = open_case(verified_client(analyst), in_analysis(north))
    officer = verified_client(make_user(role=Role.PRIVACY_OFFICER, team=None))
    url = reverse("cases:review", args=[case.pk])
    assert officer.get(url).status_code == 200  # asks for the reason
    assert "Loods Havenweg" not in officer.post(url, {"reason": ""}).content.decode()
    page = officer.post(url, {"reason": "Inzageverzoek van betrokkene."}).content.decode()
    assert "Loods Havenweg" in page and "alleen lezen" in page
    assert reverse("cases:advance", args=[case.pk]) not in page
    assert case.reviews.get().reason == "Inzageverzoek van betrokkene."


def test_a_case_handler_of_another_case_sees_nothing_of_this_one(
    verified_client, analyst, make_user, north
):
    from baken.cases import tasks_work, work
    from baken.subjects.selectors import subject_list
    from tests.subjects.helpers import subject

    case = open_case(verified_client(analyst), in_analysis(north))
    jan = subject("Jan de Vries", report=case.reports.get(), judge=analyst)
    tasks_work.task_add(
        case=case,
        title="Geheime taak",
        assignee=analyst,
        deadline=timezone.localdate(),
        actor=analyst,
    )
    work.handover_record(
        case=case,
        recipient_kind="riec",
        recipient="RIEC",
        what="Alles",
        legal_basis="Convenant",
        actor=analyst,
    )
    other = make_user(role=Role.CASE_HANDLER, team=north)
    open_case(
        verified_client(make_user(role=Role.TEAM_LEAD, team=north)),
        in_analysis(north),
        handler=other.pk,
    )
    browser = verified_client(other)
    for url in (
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:accountability", args=[case.pk]),
        reverse("subjects:detail", args=[jan.pk]),
        reverse("reports:detail", args=[case.reports.get().pk]),
    ):
        assert browser.get(url).status_code == 404, url
    handover = case.handovers.get()
    task = case.tasks.get()
    for url, data in (
        (reverse("cases:note", args=[case.pk]), {"note-text": "Ik was hier."}),
        (reverse("cases:task_done", args=[case.pk, task.pk]), {}),
        (reverse("cases:handover_informed", args=[case.pk, handover.pk]), {"subject": jan.pk}),
        (reverse("cases:join", args=[in_analysis(north).pk]), {"join-case": case.pk}),
    ):
        assert browser.post(url, data).status_code in (403, 404), url
    assert not case.notes.exists() and not case.handovers.get().notices.exists()
    assert "Geheime taak" not in browser.get(reverse("cases:my_tasks")).content.decode()
    assert not subject_list(user=other).filter(pk=jan.pk).exists()
    searched = browser.get(reverse("subjects:search"), {"q": "Jan de Vries"}).content.decode()
    assert reverse("subjects:detail", args=[jan.pk]) not in searched
