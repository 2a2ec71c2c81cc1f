import io
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from baken.cases.facts import derived_states
from baken.cases.models import Case, CaseDecision, StageCriterion
from baken.reports.identifiers import bsn_is_valid
from baken.reports.models import Decision, Report, ReportSubject, StatusChange
from baken.reports.workflow import Status

pytestmark = pytest.mark.django_db


def _snapshot():
    reports = Report.objects.order_by("reference").values_list(
        "reference", "description", "status", "postcode", "channel", "received_at"
    )
    cases = Case.objects.order_by("reference").values_list("reference", "stage__code", "opened_at")
    return list(reports), list(cases)


def _clear():
    Case.objects.all().delete()
    Report.objects.all().delete()


NOW = "2026-12-01T12:00:00+01:00"


def _demo_data(*args: str) -> str:
    out = io.StringIO()
    call_command("demo-data", *args, "--photos", "0", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_demo_data_is_deterministic_for_a_seed_and_a_moment(django_db_blocker):
    _demo_data("--reports", "150", "--seed", "7", "--now", NOW)
    first = _snapshot()
    _clear()
    _demo_data("--reports", "150", "--seed", "7", "--now", NOW)
    assert _snapshot() == first and len(first[0]) == 150 and first[1]
    _clear()
    _demo_data("--reports", "150", "--seed", "8", "--now", NOW)
    assert _snapshot() != first


def test_demo_data_is_dated_relative_to_its_moment():
    now = datetime.fromisoformat(NOW)
    said = _demo_data("--reports", "300", "--seed", "7", "--now", NOW)
    assert "2026-12-01T12:00:00+01:00" in said
    received = list(Report.objects.values_list("received_at", flat=True))
    assert max(received) <= now and min(received) >= now - timedelta(days=730)
    assert max(received) >= now - timedelta(days=14)  # the newest came in just before it
    first = sorted(received)
    _clear()
    later = now + timedelta(days=10)
    _demo_data("--reports", "300", "--seed", "7", "--now", later.isoformat())
    # The same seed a moment later: the same reports, each ten days later.
    assert sorted(Report.objects.values_list("received_at", flat=True)) == [
        at + timedelta(days=10) for at in first
    ]
    # Cases too: none opened after the moment; nor a status changed or a decision made after
    # it (the newest reports moved on at most up to the moment).
    assert not Case.objects.filter(opened_at__gt=later).exists()
    assert not StatusChange.objects.filter(at__gt=later).exists()
    assert not Decision.objects.filter(at__gt=later).exists()
    assert not CaseDecision.objects.filter(at__gt=later).exists()


def test_demo_data_without_a_moment_is_dated_relative_to_the_real_now():
    _demo_data("--reports", "200", "--seed", "7")
    newest = Report.objects.order_by("-received_at").first().received_at
    assert timezone.now() - timedelta(days=14) <= newest <= timezone.now()


@pytest.mark.parametrize("value", ["gisteren", "2026-12-01T12:00:00"])
def test_demo_data_refuses_a_moment_it_cannot_read(value):
    with pytest.raises(CommandError, match="--now"):
        _demo_data("--reports", "10", "--now", value)
    assert not Report.objects.exists()


def test_a_kept_database_grows_with_the_same_seed_and_another_one():
    """Growing a database with demo reports: the same seed again and another seed give new,
    unique references (the first run's all taken) and the counts add up."""
    _demo_data("--reports", "500", "--seed", "1", "--now", NOW)
    first = set(Report.objects.values_list("reference", flat=True))
    cases = Case.objects.count()
    assert len(first) == 500 and cases
    _demo_data("--reports", "500", "--seed", "1", "--now", NOW)
    _demo_data("--reports", "300", "--seed", "2", "--now", NOW)
    references = list(Report.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 1300
    assert first < set(references)
    # The same seed's cases again, with new references (the second run's cases as many as
    # the first's: the same reports were linked).
    case_references = list(Case.objects.values_list("reference", flat=True))
    assert len(case_references) == len(set(case_references)) > 2 * cases
    assert StatusChange.objects.values("report").distinct().count() == 1300


def test_demo_data_is_a_realistic_mix(settings, tmp_path):
    settings.ATTACHMENT_DIR = tmp_path
    call_command(
        "demo-data",
        "--reports",
        "400",
        "--seed",
        "1",
        "--photos",
        "0.05",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    reports = Report.objects.all()
    assert reports.count() == 400
    assert len(set(reports.values_list("category__code", flat=True))) >= 10
    assert {"web", "phone"} <= set(reports.values_list("channel", flat=True))
    assert (
        reports.filter(is_anonymous=True).exists() and reports.filter(is_anonymous=False).exists()
    )
    assert reports.filter(attachments__isnull=False).exists()
    bsns = ReportSubject.objects.exclude(bsn="").values_list("bsn", flat=True)
    assert bsns and all(bsn_is_valid(b) and b.startswith("9") for b in bsns)
    # Every report's history ends in its current status.
    for report in reports[:50]:
        assert StatusChange.objects.filter(report=report).last().to_status == report.status


def test_every_report_linked_to_a_case_is_in_a_demo_case_that_followed_the_protocol():
    call_command(
        "demo-data", "--reports", "600", "--seed", "3", stdout=io.StringIO(), stderr=io.StringIO()
    )
    linked = Report.objects.filter(status=Status.LINKED_TO_CASE)
    assert linked.exists()
    assert set(linked.values_list("pk", flat=True)) == set(
        Case.objects.values_list("reports", flat=True)
    )
    cases = Case.objects.all()
    assert cases.filter(closed_at__isnull=False).exists() and cases.filter(closed_at=None).exists()
    for case in cases:
        decisions = list(CaseDecision.objects.filter(case=case).order_by("at", "pk"))
        assert decisions[0].kind == "open" and decisions[-1].to_stage_id == case.stage_id
        assert (
            (case.closed_at is not None) == (decisions[-1].kind == "close") == case.stage.is_closed
        )
        assert case.is_closed == (case.result_id is not None)
        # What the derived criteria of each stage it left ask for is recorded (issue 12).
        left = [d.from_stage_id for d in decisions if d.from_stage_id]
        criteria = StageCriterion.objects.filter(stage__in=left, mandatory=True).exclude(fact="")
        assert all(state.met for state in derived_states(case, criteria).values()), case
    # Every weighed report has its decision, of the kind its history went on with.
    from baken.reports.models import Decision

    for report in Report.objects.filter(status_changes__to_status=Status.WEIGHED)[:100]:
        after = StatusChange.objects.get(report=report, from_status=Status.WEIGHED)
        [decision] = Decision.objects.filter(report=report)
        assert decision.kind == after.to_status and decision.at == after.at
