"""What the awareness work brings, in figures (issue 17): reports per department and month,
before/after a training, first-time departments, the sign share, niet pluis → analysis, and
the anonymity rule — an anonymous report of a small department is never counted under its
name (awareness/figures.py).

The reports are made as the intake makes them (a department, its band on arrival, the signs
ticked) with the figures' report helper: the intake's department and signs fields were not
wired into the public API yet when these tests were written."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils.timezone import localdate

from baken.audit.models import AuditEntry
from baken.awareness.figures import (
    NO_DEPARTMENT,
    POOLED,
    add_months,
    awareness_compute,
    awareness_figures,
    default_period,
)
from baken.awareness.models import Training, TrainingFormat
from baken.core.roles import Role
from baken.reports.models import Department, DepartmentSize, Indicator, Report
from baken.reports.workflow import Status
from tests.insights.figures_helpers import make_report

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Europe/Amsterdam")
TODAY = date(2026, 12, 5)


@pytest.fixture
def departments(db):
    return {
        "vergunningen": Department.objects.create(
            code="vergunningen", name="Vergunningen", size=DepartmentSize.LARGE, position=1
        ),
        "handhaving": Department.objects.create(
            code="handhaving", name="Handhaving", size=DepartmentSize.LARGE, position=2
        ),
        "archief": Department.objects.create(
            code="archief", name="Archief", size=DepartmentSize.SMALL, position=3
        ),
    }


def on(day: date, team, *, department=None, anonymous=True, small=None, signs=(), **kw):
    """A report received at noon on `day`, as the intake stores it: `small` is the band on
    arrival (by default the department's band then)."""
    days_ago = (datetime.now(ZONE) - datetime.combine(day, time(12), tzinfo=ZONE)).total_seconds()
    if small is None:
        small = department is not None and department.size == DepartmentSize.SMALL
    report = make_report(
        team,
        days_ago=days_ago / 86400,
        department=department,
        department_small=small,
        is_anonymous=anonymous,
        **kw,
    )
    if signs:
        report.signs.set(signs)
    return report


def training(day: date, *departments, title="") -> Training:
    t = Training.objects.create(
        held_on=day, title=title, participants=12, format=TrainingFormat.IN_PERSON, trainer="A"
    )
    t.departments.set(departments)
    return t


def row(figures, key):
    return next(r for r in figures.rows if r.key == key)


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 1, 15), -3) == date(2025, 10, 15)
    assert default_period(TODAY) == (date(2026, 1, 1), TODAY)


def test_reports_per_department_and_month(north, south, departments):
    v, h = departments["vergunningen"], departments["handhaving"]
    on(date(2026, 9, 3), north, department=v)
    on(date(2026, 9, 30), north, department=v)
    on(date(2026, 10, 1), north, department=h)
    on(date(2026, 10, 2), north)  # no department named
    on(date(2026, 10, 2), south, department=v)  # another team's
    f = awareness_compute(team=north.pk, start=date(2026, 9, 1), end=date(2026, 11, 30))
    sep, octo, nov = date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)
    assert f.months == [sep, octo, nov]
    assert row(f, "vergunningen").counts == {sep: 2, octo: 0, nov: 0}
    assert row(f, "handhaving").counts == {sep: 0, octo: 1, nov: 0}
    assert row(f, NO_DEPARTMENT).counts[octo] == 1
    assert f.per_month == {sep: 2, octo: 2, nov: 0} and f.total == 4
    everyone = awareness_compute(team=None, start=date(2026, 9, 1), end=date(2026, 11, 30))
    assert row(everyone, "vergunningen").total == 3


def test_a_month_is_the_municipalitys_local_month(north, departments):
    # 30 November 23:30 in Amsterdam is 22:30 UTC: November, not December.
    v = departments["vergunningen"]
    report = on(date(2026, 11, 30), north, department=v)
    report.received_at = datetime(2026, 11, 30, 23, 30, tzinfo=ZONE)
    report.save()
    f = awareness_compute(team=north.pk, start=date(2026, 11, 1), end=date(2026, 12, 31))
    assert row(f, "vergunningen").counts == {date(2026, 11, 1): 1, date(2026, 12, 1): 0}


