import io

import pytest
from django.core.management import call_command

from baken.cases.facts import derived_states
from baken.cases.models import Case, CaseDecision, StageCriterion
from baken.reports.identifiers import bsn_is_valid
from baken.reports.models import Report, ReportSubject, StatusChange
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


def test_demo_data_is_deterministic_for_a_seed(django_db_blocker):
    call_command(
        "demo-data", "--reports", "150", "--seed", "7", stdout=io.StringIO(), stderr=io.StringIO()
    )
    first = _snapshot()
    _clear()
    call_command(
        "demo-data", "--reports", "150", "--seed", "7", stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert _snapshot() == first and len(first[0]) == 150 and first[1]
    _clear()
    call_command(
        "demo-data", "--reports", "150", "--seed", "8", stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert _snapshot() != first


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
