"""A report decided 'no action' is sealed at once (issue 15, docs/retention.md "Afgeschermd:
besluit geen actie"): made and decided through the API the way a team does it, it leaves the
inbox, search, the related reports of a similar report, the map, the subject page and the
export; only the team lead of its team opens it, with a reason, one audit entry per opening;
everyone else gets 404, on the pages and in the API alike."""

import io
import re
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from baken.audit.models import AuditEntry
from baken.core.dates import long
from baken.core.roles import Role
from baken.exports.kinds import KINDS
from baken.insights.hotspots import hotspots
from baken.reports.models import Criterion, Report
from baken.subjects.models import Judgement, Subject
from baken.subjects.services import mention_judge, subject_create_from
from tests.api.test_triage_api import auth

NAME = "Cornelis Vrijdagsma"
PLATE = "ZX-901-Q"
WORD = "Kwekerijgeur"
DESCRIPTION = f"{WORD} bij de loods, ramen afgeplakt."
REASON = "Nieuwe melding over dezelfde loods; de eerdere weging nalezen."
ASKED = "Waarom opent u deze afgeschermde melding?"


def _client(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def _file(team, description: str) -> Report:
    filed = Client().post(
        "/api/v1/reports",
        {
            "category": "drugs",
            "description": description,
            "location": {
                "address": {"postcode": "1234 ab", "house_number": 3},
                "point": {"lat": 52.09, "lon": 5.12},
            },
            "subjects": [
                {"type": "person", "name": NAME, "birth_date": "1971-02-03"},
                {"type": "vehicle", "license_plate": PLATE},
            ],
            "reporter": {"anonymous": True},
        },
        content_type="application/json",
    )
    assert filed.status_code == 201, filed.content
    Report.objects.filter(pk=filed.json()["id"]).update(team=team)
    return Report.objects.get(pk=filed.json()["id"])


def _decide_no_action(analyst, report: Report) -> None:
    headers = auth(analyst)
    url = f"/api/v1/reports/{report.pk}"
    for code in Criterion.objects.filter(mandatory=True).values_list("code", flat=True):
        answered = Client().post(
            f"{url}/criteria",
            {"criterion": code, "choice": "nee", "motivation": "Geen aanwijzingen."},
            content_type="application/json",
            **headers,
        )
        assert answered.status_code < 300, answered.content
    decided = Client().post(
        f"{url}/decision",
        {"kind": "no_action", "rationale": "Geen aanwijzingen voor ondermijning."},
        content_type="application/json",
        **headers,
    )
    assert decided.status_code == 201, decided.content
    assert Report.objects.get(pk=report.pk).status == "no_action"


@pytest.fixture
def world(db, make_user):
    analyst = make_user(role=Role.ANALYST)
    lead = make_user(role=Role.TEAM_LEAD, team=analyst.team)
    sealed = _file(analyst.team, DESCRIPTION)
    similar = _file(analyst.team, "Stroomgeur en afgeplakte ramen bij dezelfde loods.")
    # The person is registered from the first report and judged the same in the second.
    person = subject_create_from(
        report_subject=sealed.subjects.get(kind="person"),
        actor=analyst,
    )
    mention_judge(
        report_subject=similar.subjects.get(kind="person"),
        subject=person,
        judgement=Judgement.SAME,
        actor=analyst,
    )
    return analyst, lead, sealed, similar, person


def _ids(response) -> list:
    assert response.status_code == 200, response.content[:300]
    return [row["id"] for row in response.json()["results"]]


def _where(user, report: Report, similar: Report, person: Subject) -> dict[str, bool]:
    """Every list, search and panel of the workspace: True where `report` shows up."""
    client, headers, ref = _client(user), auth(user), report.reference
    inbox = reverse("reports:inbox")
    rows = KINDS["reports"].rows
    found = {
        "inbox": ref in client.get(inbox).content.decode(),
        "inbox, state no_action": ref
        in client.get(inbox, {"status": "no_action"}).content.decode(),
        "api list": report.pk in _ids(client.get("/api/v1/reports", **headers)),
        "api list, state no_action": report.pk
        in _ids(client.get("/api/v1/reports", {"status": "no_action"}, **headers)),
        "related panel": ref
        in client.get(reverse("reports:related", args=[similar.pk])).content.decode(),
        "related api": ref
        in client.get(f"/api/v1/reports/{similar.pk}/related", **headers).content.decode(),
        "map": report.pk
        in [p["id"] for p in client.get("/api/v1/map/points", **headers).json()["points"]],
        "subject page": ref
        in client.get(reverse("subjects:detail", args=[person.pk])).content.decode(),
        "export": report.pk in KINDS["reports"].ids(user, QueryDict(""))
        or report.pk in KINDS["reports"].ids(user, QueryDict("status=no_action"))
        or bool(rows(user, [report.pk])),
    }
    for text in (NAME, PLATE, WORD):
        page = client.get(reverse("subjects:search"), {"q": text})
        found[f"search page: {text}"] = ref in page.content.decode()
        api = client.get("/api/v1/search", {"q": text}, **headers)
        found[f"search api: {text}"] = ref in api.content.decode()
    return found


def test_a_report_decided_no_action_leaves_every_list_search_and_panel(world):
    analyst, lead, sealed, similar, person = world
    before = _where(analyst, sealed, similar, person)
    # Before the decision it is everywhere (not yet in the state 'no action', of course).
    assert {k: v for k, v in before.items() if "no_action" not in k} == dict.fromkeys(
        [k for k in before if "no_action" not in k], True
    )

    _decide_no_action(analyst, sealed)

    for user in (analyst, lead):
        assert _where(user, sealed, similar, person) == dict.fromkeys(before, False)
        # The similar report, not decided, is still where it was.
        assert _where(user, similar, sealed, person)["inbox"]
        assert _where(user, similar, sealed, person)["subject page"]


def test_the_hotspot_counts_keep_it_and_the_list_behind_them_does_not(world, make_user):
    analyst, lead, sealed, similar, person = world
    _file(analyst.team, "Derde melding over de loods.")
    _decide_no_action(analyst, sealed)
    client, today = _client(lead), timezone.localdate()
    counted = hotspots(user=lead, start=today, end=today)
    assert [(h.key, h.count) for h in counted.addresses] == [("1234AB-3", 3)]
    listed = client.get(
        reverse("insights:hotspot_reports"),
        {"kind": "address", "key": "1234AB-3", "start": today, "end": today},
    ).content.decode()
    assert similar.reference in listed and sealed.reference not in listed


def test_the_team_lead_opens_it_with_a_reason_one_audit_entry_per_opening(world):
    analyst, lead, sealed, similar, person = world
    _decide_no_action(analyst, sealed)
    client = _client(lead)
    url = reverse("reports:detail", args=[sealed.pk])
    opened = AuditEntry.objects.filter(action="report.unseal_read", object_id=str(sealed.pk))
    reads = AuditEntry.objects.filter(action="report.read", object_id=str(sealed.pk))
    reads_before = reads.count()

    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert ASKED in text and WORD not in text and NAME not in text
    today = timezone.localdate()
    assert f"Afgeschermd: besluit geen actie op {long(today)}" in text

    empty = client.post(reverse("reports:unseal", args=[sealed.pk]), {"reason": "  "})
    assert empty.status_code == 400
    assert "Zeg waarom u deze afgeschermde melding opent." in empty.content.decode()
    assert WORD not in empty.content.decode()
    assert not opened.exists()

    shown = client.post(reverse("reports:unseal", args=[sealed.pk]), {"reason": REASON})
    assert shown.status_code == 200
    text = shown.content.decode()
    until: date = today + relativedelta(years=1)  # the default rule: one year
    assert (
        f"Afgeschermd: besluit geen actie op {long(today)}</strong>; "
        f"wordt vernietigd op {long(until)}" in text
    )
    assert WORD in text and NAME in text
    assert 'action="/werkruimte/meldingen/' + str(sealed.pk) + '/besluit"' not in text
    assert opened.count() == 1 and opened.get().detail["reason"] == REASON
    assert opened.get().actor_id == lead.pk
    assert reads.count() == reads_before  # the opening is the read: one entry, not two

    # The opening lasted for that page view: the page asks again.
    assert ASKED in client.get(url).content.decode()
    assert opened.count() == 1

    # The API: GET is 404 even for the team lead; opening takes a reason, one entry each.
    headers = auth(lead)
    assert client.get(f"/api/v1/reports/{sealed.pk}", **headers).status_code == 404
    unseal = f"/api/v1/reports/{sealed.pk}/unseal"
    refused = client.post(unseal, {"reason": ""}, content_type="application/json", **headers)
    assert refused.status_code == 400 and refused["Content-Type"] == "application/problem+json"
    assert opened.count() == 1
    api = client.post(unseal, {"reason": REASON}, content_type="application/json", **headers)
    assert api.status_code == 200, api.content
    body = api.json()
    assert body["reference"] == sealed.reference and body["status"] == "no_action"
    assert body["description"] == DESCRIPTION and body["sealed_on"] == today.isoformat()
    assert opened.count() == 2


def test_everyone_else_gets_404_on_the_page_and_in_the_api(world, make_user):
    analyst, lead, sealed, similar, person = world
    _decide_no_action(analyst, sealed)
    intake = make_user(role=Role.INTAKE, team=analyst.team)
    handler = make_user(role=Role.CASE_HANDLER, team=analyst.team)
    other_lead = make_user(role=Role.TEAM_LEAD, team__name="OOV Elders")
    Report.objects.filter(pk=sealed.pk).update(assignee=handler)
    for user in (analyst, intake, handler, other_lead):
        client, headers = _client(user), auth(user)
        page = client.get(reverse("reports:detail", args=[sealed.pk]))
        assert page.status_code == 404, (user.role, page.content.decode()[-3000:])
        opening = client.post(reverse("reports:unseal", args=[sealed.pk]), {"reason": REASON})
        assert opening.status_code == 404
        assert client.get(f"/api/v1/reports/{sealed.pk}", **headers).status_code == 404
        api = client.post(
            f"/api/v1/reports/{sealed.pk}/unseal",
            {"reason": REASON},
            content_type="application/json",
            **headers,
        )
        assert api.status_code == 404 and api["Content-Type"] == "application/problem+json"
        assert client.get(f"/api/v1/reports/{sealed.pk}/notes", **headers).status_code == 404
    assert not AuditEntry.objects.filter(action="report.unseal_read").exists()
    # A report that is not sealed is not "opened": its page is open to who may see it.
    lead_client = _client(lead)
    page = lead_client.post(reverse("reports:unseal", args=[similar.pk]), {"reason": REASON})
    assert page.status_code == 302 and page["Location"] == reverse(
        "reports:detail", args=[similar.pk]
    )
    api = lead_client.post(
        f"/api/v1/reports/{similar.pk}/unseal",
        {"reason": REASON},
        content_type="application/json",
        **auth(lead),
    )
    assert api.status_code == 409 and api.json()["code"] == "report_not_sealed"
    assert not AuditEntry.objects.filter(action="report.unseal_read").exists()


def test_deciding_no_action_on_the_page_returns_to_the_inbox_saying_it_is_sealed(world):
    analyst, lead, sealed, similar, person = world
    client = _client(analyst)
    for code in Criterion.objects.filter(mandatory=True).values_list("code", flat=True):
        client.post(
            reverse("reports:criterion_answer", args=[similar.pk]),
            {"criterion": code, "choice": "nee", "motivation": "Geen aanwijzingen."},
        )
    decided = client.post(
        reverse("reports:decide", args=[similar.pk]),
        {"kind": "no_action", "rationale": "Geen aanwijzingen voor ondermijning."},
        follow=True,
    )
    assert decided.redirect_chain[-1][0] == reverse("reports:inbox")
    text = decided.content.decode()
    assert f"Melding {similar.reference} is nu afgeschermd." in text


def test_its_photo_loads_only_within_the_page_view_that_opened_it(make_user, settings, tmp_path):
    settings.ATTACHMENT_DIR = tmp_path
    analyst = make_user(role=Role.ANALYST)
    lead = make_user(role=Role.TEAM_LEAD, team=analyst.team)
    image = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 120, 40)).save(image, "JPEG")
    photo = Client().post(
        "/api/v1/attachments",
        {"file": SimpleUploadedFile("loods.jpg", image.getvalue(), "image/jpeg")},
    )
    assert photo.status_code == 201, photo.content
    filed = Client().post(
        "/api/v1/reports",
        {
            "category": "drugs",
            "description": DESCRIPTION,
            "attachments": [photo.json()["id"]],
            "reporter": {"anonymous": True},
        },
        content_type="application/json",
    )
    assert filed.status_code == 201, filed.content
    Report.objects.filter(pk=filed.json()["id"]).update(team=analyst.team)
    report = Report.objects.get(pk=filed.json()["id"])
    _decide_no_action(analyst, report)
    item = report.attachments.get()
    url = reverse("reports:attachment", args=[report.pk, item.pk])

    client = _client(lead)
    assert client.get(url).status_code == 404  # not opened: as if it did not exist
    page = client.post(reverse("reports:unseal", args=[report.pk]), {"reason": REASON})
    token = re.search(rf'{re.escape(url)}\?view=([\w-]+)"', page.content.decode()).group(1)
    shown = client.get(url, {"view": token})
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    assert _client(analyst).get(url, {"view": token}).status_code == 404  # not theirs