def test_before_and_after_a_training(north, departments):
    v, h = departments["vergunningen"], departments["handhaving"]
    t = training(date(2026, 6, 10), v, title="Week van de integriteit")
    on(date(2026, 3, 9), north, department=v)  # more than three months before
    on(date(2026, 3, 10), north, department=v)  # before
    on(date(2026, 6, 10), north, department=v)  # the day itself: after
    on(date(2026, 9, 9), north, department=v)  # after
    on(date(2026, 9, 10), north, department=v)  # past the three months
    on(date(2026, 7, 1), north, department=h)  # not trained
    on(date(2026, 7, 1), north)  # no department
    f = awareness_compute(team=north.pk, start=date(2026, 1, 1), end=TODAY, today=TODAY)
    (effect,) = f.effects
    assert effect.training.pk == t.pk and effect.training.departments == ["Vergunningen"]
    assert (effect.before, effect.after) == (1, 2)
    assert effect.before_from == date(2026, 3, 10) and effect.after_until == date(2026, 9, 9)
    assert effect.complete
    assert [m.pk for m in f.trainings_in(date(2026, 6, 1))] == [t.pk]


def test_a_training_whose_three_months_are_not_over(north, departments):
    training(date(2026, 11, 20), departments["vergunningen"])
    f = awareness_compute(team=north.pk, start=date(2026, 1, 1), end=TODAY, today=TODAY)
    assert not f.effects[0].complete


def test_departments_that_reported_for_the_first_time(north, south, departments):
    v, h = departments["vergunningen"], departments["handhaving"]
    on(date(2025, 12, 1), north, department=h)  # Handhaving reported before the period
    on(date(2026, 2, 1), north, department=h)
    training(date(2026, 1, 5), v, title="Oud")
    latest = training(date(2026, 3, 2), v, title="Nieuw")
    training(date(2026, 3, 20), v, title="Na de eerste melding")
    on(date(2025, 12, 1), south, department=v)  # another team's: not in this scope
    on(date(2026, 3, 15), north, department=v)
    on(date(2026, 4, 15), north, department=v)
    f = awareness_compute(team=north.pk, start=date(2026, 1, 1), end=TODAY, today=TODAY)
    (first,) = f.firsts
    assert (first.department, first.first) == ("Vergunningen", date(2026, 3, 15))
    assert first.training is not None and first.training.pk == latest.pk


def test_the_sign_share(north, departments):
    category_signs = list(Indicator.objects.filter(category__code="drugs")[:2])
    assert category_signs
    on(date(2026, 10, 5), north, signs=category_signs)
    on(date(2026, 10, 6), north, signs=category_signs[:1])
    on(date(2026, 10, 7), north)
    on(date(2026, 11, 7), north)
    f = awareness_compute(team=north.pk, start=date(2026, 10, 1), end=date(2026, 11, 30))
    assert (f.signs.part, f.signs.whole, f.signs.percent) == (2, 4, 50)
    assert f.signs_by_month[date(2026, 10, 1)].percent == 67
    assert f.signs_by_month[date(2026, 11, 1)].percent == 0


def test_niet_pluis_reports_that_led_to_further_analysis(north):
    day = date(2026, 10, 5)
    on(day, north, category="niet-pluis", status=Status.IN_ANALYSIS)
    on(day, north, category="niet-pluis", status=Status.LINKED_TO_CASE)
    on(day, north, category="niet-pluis", status=Status.NO_ACTION)
    on(day, north, category="niet-pluis", status=Status.WEIGHED)
    # Came in as niet pluis, recategorised in triage: still one of them.
    moved = on(day, north, category="drugs", status=Status.IN_ANALYSIS)
    Report.objects.filter(pk=moved.pk).update(original={"category": "niet-pluis"})
    on(day, north, category="drugs", status=Status.IN_ANALYSIS)  # not niet pluis
    f = awareness_compute(team=north.pk, start=date(2026, 10, 1), end=date(2026, 10, 31))
    assert (f.niet_pluis.part, f.niet_pluis.whole, f.niet_pluis.percent) == (3, 5, 60)


