"""A report joins a running case; notes in the case's timeline, which also holds tasks and
membership; corrections of a handed-over subject name whom to tell (issue "Werkruimte III",
items 2, 7 and 9)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from baken.accounts.models import Team
from baken.audit.models import AuditEntry
from baken.cases import services, tasks_work, work
from baken.cases.models import CaseDecision, CaseNote, HandoverNotice
from baken.cases.timeline import case_timeline
from baken.core.roles import Role
from baken.reports.models import Report
from baken.reports.workflow import Status
from tests.cases.test_cases import in_analysis
from tests.panels import page_with_panels

pytestmark = pytest.mark.django_db


def test_a_report_in_further_analysis_joins_a_running_case_from_its_page(
    case, analyst, north, verified_client
):
    report = in_analysis(north)
    browser = verified_client(analyst)
    page = page_with_panels(browser, reverse("reports:detail", args=[report.pk]))
    assert "Toevoegen aan een lopende casus" in page and case.reference in page
    missing = browser.post(reverse("cases:join", args=[report.pk]), {"join-case": case.pk})
    assert missing.status_code == 400 and "Dit veld is verplicht." in missing.content.decode()
    joined = browser.post(
        reverse("cases:join", args=[report.pk]),
        {"join-case": case.pk, "join-rationale": "Zelfde loods, nieuwe signalen."},
    )
    assert joined.status_code == 302
    assert case.reports.filter(pk=report.pk).exists()
    assert Report.objects.get(pk=report.pk).status == Status.LINKED_TO_CASE
    assert CaseDecision.objects.filter(
        case=case, kind="add_report", rationale="Zelfde loods, nieuwe signalen."
    ).exists()
    # Already linked: the report page no longer offers it, and a second try is refused.
    again = browser.post(
        reverse("cases:join", args=[report.pk]),
        {"join-case": case.pk, "join-rationale": "Nog eens."},
    )
    assert again.status_code == 400


def test_only_cases_one_works_in_are_offered_and_a_closed_case_takes_no_report(
    case, analyst, north, make_user, verified_client
):
    other_analyst = make_user(role=Role.ANALYST, team=north)
    report = in_analysis(north)
    # Not a member of the case: it is not offered, and posting it anyway is refused.
    outsider = verified_client(other_analyst)
    page = outsider.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert case.reference not in page
    refused = outsider.post(
        reverse("cases:join", args=[report.pk]), {"join-case": case.pk, "join-rationale": "Erbij."}
    )
    assert refused.status_code == 400 and not case.reports.filter(pk=report.pk).exists()
    # A closed case takes no report, through the service as through the page.
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    case.closed_at = timezone.now()
    case.save(update_fields=["closed_at"])
    with pytest.raises(services.CaseRefused):
        services.case_add_report(case=case, report=report, actor=lead, rationale="Erbij.")


def test_the_api_adds_a_report_to_a_running_case(case, analyst, north, client):
    from tests.cases.test_cases_api import auth as token_auth

    report = in_analysis(north)
    auth = token_auth(analyst)
    bad = client.post(
        f"/api/v1/cases/{case.pk}/reports",
        {"report": report.pk},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    added = client.post(
        f"/api/v1/cases/{case.pk}/reports",
        {"report": report.pk, "rationale": "Zelfde loods."},
        content_type="application/json",
        **auth,
    )
    assert added.status_code == 201 and report.pk in added.json()["reports"]


def test_notes_tasks_and_membership_are_in_the_timeline_and_the_accountability_report(
    case, analyst, handler, lead, verified_client
):
    from tests.pdf import pdf_text

    browser = verified_client(analyst)
    empty = browser.post(reverse("cases:note", args=[case.pk]), {"note-text": "  "})
    assert empty.status_code == 400
    noted = browser.post(
        reverse("cases:note", args=[case.pk]), {"note-text": "Eigenaar belde zelf op."}
    )
    assert noted.status_code == 302
    assert CaseNote.objects.filter(case=case, text="Eigenaar belde zelf op.").exists()
    assert AuditEntry.objects.filter(action="case.note").exists()
    services.member_add(case=case, user=handler, actor=lead, reason="Neemt het over.")
    task = tasks_work.task_add(
        case=case,
        title="Kadaster opvragen",
        assignee=handler,
        deadline=date(2026, 12, 1),
        actor=analyst,
    )
    tasks_work.task_done(task=task, actor=handler)
    kinds = [e.kind for e in case_timeline(case)]
    assert {"note", "task", "member", "decision"} <= set(kinds)
    page = browser.get(reverse("cases:detail", args=[case.pk])).content.decode()
    for expected in (
        "Eigenaar belde zelf op.",
        "Taak: Kadaster opvragen",
        "Taak afgerond: Kadaster opvragen",
        "Lid toegevoegd",
    ):
        assert expected in page, expected
    text = pdf_text(browser.get(reverse("cases:accountability", args=[case.pk])).content)
    assert "Eigenaar belde zelf op." in text and "Kadaster opvragen" in text


def test_a_handed_over_subject_names_whom_to_tell_and_the_notice_is_recorded(
    case, analyst, make_user, verified_client
):
    from tests.subjects.helpers import subject

    jan = subject("Jan de Vries", report=case.reports.get(), judge=analyst)
    handover, _package = work.handover_record(
        case=case,
        recipient_kind="riec",
        recipient="RIEC Noord-Holland",
        what="Betrokkenen.",
        legal_basis="Convenant RIEC",
        actor=analyst,
    )
    browser = verified_client(analyst)
    page = page_with_panels(browser, reverse("subjects:detail", args=[jan.pk]))
    assert "Gedeeld buiten het team" in page and "RIEC Noord-Holland" in page
    told = browser.post(
        reverse("cases:handover_informed", args=[case.pk, handover.pk]), {"subject": jan.pk}
    )
    assert told.status_code == 302 and told["Location"] == reverse("subjects:detail", args=[jan.pk])
    notice = HandoverNotice.objects.get(handover=handover)
    assert notice.subject == jan and notice.about == "Jan de Vries"
    page = page_with_panels(browser, reverse("subjects:detail", args=[jan.pk]))
    assert "Geïnformeerd op" in page
    assert any(
        e.title == "RIEC Noord-Holland geïnformeerd over een correctie" for e in case_timeline(case)
    )
    # A subject that was not in the hand-over cannot be noted against it.
    other = subject("Piet Jansen")
    refused = browser.post(
        reverse("cases:handover_informed", args=[case.pk, handover.pk]), {"subject": other.pk}
    )
    assert refused.status_code in (403, 404)
    # Another team's analyst does not see the case's hand-overs on the subject page.
    south = Team.objects.create(name="Zuid")
    stranger = verified_client(make_user(role=Role.ANALYST, team=south))
    page = stranger.get(reverse("subjects:detail", args=[jan.pk]))
    assert "RIEC Noord-Holland" not in page.content.decode()


def test_a_notice_can_be_recorded_for_a_subject_merged_after_the_hand_over(
    case, analyst, make_user, north, verified_client
):
    from baken.subjects import services as subject_services
    from tests.subjects.helpers import subject, team_report

    jan = subject("Jan de Vries", report=case.reports.get(), judge=analyst)
    handover, _package = work.handover_record(
        case=case,
        recipient_kind="police",
        recipient="Politie",
        what="Betrokkenen.",
        legal_basis="Wpg art. 4:3",
        actor=analyst,
    )
    keep = subject("J. de Vries", report=team_report(north), judge=analyst)
    lead = make_user(role=Role.TEAM_LEAD, team=north)
    subject_services.subject_merge(keep=keep, merge=jan, actor=lead, reason="Zelfde persoon.")
    browser = verified_client(analyst)
    page = page_with_panels(browser, reverse("subjects:detail", args=[keep.pk]))
    assert "Politie" in page
    told = browser.post(
        reverse("cases:handover_informed", args=[case.pk, handover.pk]), {"subject": keep.pk}
    )
    assert told.status_code == 302
    assert HandoverNotice.objects.get(handover=handover).subject == keep
