"""Work that the state of a report forbids: a merged report is a record (the team works on the
leading report), a decided report's weighing is closed, and a report split off another has no
follow-up page to ask its reporter a question on. Refused by the services under the report's
lock, hidden on the page, and answered with a clear error over HTML and the API."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from baken.accounts.models import Team
from baken.audit.models import AuditEntry
from baken.core.actors import SYSTEM
from baken.core.roles import Role
from baken.intake import services as intake_services
from baken.reports import editing, routing, weighing
from baken.reports.duplicates import report_merge, report_split
from baken.reports.models import Criterion, Report, SavedFilter, StatusChange
from baken.reports.validation import check_report
from baken.reports.workflow import Status

pytestmark = pytest.mark.django_db


def file_report(team, description="Hennepgeur bij de schuur achter Dorpsstraat 3.", **extra):
    checked = check_report({"description": description, "category": "drugs", **extra})
    report = intake_services.report_submit(checked=checked, actor=SYSTEM).report
    Report.objects.filter(pk=report.pk).update(team=team)
    return Report.objects.get(pk=report.pk)


def auth(user) -> dict:
    out = io.StringIO()
    call_command("token", user.username, stdout=out)
    return {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}


@pytest.fixture
def analyst(make_user, north):
    return make_user(role=Role.ANALYST, team=north)


@pytest.fixture
def merged(analyst, north):
    leading = file_report(north)
    duplicate = file_report(north, description="Weer hennepgeur bij Dorpsstraat 3, 's nachts.")
    return report_merge(
        leading=leading, duplicate=duplicate, actor=analyst, reason="Zelfde schuur."
    )


def test_a_merged_report_refuses_every_kind_of_work_in_the_api(client, analyst, merged):
    headers = auth(analyst)
    api = f"/api/v1/reports/{merged.pk}"
    patched = client.patch(
        api,
        {
            "revision": merged.revision,
            "changes": {"description": "Nog een aanvulling op de melding."},
            "reason": "Aanvulling",
        },
        content_type="application/json",
        **headers,
    )
    assert patched.status_code == 409 and patched.json()["invalid_params"][0]["code"] == "merged"
    criterion = Criterion.objects.filter(mandatory=True).first()
    answered = client.post(
        f"{api}/criteria",
        {"criterion": criterion.code, "choice": "ja", "motivation": "Concreet adres."},
        content_type="application/json",
        **headers,
    )
    assert answered.status_code == 400 and "merged" in answered.content.decode()
    asked = client.post(
        f"{api}/messages", {"text": "Welk huisnummer?"}, content_type="application/json", **headers
    )
    assert asked.status_code == 400 and "merged" in asked.content.decode()
    decided = client.post(
        f"{api}/decision",
        {"kind": "no_action", "rationale": "Dubbel."},
        content_type="application/json",
        **headers,
    )
    assert decided.status_code == 400 and "merged" in decided.content.decode()
    merged.refresh_from_db()
    assert merged.revision == 0 and merged.status == Status.RECEIVED
    assert not merged.messages.exists() and not merged.decisions.exists()


def test_a_merged_report_page_offers_only_a_note_and_undoing_the_merge(
    verified_client, analyst, merged
):
    browser = verified_client(analyst)
    page = browser.get(reverse("reports:detail", args=[merged.pk])).content.decode()
    for action in ("improve", "decide", "ask", "assign", "criterion_answer", "attachment_add"):
        assert reverse(f"reports:{action}", args=[merged.pk]) not in page, action
    assert reverse("reports:note_add", args=[merged.pk]) in page
    assert merged.merged_into.reference in page  # the leading report, which they may see


def test_html_posts_to_a_merged_report_are_refused_with_the_reason(
    verified_client, make_user, north, analyst, merged
):
    browser = verified_client(analyst)
    image = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(image, "PNG")
    added = browser.post(
        reverse("reports:attachment_add", args=[merged.pk]),
        {"file": SimpleUploadedFile("schuur.png", image.getvalue(), "image/png")},
    )
    assert added.status_code == 302
    shown = browser.get(added["Location"]).content.decode()
    assert "samengevoegd met een andere melding" in shown
    improved = browser.post(
        reverse("reports:improve", args=[merged.pk]),
        {
            "revision": 0,
            "category": "drugs",
            "description": "Een aanvulling die niet mag landen.",
            "reason": "Aanvulling",
        },
    )
    assert improved.status_code == 409
    body = improved.content.decode()
    assert "samengevoegd met een andere melding" in body
    assert "Een aanvulling die niet mag landen." in body  # what they typed is still there
    south = Team.objects.create(name="Zuid")
    with pytest.raises(routing.RoutingRefused):
        # The team lead assigns (an analyst may not: access.require).
        lead = make_user(role=Role.TEAM_LEAD, team=north)
        routing.report_assign(report=merged, actor=lead, team_id=south.pk, assignee_id=None)
    assert Report.objects.get(pk=merged.pk).team_id == analyst.team_id
    assert not merged.attachments.exists()
    assert not AuditEntry.objects.filter(action="report.assign").exists()


def test_an_answer_after_the_decision_is_refused_under_the_lock(analyst, north):
    report = file_report(north)
    for criterion in Criterion.objects.filter(mandatory=True):
        weighing.criterion_answer_save(
            report=report, actor=analyst, criterion=criterion, choice="ja", motivation="Ja."
        )
    # Further analysis: a decision the team still sees the report after ('no action' seals it).
    weighing.decision_make(
        report=report, actor=analyst, kind="in_analysis", rationale="Verder uitzoeken."
    )
    # `report` is the copy read before the decision, as a page opened earlier would hold.
    with pytest.raises(weighing.WeighingRefused) as refused:
        weighing.criterion_answer_save(
            report=report,
            actor=analyst,
            criterion=Criterion.objects.filter(mandatory=True).first(),
            choice="nee",
            motivation="Toch niet.",
        )
    assert "status" in refused.value.problems


def test_a_split_off_report_cannot_ask_its_reporter_a_question(
    client, verified_client, analyst, north
):
    source = file_report(
        north,
        description="Hennepgeur bij Dorpsstraat 3, en bij de garage contante autoverkoop.",
    )
    new = report_split(
        report=source,
        actor=analyst,
        description="Contante verkoop van auto's bij de garage.",
        reason="Twee zaken.",
    )
    assert new.assignee_id == source.assignee_id and new.team_id == north.pk
    page = verified_client(analyst).get(reverse("reports:detail", args=[new.pk])).content.decode()
    assert reverse("reports:ask", args=[new.pk]) not in page
    asked = client.post(
        f"/api/v1/reports/{new.pk}/messages",
        {"text": "Welke garage?"},
        content_type="application/json",
        **auth(analyst),
    )
    assert asked.status_code == 400 and "receipt" in asked.content.decode()
    assert Report.objects.get(pk=new.pk).status == Status.RECEIVED  # not waiting for ever


def test_a_split_keeps_the_person_it_was_assigned_to(analyst, north):
    source = file_report(north)
    Report.objects.filter(pk=source.pk).update(assignee=analyst)
    new = report_split(
        report=Report.objects.get(pk=source.pk),
        actor=analyst,
        description="Een tweede, losstaande zaak bij de garage.",
        reason="Twee zaken.",
    )
    assert new.assignee == analyst


def test_the_reference_of_a_report_the_user_may_not_see_is_not_shown(
    verified_client, analyst, north
):
    south = Team.objects.create(name="Zuid")
    hidden = file_report(south, description="Melding van team Zuid over dezelfde schuur.")
    mine = file_report(north)
    Report.objects.filter(pk=mine.pk).update(merged_into=hidden)
    page = verified_client(analyst).get(reverse("reports:detail", args=[mine.pk]))
    body = page.content.decode()
    assert hidden.reference not in body
    assert "een melding die u niet mag zien" in body


@pytest.mark.parametrize("team", ["²", "9" * 40, "999999", "abc"])
def test_a_bad_team_on_the_assignment_form_is_an_error_not_a_crash(
    verified_client, make_user, north, team
):
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    report = file_report(north)
    browser = verified_client(lead)
    response = browser.post(
        reverse("reports:assign", args=[report.pk]), {"team": team}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Kies" in response.content.decode()
    assert Report.objects.get(pk=report.pk).team_id == north.pk


def test_no_page_or_api_answer_with_report_content_is_cached(client, verified_client, analyst):
    report = file_report(analyst.team)
    page = verified_client(analyst).get(reverse("reports:detail", args=[report.pk]))
    assert "no-store" in page["Cache-Control"]
    answer = client.get(f"/api/v1/reports/{report.pk}", **auth(analyst))
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]


def test_the_intake_officer_does_not_link_reports(client, make_user, north):
    intake = make_user(role=Role.INTAKE, team=north)
    first, second = file_report(None), file_report(None, description="Tweede melding schuur.")
    response = client.post(
        f"/api/v1/reports/{first.pk}/links",
        {"other": second.pk, "kind": "related"},
        content_type="application/json",
        **auth(intake),
    )
    assert response.status_code == 403


def test_a_reason_someone_typed_is_shown_as_typed(verified_client, analyst, north):
    report = file_report(north)
    # "Received" is a msgid of the catalogue ("Ontvangen"); typed by a person it stays as typed.
    StatusChange.objects.filter(report=report).update(reason="Received")
    weighing.triage_start(report=report, actor=analyst)
    page = verified_client(analyst).get(reverse("reports:detail", args=[report.pk]))
    history = page.content.decode().split('id="history-title"')[1]
    assert "<td>Received</td>" in history
    assert "Beoordeling gestart." in history  # Baken's own reason, translated


def test_the_mail_about_a_question_is_in_the_audit_log(
    analyst, north, smtp_server, django_capture_on_commit_callbacks
):
    checked = check_report(
        {
            "description": "Veel bezoekjes aan een pand, ook 's nachts.",
            "reporter": {
                "anonymous": False,
                "name": "Piet",
                "email": "melder@example.nl",
                "may_contact": True,
            },
        }
    )
    report = intake_services.report_submit(checked=checked, actor=SYSTEM).report
    # The acknowledgement (the worker's task, run at once in the tests) is the first mail.
    assert len(smtp_server.messages) == 1
    Report.objects.filter(pk=report.pk).update(team=north)  # the analyst's team's report
    with django_capture_on_commit_callbacks(execute=True):
        weighing.question_ask(report=report, actor=analyst, text="Om welk huisnummer gaat het?")
    assert len(smtp_server.messages) == 2
    acknowledgement, question = smtp_server.messages
    assert report.reference in question["Subject"]
    assert question["Subject"] != acknowledgement["Subject"]
    # Each mail read the contact details, and the log says the system did, about this report.
    entries = AuditEntry.objects.filter(action="reporter.notify")
    assert [(e.object_id, e.actor_id) for e in entries] == [(str(report.pk), None)] * 2


def test_saved_filters_are_in_the_audit_log(verified_client, analyst):
    browser = verified_client(analyst)
    browser.post(reverse("reports:filter_save"), {"name": "Te laat", "query": "overdue=1"})
    saved = SavedFilter.objects.get(user=analyst)
    browser.post(reverse("reports:filter_delete", args=[saved.pk]))
    actions = list(AuditEntry.objects.filter(action__startswith="filter.").values_list("action"))
    assert actions == [("filter.save",), ("filter.delete",)]


def test_a_failed_attachment_leaves_no_file_behind(analyst, north, settings, tmp_path, monkeypatch):
    settings.ATTACHMENT_DIR = tmp_path
    report = file_report(north)
    image = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(image, "PNG")

    def broken(**kwargs):
        if kwargs["action"] == "report.attachment_add":
            raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(editing, "audit_record", broken)
    with pytest.raises(RuntimeError):
        editing.attachment_add(report=report, actor=analyst, data=image.getvalue())
    assert list(tmp_path.iterdir()) == []
    assert not report.attachments.exists()


def test_the_api_names_no_id_of_a_report_the_user_may_not_see(analyst, north):
    from baken.api.related import _summaries

    south = Team.objects.create(name="Zuid")
    hidden = file_report(south, description="Melding van team Zuid over dezelfde schuur.")
    mine, other = file_report(north), file_report(north, description="Tweede melding schuur.")
    Report.objects.filter(pk=mine.pk).update(merged_into=hidden)
    Report.objects.filter(pk=other.pk).update(split_from=mine)
    summaries = _summaries(analyst, Report.objects.filter(pk__in=[mine.pk, other.pk]))
    by_id = {s["id"]: s for s in summaries}
    assert by_id[mine.pk]["merged_into"] is None  # hidden's id is not given
    assert by_id[other.pk]["split_from"] == mine.pk  # a report they may see is


def test_nothing_is_linked_on_a_merged_report(verified_client, analyst, north, merged):
    from baken.reports.related import LinkRefused, report_link
    from baken.subjects.services import SubjectRefused, mention_judge, subject_create_from

    named = file_report(
        north,
        description="Jan de Vries handelt vanuit de schuur in Dorpsstraat 3.",
        subjects=[{"type": "person", "name": "Jan de Vries"}],
    )
    Report.objects.filter(pk=named.pk).update(merged_into=merged.merged_into)
    report_subject = named.subjects.get()
    with pytest.raises(SubjectRefused):
        subject_create_from(report_subject=report_subject, actor=analyst)
    other = file_report(north, description="Ook iets over de schuur aan de Dorpsstraat.")
    with pytest.raises(LinkRefused):
        report_link(report=merged, other=other, actor=analyst, kind="related")
    browser = verified_client(analyst)
    panel = browser.get(reverse("subjects:report_panel", args=[named.pk])).content.decode()
    assert reverse("subjects:create_from", args=[named.pk]) not in panel
    related = browser.get(reverse("reports:related", args=[merged.pk])).content.decode()
    assert reverse("reports:link", args=[merged.pk]) not in related
    from tests.subjects.test_matching import registered

    known = registered(analyst, type="person", name="Jan de Vries")
    with pytest.raises(SubjectRefused):
        mention_judge(report_subject=report_subject, subject=known, judgement="same", actor=analyst)
    assert not named.subjects.get().mentions.exists()
