"""Destroying a report a year after 'no action' (issue 15): made the way people make it —
through the Meldpunt API with named subjects and a photo, a question to the reporter and
their answer, a note, a correction, the weighing and the decision — then the run one year
and a day later. Afterwards no table (search index included) holds its text, names or
identifiers, its file is gone from disk, the statement of destruction names only its
reference and dates, and the audit chain still verifies."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.utils import timezone
from PIL import Image

from baken.core.roles import Role
from baken.insights.figures_rollup import rollup_refresh
from baken.insights.models import FigureBucket
from baken.privacy import retention, services
from baken.privacy.models import DestroyedItem, RuleKind
from baken.reports import attachments
from baken.reports.models import Attachment, Criterion, Report
from baken.subjects.models import Relation, Subject
from tests.api.test_triage_api import auth
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)

DESCRIPTION = "Kwekerij-achtige geur bij loods Zwaluwstaartpad, ramen afgeplakt, ventilatoren."
NAME = "Cornelis Vrijdagsma"
BSN = "111222333"
KVK = "69599084"
COMPANY = "Zwaluwstaart Opslag B.V."
PLATE = "ZX-901-Q"
QUESTION = "Welke loods aan het Zwaluwstaartpad bedoelt u precies?"
ANSWER = "De blauwe loods naast de oude molenschuur."
NOTE = "Wijkagent kent de eigenaar van de molenschuur."
CORRECTION = "Kwekerij-achtige geur bij loods Zwaluwstaartpad 3, ramen afgeplakt, veel stroom."
NEEDLES = [
    "Zwaluwstaart",
    "Vrijdagsma",
    "vrijdagsma",
    BSN,
    KVK,
    "ZX901Q",
    "zx901q",
    "molenschuur",
    "Wijkagent",
]


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def _file(client, analyst) -> tuple[Report, str, list]:
    photo = client.post(
        "/api/v1/attachments", {"file": SimpleUploadedFile("loods.jpg", _photo(), "image/jpeg")}
    )
    assert photo.status_code == 201, photo.content
    filed = client.post(
        "/api/v1/reports",
        {
            "category": "drugs",
            "description": DESCRIPTION,
            "location": {"address": {"postcode": "1234 ab", "house_number": 3}},
            "subjects": [
                {"type": "person", "name": NAME, "bsn": BSN, "birth_date": "1971-02-03"},
                {"type": "organisation", "name": COMPANY, "kvk_number": KVK},
                {"type": "vehicle", "license_plate": PLATE},
            ],
            "attachments": [photo.json()["id"]],
            "reporter": {"anonymous": True},
        },
        content_type="application/json",
    )
    assert filed.status_code == 201, filed.content
    body = filed.json()
    Report.objects.filter(pk=body["id"]).update(team=analyst.team)
    report = Report.objects.get(pk=body["id"])
    files = [attachments.path_for(a.pk) for a in Attachment.objects.filter(report=report)]
    assert files and all(path.exists() for path in files)
    return report, body["receipt_code"], files


def _work_and_decide(client, analyst, report: Report, receipt: str) -> None:
    headers = auth(analyst)
    url = f"/api/v1/reports/{report.pk}"
    asked = client.post(
        f"{url}/messages", {"text": QUESTION}, content_type="application/json", **headers
    )
    assert asked.status_code == 201, asked.content
    answered = client.post(
        "/api/v1/followup/messages",
        {"receipt_code": receipt, "text": ANSWER},
        content_type="application/json",
    )
    assert answered.status_code == 201, answered.content
    noted = client.post(f"{url}/notes", {"text": NOTE}, content_type="application/json", **headers)
    assert noted.status_code == 201, noted.content
    corrected = client.patch(
        url,
        {"revision": 0, "reason": "Huisnummer erbij.", "changes": {"description": CORRECTION}},
        content_type="application/json",
        **headers,
    )
    assert corrected.status_code == 200, corrected.content
    for code in Criterion.objects.filter(mandatory=True).values_list("code", flat=True):
        client.post(
            f"{url}/criteria",
            {"criterion": code, "choice": "nee", "motivation": "Geen aanwijzingen."},
            content_type="application/json",
            **headers,
        )
    decided = client.post(
        f"{url}/decision",
        {"kind": "no_action", "rationale": "Geen aanwijzingen voor ondermijning."},
        content_type="application/json",
        **headers,
    )
    assert decided.status_code == 201, decided.content


def _figures() -> tuple[int, int, int]:
    """Reports, weighed and decided as the dashboard's rollup counts them (all weeks)."""
    rollup_refresh(inline_limit=10_000)
    totals = FigureBucket.objects.aggregate(
        reports=Sum("reports"), weighed=Sum("weighed"), decided=Sum("decided")
    )
    return totals["reports"], totals["weighed"], totals["decided"]


