"""Correcting a report works for every shape a report can have.

Reports are made the way reporters and partners make them — through the public API and the
Meldpunt's form — and then corrected the way an intake officer does: open the report page,
take the form as the page fills it, change one thing, send it. Every correction must land as
a new version whose diff shows what changed, and only that (a time written with another
offset is no change)."""

import io
import re

import pytest
from django.urls import reverse
from PIL import Image

from baken.core.roles import Role
from baken.reports.models import Category, Question, Report, ReportVersion, SubjectKind

from ..htmlforms import form_values

pytestmark = pytest.mark.django_db

PERSON = {
    "type": "person",
    "name": "Jan van der Berg",
    "birth_date": "1980-04-02",
    "bsn": "111222333",
    "description": "Lange man, rode jas.",
}
ORGANISATION = {"type": "organisation", "name": "Loods Havenkade BV", "kvk_number": "12345678"}
ADDRESS_SUBJECT = {"type": "address", "address": {"postcode": "1781AB", "house_number": 5}}
VEHICLE = {"type": "vehicle", "license_plate": "vt-123-k", "description": "Witte bus"}
FULL_ADDRESS = {
    "postcode": "1781 ab",
    "house_number": 3,
    "house_letter": "a",
    "addition": "2",
    "street": "Dorpsstraat",
    "city": "Havenwaard",
}

# Each shape the uniform format allows, as a client sends it to POST /api/v1/reports.
API_SHAPES = {
    "bare": {},
    "time": {"observed_at": {"start": "2026-11-28T22:30:00+01:00"}},
    "period_in_utc_with_seconds": {
        "observed_at": {"start": "2026-11-28T21:30:15Z", "end": "2026-11-28T23:00:00+00:00"}
    },
    "address": {"location": {"address": FULL_ADDRESS}},
    "map_point": {"location": {"point": {"lat": 52.95, "lon": 4.76}, "description": "Loods"}},
    "person": {"subjects": [PERSON]},
    "organisation": {"subjects": [ORGANISATION]},
    "address_subject": {"subjects": [ADDRESS_SUBJECT]},
    "vehicle": {"subjects": [VEHICLE]},
    "extra_answers": {"answers": {"hoe_lang": "Sinds de zomer", "vaker": True}},
    "named_reporter": {
        "reporter": {"anonymous": False, "name": "Els de Vries", "email": "els@example.nl"}
    },
    "attachment": {"attachments": "upload"},
    "everything": {
        "observed_at": {"start": "2026-11-28T22:30:00+01:00", "end": "2026-11-28T23:45:00+01:00"},
        "location": {"address": FULL_ADDRESS, "point": {"lat": 52.95, "lon": 4.76}},
        "subjects": [PERSON, ORGANISATION, ADDRESS_SUBJECT, VEHICLE],
        "answers": {"hoe_lang": "Twee weken"},
        "attachments": "upload",
    },
}

# The same shapes as a reporter fills them in on /melden (no JavaScript: one form).
FORM_SHAPES = {
    "form_without_category": {"category": "onbekend", "location_description": "Bij de haven"},
    "form_time_and_address": {
        "observed_start": "2026-11-28T22:30",
        "location_postcode": "1781 AB",
        "location_house_number": "3",
    },
    "form_subjects": {
        "person-0-name": "Jan van der Berg",
        "person-0-bsn": "111222333",
        "organisation-0-name": "Loods Havenkade BV",
        "vehicle-0-license_plate": "VT123K",
        "address-0-postcode": "1781AB",
        "address-0-house_number": "5",
    },
    "form_named_with_answers": {
        "observed_start": "2026-11-28T22:30",
        "observed_end": "2026-11-28T23:15",
        "answer-drugs-hoe_lang": "Al maanden",
        "identity": "named",
        "reporter_name": "Els de Vries",
        "reporter_phone": "0612345678",
    },
}


@pytest.fixture(autouse=True)
def questions(db):
    drugs = Category.objects.get(code="drugs")
    Question.objects.create(
        category=drugs, code="hoe_lang", text="Hoe lang ruikt u het al?", position=1
    )
    Question.objects.create(
        category=drugs,
        code="vaker",
        text="Gebeurt het vaker?",
        kind=Question.Kind.YES_NO,
        position=2,
    )


@pytest.fixture
def intake(make_user, north):
    return make_user(role=Role.INTAKE, team=north)


def _upload(client) -> str:
    image = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(image, "PNG")
    image.seek(0)
    image.name = "schuur.png"
    response = client.post("/api/v1/attachments", {"file": image})
    assert response.status_code == 201, response.content
    return response.json()["id"]


