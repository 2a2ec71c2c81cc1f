"""Notifications for staff (issue 12): each kind made by the real action through the pages or
the API, in the app always and by e-mail as each person chooses; the e-mail a neutral sentence
and a link, nothing of the report or case; only ever one's own notifications."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from baken.cases.models import Source
from baken.cases.tasks import task_reminders
from baken.core.roles import Role
from baken.notifications.models import Notification
from baken.reports.models import Report
from tests.cases.test_cases import open_case

from .conftest import SECRETS, auth

pytestmark = pytest.mark.django_db


def assign(client, actor, report, person):
    return client.post(
        f"/api/v1/reports/{report.pk}/assignment",
        {"team": report.team_id, "assignee": person.pk if person else None},
        content_type="application/json",
        **auth(actor),
    )


def test_an_assignment_is_notified_and_mailed_without_anything_of_the_report(
    client, lead, analyst, report, smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://baken.havenwaard.example"
    with django_capture_on_commit_callbacks(execute=True):
        assert assign(client, lead, report, analyst).status_code == 200
    [notification] = Notification.objects.filter(user=analyst)
    assert notification.kind == "report_assigned" and notification.read_at is None
    assert not Notification.objects.filter(user=lead).exists()  # not told of one's own act
    [mail] = smtp_server.messages
    body = mail.get_content()
    assert mail["To"] == "analist@havenwaard.example"
    assert "Er is een melding aan u toegewezen." in body
    assert f"https://baken.havenwaard.example/werkruimte/notificaties/{notification.pk}" in body
    leaked = [word for word in (*SECRETS, report.reference) if word in body + mail["Subject"]]
    assert leaked == []


def test_a_reporters_answer_reaches_who_asked_and_the_assignee(
    client, lead, analyst, make_user, north, django_capture_on_commit_callbacks
):
    other = make_user(role=Role.ANALYST, team=north)
    # The reporter files through the API and keeps the receipt code.
    filed = client.post(
        "/api/v1/reports",
        {"description": "Busjes die 's nachts af en aan rijden bij de schuur."},
        content_type="application/json",
    ).json()
    Report.objects.filter(pk=filed["id"]).update(team=north)
    report = Report.objects.get(pk=filed["id"])
    assert assign(client, lead, report, other).status_code == 200
    asked = client.post(
        f"/api/v1/reports/{report.pk}/messages",
        {"text": "Welke schuur bedoelt u?"},
        content_type="application/json",
        **auth(analyst),
    )
    assert asked.status_code == 201
    Notification.objects.all().delete()
    answered = client.post(
        "/api/v1/followup/messages",
        {"receipt_code": filed["receipt_code"], "text": "De schuur achter nummer 14."},
        content_type="application/json",
    )
    assert answered.status_code == 201
    told = set(
        Notification.objects.filter(kind="reporter_answered").values_list("user", "object_id")
    )
    assert told == {(analyst.pk, report.pk), (other.pk, report.pk)}
    assert not Notification.objects.filter(user=lead).exists()  # neither asked nor assigned


def test_source_research_waits_for_the_privacy_officer(
    lead, analyst, make_user, north, verified_client
):
    officer = make_user(role=Role.PRIVACY_OFFICER, email="privacy@havenwaard.example")
    case = open_case(north, analyst)
    browser = verified_client(analyst)
    source = Source.objects.filter(is_active=True).first()
    response = browser.post(
        reverse("cases:consultation_request", args=[case.pk]),
        {"source": source.pk, "purpose": "Wie staat er ingeschreven?"},
    )
    assert response.status_code == 302
    [notification] = Notification.objects.filter(user=officer)
    assert notification.kind == "consultation_requested"
    officers = verified_client(officer)
    page = officers.get(reverse("notifications:list")).content.decode()
    assert "Er wacht een verzoek om bronnenonderzoek op uw besluit." in page
    opened = officers.get(reverse("notifications:open", args=[notification.pk]))
    assert opened["Location"] == reverse("cases:consultation_queue")
    assert officers.get(opened["Location"]).status_code == 200
    # The officer chooses e-mail only for what can reach them.
    form = officers.get(reverse("notifications:preferences")).content.decode()
    assert form.count('name="email"') == 1 and 'value="consultation_requested"' in form


def test_membership_is_in_the_app_and_mailed_only_when_chosen(
    lead,
    analyst,
    make_user,
    north,
    verified_client,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    handler = make_user(role=Role.CASE_HANDLER, team=north, email="regie@havenwaard.example")
    colleague = make_user(role=Role.ANALYST, team=north, email="collega@havenwaard.example")
    case = open_case(north, analyst, title="Loods Havenkade")
    browser = verified_client(lead)  # the team lead steers the case: adds its members
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(
            reverse("cases:member_add", args=[case.pk]), {"user": handler.pk, "reason": "Regie."}
        )
    assert Notification.objects.get(user=handler).object_id == case.pk
    assert smtp_server.messages == []  # membership: e-mail off until chosen
    # The colleague chooses e-mail for it on the account page.
    their = verified_client(colleague)
    form = their.get(reverse("notifications:preferences"), HTTP_HX_REQUEST="true")
    assert 'value="case_member"' in form.content.decode()
    saved = their.post(
        reverse("notifications:preferences"), {"email": ["case_member", "report_assigned"]}
    )
    assert saved["Location"] == reverse("accounts:account")
    browser = verified_client(lead)
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(
            reverse("cases:member_add", args=[case.pk]),
            {"user": colleague.pk, "reason": "Kent de haven."},
        )
    [mail] = smtp_server.messages
    assert mail["To"] == "collega@havenwaard.example"
    body = mail.get_content()
    assert "U bent toegevoegd aan een casus." in body
    assert "Havenkade" not in body and case.reference not in body


def test_due_tasks_are_one_reminder_in_the_app_and_by_mail_unless_switched_off(
    lead,
    analyst,
    make_user,
    north,
    verified_client,
    smtp_server,
    django_capture_on_commit_callbacks,
):
    quiet = make_user(role=Role.ANALYST, team=north, email="stil@havenwaard.example")
    case = open_case(north, analyst)
    verified_client(lead).post(
        reverse("cases:member_add", args=[case.pk]), {"user": quiet.pk, "reason": "Helpt mee."}
    )
    browser = verified_client(analyst)
    today = timezone.localdate()
    for person, title, deadline in [
        (analyst, "Rapport lezen", today),
        (analyst, "Pand bekijken", today - timedelta(days=2)),
        (quiet, "Buren spreken", today),
    ]:
        added = browser.post(
            reverse("cases:task_add", args=[case.pk]),
            {"title": title, "assignee": person.pk, "deadline": deadline.isoformat()},
        )
        assert added.status_code == 302
    verified_client(quiet).post(reverse("notifications:preferences"), {"email": []})
    with django_capture_on_commit_callbacks(execute=True):
        task_reminders.enqueue()  # as the scheduler does every working morning
    mine = Notification.objects.get(user=analyst, kind="task_due")
    assert mine.count == 2
    assert Notification.objects.get(user=quiet, kind="task_due").count == 1
    [mail] = smtp_server.messages  # one mail, not one per kind or per task; none for `quiet`
    assert mail["To"] == "analist@havenwaard.example"
    body = mail.get_content()
    assert "2 taken" in body and "Rapport lezen" not in body and case.reference not in body


def test_the_list_newest_first_mark_read_and_only_ones_own(
    client, lead, analyst, make_user, north, report, verified_client
):
    second = open_case(north, lead, title="Tweede")
    assign(client, lead, report, analyst)
    from baken.cases import services

    services.member_add(case=second, user=analyst, actor=lead, reason="Meedenken.")
    browser = verified_client(analyst)
    page = browser.get(reverse("notifications:list")).content.decode()
    assert page.index("U bent toegevoegd aan een casus.") < page.index(
        "Er is een melding aan u toegewezen."
    )
    assert "Notificaties (2 nieuw)" in page
    assert report.reference in page and second.reference in page
    first = Notification.objects.filter(user=analyst).order_by("pk").first()
    browser.post(reverse("notifications:read", args=[first.pk]))
    assert "Notificaties (1 nieuw)" in browser.get(reverse("core:home")).content.decode()
    browser.post(reverse("notifications:read_all"))
    page = browser.get(reverse("notifications:list")).content.decode()
    assert "nieuw)" not in page and Notification.objects.filter(read_at=None).count() == 0
    # Another user: 404 for my notification, on the page and over the API.
    stranger = verified_client(make_user(role=Role.ANALYST, team=north))
    assert stranger.get(reverse("notifications:open", args=[first.pk])).status_code == 404
    assert stranger.post(reverse("notifications:read", args=[first.pk])).status_code == 404


def test_a_notification_never_opens_what_one_may_no_longer_see(
    client, lead, analyst, make_user, report, verified_client
):
    assign(client, lead, report, analyst)
    # Handed to another team: the analyst of north no longer sees it.
    from baken.accounts.models import Team

    south = Team.objects.create(name="Zuid")
    assert (
        client.post(
            f"/api/v1/reports/{report.pk}/assignment",
            {"team": south.pk, "assignee": None},
            content_type="application/json",
            **auth(lead),
        ).status_code
        == 200
    )
    [notification] = Notification.objects.filter(user=analyst)
    browser = verified_client(analyst)
    listed = browser.get(reverse("notifications:list")).content.decode()
    assert "Vermeulen" not in listed and "Havenkade" not in listed
    opened = browser.get(reverse("notifications:open", args=[notification.pk]), follow=True)
    assert opened.status_code == 404
    assert "Vermeulen" not in opened.content.decode()


def test_the_api_lists_mine_with_iso_times_and_marks_read(client, lead, analyst, make_user, report):
    assign(client, lead, report, analyst)
    body = client.get("/api/v1/notifications", **auth(analyst)).json()
    [item] = body["results"]
    assert item["kind"] == "report_assigned" and item["read_at"] is None
    assert item["link"] == reverse("reports:detail", args=[report.pk])
    assert timezone.datetime.fromisoformat(item["created_at"]).utcoffset() is not None
    read = client.post(f"/api/v1/notifications/{item['id']}/read", **auth(analyst))
    assert read.status_code == 200 and read.json()["read_at"]
    other = make_user(role=Role.ANALYST)
    assert client.get("/api/v1/notifications", **auth(other)).json()["results"] == []
    refused = client.post(f"/api/v1/notifications/{item['id']}/read", **auth(other))
    assert refused.status_code == 404
    assert refused["Content-Type"] == "application/problem+json"
    schema = client.get("/api/v1/schema?format=json").json()
    assert "/api/v1/notifications/{id}/read" in schema["paths"]


def test_the_header_count_costs_one_query(client, lead, analyst, report, verified_client):
    assign(client, lead, report, analyst)
    browser = verified_client(analyst)
    with CaptureQueriesContext(connection) as queries:
        page = browser.get(reverse("accounts:account")).content.decode()
    counts = [
        q["sql"] for q in queries.captured_queries if "notifications_notification" in q["sql"]
    ]
    assert len(counts) == 1 and "COUNT" in counts[0].upper()
    assert "Notificaties (1 nieuw)" in page


def test_a_routing_rule_that_names_a_person_tells_them_on_arrival(client, analyst, north):
    from baken.reports.models import Category, RoutingRule

    RoutingRule.objects.create(
        position=0,
        name="Drugs naar de analist van Noord",
        category=Category.objects.get(code="drugs"),
        team=north,
        assignee=analyst,
    )
    filed = client.post(
        "/api/v1/reports",
        {"category": "drugs", "description": "Hennepgeur bij de loods aan de Havenweg."},
        content_type="application/json",
    ).json()
    [notification] = Notification.objects.filter(user=analyst)
    assert (notification.kind, notification.object_id) == ("report_assigned", filed["id"])