def _register_subjects(client, analyst, report: Report) -> dict[str, int]:
    """The analyst registers the named person and company as subjects and records that the
    person directs the company, with the report as its source — over the API."""
    headers = auth(analyst)
    detail = client.get(f"/api/v1/reports/{report.pk}", **headers).json()
    ids = {}
    for named in detail["subjects"]:
        if named["type"] in ("person", "organisation"):
            made = client.post(
                f"/api/v1/report-subjects/{named['report_subject']}/subject", **headers
            )
            assert made.status_code == 201, made.content
            ids[named["type"]] = made.json()["id"]
    related = client.post(
        f"/api/v1/subjects/{ids['person']}/relations",
        {"other": ids["organisation"], "kind": "director_of", "source_report": report.pk},
        content_type="application/json",
        **headers,
    )
    assert related.status_code == 201, related.content
    return ids


def _rows_holding(needles: list[str]) -> dict[str, list[str]]:
    """Every table of the database, every column, read as text or bytes."""
    found: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if value is None:
                        continue
                    if isinstance(value, bytes | memoryview):
                        raw = bytes(value)
                        hits = [n for n in needles if n.encode() in raw]
                    else:
                        text = str(value)
                        hits = [n for n in needles if n in text]
                    if hits:
                        found.setdefault(table, []).extend(hits)
    return found


def _files_holding(needles: list[str]) -> dict[str, list[str]]:
    """Every file under var/ (attachments, exports, the suggester's model, seals) and, on
    SQLite, the database file with its write-ahead log, read as raw bytes: free pages and log
    frames included, where a deleted row's bytes would stay if nothing overwrote them."""
    paths = [path for path in Path(settings.VAR_DIR).rglob("*") if path.is_file()]
    if connection.vendor == "sqlite":
        database = Path(connection.settings_dict["NAME"])
        paths += [database, Path(f"{database}-wal")]
    found: dict[str, list[str]] = {}
    for path in paths:
        if not path.exists() or path.suffix in {".key"}:
            continue
        raw = path.read_bytes()
        hits = [n for n in needles if n.encode() in raw]
        if hits:
            found[str(path)] = hits
    return found