def _via_api(client, shape: dict, team) -> Report:
    payload = {
        "category": "drugs",
        "description": "Hennepgeur bij de schuur achter Dorpsstraat 3.",
        **shape,
    }
    if payload.get("attachments") == "upload":
        payload["attachments"] = [_upload(client)]
    response = client.post("/api/v1/reports", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    return _to_team(response.json()["id"], team)


def _via_form(client, fields: dict, team) -> Report:
    before = set(Report.objects.values_list("pk", flat=True))
    post = {
        "category": "drugs",
        "description": "Hennepgeur bij de schuur achter Dorpsstraat 3.",
        "identity": "anonymous",
        **fields,
    }
    response = client.post("/melden", post)
    assert response.status_code == 201, response.content.decode()[:2000]
    (pk,) = set(Report.objects.values_list("pk", flat=True)) - before
    return _to_team(pk, team)


def _to_team(pk: int, team) -> Report:
    # Routing is not the subject here: the report lands in the intake officer's team.
    Report.objects.filter(pk=pk).update(team=team)
    return Report.objects.get(pk=pk)


def correct(browser, report: Report, reason: str, **changes):
    """Open the report page, take the correction form as the page fills it, change what is
    given, send it. Returns the response to the post."""
    page = browser.get(reverse("reports:detail", args=[report.pk]))
    assert page.status_code == 200
    action = reverse("reports:improve", args=[report.pk])
    data = form_values(page.content.decode(), action)
    data.update(changes, reason=reason)
    return browser.post(action, data)


def _detail(browser, report: Report) -> str:
    return browser.get(reverse("reports:detail", args=[report.pk])).content.decode()


def _assert_corrected_twice(browser, report: Report) -> None:
    before = Report.objects.get(pk=report.pk)
    first_kind = before.subjects.order_by("position").values_list("kind", flat=True).first()
    # 1. Only the description: nothing else may count as changed (not a time's offset, not a
    #    subject, not the point), and nothing else may be lost.
    html_before = _detail(browser, report)
    description = before.description + " Aangevuld na telefoontje."
    response = correct(
        browser, report, "Aanvulling van de melder per telefoon.", description=description
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    after = Report.objects.get(pk=report.pk)
    version = ReportVersion.objects.get(report=report, number=before.revision + 1)
    assert version.changed == ["description"]
    assert after.description == description
    assert (after.observed_start, after.observed_end) == (
        before.observed_start,
        before.observed_end,
    )
    assert (after.lat, after.lon, after.postcode, after.house_number) == (
        before.lat,
        before.lon,
        before.postcode,
        before.house_number,
    )
    assert list(after.subjects.values_list("kind", "name", "bsn", "license_plate")) == list(
        before.subjects.values_list("kind", "name", "bsn", "license_plate")
    )
    assert (
        after.answers == before.answers and after.attachments.count() == before.attachments.count()
    )
    page = _detail(browser, report)
    assert "<ins>Aangevuld na telefoontje.</ins>" in page
    assert "Aanvulling van de melder per telefoon." in page
    # The page shows a time the Dutch way, never as ISO text.
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", _without_inputs(page))
    if before.observed_start:
        assert "28 november 2026" in page
    assert html_before.count("28 november 2026") <= page.count("28 november 2026")

    # 2. A new time and one subject fewer: both show in the diff, in Dutch local time.
    changes: dict = {"observed_start": "2026-11-27T20:15", "observed_end": ""}
    expected = ["observed_at"]
    if before.subjects.exists():
        changes["remove_subjects"] = ["0"]
        expected.append("subjects")
    response = correct(browser, report, "Tijd en betrokkenen nagegaan.", **changes)
    assert response.status_code == 302, response.content.decode()[:3000]
    version = ReportVersion.objects.get(report=report, number=before.revision + 2)
    assert version.changed == expected
    assert version.data["observed_at"] == {"start": "2026-11-27T20:15:00+01:00"}
    page = _detail(browser, report)
    assert "27 november 2026 20:15" in page
    newest = page.split('id="versions-title"')[1].split("</li>")[0]
    assert "<dt>Wanneer</dt>" in newest
    if "subjects" in expected:
        assert "<dt>Wie of wat</dt>" in newest
        assert f"<del>{SubjectKind(first_kind).label}:" in newest
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", _without_inputs(page))


def _without_inputs(page: str) -> str:
    """The page as read: without the form fields' values (a datetime-local input's value is
    ISO by the HTML standard)."""
    return re.sub(r"<input[^>]*>", "", page)


@pytest.mark.parametrize("shape", API_SHAPES)
def test_every_shape_sent_through_the_api_can_be_corrected(
    client, verified_client, intake, north, shape
):
    report = _via_api(client, API_SHAPES[shape], north)
    _assert_corrected_twice(verified_client(intake), report)


@pytest.mark.parametrize("shape", FORM_SHAPES)
def test_every_shape_sent_through_the_meldpunt_form_can_be_corrected(
    client, verified_client, intake, north, shape
):
    report = _via_form(client, FORM_SHAPES[shape], north)
    _assert_corrected_twice(verified_client(intake), report)


def test_seconds_of_a_time_sent_through_the_api_survive_a_correction(
    client, verified_client, intake, north
):
    report = _via_api(client, API_SHAPES["period_in_utc_with_seconds"], north)
    response = correct(verified_client(intake), report, "Spelling.", description="Hennepgeur.")
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).observed_start.second == 15


def test_the_same_moment_with_another_offset_reads_the_same_in_the_diff(
    client, verified_client, intake, north
):
    """An older version stored its time in UTC, the original with +01:00: no change shown."""
    report = _via_api(client, API_SHAPES["time"], north)
    browser = verified_client(intake)
    assert (
        correct(browser, report, "Tekst.", description="Hennepgeur, elke avond.").status_code == 302
    )
    ReportVersion.objects.filter(report=report).update(
        data={
            **ReportVersion.objects.get(report=report).data,
            "observed_at": {"start": "2026-11-28T21:30:00+00:00"},
        },
        changed=["description", "observed_at"],
    )
    page = _detail(browser, report)
    versions = page.split('id="versions-title"')[1].split("</section>")[0]
    assert "<dt>Wanneer</dt>" not in versions
    assert "2026-11-28T21:30:00+00:00" not in page


def _merge(client, headers, duplicate: Report, leading: Report) -> None:
    response = client.post(
        f"/api/v1/reports/{duplicate.pk}/merge",
        {"into": leading.pk, "reason": "Zelfde schuur, zelfde avond."},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content


def _token(user) -> dict:
    from django.core.management import call_command

    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    return {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}


def test_a_merged_report_is_a_record_and_its_leading_report_is_corrected(
    client, verified_client, make_user, intake, north
):
    analyst = make_user(role=Role.ANALYST, team=north)
    leading = _via_api(client, API_SHAPES["everything"], north)
    duplicate = _via_api(client, API_SHAPES["time"], north)
    _merge(client, _token(analyst), duplicate, leading)
    browser = verified_client(analyst)
    _assert_corrected_twice(browser, leading)
    # The merged report offers no correction, and a post anyway is refused with the reason.
    action = reverse("reports:improve", args=[duplicate.pk])
    assert f'action="{action}"' not in _detail(browser, duplicate)
    refused = browser.post(
        action,
        {"revision": 0, "description": "Een aanvulling die niet mag landen.", "reason": "x"},
    )
    assert refused.status_code == 409
    assert "samengevoegd met een andere melding" in refused.content.decode()
    assert not ReportVersion.objects.filter(report=duplicate).exists()


def test_a_report_split_off_another_is_corrected_like_any_report(
    client, verified_client, make_user, north
):
    analyst = make_user(role=Role.ANALYST, team=north)
    source = _via_api(client, API_SHAPES["everything"], north)
    response = client.post(
        f"/api/v1/reports/{source.pk}/split",
        {
            "description": "Tweede zaak: de witte bus die elke nacht laadt.",
            "reason": "Twee zaken in één melding.",
            "subjects": [3],
        },
        content_type="application/json",
        **_token(analyst),
    )
    assert response.status_code == 201, response.content
    split = Report.objects.get(pk=response.json()["id"])
    browser = verified_client(analyst)
    _assert_corrected_twice(browser, split)
    _assert_corrected_twice(browser, Report.objects.get(pk=source.pk))


@pytest.mark.parametrize("shape", ["time", "period_in_utc_with_seconds", "everything"])
def test_a_timed_report_is_corrected_over_the_api_too(client, make_user, north, shape):
    report = _via_api(client, API_SHAPES[shape], north)
    headers = _token(make_user(role=Role.INTAKE, team=north))
    response = client.patch(
        f"/api/v1/reports/{report.pk}",
        {
            "revision": 0,
            "changes": {"description": "Hennepgeur, elke avond na tienen."},
            "reason": "Aanvulling.",
        },
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content
    assert ReportVersion.objects.get(report=report).changed == ["description"]
    start = response.json()["observed_at"]["start"]
    assert Report.objects.get(pk=report.pk).observed_start == report.observed_start
    assert start.startswith("2026-11-28T22:30:") and start.endswith("+01:00")
