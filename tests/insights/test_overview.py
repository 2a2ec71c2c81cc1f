"""The weekly overview (issue 7): its figures against direct counts for a fixed week of
deterministic demo data, the same snapshot when built again, the PDF's text, and the e-mail
through a real SMTP server, each reader getting only what they may see."""

import io
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from baken.accounts.models import Team
from baken.audit.models import AuditEntry
from baken.cases import tasks_work
from baken.cases.models import Case, Task
from baken.core.roles import Role
from baken.insights import overview
from baken.insights import overview_figures as figures
from baken.insights.models import OverviewMailing, WeeklyOverview
from baken.insights.overview_mail import overview_send
from baken.insights.overview_pdf import overview_pdf
from baken.insights.overview_reading import overview_context
from baken.insights.overview_week import Week, WeekError
from baken.insights.suppression import suppress
from baken.reports.inbox import DEFAULT_DEADLINE_DAYS, OPEN
from baken.reports.models import Category, Decision, Report
from tests.cases.test_cases import in_analysis, open_case
from tests.factories import TeamFactory
from tests.insights.figures_helpers import make_report
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
# Week 47 of 2026: Monday 16 to Sunday 22 November, the week before the demo data's anchor.
WEEK = "2026-W47"
BEGINS = datetime(2026, 11, 16, tzinfo=AMS)
ENDS = datetime(2026, 11, 23, tzinfo=AMS)


