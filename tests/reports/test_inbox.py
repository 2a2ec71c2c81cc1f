"""The inbox: filters, counts per state, overdue reports, saved filters, bounded queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from baken.core.roles import Role
from baken.reports.models import Report, SavedFilter
from tests.reports.test_triage import file_report

pytestmark = pytest.mark.django_db
INBOX = reverse("reports:inbox")


@pytest.fixture
def analyst(make_user):
    return make_user(role=Role.ANALYST)


def reports_for(team, n, **fields):
    made = []
    for i in range(n):
        report = file_report(description=f"Melding nummer {i} met voldoende tekst.")
        Report.objects.filter(pk=report.pk).update(team=team, **fields)
        made.append(report)
    return made


def test_counts_per_state_and_the_state_filter(verified_client, analyst):
    reports_for(analyst.team, 2)
    reports_for(analyst.team, 1, status="in_triage")
    browser = verified_client(analyst)
    page = browser.get(INBOX).content.decode()
    assert "3 meldingen" in page
    filtered = browser.get(INBOX, {"status": "in_triage"}).content.decode()
    assert "1 melding" in filtered and "Melding nummer 0" not in filtered


def test_the_inbox_is_the_triage_queue_and_decided_reports_are_one_choice_away(
    verified_client, analyst
):
    [waiting] = reports_for(analyst.team, 1, status="weighed")
    [done] = reports_for(analyst.team, 1, status="referred")
    browser = verified_client(analyst)
    page = browser.get(INBOX).content.decode()
    assert waiting.reference in page and done.reference not in page
    assert "1 melding" in page
    counts = page.split('class="state-counts"')[1].split("</ul>")[0]
    assert "Gewogen</a> <span" in counts  # counted
    assert "Doorverwezen</a></li>" in counts  # after the decision: not counted until chosen
    chosen = browser.get(INBOX, {"status": "referred"}).content.decode()
    assert done.reference in chosen and waiting.reference not in chosen
    counts = chosen.split('class="state-counts"')[1].split("</ul>")[0]
    assert 'Doorverwezen</a> <span class="count">1</span>' in counts


def test_overdue_reports_are_highlighted_and_filterable(verified_client, analyst):
    old, fresh = reports_for(analyst.team, 2)
    Report.objects.filter(pk=old.pk).update(received_at=timezone.now() - timedelta(days=30))
    browser = verified_client(analyst)
    page = browser.get(INBOX).content.decode()
    assert page.count('class="overdue"') == 1
    only = browser.get(INBOX, {"overdue": "on"}).content.decode()
    assert old.reference in only and fresh.reference not in only


def test_overdue_is_only_before_the_first_weighing_in_the_inbox_and_the_api(
    verified_client, analyst, client
):
    """Overdue is the category's deadline for the first weighing: a weighed or decided
    report past it is not overdue, with or without a state chosen, in the inbox's rows and
    counts and in the API's list and its count."""
    from tests.places.test_area_reports import auth

    month_ago = timezone.now() - timedelta(days=30)
    [late] = reports_for(analyst.team, 1, status="in_triage", received_at=month_ago)
    [weighed] = reports_for(analyst.team, 1, status="weighed", received_at=month_ago)
    [referred] = reports_for(analyst.team, 1, status="referred", received_at=month_ago)
    browser = verified_client(analyst)
    page = browser.get(INBOX, {"overdue": "on"}).content.decode()
    assert late.reference in page and weighed.reference not in page
    assert "1 melding" in page
    counts = page.split('class="state-counts"')[1].split("</ul>")[0]
    assert 'In beoordeling</a> <span class="count">1</span>' in counts
    assert 'Gewogen</a> <span class="count">0</span>' in counts
    for state, report in (("weighed", weighed), ("referred", referred)):
        chosen = browser.get(INBOX, {"overdue": "on", "status": state}).content.decode()
        assert report.reference not in chosen and late.reference not in chosen

    def listed(**params) -> set[str]:
        response = client.get("/api/v1/reports", params, **auth(analyst))
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        assert body["count"] == len(body["results"])
        return {r["reference"] for r in body["results"]}

    assert listed(overdue="true") == {late.reference}
    assert listed(overdue="true", status="weighed") == set()
    assert listed(overdue="true", status=["in_triage", "referred"]) == {late.reference}
    assert listed(status="referred") == {referred.reference}


