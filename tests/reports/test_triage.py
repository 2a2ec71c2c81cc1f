"""Triage on the report page: improve (original kept, diff shown), weigh, decide, ask."""

import pytest
from django.core import mail
from django.urls import reverse

from baken.audit.models import AuditEntry
from baken.audit.verification import verify_chain
from baken.core.actors import SYSTEM
from baken.core.roles import Role
from baken.intake import services as intake_services
from baken.reports.models import Criterion, Decision, Report, ReportVersion
from baken.reports.validation import check_report
from baken.reports.workflow import Status

pytestmark = pytest.mark.django_db


def file_report(description="Hennepgeur bij de schuur achter Dorpsstraat 3.", **extra) -> Report:
    payload = {"description": description, "category": "drugs", **extra}
    checked = check_report(payload)
    return intake_services.report_submit(checked=checked, actor=SYSTEM).report


@pytest.fixture
def analyst(make_user):
    return make_user(role=Role.ANALYST)


@pytest.fixture
def report(analyst):
    report = file_report(
        location={"address": {"postcode": "1781AB", "house_number": 3}},
        subjects=[{"type": "vehicle", "license_plate": "12-ab-cd"}],
    )
    Report.objects.filter(pk=report.pk).update(team=analyst.team)
    return Report.objects.get(pk=report.pk)


def improve(browser, report, **changes):
    data = {
        "revision": report.revision,
        "category": "drugs",
        "description": report.description,
        "postcode": report.postcode,
        "house_number": report.house_number or "",
        "reason": "Adres gecontroleerd in de BAG.",
        **changes,
    }
    return browser.post(reverse("reports:improve", args=[report.pk]), data)