@pytest.fixture(name="demo")
def demo_data(settings, tmp_path):
    settings.ATTACHMENT_DIR = tmp_path
    call_command(
        "demo-data",
        "--reports",
        "1500",
        "--seed",
        "11",
        "--photos",
        "0",
        # The demo data's old fixed moment (demo/reports.py ANCHOR), which WEEK lies before.
        "--now",
        "2026-11-27T18:00:00+01:00",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    return {t.name: t for t in Team.objects.filter(name__in=["OOV Havenwaard", "OOV Dorpen"])}


@pytest.fixture(name="work")
def week_work(demo, make_user):
    """Decisions, a case opened and closed, and tasks, with moments in and around the week."""
    harbour = demo["OOV Havenwaard"]
    lead = make_user(role=Role.TEAM_LEAD, team=harbour)
    in_week = Report.objects.filter(team=harbour, received_at__gte=BEGINS, received_at__lt=ENDS)
    for report, kind, at in (
        (in_week[0], "no_action", BEGINS + timedelta(days=2)),
        (in_week[1], "referred", BEGINS + timedelta(days=3)),
        (in_week[2], "in_analysis", ENDS + timedelta(hours=2)),  # the week after
    ):
        Decision.objects.create(report=report, kind=kind, rationale="Gewogen.", author=lead, at=at)
    opened = open_case(harbour, lead)
    closed = open_case(harbour, lead, title="Schuur")
    Case.objects.filter(pk=opened.pk).update(opened_at=BEGINS + timedelta(days=1))
    Case.objects.filter(pk=closed.pk).update(
        opened_at=BEGINS - timedelta(days=30), closed_at=BEGINS + timedelta(days=4)
    )
    for title, deadline in (("Te laat", date(2026, 11, 20)), ("Op tijd", date(2026, 11, 25))):
        tasks_work.task_add(case=opened, title=title, assignee=lead, deadline=deadline, actor=lead)
    # Made before the week's end, as a task that was overdue then.
    Task.objects.filter(case=opened).update(created_at=BEGINS)
    return {"lead": lead, "harbour": harbour}


def direct_counts(team: Team) -> dict:
    """The figures counted straight from the tables, without the overview's code."""
    week = Report.objects.filter(team=team, received_at__gte=BEGINS, received_at__lt=ENDS)
    by_category = Counter(week.values_list("category__code", flat=True))
    before4 = Report.objects.filter(
        team=team, received_at__gte=BEGINS - timedelta(weeks=4), received_at__lt=BEGINS
    )
    late = 0
    for category in [None, *Category.objects.all()]:
        days = category.deadline_days if category else DEFAULT_DEADLINE_DAYS
        late += Report.objects.filter(
            team=team,
            category=category,
            status__in=OPEN,
            merged_into__isnull=True,
            received_at__lt=ENDS - timedelta(days=days),
        ).count() + (
            Decision.objects.filter(report__team=team, report__category=category, at__gte=ENDS)
            .filter(report__received_at__lt=ENDS - timedelta(days=days))
            .values("report")
            .distinct()
            .count()
        )
    addresses = Counter(week.exclude(postcode="").values_list("postcode", "house_number"))
    return {
        "total": week.count(),
        "by_category": {code or "": n for code, n in by_category.items()},
        "last4": Counter(before4.values_list("category__code", flat=True)),
        "decisions": Counter(
            Decision.objects.filter(report__team=team, at__gte=BEGINS, at__lt=ENDS).values_list(
                "kind", flat=True
            )
        ),
        "opened": Case.objects.filter(team=team, opened_at__gte=BEGINS, opened_at__lt=ENDS).count(),
        "closed": Case.objects.filter(team=team, closed_at__gte=BEGINS, closed_at__lt=ENDS).count(),
        "overdue_reports": late,
        "addresses": sorted((pc, nr, n) for (pc, nr), n in addresses.items() if n >= 2),
    }


def test_the_figures_of_a_week_of_demo_data_match_direct_counts(work):
    built = overview.overview_build(week=Week.parse(WEEK))
    assert built.week == WEEK and built.week_start == date(2026, 11, 16)
    total = 0
    for name in ("OOV Havenwaard", "OOV Dorpen"):
        team = Team.objects.get(name=name)
        section = built.data["teams"][str(team.pk)]
        direct = direct_counts(team)
        assert direct["total"] > 5  # a real week, not an empty one
        assert section["reports"]["total"] == direct["total"]
        assert section["reports"]["by_category"] == direct["by_category"]
        for code, trend in section["trends"].items():
            assert trend["count"] == direct["by_category"].get(code, 0)
            assert trend["mean4"] == round(direct["last4"].get(code or None, 0) / 4, 2)
        assert section["decisions"]["reports"] == dict(direct["decisions"])
        assert section["cases"] == {"opened": direct["opened"], "closed": direct["closed"]}
        assert section["overdue"]["reports"] == direct["overdue_reports"]
        assert sorted(map(tuple, section["hotspots"]["addresses"])) == direct["addresses"][:10]
        total += direct["total"]
    harbour = built.data["teams"][str(work["harbour"].pk)]
    # The demo data's own decisions and cases are counted beside the ones made here.
    assert sum(harbour["decisions"]["reports"].values()) >= 2
    assert harbour["cases"]["opened"] >= 1 and harbour["cases"]["closed"] >= 1
    assert harbour["overdue"]["tasks"] == 1  # due on the 20th, not done; the 25th is later
    # The weighed-after-the-week report counts as overdue only if past its deadline then.
    assert built.data["overall"]["reports"]["total"] == total
    assert AuditEntry.objects.filter(action="insights.overview_build").count() == 1


def test_building_a_week_again_gives_the_same_snapshot(work):
    week = Week.parse(WEEK)
    first = overview.overview_build(week=week)
    data, digest = first.data, first.digest
    # Work after the week changes nothing of it.
    in_analysis(work["harbour"])
    again = overview.overview_build(week=week, now=timezone.now() + timedelta(days=3))
    assert WeeklyOverview.objects.count() == 1 and again.pk == first.pk
    again.refresh_from_db()
    assert again.data == data and again.digest == digest
    assert overview.canonical(again.data) == overview.canonical(data)


def test_weeks_are_iso_weeks_in_amsterdam():
    week = Week.parse("2026-W47")
    assert (week.begins, week.ends) == (BEGINS, ENDS)
    assert Week.parse("2026-W53").start == date(2026, 12, 28)  # 2026 has 53 weeks
    assert Week.last_complete(datetime(2026, 11, 30, 6, 30, tzinfo=AMS)).label == "2026-W48"
    assert Week.last_complete(datetime(2026, 11, 29, 23, 59, tzinfo=AMS)).label == "2026-W47"
    # Across the change to winter time the week is still 7 days of local time.
    summer_to_winter = Week.parse("2026-W43")
    assert summer_to_winter.ends.astimezone(UTC) - summer_to_winter.begins == timedelta(hours=169)
    for bad in ("2026-47", "2026-W5", "2025-W53", "W47", ""):
        with pytest.raises(WeekError):
            Week.parse(bad)


def test_the_command_builds_a_week_and_refuses_bad_input(demo):
    out = io.StringIO()
    call_command("weekly-overview", "--week", WEEK, stdout=out)
    assert f"Weekly overview {WEEK} built" in out.getvalue()
    for bad in ("2026-47", "2025-W53", "volgende week"):
        with pytest.raises(CommandError, match="week"):
            call_command("weekly-overview", "--week", bad, stdout=io.StringIO())
    future = Week.last_complete().minus(-2).label
    with pytest.raises(CommandError, match="not ended"):
        call_command("weekly-overview", "--week", future, stdout=io.StringIO())


def test_the_pdf_holds_the_figures_and_the_reports_of_the_readers_team(work):
    built = overview.overview_build(week=Week.parse(WEEK))
    lead, harbour = work["lead"], work["harbour"]
    context = overview_context(user=lead, overview=built)
    text = pdf_text(overview_pdf({**context, "reader": lead}))
    section = built.data["teams"][str(harbour.pk)]
    assert WEEK in text and harbour.name in text
    assert f"Nieuwe meldingen {section['reports']['total']}" in text
    assert f"Geopende casussen {section['cases']['opened']}" in text
    mine = Report.objects.filter(team=harbour, received_at__gte=BEGINS, received_at__lt=ENDS)
    # A report decided 'no action' is sealed: counted, never listed (reports/sealing.py).
    sealed = mine.filter(status="no_action")
    assert all(r.reference in text for r in mine.exclude(status="no_action"))
    assert sealed.exists() and not any(r.reference in text for r in sealed)
    others = Report.objects.filter(received_at__gte=BEGINS, received_at__lt=ENDS).exclude(
        team=harbour
    )
    assert others.exists() and not any(r.reference in text for r in others)
    for code, n in section["reports"]["by_category"].items():
        label = Category.objects.get(code=code).name if code else gettext("No category")
        assert f"{label} {n} " in text


def _body(message) -> tuple[str, str, str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    pdf = next(p for p in message.iter_attachments() if p.get_content_type() == "application/pdf")
    return text, html, pdf_text(pdf.get_content())


def test_each_subscriber_is_mailed_only_what_they_may_see_and_only_once(
    work, make_user, smtp_server, settings
):
    settings.INSIGHTS_SMALL_COUNT = 5
    harbour, villages = work["harbour"], Team.objects.get(name="OOV Dorpen")
    lead = work["lead"]
    lead.email = "lead@havenwaard.example"
    lead.save()
    reader = make_user(role=Role.ANALYST, team=villages, email="analist@dorpen.example")
    boss = make_user(role=Role.MANAGEMENT, team=None, email="directie@havenwaard.example")
    quiet = make_user(role=Role.TEAM_LEAD, team=villages, email="stil@dorpen.example")
    handler = make_user(role=Role.CASE_HANDLER, team=villages, email="zaak@dorpen.example")
    for user in (lead, reader, boss):
        overview.subscription_set(user=user, subscribed=True)
    with pytest.raises(overview.OverviewRefused):
        overview.subscription_set(user=handler, subscribed=True)
    built = overview.overview_build(week=Week.parse(WEEK))

    assert overview_send(overview=built) == 3
    mails = {m["To"]: m for m in smtp_server.messages}
    assert set(mails) == {lead.email, reader.email, boss.email}
    assert quiet.email not in mails and handler.email not in mails

    # Not the sealed reports ('no action'): counted, never listed (reports/sealing.py).
    in_week = Report.objects.filter(received_at__gte=BEGINS, received_at__lt=ENDS).exclude(
        status="no_action"
    )
    harbour_refs = set(in_week.filter(team=harbour).values_list("reference", flat=True))
    village_refs = set(in_week.filter(team=villages).values_list("reference", flat=True))
    assert harbour_refs and village_refs
    for user, own, other in (
        (lead, harbour_refs, village_refs),
        (reader, village_refs, harbour_refs),
    ):
        for part in _body(mails[user.email]):
            assert all(ref in part for ref in own), user
            assert not any(ref in part for ref in other), user
    # Management: over all teams, no reference, no address; small counts suppressed.
    overall = built.data["overall"]
    for part in _body(mails[boss.email]):
        assert not any(ref in part for ref in harbour_refs | village_refs)
        assert "Cijfers over alle teams" in part
    text = _body(mails[boss.email])[0]
    assert f"Nieuwe meldingen: {suppress(overall['reports']['total'])}" in text
    # No count per category and no mean in management's mail (nor in its PDF).
    for part in _body(mails[boss.email]):
        assert "gemiddelde, 4 weken" not in part.lower()
        for code, n in overall["reports"]["by_category"].items():
            label = Category.objects.get(code=code).name if code else gettext("No category")
            assert f"{label}: {n}" not in part and f"{label} {n}" not in part
    opened = overall["cases"]["opened"]
    assert f"Geopende casussen: {suppress(opened)}" in text  # "< 5" for a small count
    assert all(f"{pc} {nr}:" not in text for pc, nr, _n in overall["hotspots"]["addresses"])
    assert not any(
        f"{pc} {nr}" in text
        for section in built.data["teams"].values()
        for pc, nr, _n in section["hotspots"]["addresses"]
    )
    # Each mail recorded, by ids only; a second run mails nobody again.
    entries = AuditEntry.objects.filter(action="insights.overview_mail")
    assert entries.count() == 3
    assert all(set(e.detail) == {"week", "user", "reports"} for e in entries)
    assert OverviewMailing.objects.filter(overview=built).count() == 3
    assert overview_send(overview=built) == 0 and len(smtp_server.messages) == 3
    # Unsubscribed: not mailed the next week.
    overview.subscription_set(user=reader, subscribed=False)
    assert not overview.is_subscribed(reader)


def test_a_failed_mail_is_tried_again_on_the_next_run(work, smtp_server, settings):
    lead = work["lead"]
    lead.email = "lead@havenwaard.example"
    lead.save()
    overview.subscription_set(user=lead, subscribed=True)
    built = overview.overview_build(week=Week.parse(WEEK))
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    assert overview_send(overview=built) == 0
    assert not OverviewMailing.objects.exists()
    settings.EMAIL_PORT = port
    assert overview_send(overview=built) == 1 and len(smtp_server.messages) == 1


def test_the_scheduled_task_builds_last_week_and_mails(demo, settings):
    from baken.insights.tasks import weekly_overview

    assert settings.SCHEDULE["weekly-overview"] == {
        "task": "baken.insights.tasks.weekly_overview",
        "cron": "30 6 * * 1",
    }
    result = weekly_overview.enqueue()
    assert result.return_value["week"] == Week.last_complete().label
    assert WeeklyOverview.objects.filter(week=Week.last_complete().label).exists()


def walk(data):
    """Every (key, value) pair in nested JSON-like data."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield key, value
            yield from walk(value)
    elif isinstance(data, list):
        for value in data:
            yield from walk(value)


def test_management_gets_suppressed_aggregates_and_no_report(work, make_user, settings):
    settings.INSIGHTS_SMALL_COUNT = 5
    built = overview.overview_build(week=Week.parse(WEEK))
    boss = make_user(role=Role.MANAGEMENT, team=None)
    context = overview_context(user=boss, overview=built)
    view = context["view"]
    assert view["scope"] == "aggregates" and context["reports"] == []
    assert view["hotspots"]["addresses"] == [] and view["hotspots"]["subjects"] == []
    assert view["cases"] == {"opened": "< 5", "closed": "< 5"}
    # No count per category and no mean: only the total, suppressed on its own, and the
    # direction of a notable change for a category with at least the threshold's reports.
    overall = built.data["overall"]
    assert view["reports"] == {"total": suppress(overall["reports"]["total"])}
    keys = {key for key, _value in walk(view)}
    assert not keys & {"by_category", "mean4", "mean52", "change4", "change52"}
    assert context["trends"] == [] and context["chart"].bars == []
    expected = {code for code, t in overall["trends"].items() if t["count"] >= 5 and t["change"]}
    assert {t["code"] for t in view["trends"]} == expected
    assert all(set(t) == {"code", "label", "change"} for t in view["trends"])
    assert context["notable"] == view["trends"]


def _received(team, category: str, label: str, n: int) -> None:
    """n reports of a category received on the Tuesday of a week (2026-W47 and the weeks before)."""
    moment = Week.parse(label).begins + timedelta(days=1, hours=10)
    for i in range(n):
        at = moment + timedelta(minutes=i)
        make_report(team, category=category, days_ago=(timezone.now() - at).total_seconds() / 86400)


@pytest.fixture(name="weeks")
def weeks_of_reports(make_user):
    """One team's reports, week by week: drugs 6, 6, 6, then 2 (a small count) and 12 in
    W47; mensenhandel 4 a week, then 5 in W47 (notable against the year, not the month);
    illegale-prostitutie 3 in W47 only (notable, but under the threshold)."""
    team = TeamFactory(name="OOV Proef")
    for label, drugs, trafficking in (
        ("2026-W43", 6, 4),
        ("2026-W44", 6, 4),
        ("2026-W45", 6, 4),
        ("2026-W46", 2, 4),
        ("2026-W47", 12, 5),
    ):
        _received(team, "drugs", label, drugs)
        _received(team, "mensenhandel", label, trafficking)
    _received(team, "illegale-prostitutie", WEEK, 3)
    built = {
        label: overview.overview_build(week=Week.parse(label))
        for label in ("2026-W43", "2026-W44", "2026-W45", "2026-W46", WEEK)
    }
    return {"team": team, "built": built}


def test_management_cannot_work_out_a_small_count_from_the_trends(weeks, make_user, settings):
    """W43–W45 show drugs 6 each; a 4-week mean of 5.0 in W47 would give W46's 2 back
    (5.0 × 4 − 18). Management sees no mean and no count per category in any week."""
    settings.INSIGHTS_SMALL_COUNT = 5
    boss = make_user(role=Role.MANAGEMENT, team=None)
    for label, built in weeks["built"].items():
        view = overview_context(user=boss, overview=built)["view"]
        keys = {key for key, _value in walk(view)}
        assert not keys & {"by_category", "mean4", "mean52"}, label
        assert all(set(t) == {"code", "label", "change"} for t in view["trends"]), label
        numbers = [v for _k, v in walk(view["trends"]) if isinstance(v, int | float)]
        assert numbers == [], label
    w46 = overview_context(user=boss, overview=weeks["built"]["2026-W46"])["view"]
    assert w46["reports"] == {"total": suppress(2 + 4)} and w46["trends"] == []
    w47 = overview_context(user=boss, overview=weeks["built"][WEEK])["view"]
    # drugs (12 against a mean of 5) and mensenhandel (5 against 16/52) rose notably;
    # illegale-prostitutie did too, but with 3 reports it is not named.
    assert {t["code"]: t["change"] for t in w47["trends"]} == {"drugs": "up", "mensenhandel": "up"}
    # The team's own lead keeps the full figures.
    lead = make_user(role=Role.TEAM_LEAD, team=weeks["team"])
    mine = overview_context(user=lead, overview=weeks["built"][WEEK])["view"]
    drugs = next(t for t in mine["trends"] if t["code"] == "drugs")
    assert (drugs["count"], drugs["mean4"]) == (12, 5.0)
    assert {r["code"]: r["count"] for r in mine["reports"]["by_category"]} == {
        "drugs": 12,
        "mensenhandel": 5,
        "illegale-prostitutie": 3,
    }


def test_what_changed_notably_counts_against_the_4_and_the_52_week_mean(weeks, make_user):
    assert figures.trend(8, 24, 104) == {
        "count": 8,
        "mean4": 6.0,
        "mean52": 2.0,
        "change4": "",
        "change52": "up",
        "change": "up",
    }
    down = figures.trend(2, 24, 52 * 6)
    assert (down["change4"], down["change52"], down["change"]) == ("down", "down", "down")
    # More than last month, fewer than the year: notable against each, no single direction.
    mixed = figures.trend(10, 16, 52 * 20)
    assert (mixed["change4"], mixed["change52"], mixed["change"]) == ("up", "down", "")

    lead = make_user(role=Role.TEAM_LEAD, team=weeks["team"])
    context = overview_context(user=lead, overview=weeks["built"][WEEK])
    lines = {
        (n["code"], n["weeks"]): (n["change"], n["count"], n["mean"]) for n in context["notable"]
    }
    assert lines[("drugs", 4)] == ("up", 12, 5.0)
    assert lines[("drugs", 52)] == ("up", 12, 0.38)  # 20 reports in the 52 weeks before
    assert lines[("mensenhandel", 52)] == ("up", 5, 0.31)
    assert ("mensenhandel", 4) not in lines  # 5 against a mean of 4: not notable
    assert lines[("illegale-prostitutie", 4)] == ("up", 3, 0.0)
    assert len(lines) == len(context["notable"]) == 5  # illegale-prostitutie against both
    # The list shows one line per category and mean, each with that mean.
    body = render_to_string("insights/overview_body.html", {**context, "charts": False})
    for line in context["notable"]:
        assert f"<li>{escape(line['label'])}: " in body
        assert f"{line['mean_text']} " in body
    # Built again from the same data: the same snapshot.
    digest = weeks["built"][WEEK].digest
    assert overview.overview_build(week=Week.parse(WEEK)).digest == digest


def test_a_week_outside_the_years_baken_knows_is_refused(demo):
    for bad in ("0001-W01", "1999-W52", "2101-W01", "9999-W52"):
        with pytest.raises(WeekError, match="year"):
            Week.parse(bad)
        with pytest.raises(CommandError, match="week"):
            call_command("weekly-overview", "--week", bad, stdout=io.StringIO())
    assert Week.parse("2000-W01").start == date(2000, 1, 3)
    assert Week.parse("2100-W52").label == "2100-W52"
