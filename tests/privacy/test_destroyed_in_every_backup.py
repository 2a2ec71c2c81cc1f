"""Destroyed in every backup (issue 15, ADR 0032): a backup seals each report's, case's and
registered subject's rows under that owner's own key, and keeps the keys apart. So last
month's backup, restored after the retention run with the key store of today, brings back
nothing of what the run destroyed — not the report's text, the subjects it named, their
registration and relations, the case's summary and notes — while what was kept comes back
whole. And no backup holds any of it in plain text, before or after."""

import io
import json
import subprocess
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from baken.cases.models import Case, CaseKey
from baken.core.roles import Role
from baken.insights.figures_rollup import rollup_refresh
from baken.insights.models import AddressBucket
from baken.privacy import retention, services
from baken.privacy.models import DestructionProposal
from baken.reports.models import Report
from baken.subjects.models import Subject, SubjectKey
from tests.core.test_backup import (  # noqa: F401 (fixtures)
    baken,
    elsewhere,
    installation,
    plain_in,
    restored_after_the_run,
)
from tests.privacy.test_case_destruction import OTHER, SECRET, _closed_case
from tests.privacy.test_destruction import NEEDLES, _file, _register_subjects, _work_and_decide

pytestmark = pytest.mark.django_db(transaction=True)

READ_BACK = """
import json
from baken.cases.models import Case, CaseNote
from baken.reports.models import Report
from baken.subjects.models import Relation, Subject
print(json.dumps({
    "reports": sorted(Report.objects.values_list("reference", flat=True)),
    "cases": sorted(Case.objects.values_list("reference", flat=True)),
    "summaries": sorted(Case.objects.values_list("summary", flat=True)),
    "notes": CaseNote.objects.count(),
    "subjects": sorted(Subject.objects.values_list("name", flat=True)),
    "relations": Relation.objects.count(),
}))
"""

# The worker's rebuild after a restore (the rollup is left out of backups and rebuilt), and
# the cases the dashboard then counts.
CASE_FIGURES = """
from django.db.models import Sum
from baken.insights.figures_rollup import rollup_refresh
from baken.insights.models import CaseBucket
rollup_refresh()
print(CaseBucket.objects.aggregate(n=Sum("cases"))["n"] or 0)
"""


def test_a_backup_restored_after_the_run_brings_back_nothing_it_destroyed(
    client,
    make_user,
    installation,  # noqa: F811
    elsewhere,  # noqa: F811
    tmp_path,
):
    lead = make_user(role=Role.TEAM_LEAD)
    analyst = make_user(role=Role.ANALYST, team=lead.team)
    officer = make_user(role=Role.PRIVACY_OFFICER)
    # A report weighed 'no action' (destroyed a year on), whose person and company the
    # analyst registered with a relation between them; a closed case (five years on, after
    # the destruction list is approved); and a closed case that is taken off the list.
    report, receipt, _files = _file(client, analyst)
    _register_subjects(client, analyst, report)
    _work_and_decide(client, analyst, report, receipt)
    case = _closed_case(lead.team, analyst, lead, "Loods Zilverreigerlaan")
    kept = _closed_case(lead.team, analyst, lead, "Schuur aan de dijk", street=OTHER)
    kept_reports = sorted(Report.objects.filter(cases=kept).values_list("reference", flat=True))
    destroyed = [*NEEDLES, SECRET]

    # The cases' reports at an address on those streets, and the rollups up to date: the
    # address rollup holds the reports' streets (issue 18), a backup none of them.
    for street, number, of in ((SECRET, 9, case), (OTHER, 11, kept)):
        Report.objects.filter(cases=of).update(
            street=street, postcode="1781AB", house_number=number
        )
    assert rollup_refresh()
    assert set(AddressBucket.objects.values_list("street", flat=True)) >= {SECRET, OTHER}
    last_month = tmp_path / "backup-last-month"
    call_command("backup", str(last_month), stdout=io.StringIO())
    manifest = json.loads((last_month / "manifest.json").read_text())
    assert {item["app"] for item in manifest["sealed"]} == {"reports", "subjects", "cases"}
    assert all(item["rows"] > 0 for item in manifest["sealed"])
    # Sealed from the start: no backup holds the text in plain, not even the kept case's.
    assert plain_in(last_month, [*destroyed, OTHER]) == {}
    # What is not an owner's stays plain: the scan reads what the files hold.
    assert plain_in(last_month, [lead.team.name]) != {}

    later = timezone.now() + timedelta(days=5 * 365 + 2)
    retention.run(now=later)  # the report and its subjects go; the cases are listed
    off = DestructionProposal.objects.get(case=kept)
    services.destruction_list_remove(
        actor=officer, pk=off.pk, reason="Bezwaarprocedure over de sluiting loopt nog."
    )
    services.destruction_list_approve(actor=officer)
    retention.run(now=later)
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not CaseKey.objects.filter(case_id=case.pk).exists()
    assert not Report.objects.filter(pk=report.pk).exists()
    assert not Subject.objects.filter(name__contains="Vrijdagsma").exists()
    assert not SubjectKey.objects.filter(subject__name__contains="Vrijdagsma").exists()

    restored, _key_store = restored_after_the_run(
        last_month, tmp_path=tmp_path, elsewhere=elsewhere, key=installation
    )
    var, database_url = elsewhere
    assert "Left out of this backup:" in restored.stdout, restored.stdout
    read = baken("shell", "-c", READ_BACK, var=var, database_url=database_url, key=installation)
    assert read.returncode == 0, read.stderr
    there = json.loads(read.stdout.strip().splitlines()[-1])
    # What the run destroyed is not back; the case taken off the list is, whole.
    assert there["cases"] == [kept.reference]
    assert there["summaries"] == [f"Kwekerij aan de {OTHER} 9."]
    assert there["notes"] == 1
    assert there["reports"] == kept_reports
    assert not any("Vrijdagsma" in name or "Zwaluwstaart" in name for name in there["subjects"])
    assert there["relations"] == 0
    # The dashboard counts the case that came back, not the destroyed one (the case rollup
    # of last month is not restored but rebuilt).
    figures = baken(
        "shell", "-c", CASE_FIGURES, var=var, database_url=database_url, key=installation
    )
    assert figures.returncode == 0, figures.stderr
    assert figures.stdout.strip().splitlines()[-1] == "1"
    verified = baken("audit", "verify", var=var, database_url=database_url, key=installation)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    # Nothing of it in the restored installation's database and files.
    assert plain_in(var, destroyed) == {}
    if database_url.startswith("postgres"):
        dumped = subprocess.run(
            ["pg_dump", "--data-only", database_url], capture_output=True, check=True
        ).stdout
        assert [n for n in destroyed if n.encode() in dumped] == []
        assert OTHER.encode() in dumped  # the dump reads what is there
