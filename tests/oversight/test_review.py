"""The daily access review (issue 16): a normal day of work raises no flag; each unusual
pattern raises exactly its own flag, with the audit entries behind it; thresholds are
settings; running a day twice adds nothing."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from baken.audit.actions import AuditAction
from baken.audit.models import AuditEntry
from baken.exports.models import Export
from baken.oversight import review
from baken.oversight.models import AccessFlag, FlagKind, ReviewState
from baken.reports.routing import report_assign

from .conftest import SATURDAY, WEDNESDAY, browser

pytestmark = pytest.mark.django_db


def entries(user, *actions, since=None):
    found = AuditEntry.objects.filter(actor_id=user.pk, action__in=actions)
    if since is not None:
        found = found.filter(seq__gt=since)
    return list(found.order_by("seq").values_list("seq", flat=True))


def last_seq() -> int:
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def normal_day(office, clock):
    """Wednesday of Noord: the intake officer looks at the new reports, the team lead hands
    one to the case handler and later back, the analyst works through the queue (pages and
    the API), the case handler and the guest from Zuid work the case, the analyst exports the
    team's list."""
    reports = office.reports
    clock.at(8, 45)
    for report in reports[1:4]:
        clock.tick(4)
        office.read(office.intake, report)
    clock.at(9, 30)
    office.read(office.lead, reports[5])
    report_assign(
        report=reports[5], actor=office.lead, team_id=office.north.pk, assignee_id=office.handler.pk
    )
    clock.tick(10)
    office.read(office.handler, reports[5])
    clock.at(10)
    for n, report in enumerate(reports):
        clock.tick(6)
        office.read(office.analyst, report, api=n % 3 == 0)
    clock.at(13)
    handler = browser(office.handler)
    assert handler.get(f"/werkruimte/casussen/{office.case.pk}").status_code == 200
    office.read(office.handler, reports[0])
    clock.tick(20)
    office.read(office.guest, reports[0])
    clock.at(14)
    exported = browser(office.analyst).post(
        "/api/v1/exports",
        {"kind": "reports", "format": "csv", "filters": {}},
        content_type="application/json",
    )
    assert exported.status_code == 202, exported.content
    clock.tick(2)
    download = browser(office.analyst).get(f"/werkruimte/exports/{exported.json()['id']}/bestand")
    assert download.status_code == 200
    clock.at(15, 30)
    report_assign(
        report=reports[5], actor=office.lead, team_id=office.north.pk, assignee_id=office.analyst.pk
    )
    lead = browser(office.lead)
    assert lead.get(f"/werkruimte/casussen/{office.case.pk}").status_code == 200
    clock.at(16, 45)


def test_a_normal_day_of_work_raises_no_flag(office, clock):
    normal_day(office, clock)
    assert AuditEntry.objects.filter(action__in=review.READS).count() == 18
    outcome = review.run(WEDNESDAY)
    assert outcome.new == [] and not AccessFlag.objects.exists()


def flags_of(day=WEDNESDAY) -> list[tuple[str, int]]:
    return sorted(AccessFlag.objects.filter(day=day).values_list("kind", "user_id"))


def test_more_than_fifty_reports_within_an_hour_is_one_flag_with_those_reads(office, clock):
    more = [file_report(n) for n in range(43)]  # 51 reports of Noord in all
    normal_day(office, clock)
    clock.at(11, 30)
    before = last_seq()
    for report in (office.reports + more)[:50]:
        clock.tick(1)
        office.read(office.analyst, report)
    review.run(WEDNESDAY)
    assert flags_of() == []  # fifty is not more than fifty
    clock.tick(1)
    office.read(office.analyst, more[-1])
    review.run(WEDNESDAY)
    assert flags_of() == [(FlagKind.MANY_READS, office.analyst.pk)]
    flag = AccessFlag.objects.get()
    assert flag.entries == entries(office.analyst, AuditAction.REPORT_READ, since=before)
    assert len(flag.entries) == 51
    assert flag.figures == {"reports": 51, "reads": 51, "threshold": 50, "minutes": 60}
    assert flag.period_end - flag.period_start == timedelta(minutes=50)


def file_report(n: int):
    from .conftest import file

    return file(f"Nog een melding {n} over de loods.", number=100 + n)