def test_a_changed_deadline_counts_at_once_for_the_same_moment():
    # The overdue terms are read from the categories for every request (the weekly overview
    # asks them for the same moment again): a deadline changed in between is not missed.
    from baken.reports.inbox import past_deadline
    from baken.reports.models import Category

    moment = timezone.now()
    category = Category.objects.order_by("pk").first()
    Category.objects.filter(pk=category.pk).update(deadline_days=10)
    [report] = reports_for(None, 1, category=category, received_at=moment - timedelta(days=5))
    assert not Report.objects.filter(pk=report.pk).filter(past_deadline(moment)).exists()
    Category.objects.filter(pk=category.pk).update(deadline_days=3)
    assert Report.objects.filter(pk=report.pk).filter(past_deadline(moment)).exists()


def test_saved_filters_belong_to_their_user(verified_client, analyst, make_user):
    browser = verified_client(analyst)
    browser.post(reverse("reports:filter_save"), {"name": "Mijn drugs", "query": "category=drugs"})
    assert SavedFilter.objects.get(user=analyst).query == "category=drugs"
    assert "Mijn drugs" in browser.get(INBOX).content.decode()
    other = verified_client(make_user(role=Role.ANALYST))
    assert "Mijn drugs" not in other.get(INBOX).content.decode()


def test_the_filter_form_shows_what_was_asked_and_a_new_team_at_once(verified_client, analyst):
    from baken.accounts.models import Team

    browser = verified_client(analyst)
    plain = browser.get(INBOX).content.decode()
    assert 'name="overdue" id="id_overdue" checked' not in plain
    asked = browser.get(INBOX, {"overdue": "on"}).content.decode()
    assert 'name="overdue" id="id_overdue" checked' in asked
    wrong = browser.get(INBOX, {"older_than_days": "veel"}).content.decode()
    assert 'class="errorlist' in wrong
    assert "Nieuw team" not in browser.get(INBOX).content.decode()
    Team.objects.create(name="Nieuw team")
    assert ">Nieuw team</option>" in browser.get(INBOX).content.decode()
    assert 'name="overdue" id="id_overdue" checked' not in browser.get(INBOX).content.decode()


def test_htmx_request_gets_only_the_results(verified_client, analyst):
    reports_for(analyst.team, 1)
    body = verified_client(analyst).get(INBOX, HTTP_HX_REQUEST="true").content.decode()
    assert "<table" in body and "<html" not in body


def test_intake_sees_the_queue_but_not_other_teams(verified_client, make_user, analyst):
    from baken.accounts.models import Team

    mine = reports_for(analyst.team, 1)[0]
    theirs = reports_for(Team.objects.create(name="Elders"), 1)[0]
    intake = make_user(role=Role.INTAKE, team=analyst.team)
    page = verified_client(intake).get(INBOX).content.decode()
    assert mine.reference in page and theirs.reference not in page


