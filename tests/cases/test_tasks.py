"""Tasks on cases: assigned to a member with a deadline, "my tasks" across cases with the
overdue ones marked, and a daily reminder by e-mail that names no case content."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from baken.audit.models import AuditEntry
from baken.cases import services, tasks_work
from baken.cases.models import Task
from baken.core.roles import Role

pytestmark = pytest.mark.django_db


def test_tasks_go_to_members_and_my_tasks_marks_the_overdue(
    case, analyst, lead, make_user, verified_client
):
    outsider = make_user(role=Role.CASE_HANDLER, team=case.team)
    with pytest.raises(services.CaseRefused):
        tasks_work.task_add(
            case=case,
            title="Pand bezoeken",
            assignee=outsider,
            deadline=timezone.localdate(),
            actor=analyst,
        )
    browser = verified_client(analyst)
    today = timezone.localdate()
    for title, deadline in (
        ("Rapport lezen", today - timedelta(days=2)),
        ("Pand bezoeken", today + timedelta(days=5)),
    ):
        response = browser.post(
            reverse("cases:task_add", args=[case.pk]),
            {"title": title, "assignee": analyst.pk, "deadline": deadline.isoformat()},
        )
        assert response.status_code == 302
    bad = browser.post(
        reverse("cases:task_add", args=[case.pk]),
        {"title": "Zonder datum", "assignee": analyst.pk, "deadline": "2026-02-30"},
    )
    assert bad.status_code == 400 and "Dit is geen datum" in bad.content.decode()
    page = browser.get(reverse("cases:my_tasks")).content.decode()
    assert page.index("Rapport lezen") < page.index("Pand bezoeken")  # soonest first
    assert page.count('class="overdue"') == 1
    late = Task.objects.get(title="Rapport lezen")
    done = browser.post(
        reverse("cases:task_done", args=[case.pk, late.pk]), {"next": reverse("cases:my_tasks")}
    )
    assert done.status_code == 302
    assert "Rapport lezen" not in browser.get(reverse("cases:my_tasks")).content.decode()
    # Removed from the case, the tasks of that case leave "my tasks" too.
    services.member_remove(case=case, user=analyst, actor=lead, reason="Andere casus.")
    assert list(tasks_work.my_tasks(user=analyst)) == []


def test_one_reminder_a_day_without_case_content(
    case, analyst, smtp_server, django_capture_on_commit_callbacks
):
    today = date(2026, 11, 30)
    tasks_work.task_add(
        case=case, title="Rapport lezen", assignee=analyst, deadline=today, actor=analyst
    )
    tasks_work.task_add(
        case=case,
        title="Later",
        assignee=analyst,
        deadline=today + timedelta(days=10),
        actor=analyst,
    )
    # The mail goes once the reminder (a notification) is committed.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks_work.send_reminders(today=today) == 1
        assert tasks_work.send_reminders(today=today) == 0  # not twice a day
    [mail] = smtp_server.messages
    body = mail.get_content()
    assert mail["To"] == "analist@havenwaard.example"
    assert "1 taak" in body
    assert (
        "Rapport lezen" not in body and "Loods Havenweg" not in body and case.reference not in body
    )
    assert AuditEntry.objects.filter(action="case.task_reminder").count() == 1


def test_marking_a_task_done_never_redirects_off_site(case, analyst, verified_client):
    task = tasks_work.task_add(
        case=case,
        title="Rapport lezen",
        assignee=analyst,
        deadline=timezone.localdate(),
        actor=analyst,
    )
    response = verified_client(analyst).post(
        reverse("cases:task_done", args=[case.pk, task.pk]), {"next": "https://elders.example/"}
    )
    assert response["Location"] == reverse("cases:detail", args=[case.pk]) + "#taken"
