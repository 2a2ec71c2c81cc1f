"""Duplicates (issue "Werkruimte I", item 7): merge, unmerge, split and unsplit keep both
originals, are audited with a reason, and are refused to roles without the action (403) and
for reports the user may not see (404), over HTML and the API alike."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from baken.accounts.models import Team
from baken.audit.models import AuditEntry
from baken.audit.verification import verify_chain
from baken.core.actors import SYSTEM
from baken.core.roles import Role
from baken.intake import services as intake_services
from baken.reports.duplicates import (
    DuplicateRefused,
    report_merge,
    report_split,
    report_unmerge,
    report_unsplit,
)
from baken.reports.inbox import InboxFilter, inbox_reports
from baken.reports.models import Note, Report, ReportVersion, StatusChange
from baken.reports.validation import check_report
from baken.reports.workflow import Status

pytestmark = pytest.mark.django_db


def file_report(team, description="Hennepgeur bij de schuur achter Dorpsstraat 3.", **extra):
    checked = check_report({"description": description, **extra}, require_answers=False)
    report = intake_services.report_submit(checked=checked, actor=SYSTEM).report
    Report.objects.filter(pk=report.pk).update(team=team)
    return Report.objects.get(pk=report.pk)


def auth(user) -> dict:
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    return {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}


def api_post(client, user, path, data):
    return client.post(
        f"/api/v1/reports/{path}", data, content_type="application/json", **auth(user)
    )


@pytest.fixture
def analyst(make_user, north):
    return make_user(role=Role.ANALYST, team=north)


@pytest.fixture
def leading(north):
    return file_report(north, location={"address": {"postcode": "1781AB", "house_number": 3}})


@pytest.fixture
def duplicate(north):
    return file_report(
        north,
        description="Weer hennepgeur bij Dorpsstraat 3, nu 's nachts.",
        location={"address": {"postcode": "1781AB", "house_number": 3}},
    )


@pytest.fixture
def two_matters(north):
    return file_report(
        north,
        description="Hennepgeur bij Dorpsstraat 3, en bij de garage verderop worden auto's "
        "contant verkocht.",
        subjects=[
            {"type": "person", "name": "Jan de Vries"},
            {"type": "organisation", "name": "Autohandel Snel B.V.", "kvk_number": "12345678"},
            {"type": "vehicle", "license_plate": "12-AB-CD"},
        ],
    )


def in_queue(user) -> set[int]:
    return set(inbox_reports(user=user, filters=InboxFilter()).values_list("pk", flat=True))


def test_merge_keeps_both_originals_and_leaves_the_queue(analyst, leading, duplicate):
    originals = (leading.original, duplicate.original)
    report_merge(leading=leading, duplicate=duplicate, actor=analyst, reason="Zelfde schuur.")
    duplicate.refresh_from_db()
    leading.refresh_from_db()
    assert duplicate.merged_into == leading
    assert (leading.original, duplicate.original) == originals
    assert "Weer hennepgeur" in duplicate.description  # nothing copied over or deleted
    assert in_queue(analyst) == {leading.pk}
    assert list(leading.merged_reports.all()) == [duplicate]
    entry = AuditEntry.objects.get(action="report.merge")
    assert entry.object_id == str(duplicate.pk) and entry.detail["into"] == leading.pk
    assert Note.objects.filter(report=leading, text__contains="Zelfde schuur.").exists()
    assert Note.objects.filter(report=duplicate, text__contains=leading.reference).exists()
    assert verify_chain().ok


def test_merge_needs_a_reason_and_refuses_chains(analyst, north, leading, duplicate):
    with pytest.raises(DuplicateRefused) as refused:
        report_merge(leading=leading, duplicate=duplicate, actor=analyst, reason="  ")
    assert "reason" in refused.value.problems
    with pytest.raises(DuplicateRefused):
        report_merge(leading=leading, duplicate=leading, actor=analyst, reason="Zelfde.")
    report_merge(leading=leading, duplicate=duplicate, actor=analyst, reason="Zelfde.")
    third = file_report(north)
    with pytest.raises(DuplicateRefused):  # into a report that is itself merged
        report_merge(leading=duplicate, duplicate=third, actor=analyst, reason="Zelfde.")
    with pytest.raises(DuplicateRefused):  # twice
        report_merge(leading=third, duplicate=duplicate, actor=analyst, reason="Zelfde.")
    with pytest.raises(DuplicateRefused):  # a report with duplicates of its own
        report_merge(leading=third, duplicate=leading, actor=analyst, reason="Zelfde.")
    assert AuditEntry.objects.filter(action="report.merge").count() == 1


def test_unmerge_brings_the_report_back(analyst, leading, duplicate):
    report_merge(leading=leading, duplicate=duplicate, actor=analyst, reason="Zelfde schuur.")
    report_unmerge(duplicate=duplicate, actor=analyst, reason="Toch een andere schuur.")
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert in_queue(analyst) == {leading.pk, duplicate.pk}
    assert AuditEntry.objects.filter(action="report.unmerge", object_id=str(duplicate.pk)).exists()
    with pytest.raises(DuplicateRefused):
        report_unmerge(duplicate=duplicate, actor=analyst, reason="Nogmaals.")


def test_split_creates_a_second_report_and_moves_the_chosen_subjects(analyst, two_matters):
    source = two_matters
    new = report_split(
        report=source,
        actor=analyst,
        description="Bij de garage verderop worden auto's contant verkocht.",
        reason="Twee verschillende zaken in één melding.",
        subject_positions=[1, 2],
    )
    source.refresh_from_db()
    assert new.split_from == source and new.reference != source.reference
    assert new.status == Status.RECEIVED and new.team == source.team
    assert new.original == source.original  # a copy of the original, kept as its original
    assert "Hennepgeur" in source.description  # the first report's text is untouched
    assert [s.kind for s in new.subjects.all()] == ["organisation", "vehicle"]
    assert [(s.kind, s.position) for s in source.subjects.all()] == [("person", 0)]
    # Moving subjects is a new version of the first report: who, when, why.
    version = ReportVersion.objects.get(report=source)
    assert version.changed == ["subjects"] and version.author == analyst
    assert source.revision == 1
    assert ReportVersion.objects.get(report=new).reason.startswith("Twee verschillende")
    assert StatusChange.objects.get(report=new).to_status == Status.RECEIVED
    assert AuditEntry.objects.filter(action="report.split", object_id=str(source.pk)).exists()
    created = AuditEntry.objects.get(action="report.create", object_id=str(new.pk))
    assert created.detail["split_from"] == source.pk
    assert in_queue(analyst) == {source.pk, new.pk}


def test_split_refuses_unknown_subjects_and_needs_a_reason(analyst, two_matters):
    with pytest.raises(DuplicateRefused) as refused:
        report_split(
            report=two_matters,
            actor=analyst,
            description="Tweede zaak, lang genoeg.",
            reason="Twee zaken.",
            subject_positions=[7],
        )
    assert "subjects" in refused.value.problems
    with pytest.raises(DuplicateRefused):
        report_split(report=two_matters, actor=analyst, description="Tweede zaak.", reason="")
    assert Report.objects.count() == 1


def test_unsplit_merges_the_split_off_report_back(analyst, two_matters):
    new = report_split(
        report=two_matters,
        actor=analyst,
        description="Bij de garage verderop worden auto's contant verkocht.",
        reason="Twee zaken.",
        subject_positions=[1],
    )
    report_unsplit(report=new, actor=analyst, reason="Toch één zaak.")
    new.refresh_from_db()
    assert new.merged_into == two_matters and new.split_from == two_matters
    assert in_queue(analyst) == {two_matters.pk}
    assert AuditEntry.objects.filter(action="report.unsplit", object_id=str(new.pk)).exists()
    with pytest.raises(DuplicateRefused):
        report_unsplit(report=two_matters, actor=analyst, reason="Niet gesplitst.")


# --- over HTML ---------------------------------------------------------------------------


def test_merge_and_unmerge_over_html(verified_client, analyst, leading, duplicate):
    browser = verified_client(analyst)
    response = browser.post(
        reverse("reports:merge", args=[leading.pk]),
        {"other": duplicate.pk, "leading": "this", "reason": "Zelfde schuur."},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[leading.pk])
    assert Report.objects.get(pk=duplicate.pk).merged_into_id == leading.pk
    # The leading report's panel lists the merged report, with a way to undo it.
    panel = browser.get(reverse("reports:related", args=[leading.pk])).content.decode()
    assert duplicate.reference in panel
    assert reverse("reports:unmerge", args=[duplicate.pk]) in panel
    response = browser.post(
        reverse("reports:unmerge", args=[duplicate.pk]),
        {"reason": "Toch anders.", "panel": leading.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'role="status"' in response.content.decode()
    assert Report.objects.get(pk=duplicate.pk).merged_into_id is None


def test_merge_without_a_reason_is_explained(verified_client, analyst, leading, duplicate):
    browser = verified_client(analyst)
    response = browser.post(
        reverse("reports:merge", args=[leading.pk]),
        {"other": duplicate.pk, "leading": "other", "reason": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert Report.objects.get(pk=leading.pk).merged_into_id is None


def test_split_and_unsplit_over_html(verified_client, analyst, two_matters):
    browser = verified_client(analyst)
    url = reverse("reports:split", args=[two_matters.pk])
    page = browser.get(url)
    assert page.status_code == 200
    assert "Autohandel Snel B.V." in page.content.decode()
    assert browser.post(url, {"description": "Te kort", "reason": ""}).status_code == 400
    response = browser.post(
        url,
        {"description": "Auto's worden contant verkocht.", "subjects": ["1"], "reason": "Twee."},
    )
    new = Report.objects.get(split_from=two_matters)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[new.pk])
    response = browser.post(reverse("reports:unsplit", args=[new.pk]), {"reason": "Toch één."})
    assert response["Location"] == reverse("reports:detail", args=[two_matters.pk])
    assert Report.objects.get(pk=new.pk).merged_into_id == two_matters.pk


def test_roles_without_merge_get_403_over_html(
    verified_client, make_user, north, leading, duplicate
):
    intake = make_user(role=Role.INTAKE, team=north)  # may link, may not merge
    browser = verified_client(intake)
    data = {"other": duplicate.pk, "leading": "this", "reason": "Zelfde."}
    assert browser.post(reverse("reports:merge", args=[leading.pk]), data).status_code == 403
    assert browser.get(reverse("reports:split", args=[leading.pk])).status_code == 403
    assert (
        browser.post(reverse("reports:unmerge", args=[duplicate.pk]), {"reason": "x"}).status_code
        == 403
    )
    assert Report.objects.get(pk=duplicate.pk).merged_into_id is None


def test_invisible_reports_are_404_over_html(verified_client, make_user, leading, duplicate):
    south = Team.objects.create(name="Zuid")
    stranger = make_user(role=Role.ANALYST, team=south)
    elsewhere = file_report(south)
    browser = verified_client(stranger)
    data = {"other": elsewhere.pk, "leading": "other", "reason": "Zelfde."}
    assert browser.post(reverse("reports:merge", args=[leading.pk]), data).status_code == 404
    # Visible report, invisible other: both must be visible to merge.
    data = {"other": duplicate.pk, "leading": "this", "reason": "Zelfde."}
    assert browser.post(reverse("reports:merge", args=[elsewhere.pk]), data).status_code == 404
    assert browser.get(reverse("reports:split", args=[leading.pk])).status_code == 404
    assert not Report.objects.filter(merged_into__isnull=False).exists()


# --- over the API ------------------------------------------------------------------------


def test_merge_unmerge_split_unsplit_over_the_api(client, analyst, leading, duplicate):
    response = api_post(client, analyst, f"{duplicate.pk}/merge", {"into": leading.pk})
    assert response.status_code == 400  # a reason is required
    assert response["Content-Type"] == "application/problem+json"
    response = api_post(
        client, analyst, f"{duplicate.pk}/merge", {"into": leading.pk, "reason": "Zelfde."}
    )
    assert response.status_code == 200 and response.json()["merged_into"] == leading.pk
    related = client.get(f"/api/v1/reports/{leading.pk}/related", **auth(analyst)).json()
    assert [r["id"] for r in related["merged"]] == [duplicate.pk]
    response = api_post(client, analyst, f"{duplicate.pk}/unmerge", {"reason": "Anders."})
    assert response.status_code == 200 and response.json()["merged_into"] is None
    response = api_post(
        client,
        analyst,
        f"{leading.pk}/split",
        {"description": "Een tweede zaak op dit adres.", "reason": "Twee zaken."},
    )
    assert response.status_code == 201
    new_id = response.json()["id"]
    assert response.json()["split_from"] == leading.pk
    response = api_post(client, analyst, f"{new_id}/unsplit", {"reason": "Toch één."})
    assert response.status_code == 200 and response.json()["merged_into"] == leading.pk
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"report.merge", "report.unmerge", "report.split", "report.unsplit"} <= actions


def test_api_refuses_roles_and_invisible_reports(client, make_user, north, leading, duplicate):
    intake = make_user(role=Role.INTAKE, team=north)
    data = {"into": leading.pk, "reason": "Zelfde."}
    assert api_post(client, intake, f"{duplicate.pk}/merge", data).status_code == 403
    split = {"description": "Een tweede zaak hier.", "reason": "Twee."}
    assert api_post(client, intake, f"{leading.pk}/split", split).status_code == 403
    stranger = make_user(role=Role.ANALYST, team=Team.objects.create(name="Zuid"))
    assert api_post(client, stranger, f"{duplicate.pk}/merge", data).status_code == 404
    elsewhere = file_report(stranger.team)
    # Merging a visible report into one the user may not see: 404.
    response = api_post(
        client, stranger, f"{elsewhere.pk}/merge", {"into": leading.pk, "reason": "Zelfde."}
    )
    assert response.status_code == 404
    assert api_post(client, stranger, f"{leading.pk}/unsplit", {"reason": "x"}).status_code == 404
    assert not Report.objects.filter(merged_into__isnull=False).exists()
    assert Report.objects.count() == 3