def test_the_threshold_and_the_window_are_settings(office, clock, settings):
    settings.ACCESS_REVIEW_READS = 5
    settings.ACCESS_REVIEW_WINDOW_MINUTES = 30
    clock.at(10)
    for report in office.reports[:6]:
        clock.tick(5)  # six reports within 30 minutes (25 from the first to the last)
        office.read(office.analyst, report)
    settings.ACCESS_REVIEW_WINDOW_MINUTES = 25
    review.run(WEDNESDAY)
    assert flags_of() == []  # at most five within any 25 minutes
    settings.ACCESS_REVIEW_WINDOW_MINUTES = 30
    review.run(WEDNESDAY)
    assert flags_of() == [(FlagKind.MANY_READS, office.analyst.pk)]
    assert AccessFlag.objects.get().figures["reports"] == 6


def test_a_read_past_the_scope_of_the_reader_is_flagged_with_that_read_only(office, clock):
    """No page lets a user open another team's report (reports.selectors): the review is the
    net under that rule. The guest from Zuid works Noord's case all day; one read of a report
    of Noord outside that case, as the log holds a read that got past the scope (through a
    fault, or straight from the database), is flagged; the reads in the case are not."""
    from baken.audit.services import audit_record

    normal_day(office, clock)
    clock.at(16)
    office.read(office.guest, office.reports[0])
    clock.tick(3)
    stray = audit_record(
        actor=office.guest, action=AuditAction.REPORT_READ, target=office.reports[4]
    )
    review.run(WEDNESDAY)
    assert flags_of() == [(FlagKind.OUTSIDE_WORK, office.guest.pk)]
    flag = AccessFlag.objects.get()
    assert flag.entries == [stray.seq]
    assert flag.figures == {"reads": 1, "reports": 1}


def test_reads_are_judged_as_things_stood_at_that_moment(office, clock):
    """The guest leaves the case at noon and the report assigned to the case handler in the
    morning goes to the analyst in the afternoon: what they read before is no flag. A report
    routed to Zuid after the intake officer of Noord read it neither."""
    from baken.cases import services as case_services
    from baken.cases.models import CaseMember

    clock.at(10)
    office.read(office.guest, office.reports[0])
    clock.at(12)
    case_services.member_remove(
        case=office.case, user=office.guest, actor=office.lead, reason="Zuid is klaar."
    )
    assert CaseMember.objects.get(case=office.case, user=office.guest).removed_at is not None
    clock.at(9)
    report_assign(
        report=office.reports[6],
        actor=office.lead,
        team_id=office.north.pk,
        assignee_id=office.handler.pk,
    )
    clock.tick(5)
    office.read(office.handler, office.reports[6])
    clock.at(11)
    office.read(office.intake, office.reports[7])
    report_assign(
        report=office.reports[7], actor=office.lead, team_id=office.south.pk, assignee_id=None
    )
    clock.at(15)
    report_assign(
        report=office.reports[6],
        actor=office.lead,
        team_id=office.north.pk,
        assignee_id=office.analyst.pk,
    )
    review.run(WEDNESDAY)
    assert flags_of() == []


def test_reads_at_night_and_at_the_weekend(office, clock, settings):
    normal_day(office, clock)
    clock.at(22, 30)
    before = last_seq()
    office.read(office.analyst, office.reports[2])
    clock.at(11, day=SATURDAY)
    office.read(office.handler, office.reports[0])
    handler_saturday = entries(office.handler, AuditAction.REPORT_READ, since=before)
    review.run(WEDNESDAY)
    review.run(SATURDAY)
    assert flags_of(WEDNESDAY) == [(FlagKind.OFF_HOURS, office.analyst.pk)]
    night = AccessFlag.objects.get(day=WEDNESDAY)
    assert night.entries == entries(office.analyst, AuditAction.REPORT_READ, since=before)
    assert night.figures["night"] == 1 and not night.figures["weekend"]
    assert flags_of(SATURDAY) == [(FlagKind.OFF_HOURS, office.handler.pk)]
    weekend = AccessFlag.objects.get(day=SATURDAY)
    assert weekend.entries == handler_saturday and weekend.figures["weekend"]

    AccessFlag.objects.all().delete()
    settings.ACCESS_REVIEW_NIGHT_FROM = 23
    settings.ACCESS_REVIEW_WEEKENDS = False
    review.run(WEDNESDAY)
    review.run(SATURDAY)
    assert not AccessFlag.objects.exists()