# --- the anonymity rule ----------------------------------------------------------------------


def test_an_anonymous_report_of_a_small_department_is_pooled(north, departments):
    v, archief = departments["vergunningen"], departments["archief"]
    training(date(2026, 6, 10), archief, v)
    on(date(2026, 7, 1), north, department=archief)  # anonymous, small: pooled
    on(date(2026, 7, 2), north, department=v, small=True)  # small on arrival: pooled
    f = awareness_compute(team=north.pk, start=date(2026, 1, 1), end=TODAY, today=TODAY)
    july = date(2026, 7, 1)
    assert row(f, POOLED).counts[july] == 2
    assert str(row(f, POOLED).label) == "Kleine afdelingen (anoniem)"
    assert row(f, "archief").total == 0 and row(f, "vergunningen").total == 0
    assert f.firsts == []  # a pooled report makes no department a first-time one
    assert (f.effects[0].before, f.effects[0].after) == (0, 0)
    assert f.per_month[july] == 2  # the totals still count them


def test_a_named_report_of_a_small_department_counts_under_its_name(north, departments):
    archief = departments["archief"]
    on(date(2026, 7, 1), north, department=archief, anonymous=False)
    f = awareness_compute(team=north.pk, start=date(2026, 1, 1), end=TODAY, today=TODAY)
    assert row(f, "archief").total == 1 and row(f, POOLED).total == 0
    assert [first.department for first in f.firsts] == ["Archief"]


def test_a_department_that_became_small_pools_its_earlier_anonymous_reports(north, departments):
    v = departments["vergunningen"]
    on(date(2026, 7, 1), north, department=v)  # large on arrival
    Department.objects.filter(pk=v.pk).update(size=DepartmentSize.SMALL)
    f = awareness_compute(team=north.pk, start=date(2026, 1, 1), end=TODAY, today=TODAY)
    assert row(f, "vergunningen").total == 0 and row(f, POOLED).total == 1


# --- who sees what -----------------------------------------------------------------------------


def test_only_insights_roles_see_their_own_teams_figures(make_user, north, south, departments):
    on(TODAY - timedelta(days=3), north, department=departments["vergunningen"])
    on(TODAY - timedelta(days=3), south, department=departments["vergunningen"])
    start, end = default_period()
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    figures = awareness_figures(user=lead, start=start, end=end)
    assert figures is not None and figures.total == 1
    assert (
        awareness_figures(user=make_user(role=Role.TEAM_LEAD, team=None), start=start, end=end)
        is None
    )
    from django.core.exceptions import PermissionDenied

    for role in (Role.INTAKE, Role.CASE_HANDLER, Role.MANAGEMENT, Role.ADMIN):
        with pytest.raises(PermissionDenied):
            awareness_figures(user=make_user(role=role, team=north), start=start, end=end)


# --- the page ----------------------------------------------------------------------------------


@pytest.fixture
def lead(make_user, north):
    return make_user(role=Role.TEAM_LEAD, team=north)


def page(client, **query):
    return client.get(reverse("awareness:figures"), query)


def test_the_page_shows_the_teams_figures_in_dutch(lead, verified_client, north, departments):
    v, archief = departments["vergunningen"], departments["archief"]
    last_month = add_months(localdate(), -1)
    training(last_month, v, title="Signalen herkennen")
    on(last_month, north, department=v)
    on(last_month, north, department=archief)  # pooled
    response = page(verified_client(lead))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bewustwording in cijfers" in html
    assert "Kleine afdelingen (anoniem)" in html
    assert "Signalen herkennen" in html and "▲" in html
    assert "Archief" in html  # as a row of its own: zero
    table = response.context["table"]
    archief_row = next(r for r in table["rows"] if r["key"] == "archief")
    assert archief_row["total"] == 0
    entry = AuditEntry.objects.filter(actor_id=lead.pk).latest("seq")
    assert entry.object_type == "awareness.figures"