def test_improving_keeps_the_original_and_shows_the_diff(verified_client, analyst, report):
    browser = verified_client(analyst)
    response = improve(
        browser, report, description="Hennepgeur bij de schuur achter Dorpsstraat 5, elke avond."
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.revision == 1 and "Dorpsstraat 5" in report.description
    assert "Dorpsstraat 3" in report.original["description"]  # the original never changes
    version = ReportVersion.objects.get(report=report)
    assert version.changed == ["description"] and version.author == analyst
    page = browser.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "<del>3.</del>" in page and "<ins>5, elke avond.</ins>" in page
    assert AuditEntry.objects.filter(action="report.improve", object_id=str(report.pk)).exists()


def test_corrections_meet_the_intake_rules_and_keep_the_input(verified_client, analyst, report):
    browser = verified_client(analyst)
    response = improve(
        browser, report, new_kind="person", new_name="J. Jansen", new_bsn="123456789"
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Dit BSN klopt niet" in body and "elfproef" in body and 'value="J. Jansen"' in body
    assert Report.objects.get(pk=report.pk).revision == 0


def test_a_second_writer_is_told_and_nothing_is_overwritten(verified_client, make_user, report):
    first, second = make_user(), make_user()
    Report.objects.filter(pk=report.pk).update(team=first.team)
    opened = Report.objects.get(pk=report.pk)  # both opened revision 0
    assert (
        improve(
            verified_client(first), opened, description="Eerste verbetering van de tekst."
        ).status_code
        == 302
    )
    response = improve(verified_client(second), opened, description="Tweede verbetering, te laat.")
    assert response.status_code == 409
    body = response.content.decode()
    assert "Iemand anders heeft deze melding gewijzigd" in body
    assert "Tweede verbetering, te laat." in body  # their input is still there
    assert Report.objects.get(pk=report.pk).description == "Eerste verbetering van de tekst."


def answer(browser, report, code, choice="ja", motivation="Concreet adres genoemd."):
    return browser.post(
        reverse("reports:criterion_answer", args=[report.pk]),
        {"criterion": code, "choice": choice, "motivation": motivation},
    )


def test_a_decision_is_refused_while_a_mandatory_criterion_is_open(
    verified_client, analyst, report
):
    browser = verified_client(analyst)
    answer(browser, report, "verankering")
    response = browser.post(
        reverse("reports:decide", args=[report.pk]),
        {"kind": "in_analysis", "rationale": "Past in het beeld van de wijk."},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Is er ten minste één signalerende indicator?" in body  # named exactly
    assert "Is de melding recent?" in body
    assert not Decision.objects.exists()
    assert Report.objects.get(pk=report.pk).status == Status.RECEIVED


def test_the_weighed_decision_moves_the_report_with_its_rationale(verified_client, analyst, report):
    browser = verified_client(analyst)
    for criterion in Criterion.objects.filter(mandatory=True):
        assert answer(browser, report, criterion.code).status_code == 302
    response = browser.post(
        reverse("reports:decide", args=[report.pk]),
        {"kind": "forwarded", "recipient": "RIEC", "rationale": "Signalen van drugsproductie."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.FORWARDED and report.weighed_at
    steps = list(report.status_changes.values_list("to_status", "reason"))
    assert [s for s, _ in steps] == ["received", "in_triage", "weighed", "forwarded"]
    assert steps[-1][1] == "Signalen van drugsproductie."
    assert AuditEntry.objects.filter(action="report.decision").count() == 1
    assert verify_chain().ok


def test_forwarding_needs_to_whom_and_a_rationale(verified_client, analyst, report):
    browser = verified_client(analyst)
    for criterion in Criterion.objects.filter(mandatory=True):
        answer(browser, report, criterion.code)
    response = browser.post(
        reverse("reports:decide", args=[report.pk]), {"kind": "forwarded", "rationale": "x"}
    )
    assert response.status_code == 400 and "aan wie" in response.content.decode().lower()


def test_question_to_an_anonymous_reporter_and_the_answer(client, verified_client, analyst):
    checked = check_report({"description": "Veel bezoekjes aan een pand, ook 's nachts."})
    submitted = intake_services.report_submit(checked=checked, actor=SYSTEM)
    report = submitted.report
    Report.objects.filter(pk=report.pk).update(team=analyst.team)
    browser = verified_client(analyst)
    response = browser.post(
        reverse("reports:ask", args=[report.pk]), {"text": "Om welk huisnummer gaat het?"}
    )
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).status == Status.AWAITING_REPORTER
    page = client.post(
        "/melden/opvolgen", {"receipt_code": submitted.receipt_code}
    ).content.decode()
    assert "Om welk huisnummer gaat het?" in page
    client.post(
        "/melden/opvolgen",
        {"receipt_code": submitted.receipt_code, "action": "send", "text": "Nummer 14."},
    )
    assert Report.objects.get(pk=report.pk).status == Status.IN_TRIAGE
    detail = browser.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Nummer 14." in detail
    # The state history in Dutch: labels, and the system's reasons translated.
    assert "<td>Wacht op de melder</td>" in detail and "De melder heeft geantwoord." in detail


def test_named_reporter_gets_a_mail_without_the_question(
    verified_client, analyst, django_capture_on_commit_callbacks
):
    checked = check_report(
        {
            "description": "Een winkel zonder klanten die toch open blijft.",
            "reporter": {"anonymous": False, "name": "Sanne", "email": "sanne@gemeente.example"},
        }
    )
    report = intake_services.report_submit(checked=checked, actor=SYSTEM).report
    Report.objects.filter(pk=report.pk).update(team=analyst.team)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        verified_client(analyst).post(
            reverse("reports:ask", args=[report.pk]), {"text": "Welke winkel bedoelt u precies?"}
        )
    assert len(mail.outbox) == 1
    assert report.reference in mail.outbox[0].subject
    assert "Welke winkel" not in mail.outbox[0].body


@pytest.mark.parametrize(
    ("role", "url_name", "allowed"),
    [
        (Role.INTAKE, "reports:decide", False),
        (Role.INTAKE, "reports:criterion_answer", False),
        (Role.CASE_HANDLER, "reports:improve", False),
        (Role.ANALYST, "reports:decide", True),
    ],
)
def test_what_each_role_may_do(verified_client, make_user, report, role, url_name, allowed):
    user = make_user(role=role)
    Report.objects.filter(pk=report.pk).update(team=user.team, assignee=user)
    response = verified_client(user).post(
        reverse(url_name, args=[report.pk]), {"kind": "no_action", "rationale": "x"}
    )
    assert (response.status_code != 403) is allowed


@pytest.mark.parametrize("role", [Role.MANAGEMENT, Role.ADMIN, Role.PRIVACY_OFFICER])
def test_roles_without_report_content_see_no_inbox_or_report(
    verified_client, make_user, report, role
):
    browser = verified_client(make_user(role=role, team=None))
    assert browser.get(reverse("reports:inbox")).status_code == 403
    assert browser.get(reverse("reports:detail", args=[report.pk])).status_code == 403


def test_other_teams_report_is_a_404_and_reading_is_logged(verified_client, make_user, report):
    from baken.accounts.models import Team

    stranger = make_user(role=Role.ANALYST, team=Team.objects.create(name="Elders"))
    assert (
        verified_client(stranger).get(reverse("reports:detail", args=[report.pk])).status_code
        == 404
    )
    reader = make_user(role=Role.ANALYST)
    Report.objects.filter(pk=report.pk).update(team=reader.team)
    verified_client(reader).get(reverse("reports:detail", args=[report.pk]))
    assert AuditEntry.objects.filter(
        action="report.read", object_id=str(report.pk), actor_id=reader.pk
    ).exists()


def test_a_corrected_category_routes_the_report_again(verified_client, analyst, report):
    from baken.accounts.models import Team
    from baken.reports.models import Category, RoutingRule

    harbour = Team.objects.create(name="Haventeam")
    RoutingRule.objects.create(
        position=1,
        name="Mensenhandel naar de haven",
        category=Category.objects.get(code="mensenhandel"),
        team=harbour,
    )
    response = improve(verified_client(analyst), report, category="mensenhandel")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.team == harbour and report.category.code == "mensenhandel"


def test_attachments_open_inside_the_app_only_for_who_may_see_them(
    verified_client, make_user, analyst, report
):
    import io as _io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from baken.accounts.models import Team

    out = _io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(out, "PNG")
    browser = verified_client(analyst)
    added = browser.post(
        reverse("reports:attachment_add", args=[report.pk]),
        {"file": SimpleUploadedFile("schuur.png", out.getvalue(), "image/png")},
    )
    assert added.status_code == 302
    item = report.attachments.get()
    url = reverse("reports:attachment", args=[report.pk, item.pk])
    shown = browser.get(url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert shown.content.startswith(b"\x89PNG")  # decrypted for the analyst
    assert AuditEntry.objects.filter(action="attachment.view", actor_id=analyst.pk).count() == 1
    stranger = make_user(role=Role.ANALYST, team=Team.objects.create(name="Andere wijk"))
    assert verified_client(stranger).get(url).status_code == 404