def test_reading_about_someone_with_ones_own_surname(office, clock):
    """The analyst Bakker reads a report naming Marieke Bakker; the case handler Visser reads
    the case's report that names Jan Visser, and opens the registered Jan Visser. A report
    naming Bakkerij Jansen or Henk Bakkers is no flag. Baken knows no address of its users:
    the surname only."""
    from tests.subjects.helpers import subject

    clock.at(7, 30)
    bakker = file(
        "Marieke Bakker verhuurt de loods.",
        number=40,
        subjects=[{"type": "person", "name": "Marieke Bakker"}],
    )
    others = file(
        "Bakkerij en buurman.",
        number=41,
        subjects=[
            {"type": "organisation", "name": "Bakkerij Jansen B.V."},
            {"type": "person", "name": "Henk Bakkers"},
        ],
    )
    visser = subject("Jan Visser", report=office.reports[0], judge=office.lead)
    normal_day(office, clock)
    clock.at(16)
    before = last_seq()
    office.read(office.analyst, others)
    office.read(office.analyst, bakker)
    assert browser(office.handler).get(f"/werkruimte/betrokkenen/{visser.pk}").status_code == 200
    review.run(WEDNESDAY)
    assert flags_of() == sorted(
        [(FlagKind.OWN_NAME, office.analyst.pk), (FlagKind.OWN_NAME, office.handler.pk)]
    )
    analyst_flag = AccessFlag.objects.get(user=office.analyst)
    read_bakker = AuditEntry.objects.get(
        seq__gt=before, actor_id=office.analyst.pk, object_id=str(bakker.pk)
    )
    assert analyst_flag.entries == [read_bakker.seq]
    # Jan Visser is named in the case's report too, which the case handler read at one.
    handler_flag = AccessFlag.objects.get(user=office.handler)
    case_report = str(office.reports[0].pk)
    assert handler_flag.entries == [
        *AuditEntry.objects.filter(
            actor_id=office.handler.pk, action=AuditAction.REPORT_READ, object_id=case_report
        ).values_list("seq", flat=True),
        *entries(office.handler, AuditAction.SUBJECT_READ),
    ]
    assert handler_flag.figures == {"reads": 2, "reports": 1, "subjects": 1}


def file(description, **extra):
    from .conftest import file as meldpunt

    return meldpunt(description, **extra)


def test_surnames_with_particles_compare_as_subject_matching_does(office, clock):
    from baken.accounts.models import User

    User.objects.filter(pk=office.lead.pk).update(last_name="van den Berg")
    clock.at(7)
    named = file(
        "Eigenaar Piet v.d. Berg.",
        number=50,
        subjects=[{"type": "person", "name": "Piet v.d. Berg"}],
    )
    clock.at(10)
    office.read(office.lead, named)
    review.run(WEDNESDAY)
    assert flags_of() == [(FlagKind.OWN_NAME, office.lead.pk)]


def test_an_export_above_the_size_is_flagged_with_its_entries(office, clock, settings):
    normal_day(office, clock)  # the analyst exports Noord's list
    review.run(WEDNESDAY)
    assert flags_of() == []
    settings.ACCESS_REVIEW_EXPORT_ROWS = 5
    review.run(WEDNESDAY)
    assert flags_of() == [(FlagKind.LARGE_EXPORT, office.analyst.pk)]
    flag = AccessFlag.objects.get()
    assert flag.entries == entries(
        office.analyst, AuditAction.EXPORT_FINISH, AuditAction.EXPORT_DOWNLOAD
    )
    assert len(flag.entries) == 2
    export = Export.objects.get()
    assert export.rows_done > 5
    assert flag.figures == {"exports": 1, "rows": export.rows_done, "threshold": 5}


def test_running_a_day_twice_adds_nothing_and_keeps_a_review(office, clock):
    normal_day(office, clock)
    clock.at(23)
    office.read(office.analyst, office.reports[1])
    first = review.run(WEDNESDAY)
    assert len(first.new) == 1
    flag = first.new[0]
    second = review.run(WEDNESDAY)
    assert (second.new, second.updated, second.unchanged) == ([], 0, 1)
    from baken.oversight.services import flag_review

    flag_review(actor=office.officer, pk=flag.pk, state=ReviewState.JUSTIFIED, note="Piket.")
    clock.tick(20)
    office.read(office.analyst, office.reports[2])  # later that night, after the review
    review.run(WEDNESDAY)
    flag.refresh_from_db()
    assert AccessFlag.objects.count() == 1
    assert flag.state == ReviewState.JUSTIFIED and len(flag.entries) == 1


