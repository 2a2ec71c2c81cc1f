"""Work pages at national scale (issue 18): the report page, the case page and the subject page,
each with the panels htmx loads into it, read the same number of queries and offer the same
number of choices whether the team has a few open cases, reports and colleagues or many. No
form lists every open case of the team or every user of the country: a case to add a report
to and a person to add to a case are searched, at most 20 shown."""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from baken.accounts.models import Team
from baken.cases.lookup import MEMBER_FOUND_MAX, member_search
from baken.cases.models import CaseMember
from baken.core.roles import Role
from baken.subjects.services import mention_judge
from tests.cases.test_case_join_search import many_cases
from tests.cases.test_cases import in_analysis, open_case
from tests.cases.test_cases_api import auth
from tests.panels import page_with_panels
from tests.subjects.test_matching import named_in, registered, report_naming

pytestmark = pytest.mark.django_db


class Queries(list):
    """The statements a page read; equal when as many, and a failure names the extra ones."""

    def __eq__(self, other) -> bool:
        return len(self) == len(other)

    def shapes(self) -> Counter:
        return Counter(re.sub(r"\d+", "N", sql)[:200] for sql in self)


def _grown(few: Queries, many: Queries) -> str:
    """What the bigger page read more (or less) of: for the message of a failing test."""
    more, less = many.shapes() - few.shapes(), few.shapes() - many.shapes()
    return f"{len(few)} -> {len(many)} queries; more: {dict(more)}; fewer: {dict(less)}"


def _read(browser, url: str) -> tuple[Queries, str]:
    """The queries the page and its load-time panels read, and their HTML."""
    with CaptureQueriesContext(connection) as queries:
        html = page_with_panels(browser, url)
    return Queries(q["sql"] for q in queries.captured_queries), html


def _choices(html: str) -> int:
    """How many things the page offers to choose from: options and radio buttons."""
    return len(re.findall(r"<option\b", html)) + html.count('type="radio"')


def _longest_list(html: str) -> int:
    """The most options any one select of the page offers."""
    selects = re.findall(r"<select\b.*?</select>", html, flags=re.S)
    return max((len(re.findall(r"<option\b", select)) for select in selects), default=0)


class Grower:
    """Makes the data around a team grow: open cases of the team, reports in further analysis,
    colleagues in other teams (every one a possible member or assignee somewhere)."""

    def __init__(self, team, template_case, make_user):
        self.team, self.template, self.make_user = team, template_case, make_user
        self.rounds = 0

    def grow(self, cases: int, reports: int, people: int) -> None:
        self.rounds += 1
        many_cases(self.template, cases, title="Casus Haven", prefix=f"G{self.rounds:03d}")
        for _ in range(reports):
            in_analysis(self.team)
        elsewhere, _new = Team.objects.get_or_create(name="Elders")
        for _ in range(people):
            self.make_user(role=Role.ANALYST, team=elsewhere)
            self.make_user(role=Role.CASE_HANDLER, team=elsewhere)


def _same_at_two_sizes(browser, url: str, grower: Grower) -> tuple[int, int, str]:
    browser.get(url)  # warm: caches of catalogues and settings are not the page's cost
    grower.grow(cases=2, reports=1, people=1)
    few, small = _read(browser, url)
    grower.grow(cases=80, reports=6, people=12)
    many, big = _read(browser, url)
    assert many == few, _grown(few, many)
    assert _choices(big) == _choices(small), (_choices(small), _choices(big))
    assert _longest_list(big) <= 21, _longest_list(big)
    return few, _choices(big), big


def test_the_report_page_in_further_analysis_reads_the_same_however_many_cases_the_team_has(
    case, lead, north, make_user, verified_client
):
    report = in_analysis(north)
    browser = verified_client(lead)
    url = reverse("reports:detail", args=[report.pk])
    queries, choices, html = _same_at_two_sizes(browser, url, Grower(north, case, make_user))
    # The team lead may add the report to any of the team's 83 open cases: it offers a search
    # and a few suggestions, never the list.
    assert 'id="join-zoek"' in html and 'action="/werkruimte/meldingen/' in html
    assert html.count("Z-G002-") == 0 and html.count("Z-G001-") <= 5
    assert choices < 60 and len(queries) <= 90, (choices, len(queries))


def test_the_report_page_offers_only_the_people_of_the_reports_team_to_assign(
    lead, north, south, make_user, verified_client
):
    report = in_analysis(north)
    colleague = make_user(role=Role.ANALYST, team=north, first_name="Noor", last_name="Haven")
    stranger = make_user(role=Role.ANALYST, team=south, first_name="Zef", last_name="Zuid")
    html = verified_client(lead).get(reverse("reports:detail", args=[report.pk])).content
    form = html.decode().partition('name="assignee"')[2].partition("</select>")[0]
    assert "Noor Haven" in form and "Zef Zuid" not in form
    assert f'value="{colleague.pk}"' in form and f'value="{stranger.pk}"' not in form
    assert "wijs dan eerst dat team toe" in html.decode()