def _queries(browser, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(url).status_code == 200
    return len(captured)


def test_inbox_and_report_page_queries_do_not_grow_with_the_reports(verified_client, analyst):
    browser = verified_client(analyst)
    first = reports_for(analyst.team, 3)[0]
    few_inbox = _queries(browser, INBOX)
    few_detail = _queries(browser, reverse("reports:detail", args=[first.pk]))
    reports_for(analyst.team, 40)
    assert _queries(browser, INBOX) == few_inbox
    assert _queries(browser, reverse("reports:detail", args=[first.pk])) == few_detail
    assert few_inbox <= 20 and few_detail <= 40, (few_inbox, few_detail)


def test_pages_of_an_analysts_two_part_scope_are_the_whole_queue_in_order(analyst, make_user):
    """The analyst's scope (assigned to them, or of their team) is read per part, one window
    per page; the pages together are exactly the queue, oldest first."""
    from baken.accounts.models import Team
    from baken.reports.inbox import InboxFilter, inbox_counts, inbox_page, inbox_reports

    other = Team.objects.create(name="Elders")
    now = timezone.now()
    made = reports_for(analyst.team, 4) + reports_for(other, 3, assignee=analyst)
    reports_for(other, 2)  # not theirs
    for age, report in enumerate(made):
        Report.objects.filter(pk=report.pk).update(received_at=now - timedelta(hours=age * 7))
    filters = InboxFilter()
    counts = inbox_counts(user=analyst, filters=filters)
    pages = [
        [
            r.pk
            for r in inbox_page(user=analyst, filters=filters, counts=counts, number=n, per_page=2)
        ]
        for n in (1, 2, 3, 4)
    ]
    expected = [r.pk for r in sorted(made, key=lambda r: r.pk, reverse=True)]
    assert [pk for page in pages for pk in page] == expected
    assert [r.pk for r in inbox_reports(user=analyst, filters=filters)] == expected
    assert pages[3] == [expected[-1]]


# The row markup as the template wrote it per cell before the rows were written in the view
# (issue 18): the view's rows must give the same HTML.
OLD_ROWS = """{% load i18n %}{% for report, overdue in rows %}
      <tr{% if overdue %} class="overdue"{% endif %}>
        <th scope="row"><a href="{% url 'reports:detail' report.pk %}">{{ report.reference }}</a>{% if overdue %} <strong class="badge badge--overdue">{% translate "overdue" %}</strong>{% endif %}{% if report.pk in unanswered %} {% include "reports/_no_answer.html" %}{% elif report.pk in answered %} <strong class="badge">{% translate "the reporter answered" %}</strong>{% endif %}</th>
        <td>{{ report.received_at|moment_compact }}</td>
        <td>{{ report.category.name|default:"—" }}</td>
        <td>{{ report.get_status_display }}</td>
        <td>{% if report.postcode %}{{ report.postcode }} {{ report.house_number|default_if_none:"" }}{% else %}{{ report.location_description|truncatechars:30|default:"—" }}{% endif %}</td>
        <td>{{ report.team.name|default:"—" }}</td>
        <td>{% if report.assignee %}{{ report.assignee.get_full_name|default:report.assignee.username }}{% else %}—{% endif %}</td>
      </tr>
{% endfor %}"""  # noqa: E501 (the template text as it was)


def test_the_rows_show_what_the_template_showed_per_cell(verified_client, analyst, make_user):
    from django.template import engines

    from baken.reports import inbox, waiting
    from baken.reports.models import Category

    named = make_user(role=Role.ANALYST, team=analyst.team, first_name="Anna", last_name="Bos")
    bare = make_user(role=Role.ANALYST, team=analyst.team, first_name="", last_name="")
    made = reports_for(analyst.team, 6)
    drugs = Category.objects.get(code="drugs")
    changes = [
        dict(postcode="1781AB", house_number=3, assignee=named),
        dict(postcode="1781AC", house_number=None, assignee=bare, status="in_triage"),
        dict(postcode="", location_description="Bij de <molen> achter de schuur aan de oude dijk"),
        dict(postcode="", location_description="", category=None),
        dict(postcode="", location_description="Kort & goed", category=drugs),
        dict(received_at=timezone.now() - timedelta(days=40), postcode=""),
    ]
    for report, change in zip(made, changes, strict=True):
        Report.objects.filter(pk=report.pk).update(**change)
    page = verified_client(analyst).get(INBOX).content.decode()
    shown = page.split("<tbody>")[1].split("</tbody>")[0]
    reports = list(Report.objects.filter(pk__in=[r.pk for r in made]).order_by("received_at", "pk"))
    now = timezone.now()
    old = (
        engines["django"]
        .from_string(OLD_ROWS)
        .render(
            {
                "rows": [(r, inbox.is_overdue(r, now)) for r in reports],
                **waiting.returned(report_ids=[r.pk for r in reports]),
                "answer_days": waiting.answer_days(),
            }
        )
    )
    assert " ".join(shown.split()) == " ".join(old.split())
    assert "Anna Bos" in shown and bare.username in shown and "1781AC </td>" in shown
    assert "&lt;molen&gt;" in shown and "Kort &amp; goed" in shown