def test_the_command_looks_at_one_day_and_says_what_it_found(office, clock, capsys):
    clock.at(23, 15)
    office.read(office.lead, office.reports[3])
    clock.at(9, day=WEDNESDAY + timedelta(days=1))
    call_command("access-review", "--day", "2026-11-18")
    out = capsys.readouterr().out
    assert "Toegangscontrole van 18 november 2026: 1 nieuwe signalen" in out
    assert f"Inzage 's nachts of in het weekend: {office.lead.get_full_name()} (lotte)" in out
    assert "Jan Meijer (lotte)" in out and "gebruiker" not in out
    call_command("access-review")  # yesterday by default: the same day, nothing new
    assert "0 nieuwe signalen, 0 bijgewerkt, 1 al bekend" in capsys.readouterr().out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("access-review", "--day", "18-11-2026")


def test_it_runs_each_night_and_mails_the_officer_without_names(
    office, clock, settings, django_capture_on_commit_callbacks
):
    from baken.core import scheduling

    assert settings.SCHEDULE["access-review"] == {
        "task": "baken.oversight.tasks.access_review",
        "cron": "30 3 * * *",
    }
    settings.SCHEDULE = {"access-review": settings.SCHEDULE["access-review"]}
    settings.PRIVACY_OFFICER_EMAIL = ["privacy@havenwaard.example"]
    settings.SITE_URL = "https://baken.havenwaard.example"
    clock.at(23, 15)
    office.read(office.lead, office.reports[3])
    now = clock.at(3, 31, day=WEDNESDAY + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        runs = scheduling.run_due(now=now, since=now - timedelta(hours=1))
    assert [run.name for run in runs] == ["access-review"]
    assert flags_of() == [(FlagKind.OFF_HOURS, office.lead.pk)]
    [message] = mail.outbox
    assert message.to == ["privacy@havenwaard.example"]
    assert "18 november 2026" in message.subject
    assert "https://baken.havenwaard.example/toezicht/" in message.body
    assert "Meijer" not in message.body and "lotte" not in message.body
    run_entry = AuditEntry.objects.get(action=AuditAction.ACCESS_REVIEW_RUN)
    assert run_entry.actor_role == "system"
    assert run_entry.detail == {"day": "2026-11-18", "new": [AccessFlag.objects.get().pk]}


def test_the_review_costs_the_same_queries_for_a_busier_day(office, clock):
    """Batched, never a query per entry: a day with three times the reads costs the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            review.detect(WEDNESDAY)
        return len(captured)

    clock.at(10)
    for report in office.reports[:3]:
        clock.tick(2)
        office.read(office.analyst, report)
        office.read(office.handler, office.reports[0])
    few = queries()
    for report in office.reports[1:]:  # the first is in analysis: not the intake queue's
        clock.tick(2)
        office.read(office.analyst, report)
        office.read(office.lead, report)
        office.read(office.intake, report)
    assert queries() == few


def handle_correction(office, clock, *, hour: int, minute: int = 0):
    """The privacy officer (no team) handles a request for correction on the pages: registers
    it, searches for the person, confirms the report that names him, opens the report's
    correction page twice (the form, and again after a typo) and saves the correction."""
    from baken.rights.models import Hit, Request
    from tests.htmlforms import form_values

    clock.at(hour, minute)
    officer = browser(office.officer)
    registered = officer.post(
        "/verzoeken/nieuw",
        {
            "kind": "rectification",
            "requester_name": "Karel Jansen 3",
            "identity_verified": "Paspoort getoond aan de balie",
            "description": "Mijn naam staat verkeerd in een melding.",
            "received_on": "2026-11-17",
        },
    )
    assert registered.status_code == 302, registered["Location"]
    request = Request.objects.order_by("-pk").first()
    url = f"/verzoeken/{request.pk}"
    clock.tick(3)
    found = officer.post(f"{url}/zoeken", {"name": "Karel Jansen 3"})
    assert found.status_code == 200
    report = office.reports[3]
    judged = officer.post(
        f"{url}/beoordelen",
        {
            "name": "Karel Jansen 3",
            "kind": "report",
            "object_id": report.pk,
            "judgement": "confirm",
        },
    )
    assert judged.status_code == 200
    hit = Hit.objects.get(request=request, object_id=report.pk)
    correct = f"{url}/items/{hit.pk}/corrigeren"
    clock.tick(4)
    values = form_values(officer.get(correct).content.decode(), correct)
    clock.tick(2)
    assert officer.get(correct).status_code == 200
    values["description"] = "Melding 3: hennepgeur bij de loods; de naam was verkeerd gespeld."
    values["reason"] = "De betrokkene wees op een fout in zijn naam."
    clock.tick(5)
    assert officer.post(correct, values).status_code == 302
    return request, report


def test_the_privacy_officer_correcting_a_report_inside_a_request_is_no_outside_work(office, clock):
    """The officer has no team and no case: a report they open only inside a request of a
    data subject is their lawful work, accounted for in the request's timeline (the read
    names the request). A report read without a request, or naming a request that does not
    hold it, is still outside their work."""
    from baken.audit.services import audit_record

    normal_day(office, clock)
    request, report = handle_correction(office, clock, hour=11)
    reads = AuditEntry.objects.filter(
        actor_id=office.officer.pk, action=AuditAction.REPORT_READ, object_id=str(report.pk)
    )
    assert reads.count() == 2
    assert {entry.detail["request"] for entry in reads} == {request.reference}
    review.run(WEDNESDAY)
    assert flags_of() == []

    # No page lets the officer open a report outside a request: as the log would hold one
    # that got past the scope, and one naming a request that does not hold that report.
    clock.at(15)
    stray = audit_record(
        actor=office.officer, action=AuditAction.REPORT_READ, target=office.reports[5]
    )
    elsewhere = audit_record(
        actor=office.officer,
        action=AuditAction.REPORT_READ,
        target=office.reports[6],
        detail={"parts": ["correct"], "request": request.reference},
    )
    review.run(WEDNESDAY)
    assert flags_of() == [(FlagKind.OUTSIDE_WORK, office.officer.pk)]
    assert AccessFlag.objects.get().entries == [stray.seq, elsewhere.seq]


def test_a_request_handled_at_night_is_still_an_off_hours_flag(office, clock):
    """Reads inside a request are no outside work, but when they are made still counts: a
    correction at 23:00 is flagged for the night, as any read then (another privacy officer
    reviews it), and nothing else."""
    handle_correction(office, clock, hour=23)
    review.run(WEDNESDAY)
    assert flags_of() == [(FlagKind.OFF_HOURS, office.officer.pk)]
    assert AccessFlag.objects.get().figures["reads"] == 2


@pytest.mark.parametrize(
    ("day", "first_utc", "minutes_apart", "flagged"),
    [
        # 31 October 2027, 03:00 summer time back to 02:00: six reads from 02:10 summer time
        # to 02:30 winter time are 80 real minutes apart (20 on the clock); no hour holds
        # more than four of them.
        (date(2027, 10, 31), datetime(2027, 10, 31, 0, 10, tzinfo=UTC), 16, False),
        # 28 March 2027, 02:00 winter time on to 03:00: six reads from 01:30 to 03:20 are 50
        # real minutes apart (110 on the clock): more than five within the hour.
        (date(2027, 3, 28), datetime(2027, 3, 28, 0, 30, tzinfo=UTC), 10, True),
    ],
)
def test_the_window_counts_real_minutes_across_a_change_of_the_clock(
    office, clock, settings, day, first_utc, minutes_apart, flagged
):
    """The window is real time (UTC), not the clock on the wall of Amsterdam."""
    settings.ACCESS_REVIEW_READS = 5
    settings.ACCESS_REVIEW_WINDOW_MINUTES = 60
    clock.moment = first_utc
    for n, report in enumerate(office.reports[1:7]):
        if n:
            clock.tick(minutes_apart)
        office.read(office.analyst, report)
    review.run(day)
    many = AccessFlag.objects.filter(day=day, kind=FlagKind.MANY_READS)
    assert many.exists() is flagged
    if flagged:
        flag = many.get()
        assert flag.figures["reports"] == 6
        assert flag.period_end - flag.period_start == timedelta(minutes=50)