def test_a_no_action_report_is_destroyed_a_year_after_the_decision_and_leaves_nothing(
    client, login, make_user
):
    analyst = make_user(role=Role.ANALYST)
    report, receipt, files = _file(client, analyst)
    subjects = _register_subjects(client, analyst, report)
    _work_and_decide(client, analyst, report, receipt)
    assert Subject.objects.filter(pk__in=subjects.values()).count() == 2
    assert set(_rows_holding(NEEDLES))  # the needles are really there before
    counted = _figures()
    assert counted == (1, 1, 1)

    half_year = retention.run(now=timezone.now() + timedelta(days=180))[1]
    assert Report.objects.filter(pk=report.pk).exists()
    assert (
        next(line for line in half_year if line.rule.kind == RuleKind.REPORT_NO_ACTION).found.due
        == 0
    )

    record, lines = retention.run(now=timezone.now() + timedelta(days=367))
    line = next(line for line in lines if line.rule.kind == RuleKind.REPORT_NO_ACTION)
    assert (line.found.due, line.found.held, line.found.done) == (1, 0, 1)
    assert not Report.objects.filter(pk=report.pk).exists()
    assert not any(path.exists() for path in files)
    assert _rows_holding(NEEDLES) == {}
    assert _files_holding(NEEDLES) == {}
    assert _figures() == counted  # the dashboard still counts it: counts stay, content goes

    # The reporter who follows it up reads that it is closed, and nothing more.
    page = client.post("/melden/opvolgen", {"receipt_code": receipt})
    assert "Deze melding is afgesloten." in page.content.decode()
    assert "Zwaluwstaart" not in page.content.decode()
    gone = client.post(
        "/api/v1/followup", {"receipt_code": receipt}, content_type="application/json"
    )
    assert gone.status_code == 410 and gone.json()["code"] == "report_closed"
    wrong = client.post(
        "/api/v1/followup",
        {"receipt_code": "AAAA-BBBB-CCCC-DDDD-EEEE"},
        content_type="application/json",
    )
    assert wrong.status_code == 404

    # The subjects it named go too: nothing else names them.
    assert not Subject.objects.filter(pk__in=subjects.values()).exists()
    assert not Relation.objects.exists()
    gone = set(
        DestroyedItem.objects.filter(run=record, object_type="subject").values_list(
            "reference", flat=True
        )
    )
    assert gone == {f"#{pk}" for pk in subjects.values()}

    item = DestroyedItem.objects.get(run=record, object_type="report")
    assert (item.reference, item.category, item.decision) == (
        report.reference,
        "drugs",
        "no_action",
    )
    assert item.received_on == timezone.localdate(report.received_at)
    assert record.digest == retention.statement_digest(record) and len(record.digest) == 64
    # The privacy officer reads the statement as a page and a PDF: the reference, no name.
    reader = login(make_user(role=Role.PRIVACY_OFFICER), test_client=Client())
    page = reader.get(f"/bewaren/runs/{record.pk}").content.decode()
    assert report.reference in page and "Drugs" in page and "Geen actie" in page
    assert "klopt met de regels hierboven" in page
    pdf = reader.get(f"/bewaren/runs/{record.pk}/verklaring.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert report.reference in text and "Verklaring van vernietiging" in text
    assert not [n for n in NEEDLES if n in page or n in text]
    assert login(analyst, test_client=Client()).get(f"/bewaren/runs/{record.pk}").status_code == 403

    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact" in out.getvalue() or "ongeschonden" in out.getvalue()


def test_a_held_report_and_a_report_in_a_case_stay(client, make_user):
    analyst = make_user(role=Role.ANALYST)
    report, receipt, _files = _file(client, analyst)
    _work_and_decide(client, analyst, report, receipt)
    services.hold_place(
        actor=make_user(role=Role.PRIVACY_OFFICER),
        target=report,
        reason="objection",
        explanation="Bezwaar 2026-31",
        until=timezone.localdate() + timedelta(days=500),
    )
    _record, lines = retention.run(now=timezone.now() + timedelta(days=367))
    line = next(line for line in lines if line.rule.kind == RuleKind.REPORT_NO_ACTION)
    assert (line.found.due, line.found.held, line.found.done) == (1, 1, 0)
    assert Report.objects.filter(pk=report.pk).exists()


def test_a_subject_another_report_still_names_stays(client, make_user):
    analyst = make_user(role=Role.ANALYST)
    report, receipt, _files = _file(client, analyst)
    subjects = _register_subjects(client, analyst, report)
    other = client.post(
        "/api/v1/reports",
        {
            "category": "drugs",
            "description": "Weer veel bezoek bij de loods, nu ook 's nachts.",
            "subjects": [{"type": "organisation", "name": COMPANY, "kvk_number": KVK}],
            "reporter": {"anonymous": True},
        },
        content_type="application/json",
    ).json()
    Report.objects.filter(pk=other["id"]).update(team=analyst.team)
    headers = auth(analyst)
    named = client.get(f"/api/v1/reports/{other['id']}", **headers).json()["subjects"][0]
    judged = client.post(
        f"/api/v1/report-subjects/{named['report_subject']}/judgements",
        {"subject": subjects["organisation"], "judgement": "same"},
        content_type="application/json",
        **headers,
    )
    assert judged.status_code in (200, 201), judged.content
    _work_and_decide(client, analyst, report, receipt)

    retention.run(now=timezone.now() + timedelta(days=367))
    assert not Report.objects.filter(pk=report.pk).exists()
    assert Report.objects.filter(pk=other["id"]).exists()
    assert not Subject.objects.filter(pk=subjects["person"]).exists()
    assert Subject.objects.filter(pk=subjects["organisation"]).exists()  # still named