def test_a_wrong_period_is_refused_in_dutch_keeping_what_was_typed(lead, verified_client):
    response = page(verified_client(lead), start="2026-10-01", end="2026-09-01")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Deze cijfers kunnen niet worden getoond" in html
    assert 'value="2026-10-01"' in html
    too_long = page(verified_client(lead), start="2020-01-01", end="2026-01-01")
    assert too_long.status_code == 400 and "36 maanden" in too_long.content.decode()


def test_a_chosen_period(lead, verified_client, north, departments):
    on(date(2025, 3, 5), north, department=departments["handhaving"])
    response = page(verified_client(lead), start="2025-02-01", end="2025-04-30")
    assert response.status_code == 200
    assert [m["month"] for m in response.context["table"]["months"]] == [
        date(2025, 2, 1),
        date(2025, 3, 1),
        date(2025, 4, 1),
    ]
    assert response.context["figures"].total == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ANALYST, 200),
        (Role.INTAKE, 403),
        (Role.CASE_HANDLER, 403),
        (Role.MANAGEMENT, 403),
        (Role.ADMIN, 403),
        (Role.PRIVACY_OFFICER, 403),
    ],
)
def test_who_may_open_the_page(make_user, verified_client, north, role, status):
    assert page(verified_client(make_user(role=role, team=north))).status_code == status


def test_the_page_asks_a_fixed_number_of_queries(lead, verified_client, north, departments):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(lead)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert page(client).status_code == 200
        return len(captured)

    def more(i: int) -> None:
        d = Department.objects.create(code=f"d{i}", name=f"Afdeling {i}", position=10 + i)
        day = add_months(localdate(), -i - 1)
        training(day, d, departments["vergunningen"])
        on(day, north, department=d)
        on(day + timedelta(days=1), north, department=departments["archief"])
        on(day, north, category="niet-pluis", status=Status.IN_ANALYSIS)

    # The first read after a change brings the rollup up to date (and the first audit entry
    # of a fresh database makes the chain's head): the reads after it are compared.
    more(0)  # one of each: every query the page may ask is asked
    count()
    few = count()
    for i in range(1, 7):
        more(i)
    count()
    assert count() == few


# --- the dashboard and the management view -----------------------------------------------------


def test_the_dashboard_has_a_compact_awareness_section(lead, verified_client, north, departments):
    v = departments["vergunningen"]
    day = localdate() - timedelta(days=10)
    training(day - timedelta(days=5), v)
    on(day, north, department=v)
    on(day, north, department=departments["archief"])  # pooled
    html = verified_client(lead).get(reverse("insights:dashboard")).content.decode()
    section = html[html.index('id="awareness-title"') :]
    assert "Bewustwording" in section and "Vergunningen (" in section
    assert "Kleine afdelingen (anoniem)" in section
    assert reverse("awareness:figures") in section


def test_the_dashboard_section_asks_a_fixed_number_of_queries(
    lead, verified_client, north, departments
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = verified_client(lead)

    def count() -> int:
        client.get(reverse("insights:dashboard"))  # the rollup brought up to date
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("insights:dashboard")).status_code == 200
        return len(captured)

    def more(i: int) -> None:
        d = Department.objects.create(code=f"d{i}", name=f"Afdeling {i}", position=10 + i)
        day = localdate() - timedelta(days=3 + i)
        training(day, d)
        on(day, north, department=d, signs=Indicator.objects.all()[:1])

    more(0)
    few = count()
    for i in range(1, 6):
        more(i)
    assert count() == few


@pytest.fixture
def manager(make_user):
    return make_user(role=Role.MANAGEMENT, team=None)


def test_the_management_view_suppresses_small_counts(
    manager, verified_client, north, south, departments
):
    v, h = departments["vergunningen"], departments["handhaving"]
    month = add_months(localdate().replace(day=1), -2)
    for i in range(12):
        on(month + timedelta(days=i), north if i % 2 else south, department=v)
    for i in range(2):
        on(month + timedelta(days=i), north, department=h)
    on(month, north, department=departments["archief"])  # pooled
    response = verified_client(manager).get(reverse("insights:management"))
    assert response.status_code == 200
    awareness = response.context["awareness"]
    rows = {r.label: r for r in awareness.rows}
    column = awareness.months.index(month)
    assert rows["Vergunningen"].cells[column] == 10  # 12, rounded to a multiple of five
    assert rows["Handhaving"].cells[column] == "< 5"
    assert rows["Handhaving"].total == "< 5"
    assert rows["Kleine afdelingen (anoniem)"].cells[column] == "< 5"
    assert rows["Archief"].total == "< 5"  # zero: shown as small, like an empty row above
    html = response.content.decode()
    assert "Bewustwording: meldingen per afdeling en maand" in html
    assert "Eerste melding" not in html  # no per-report detail
    assert awareness.signs is not None and awareness.niet_pluis is None