def test_the_case_page_reads_the_same_however_many_cases_and_people_there_are(
    case, lead, north, make_user, verified_client
):
    browser = verified_client(lead)
    url = reverse("cases:detail", args=[case.pk])
    _queries, choices, html = _same_at_two_sizes(browser, url, Grower(north, case, make_user))
    # The member form: a search by name, the case team's own people by default.
    assert 'id="member-zoek"' in html and 'name="lid"' in html
    assert choices < 60, choices


def test_the_subject_page_reads_the_same_however_many_reports_cases_and_subjects(
    case, lead, north, make_user, verified_client
):
    subject = registered(lead, type="person", name="Jan v.d. Berg")
    browser = verified_client(lead)
    url = reverse("subjects:detail", args=[subject.pk])
    grower = Grower(north, case, make_user)

    def grow(n: int) -> None:
        grower.grow(cases=8 * n, reports=n, people=2 * n)
        for i in range(n):
            # Reports that name the subject, and look-alikes the merge form may offer.
            named = report_naming(north, {"type": "person", "name": "J. van der Berg"})
            rs = named_in(named)
            mention_judge(report_subject=rs, subject=subject, judgement="same", actor=lead)
            registered(lead, type="person", name=f"Jan van den Berg {grower.rounds}{i}")

    browser.get(url)
    grow(1)
    few, small = _read(browser, url)
    grow(6)
    many, big = _read(browser, url)
    assert many == few, _grown(few, many)
    # More look-alikes and reports naming the subject: the merge and relation forms offer
    # more of them, each at most 20 (subjects.page.MERGE_CANDIDATES, relation_forms).
    assert _choices(big) > _choices(small)
    assert _longest_list(big) <= 21, _longest_list(big)


# --- adding a member: searched, bounded, need-to-know of the case kept -----------------------


def test_a_member_is_searched_by_name_at_most_twenty_and_added_without_javascript(
    case, lead, north, south, make_user, verified_client
):
    for i in range(MEMBER_FOUND_MAX + 5):
        make_user(role=Role.CASE_HANDLER, team=south, first_name="Anna", last_name=f"Zuid{i:02d}")
    wanted = make_user(role=Role.CASE_HANDLER, team=south, first_name="Bram", last_name="Bakker")
    browser = verified_client(lead)
    url = reverse("cases:detail", args=[case.pk])

    default = browser.get(url).content.decode()
    member_select = default.partition('name="user"')[2].partition("</select>")[0]
    assert "Zuid" not in member_select  # without a search: the case team's own people

    many = browser.get(url, {"lid": "anna"}).content.decode()
    select = many.partition('name="user"')[2].partition("</select>")[0]
    assert select.count("<option") == MEMBER_FOUND_MAX + 1  # with "Kies…"
    assert "Meer dan 20 personen passen bij “anna”" in many

    found = browser.get(url, {"lid": "bram bakk"}).content.decode()
    select = found.partition('name="user"')[2].partition("</select>")[0]
    assert f'value="{wanted.pk}">Bram Bakker (Zuid)' in select and "Anna" not in select
    none = browser.get(url, {"lid": "Xerxes"}).content.decode()
    assert "Niemand die u kunt toevoegen past bij “Xerxes”" in none

    added = browser.post(
        reverse("cases:member_add", args=[case.pk]), {"user": wanted.pk, "reason": "Kent de wijk."}
    )
    assert added.status_code == 302
    assert CaseMember.objects.filter(case=case, user=wanted, removed_at__isnull=True).exists()
    # A member is not offered again.
    assert wanted not in member_search(case=case, query="bram")[0]


def test_adding_an_unknown_or_inactive_person_is_refused_in_dutch_and_keeps_the_list_bounded(
    case, lead, north, make_user, verified_client
):
    gone = make_user(role=Role.ANALYST, team=north, is_active=False)
    browser = verified_client(lead)
    for posted in ({"user": gone.pk, "reason": "Erbij."}, {"user": "9" * 30, "reason": "x"}):
        refused = browser.post(reverse("cases:member_add", args=[case.pk]), posted)
        html = refused.content.decode()
        assert refused.status_code == 400 and "Kies een actieve persoon uit de lijst" in html
    assert not CaseMember.objects.filter(case=case, user=gone).exists()
    empty = browser.post(reverse("cases:member_add", args=[case.pk]), {"reason": "Erbij."})
    assert (
        empty.status_code == 400
        and "Kies de persoon die u wilt toevoegen" in empty.content.decode()
    )