# --- the weekly overview -----------------------------------------------------------------------


def test_the_weekly_overview_tells_of_a_first_report_after_a_training(
    lead, manager, verified_client, north, departments
):
    from baken.insights.overview import overview_build
    from baken.insights.overview_week import Week

    v, h, archief = departments["vergunningen"], departments["handhaving"], departments["archief"]
    week = Week.last_complete()
    trained = week.start - timedelta(days=20)
    training(trained, v, archief)
    training(week.start + timedelta(days=1), h, title="Integriteit")
    on(week.start + timedelta(days=2), north, department=v)  # Vergunningen's first
    on(week.start + timedelta(days=3), north, department=v)
    on(week.start - timedelta(days=40), north, department=h)  # Handhaving reported before
    on(week.start + timedelta(days=2), north, department=h)
    on(week.start + timedelta(days=2), north, department=archief)  # pooled: no sentence
    overview_build(week=week)
    url = reverse("insights:overview_week", kwargs={"week": week.label})
    html = verified_client(lead).get(url).content.decode()
    months = [
        "januari", "februari", "maart", "april", "mei", "juni", "juli",
        "augustus", "september", "oktober", "november", "december",
    ]  # fmt: skip
    day = f"{trained.day} {months[trained.month - 1]} {trained.year}"
    assert f"Eerste melding uit afdeling Vergunningen na de training van {day}." in html
    assert "afdeling Handhaving" not in html and "afdeling Archief" not in html
    given = week.start + timedelta(days=1)
    assert f"Training gegeven op {given.day} {months[given.month - 1]}" in html
    management = verified_client(manager).get(url).content.decode()
    assert "Training gegeven op" in management and "Eerste melding uit" not in management


# --- the API -----------------------------------------------------------------------------------

API = "/api/v1/awareness/figures"


def test_the_api_gives_the_teams_figures_with_iso_dates(lead, verified_client, north, departments):
    v, archief = departments["vergunningen"], departments["archief"]
    training(date(2025, 3, 1), v)
    on(date(2025, 3, 5), north, department=v)
    on(date(2025, 3, 6), north, department=archief)  # pooled
    body = verified_client(lead).get(API, {"from": "2025-02-01", "to": "2025-04-30"}).json()
    assert body["scope"] == "team" and body["suppressed"] is False
    assert body["from"] == "2025-02-01" and body["months"] == ["2025-02", "2025-03", "2025-04"]
    rows = {r["key"]: r for r in body["departments"]}
    assert rows["vergunningen"]["counts"] == [0, 1, 0]
    assert rows[POOLED]["counts"] == [0, 1, 0] and rows["archief"]["total"] == 0
    (t,) = body["trainings"]
    assert t["held_on"] == "2025-03-01" and (t["before"], t["after"]) == (0, 1)
    assert [f["department"] for f in body["first_time"]] == ["Vergunningen"]
    assert body["first_time"][0]["latest_training"] == "2025-03-01"


def test_the_api_refuses_a_wrong_period_as_a_problem(lead, verified_client):
    client = verified_client(lead)
    for query in ({"from": "2025-05-01", "to": "2025-04-01"}, {"from": "2025-05-01"}, {"to": "x"}):
        response = client.get(API, query)
        assert response.status_code == 400, query
        assert response["Content-Type"].startswith("application/problem+json")