def test_an_intake_officer_is_not_offered_as_a_member_and_posting_one_is_refused_in_dutch(
    case, lead, north, make_user, verified_client
):
    # The page adds analysts, case handlers and team leads, as before the search (an intake
    # officer may still be made a reading member through the service and the API).
    intake = make_user(role=Role.INTAKE, team=north, first_name="Ingrid", last_name="Intake")
    handler = make_user(role=Role.CASE_HANDLER, team=north, first_name="Ingrid", last_name="Hand")
    assert member_search(case=case, query="ingrid")[0] == [handler]
    assert intake not in member_search(case=case)[0] and handler in member_search(case=case)[0]
    browser = verified_client(lead)
    url = reverse("cases:detail", args=[case.pk])
    select = browser.get(url, {"lid": "ingrid"}).content.decode().partition('name="user"')[2]
    assert "Intake" not in select.partition("</select>")[0]

    refused = browser.post(
        reverse("cases:member_add", args=[case.pk]), {"user": intake.pk, "reason": "Erbij."}
    )
    assert refused.status_code == 400
    assert "Kies een actieve persoon uit de lijst" in refused.content.decode()
    assert not CaseMember.objects.filter(case=case, user=intake).exists()


def test_only_who_steers_the_case_gets_the_member_search(
    case, analyst, lead, north, south, make_user, verified_client
):
    # The analyst works in the case but does not steer its membership: no member form.
    html = verified_client(analyst).get(reverse("cases:detail", args=[case.pk]), {"lid": "a"})
    assert html.status_code == 200 and 'id="member-zoek"' not in html.content.decode()
    # The lead of another team does not see the case at all, search or not.
    other_lead = make_user(role=Role.TEAM_LEAD, team=south)
    response = verified_client(other_lead).get(
        reverse("cases:detail", args=[case.pk]), {"lid": "a"}
    )
    assert response.status_code == 404


def test_the_join_search_never_finds_a_case_of_another_team_or_not_yours(
    case, analyst, lead, north, south, make_user, verified_client
):
    report = in_analysis(north)
    south_lead = make_user(role=Role.TEAM_LEAD, team=south)
    theirs = open_case(south, south_lead, title="Casus Haven Zuid")
    # A case of the analyst's own team she is not a member of.
    not_a_member = open_case(north, lead, title="Casus Haven Noord")
    for user, hidden in ((analyst, [theirs, not_a_member]), (lead, [theirs])):
        html = (
            verified_client(user)
            .get(reverse("cases:join", args=[report.pk]), {"zoek": "Casus Haven"})
            .content.decode()
        )
        for other in hidden:
            assert other.reference not in html
            by_number = verified_client(user).get(
                reverse("cases:join", args=[report.pk]), {"zoek": other.reference}
            )
            assert f'name="join-case" value="{other.pk}"' not in by_number.content.decode()
            assert "Geen lopende casus" in by_number.content.decode()
    lead_html = verified_client(lead).get(
        reverse("cases:join", args=[report.pk]), {"zoek": "Casus Haven"}
    )
    assert not_a_member.reference in lead_html.content.decode()


# --- the API's list of cases: a search, bounded, the same need-to-know ----------------------


def test_the_api_lists_candidate_cases_by_search_and_limit_never_another_teams(
    client, case, analyst, lead, north, south, make_user
):
    many_cases(case, 30, title="Casus Haven")
    theirs = open_case(south, make_user(role=Role.TEAM_LEAD, team=south), title="Casus Haven Z")
    wanted = many_cases(case, 1, title="Loods Kade", prefix="KADE")[0]

    def listed(user, **params):
        response = client.get("/api/v1/cases", params, **auth(user))
        assert response.status_code == 200, response.content
        return response.json()

    found = listed(lead, q="haven", workable="true", limit="20")
    assert len(found["results"]) == 20 and found["more"] is True
    assert theirs.reference not in {c["reference"] for c in found["results"]}
    by_number = listed(lead, q=wanted.reference.lower().replace("-", ""), workable="true")
    assert [c["reference"] for c in by_number["results"]] == [wanted.reference]
    assert by_number["more"] is False
    # The analyst is a member of her own case only; the other team's case is never found.
    mine = listed(analyst, q="", workable="true")
    assert [c["reference"] for c in mine["results"]] == [case.reference]
    assert listed(analyst, q=theirs.reference)["results"] == []
    assert len(listed(lead, limit="0020")["results"]) == 20  # leading zeros are a number
    # Without parameters as before: the cases the user may see, newest first, at most 500.
    assert len(listed(lead)["results"]) == 32

    wrong_limits = ["0", "501", "x", "000001000000", "0000010000000000000000000", "99999"]
    for params in [{"limit": n} for n in wrong_limits] + [{"workable": "ja"}]:
        wrong = client.get("/api/v1/cases", params, **auth(lead))
        assert wrong.status_code == 400 and wrong["Content-Type"].startswith(
            "application/problem+json"
        )
        assert wrong.json()["invalid_params"][0]["name"] == next(iter(params))