def test_the_api_gives_management_the_suppressed_figures(
    manager, verified_client, north, departments
):
    on(add_months(localdate().replace(day=1), -1), north, department=departments["handhaving"])
    body = verified_client(manager).get(API).json()
    assert body["scope"] == "municipality" and body["suppressed"] is True
    handhaving = next(r for r in body["departments"] if r["name"] == "Handhaving")
    assert "< 5" in handhaving["counts"] and body["first_time"] == []


@pytest.mark.parametrize("role", [Role.INTAKE, Role.CASE_HANDLER, Role.ADMIN, Role.PRIVACY_OFFICER])
def test_the_api_refuses_other_roles(make_user, verified_client, north, role):
    assert verified_client(make_user(role=role, team=north)).get(API).status_code == 403


def test_the_api_is_in_the_openapi_document(lead, verified_client):
    schema = verified_client(lead).get("/api/v1/schema?format=json").json()
    operation = schema["paths"]["/api/v1/awareness/figures"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"from", "to"}


# --- made through the public intake API --------------------------------------------------------


def test_reports_sent_through_the_public_api_are_counted_with_the_rule(client, departments):
    categories = {c["code"]: c for c in client.get("/api/v1/categories").json()}
    sign = categories["drugs"]["signs"][0]["id"]

    def send(department: str, *, signs=(), category="drugs") -> None:
        payload = {
            "category": category,
            "description": "Hennepgeur bij de schuur achter nummer 3.",
            "signs": list(signs),
            "reporter": {"anonymous": True, "department": department},
        }
        response = client.post("/api/v1/reports", payload, content_type="application/json")
        assert response.status_code == 201, response.content

    send("vergunningen", signs=[sign])
    send("vergunningen")
    send("archief", signs=[sign])  # anonymous from a small department: pooled
    send("handhaving", category="niet-pluis")
    today = localdate()
    f = awareness_compute(team=None, start=today.replace(day=1), end=today)
    assert row(f, "vergunningen").total == 2 and row(f, "handhaving").total == 1
    assert row(f, "archief").total == 0 and row(f, POOLED).total == 1
    assert {first.department for first in f.firsts} == {"Vergunningen", "Handhaving"}
    assert (f.signs.part, f.signs.whole) == (2, 4)
    assert (f.niet_pluis.part, f.niet_pluis.whole) == (0, 1)


# --- review of issue 17: the stored week decides again, the e-mail, today, links, signs -------


def _week_with_a_first_report(north, department):
    """A week whose only first report is an anonymous one of `department` (large then), after
    a training three weeks before it; built as the weekly job builds it."""
    from baken.insights.overview import overview_build
    from baken.insights.overview_week import Week

    week = Week.last_complete()
    training(week.start - timedelta(days=20), department)
    training(week.start + timedelta(days=1), department, title="Integriteit")
    on(week.start + timedelta(days=2), north, department=department, anonymous=True)
    return overview_build(week=week)


def _overview_texts(lead, verified_client, built) -> dict[str, str]:
    from baken.insights.overview_pdf import overview_pdf
    from baken.insights.overview_reading import overview_context
    from tests.pdf import pdf_text

    client = verified_client(lead)
    page = client.get(reverse("insights:overview_week", kwargs={"week": built.week}))
    api = client.get(f"/api/v1/weekly-overviews/{built.week}")
    pdf = overview_pdf({**overview_context(user=lead, overview=built), "reader": lead})
    return {
        "page": page.content.decode(),
        "api": api.content.decode(),
        "pdf": " ".join(pdf_text(pdf).split()),
    }


def _mailed(lead, built, smtp_server) -> tuple[str, str]:
    from baken.insights.overview import subscription_set
    from baken.insights.overview_mail import overview_send

    lead.email = "lead@havenwaard.example"
    lead.save()
    subscription_set(user=lead, subscribed=True)
    assert overview_send(overview=built) == 1
    (message,) = smtp_server.messages
    text = message.get_body(("plain",)).get_content()
    return text, message.get_body(("html",)).get_content()


def test_the_plain_text_mail_has_the_awareness_paragraph(
    lead, verified_client, north, departments, smtp_server
):
    v = departments["vergunningen"]
    built = _week_with_a_first_report(north, v)
    text, html = _mailed(lead, built, smtp_server)
    assert "Bewustwording" in text
    assert "- Eerste melding uit afdeling Vergunningen na de training van" in text
    assert "- Training gegeven op" in text and "aan Vergunningen." in text
    assert "Eerste melding uit afdeling Vergunningen" in html


def test_a_department_made_small_after_the_week_was_built_is_no_longer_named(
    lead, verified_client, north, departments, smtp_server
):
    v = departments["vergunningen"]
    built = _week_with_a_first_report(north, v)
    assert "afdeling Vergunningen" in _overview_texts(lead, verified_client, built)["page"]
    # The stored week keeps the facts, not a decided name.
    (kept,) = built.data["awareness"]["firsts"][str(north.pk)]
    assert kept["department_id"] == v.pk and kept["anonymous"] is True
    assert "Vergunningen" not in str(built.data["awareness"]["firsts"])

    v.size = DepartmentSize.SMALL  # the administrator's change, later
    v.save()
    for form, text in _overview_texts(lead, verified_client, built).items():
        assert "Eerste melding" not in text, form
        assert "Training gegeven op" in text or form == "api", form
    text, html = _mailed(lead, built, smtp_server)
    assert "Eerste melding" not in text and "Eerste melding" not in html
    assert "kleine afdeling" in text  # the report itself, as the rule shows it


def test_a_week_built_before_the_facts_were_kept_still_shows(
    lead, verified_client, north, departments
):
    built = _week_with_a_first_report(north, departments["vergunningen"])
    old = {"department": "Vergunningen", "first": built.data["start"], "training": None}
    built.data["awareness"]["firsts"] = {str(north.pk): [old]}
    built.save()
    texts = _overview_texts(lead, verified_client, built)
    assert "Training gegeven op" in texts["page"] and "Eerste melding" not in texts["page"]


def test_the_period_ends_today_at_the_latest_and_a_planned_training_is_not_given(
    lead, verified_client, north, departments
):
    v = departments["vergunningen"]
    today = localdate()
    given = training(today - timedelta(days=3), v, title="Gegeven")
    training(today + timedelta(days=10), v, title="Gepland")
    client = verified_client(lead)
    start, end = today - timedelta(days=60), today + timedelta(days=60)
    html = page(client, start=start.isoformat(), end=end.isoformat()).content.decode()
    assert "tot en met vandaag" in html
    assert "Gegeven" in html and "Gepland" not in html
    assert reverse("awareness:training", args=[given.pk]) in html
    assert f'href="{reverse("awareness:home")}"' in html
    body = client.get(API, {"from": start.isoformat(), "to": end.isoformat()}).json()
    assert body["to"] == today.isoformat()
    assert [t["title"] for t in body["trainings"]] == ["Gegeven"]
    # The default period and the dashboard's section never count a planned one either.
    assert "Gepland" not in page(client).content.decode()
    future = page(client, start=(today + timedelta(days=1)).isoformat(), end=end.isoformat())
    assert future.status_code == 400 and "na vandaag" in future.content.decode()
    refused = client.get(API, {"from": (today + timedelta(days=1)).isoformat(), "to": "2099-01-01"})
    assert refused.status_code == 400


def test_the_sign_share_counts_only_reports_whose_reporter_was_offered_signs(north):
    from baken.reports.models import Category

    signs = list(Indicator.objects.filter(category__code="drugs")[:1])
    # Every default category has signs; one the administrator added without any has none.
    without = Category.objects.create(code="zonder-signalen", name="Zonder signalen")
    assert signs
    day = date(2026, 10, 5)
    on(day, north, signs=signs)  # web form, ticked
    on(day, north)  # web form, not ticked
    on(day, north, channel="app")  # app, not ticked
    on(day, north, channel="phone")  # a colleague typed it in: no reporter ticked anything
    on(day, north, channel="import")
    on(day, north, category=without.code)  # a category without signs offers none
    f = awareness_compute(team=north.pk, start=date(2026, 10, 1), end=date(2026, 10, 31))
    assert f.total == 6
    assert (f.signs.part, f.signs.whole, f.signs.percent) == (1, 3, 33)
