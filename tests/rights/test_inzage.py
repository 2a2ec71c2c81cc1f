"""The access overview (inzage, AVG art. 15) as the privacy officer makes it: what is held
about the requester, where it came from, what for, to whom it went and how long it is kept;
per item disclosed or withheld with a ground; the final PDF of what is disclosed, stored
encrypted, downloaded and its sending recorded.

The data is made as people make it: an anonymous report to the Meldpunt whose reporter later
leaves a telephone number and e-mail address in the follow-up, a colleague of a department
reporting by name, a telephone report registered by an intake officer, a case opened from one
of them and handed over to the police. Nothing of a reporter, the intake officer or the third
party the reports name may reach the requester, not on the page and not in either PDF."""

import hashlib
import io
import time
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from baken.accounts.models import User
from baken.audit.models import AuditEntry
from baken.cases import services as case_services
from baken.cases import work
from baken.core import dates
from baken.core.refusals import Refused
from baken.core.roles import Role
from baken.privacy import services as privacy_services
from baken.reports.models import Criterion, Report, RoutingRule
from baken.rights import disclosure, services
from baken.rights.inzage import overview_build, passages, redact
from baken.rights.models import Document, Hit, HitKind, StepKind
from baken.subjects import relations
from baken.subjects import services as subject_services
from baken.subjects.models import Subject
from tests.api.test_schema_fuzz import CHECKS, _failure, _schema
from tests.pdf import pdf_text
from tests.reports.test_sealed import _decide_no_action
from tests.rights import helpers

pytestmark = pytest.mark.django_db

PERSON = "Bram de Graaf"
THIRD = "Sanne Visser"
ANONYMOUS_NAME = "Fatima El Amrani"  # signs her follow-up message; never in the report
ANONYMOUS_PHONE = "06 4321 8765"
ANONYMOUS_MAIL = "buurvrouw.havenweg@example.nl"
COLLEAGUE = {
    "name": "Karin Smit",
    "organisation": "Afdeling Vergunningen",
    "email": "k.smit@havenwaard.nl",
    "phone": "0223 678 123",
}
CALLER = {"name": "Piet Bakker", "phone": "06-11223344"}
INTAKE_OFFICER = ("Ingrid", "Mulder")
NEVER = [
    ANONYMOUS_NAME,
    "Amrani",
    ANONYMOUS_PHONE,
    "4321",
    ANONYMOUS_MAIL,
    "Karin",
    "Smit",
    "Vergunningen",
    "k.smit",
    "678 123",
    "Piet",
    "Bakker",
    "11223344",
    "Ingrid",
    "Mulder",
    "Sanne",
    "Visser",
]


def _token(user, *channels) -> dict:
    out = io.StringIO()
    call_command("token", user.username, *[f"--channel={c}" for c in channels], stdout=out)
    return {"HTTP_AUTHORIZATION": f"Token {out.getvalue().strip()}"}


def _submit(client, body: dict, **headers) -> tuple[Report, str]:
    answer = client.post("/api/v1/reports", body, content_type="application/json", **headers)
    assert answer.status_code == 201, answer.content
    data = answer.json()
    return Report.objects.get(reference=data["reference"]), data.get("receipt_code", "")


def _weigh(client, report: Report, analyst, kind: str, recipient: str = "") -> None:
    headers = _token(analyst)
    for code in Criterion.objects.filter(mandatory=True).values_list("code", flat=True):
        answered = client.post(
            f"/api/v1/reports/{report.pk}/criteria",
            {"criterion": code, "choice": "ja", "motivation": "Zie de melding."},
            content_type="application/json",
            **headers,
        )
        assert answered.status_code == 200, answered.content
    decided = client.post(
        f"/api/v1/reports/{report.pk}/decision",
        {"kind": kind, "rationale": "Past bij het beeld van de wijk.", "recipient": recipient},
        content_type="application/json",
        **headers,
    )
    assert decided.status_code == 201, decided.content


@pytest.fixture
def world(client, make_user, north):
    """Three reports about Bram de Graaf, a case with a hand-over to the police, and his
    request for access with every item confirmed by the privacy officer."""
    RoutingRule.objects.create(name="Den Helder", team=north, postcode_prefix="1781", position=1)
    analyst = make_user(role=Role.ANALYST, team=north, first_name="Anouk", last_name="Brink")
    intake = make_user(
        role=Role.INTAKE,
        team=north,
        first_name=INTAKE_OFFICER[0],
        last_name=INTAKE_OFFICER[1],
    )
    officer = make_user(role=Role.PRIVACY_OFFICER, first_name="Olga", last_name="Prins")
    place = {"address": {"postcode": "1781 AB", "house_number": 14, "street": "Havenweg"}}
    public = Client()

    # 1. Anonymous, through the Meldpunt; the reporter follows up with her contact details.
    anonymous, receipt = _submit(
        public,
        {
            "category": "drugs",
            "description": (
                "Bram de Graaf krijgt elke nacht bezoek bij de loods aan de Havenweg. "
                "Ik woon er tegenover en zie het vanuit mijn keuken. "
                "Sanne Visser helpt Bram met het uitladen van kratten. "
                "De Graaf rijdt in een witte bus met kenteken 12-ABC-3."
            ),
            "location": place,
            "subjects": [
                {
                    "type": "person",
                    "name": PERSON,
                    "birth_date": "1979-08-21",
                    "description": "Man van rond de 45. Hij groet mij nooit.",
                },
                {"type": "person", "name": THIRD, "description": "Vriendin van Bram."},
            ],
            "reporter": {"anonymous": True},
        },
    )
    followed = public.post(
        "/api/v1/followup/messages",
        {
            "receipt_code": receipt,
            "text": f"Bel mij gerust: {ANONYMOUS_PHONE} of {ANONYMOUS_MAIL}. {ANONYMOUS_NAME}",
        },
        content_type="application/json",
    )
    assert followed.status_code == 201, followed.content

    # 2. A colleague of a department, by name, through the Meldpunt.
    named, named_receipt = _submit(
        public,
        {
            "category": "witwassen",
            "description": (
                "Bij de controle van de horeca van Bram de Graaf betaalde hij alles contant. "
                "De Graaf zei tegen Karin Smit dat het geld van zijn oom kwam."
            ),
            "location": place,
            "subjects": [{"type": "person", "name": PERSON}],
            "reporter": {"anonymous": False, "may_contact": True, **COLLEAGUE},
        },
    )

    # 3. A telephone report, registered by an intake officer.
    phoned, _code = _submit(
        client,
        {
            "channel": "phone",
            "category": "vastgoed",
            "description": (
                f"Melder ({CALLER['name']}, tel. {CALLER['phone']}) belt over Bram de Graaf. "
                "De Graaf verhuurt de bovenwoning aan steeds andere mensen."
            ),
            "location": place,
            "subjects": [{"type": "person", "name": "B. de Graaf"}],
            "reporter": {"anonymous": False, **CALLER},
        },
        **_token(intake, "phone"),
    )
    for report in (anonymous, named, phoned):
        report.refresh_from_db()
        assert report.team == north

    # The analyst registers the two people the anonymous report names, and their relation.
    bram_named, sanne_named = anonymous.subjects.order_by("position")
    bram = subject_services.subject_create_from(report_subject=bram_named, actor=analyst)
    sanne = subject_services.subject_create_from(report_subject=sanne_named, actor=analyst)
    subject_services.mention_judge(
        report_subject=named.subjects.get(),
        subject=bram,
        judgement="same",
        actor=analyst,
    )
    relation = relations.relation_add(
        source=bram, target=sanne, kind="associate_of", actor=analyst, source_report=anonymous
    )
    _weigh(client, anonymous, analyst, "in_analysis")
    _weigh(client, named, analyst, "forwarded", recipient="Belastingdienst")
    _weigh(client, phoned, analyst, "no_action")
    case = case_services.case_open(
        reports=[Report.objects.get(pk=anonymous.pk)],
        title="Loods Havenweg — Sanne Visser",
        summary="Signalen van drugsopslag door Visser en De Graaf.",
        handler=analyst,
        actor=analyst,
        rationale="Weging 3: concreet en herhaald.",
    )
    handover, _package = work.handover_record(
        case=case,
        recipient_kind="police",
        recipient="Politie Noord-Holland Noord",
        what="Samenvatting en betrokkenen, met Sanne Visser.",
        legal_basis="Wpg art. 4:3 (RIEC-convenant)",
        actor=analyst,
    )

    request = services.request_register(
        actor=officer,
        kind="access",
        requester_name=PERSON,
        requester_birth_date=date(1979, 8, 21),
        requester_address="Havenweg 14\n1781 AB Den Helder",
        identity_verified="Rijbewijs getoond aan de balie",
        description="Wil weten wat de gemeente over hem heeft.",
        received_on=timezone.localdate(),
    )
    for kind, pk in [
        (HitKind.SUBJECT, bram.pk),
        (HitKind.REPORT, anonymous.pk),
        (HitKind.REPORT, named.pk),
        (HitKind.REPORT, phoned.pk),
        (HitKind.CASE, case.pk),
        (HitKind.RELATION, relation.pk),
        (HitKind.HANDOVER, handover.pk),
    ]:
        services.hit_confirm(actor=officer, pk=request.pk, kind=kind, object_id=pk)
    return {
        "officer": officer,
        "analyst": analyst,
        "request": request,
        "anonymous": anonymous,
        "receipt": receipt,
        "named": named,
        "named_receipt": named_receipt,
        "phoned": phoned,
        "case": case,
        "handover": handover,
        "relation": relation,
        "hit": {
            (hit.kind, hit.object_id): hit
            for hit in Hit.objects.filter(request=request).order_by("pk")
        },
    }


def _subject_of(world) -> int:
    return next(oid for kind, oid in world["hit"] if kind == HitKind.SUBJECT)


def _hit(world, kind, obj) -> Hit:
    return world["hit"][(kind, obj.pk)]


def _never_in(text: str, world) -> None:
    for secret in [*NEVER, world["receipt"], world["named_receipt"]]:
        assert secret.lower() not in text.lower(), secret


def _decide(world, hit, disclosure_kind="disclose", ground=""):
    return disclosure.disclosure_decide(
        actor=world["officer"],
        pk=world["request"].pk,
        hit_id=hit.pk,
        disclosure=disclosure_kind,
        ground=ground,
    )


def test_the_draft_says_what_is_held_where_from_what_for_to_whom_and_how_long(client, login, world):
    page = login(world["officer"]).get(f"/verzoeken/{world['request'].pk}/inzage")
    assert page.status_code == 200
    html = page.content.decode()
    pdf = client.get(f"/verzoeken/{world['request'].pk}/inzage/concept.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    draft = pdf_text(pdf.content)
    year_later = dates.long(timezone.localdate() + relativedelta(years=1))
    for text in (html, draft):
        # What is held: the register's entry, each report, the case, relation, hand-over.
        assert "Bram de Graaf" in text and "21 augustus 1979" in text
        for report in (world["anonymous"], world["named"], world["phoned"]):
            assert report.reference in text
        assert world["case"].reference in text and "Modelprotocol aanpak ondermijning" in text
        # The parts of the report about him, without the reporter's own sentences.
        assert "krijgt elke nacht bezoek bij de loods" in text
        assert "helpt Bram met het uitladen" in text
        assert "De Graaf verhuurt de bovenwoning" in text and "belt over" not in text
        assert "vanuit" not in text and "keuken" not in text and "groet" not in text
        assert "een andere persoon" in text  # the other end of the relation
        # Where from: the channel, never who.
        assert "Een melding bij het Meldpunt" in text and "Een telefonische melding" in text
        # What for: the category and the general purpose.
        assert "Drugs" in text and "ondermijnende criminaliteit" in text
        # To whom: the police (hand-over) and the tax office (the forward).
        assert "Politie Noord-Holland Noord" in text and "Wpg art. 4:3" in text
        assert "Belastingdienst" in text
        # How long: the rule, and the date for the report decided 'no action'.
        assert "1 jaar na het besluit" in text and year_later in text
        assert "5 jaar" in text
        _never_in(text, world)
    assert "CONCEPT" in draft


def test_passages_leave_out_the_reporter_and_others():
    mine = {"bram", "graaf"}
    text = (
        "Ik zag Bram gisteren. Bram de Graaf belt met Sanne Visser op 06-12345678. "
        "Mail De Graaf via b@x.nl of bel +31 6 1234 5678; code K7QM-2XPA-9RTD-HWNE-4F6B."
    )
    found = passages(text + " De buurvrouw zag Bram ook.", mine=mine, hidden={"sanne", "visser"})
    assert [p.text for p in found] == [
        "Bram de Graaf belt met [...] op [...].",
        "[...] De Graaf via [...] of bel [...]; code [...].",  # 'Mail' could be a name
    ]
    # A date and a time stay; a house number does not.
    assert redact("Op 12-03-2026 om 14:00 bij nummer 12.", hidden=set()) == (
        "Op 12-03-2026 om 14:00 bij nummer [...]."
    )


def test_withheld_items_leave_the_final_pdf_and_name_the_police_nowhere(client, login, world):
    request = world["request"]
    hits = world["hit"]
    with pytest.raises(Refused) as refused:
        disclosure.disclosure_decide(
            actor=world["officer"],
            pk=request.pk,
            hit_id=_hit(world, HitKind.HANDOVER, world["handover"]).pk,
            disclosure="withhold",
        )
    assert "ground" in refused.value.problems  # withholding names its ground
    for hit in hits.values():
        _decide(world, hit)
    _decide(world, _hit(world, HitKind.REPORT, world["anonymous"]), "withhold", "reporter")
    _decide(world, _hit(world, HitKind.HANDOVER, world["handover"]), "withhold", "investigation")
    document = disclosure.document_make(actor=world["officer"], pk=request.pk)
    final = pdf_text(
        disclosure.document_open(
            actor=world["officer"], pk=request.pk, document_id=document.pk
        ).content
    )
    assert "CONCEPT" not in final
    assert world["named"].reference in final and world["phoned"].reference in final
    assert world["anonymous"].reference not in final
    assert "loods" not in final  # the withheld report's text
    assert "Politie" not in final  # the withheld hand-over, named by no other item either
    assert "Belastingdienst" in final
    assert "UAVG art. 41" in final  # the general sentence, always there
    _never_in(final, world)
    steps = list(request.steps.values_list("kind", flat=True))
    assert steps.count(StepKind.DISCLOSURE) == len(hits) + 2 and StepKind.DOCUMENT in steps


def test_the_general_sentence_is_there_when_nothing_is_withheld(world):
    for hit in world["hit"].values():
        _decide(world, hit)
    document = disclosure.document_make(actor=world["officer"], pk=world["request"].pk)
    opened = disclosure.document_open(
        actor=world["officer"], pk=world["request"].pk, document_id=document.pk
    )
    assert "UAVG art. 41" in pdf_text(opened.content)
    assert "Politie Noord-Holland Noord" in pdf_text(opened.content)


def test_the_letter_names_its_sender_and_the_term_to_object(settings, world):
    settings.MUNICIPALITY_NAME = "Gemeente Havenwaard"
    settings.PRIVACY_OFFICER_EMAIL = ["privacy@havenwaard.example"]
    for hit in world["hit"].values():
        _decide(world, hit)
    document = disclosure.document_make(actor=world["officer"], pk=world["request"].pk)
    text = " ".join(
        pdf_text(
            disclosure.document_open(
                actor=world["officer"], pk=world["request"].pk, document_id=document.pk
            ).content
        ).split()
    )
    assert "Gemeente Havenwaard" in text and "privacy@havenwaard.example" in text
    assert "binnen zes weken na de datum van deze brief bezwaar maken" in text


def test_the_final_pdf_waits_for_every_decision(world):
    request = world["request"]
    _decide(world, next(iter(world["hit"].values())))  # one of seven decided
    with pytest.raises(Refused) as refused:
        disclosure.document_make(actor=world["officer"], pk=request.pk)
    assert refused.value.code == "disclosure_undecided" and refused.value.status == 409
    assert not Document.objects.exists()


def test_the_document_is_encrypted_at_rest_and_its_sending_recorded(client, login, world):
    request = world["request"]
    for hit in world["hit"].values():
        _decide(world, hit)
    officer = login(world["officer"])
    made = officer.post(f"/verzoeken/{request.pk}/inzage/document", follow=True)
    assert made.status_code == 200
    document = Document.objects.get(request=request)
    with connection.cursor() as cursor:
        cursor.execute("SELECT content FROM rights_document WHERE id = %s", [document.pk])
        stored = bytes(cursor.fetchone()[0])
    assert b"%PDF" not in stored and b"Graaf" not in stored
    # A restore's check of the data key opens it (core/restore.py, RightsConfig).
    assert disclosure.decrypt_sample() == "an access overview of a request decrypted"
    download = officer.get(f"/verzoeken/{request.pk}/inzage/documenten/{document.pk}")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="rights.document_read").count() == 1
    refused = officer.post(
        f"/verzoeken/{request.pk}/inzage/documenten/{document.pk}/verzonden",
        {f"document-{document.pk}-how": " "},
    )
    assert refused.status_code == 400
    assert "Zeg hoe het is verstuurd" in refused.content.decode()
    sent = officer.post(
        f"/verzoeken/{request.pk}/inzage/documenten/{document.pk}/verzonden",
        {f"document-{document.pk}-how": "Aangetekend per post naar het woonadres"},
        follow=True,
    )
    assert sent.status_code == 200
    document.refresh_from_db()
    assert document.sent_how == "Aangetekend per post naar het woonadres"
    assert document.sent_by == world["officer"] and document.sent_at is not None
    assert request.steps.filter(kind=StepKind.SENT).exists()


@pytest.mark.parametrize(
    "role",
    [Role.INTAKE, Role.ANALYST, Role.CASE_HANDLER, Role.TEAM_LEAD, Role.MANAGEMENT, Role.ADMIN],
)
def test_every_other_role_is_refused(client, login, make_user, world, role):
    request = world["request"]
    hit = next(iter(world["hit"].values()))
    other = login(make_user(role=role), test_client=Client())
    for url in (
        f"/verzoeken/{request.pk}/inzage",
        f"/verzoeken/{request.pk}/inzage/concept.pdf",
    ):
        assert other.get(url).status_code in (403, 404)
    posted = other.post(
        f"/verzoeken/{request.pk}/inzage/items/{hit.pk}", {f"hit-{hit.pk}-disclosure": "disclose"}
    )
    assert posted.status_code in (403, 404)
    with pytest.raises(Refused) as refused:
        disclosure.disclosure_decide(
            actor=make_user(role=role), pk=request.pk, hit_id=hit.pk, disclosure="disclose"
        )
    assert refused.value.status == 404
    hit.refresh_from_db()
    assert hit.disclosure == ""
    assert not AuditEntry.objects.filter(action__startswith="rights.disclosure").exists()


def test_the_api_gives_the_same_overview_and_document(client, world):
    request, officer = world["request"], world["officer"]
    headers = _token(officer)
    base = f"/api/v1/rights/requests/{request.pk}"
    overview = client.get(f"{base}/overview", **headers)
    assert overview.status_code == 200
    data = overview.json()
    assert data["undecided"] == len(world["hit"]) and "UAVG art. 41" in data["withheld_sentence"]
    phoned = next(i for i in data["items"] if world["phoned"].reference in i["title"])
    assert phoned["source"] == "Een telefonische melding"
    assert phoned["keeping"]["until"] == (timezone.localdate() + relativedelta(years=1)).isoformat()
    _never_in(overview.content.decode(), world)
    draft = client.get(f"{base}/overview.pdf", HTTP_ACCEPT="application/pdf", **headers)
    assert draft.status_code == 200 and "CONCEPT" in pdf_text(draft.content)

    too_early = client.post(f"{base}/documents", **headers)
    assert too_early.status_code == 409 and too_early.json()["code"] == "disclosure_undecided"
    hit = _hit(world, HitKind.HANDOVER, world["handover"])
    no_ground = client.post(
        f"{base}/hits/{hit.pk}/disclosure",
        {"disclosure": "withhold"},
        content_type="application/json",
        **headers,
    )
    assert no_ground.status_code == 400
    assert no_ground["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in no_ground.json()["invalid_params"]] == ["ground"]
    for each in world["hit"].values():
        decided = client.post(
            f"{base}/hits/{each.pk}/disclosure",
            {"disclosure": "withhold", "ground": "investigation"}
            if each.pk == hit.pk
            else {"disclosure": "disclose"},
            content_type="application/json",
            **headers,
        )
        assert decided.status_code == 200, decided.content
    made = client.post(f"{base}/documents", **headers)
    assert made.status_code == 201
    document = made.json()
    listed = client.get(f"{base}/documents", **headers).json()
    assert [d["id"] for d in listed] == [document["id"]]
    download = client.get(
        f"{base}/documents/{document['id']}", HTTP_ACCEPT="application/pdf", **headers
    )
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == document["sha256"]
    assert "Politie" not in pdf_text(download.content)
    sent = client.post(
        f"{base}/documents/{document['id']}/sent",
        {"how": "Per e-mail, versleuteld"},
        content_type="application/json",
        **headers,
    )
    assert sent.status_code == 200 and sent.json()["sent_how"] == "Per e-mail, versleuteld"
    again = client.post(
        f"{base}/documents/{document['id']}/sent",
        {"how": "Nog een keer"},
        content_type="application/json",
        **headers,
    )
    assert again.status_code == 409

    analyst = _token(world["analyst"])
    for path in ("/overview", "/overview.pdf", "/documents", f"/documents/{document['id']}"):
        assert client.get(f"{base}{path}", **analyst).status_code == 403


@pytest.fixture
def one_connection():
    """As tests/api/test_schema_fuzz.py: the app is called in this thread, inside the test's
    transaction, so the handler must not close the connection after each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_answers_match_the_openapi_document(world, one_connection):
    """Schemathesis: each endpoint of the overview as the privacy officer, its answer checked
    against the document (status, content type, schema)."""
    schema = _schema()
    headers = {"Authorization": _token(world["officer"])["HTTP_AUTHORIZATION"]}
    pk = world["request"].pk
    failures: list[str] = []

    def send(method, path, *, status, body=None, accept="application/json", **parameters):
        given = {"body": body} if body is not None else {}
        case = schema[f"/api/v1/rights/requests/{{id}}{path}"][method].Case(
            path_parameters={"id": pk, **parameters}, **given
        )
        try:
            answer = case.call_and_validate(headers={**headers, "Accept": accept}, checks=CHECKS)
            assert answer.status_code == status, f"{answer.status_code}: {answer.text[:400]}"
            return answer.json() if accept == "application/json" else None
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 (collect them all)
            failures.append(_failure(f"{method} {path}", error))
            return None

    send("GET", "/overview", status=200)
    send("GET", "/overview.pdf", status=200, accept="application/pdf")
    send("POST", "/documents", status=409)
    for hit in world["hit"].values():
        body = {"disclosure": "disclose", "ground": "", "note": ""}
        send("POST", "/hits/{hit_id}/disclosure", status=200, body=body, hit_id=hit.pk)
    made = send("POST", "/documents", status=201)
    send("GET", "/documents", status=200)
    if made:
        send(
            "GET",
            "/documents/{document_id}",
            status=200,
            accept="application/pdf",
            document_id=made["id"],
        )
        body = {"how": "Aangetekend per post"}
        send("POST", "/documents/{document_id}/sent", status=200, body=body, document_id=made["id"])
    assert not failures, "\n\n".join(failures)


# --- a withheld item is inferable from no disclosed item ---------------------------------------

# What gives each withholdable item away: texts that only it, or what is built from it, holds.
TELLS = {
    "report": [
        "Drugs",  # its category, once in the register entry's purpose
        "loods",
        "verdere onderzoek",  # its keeping, once in the relation's
        "verder onderzocht",
        "Samen met de melding waar het uit komt",
        "op basis van: een melding",  # the case's source
    ],
    "case": ["afsluiten van de casus", "Een bestuurlijke aanpak (", "Politie", "Wpg art. 4:3"],
    "handover": ["Politie", "Wpg art. 4:3", "Gegevens gegeven aan"],
    "relation": ["een andere persoon", "bekende van", "Een relatie met u"],
}
GROUNDS = {"report": "reporter", "case": "investigation", "handover": "investigation"}


def _withholding(world, withheld: tuple[str, ...]) -> tuple[str, list]:
    """Every item disclosed but those `withheld`; the final overview made: its text, and its
    items as built for the requester."""
    objects = {
        "report": (HitKind.REPORT, world["anonymous"]),
        "case": (HitKind.CASE, world["case"]),
        "handover": (HitKind.HANDOVER, world["handover"]),
        "relation": (HitKind.RELATION, world["relation"]),
    }
    for hit in world["hit"].values():
        _decide(world, hit)
    for name in withheld:
        _decide(world, _hit(world, *objects[name]), "withhold", GROUNDS.get(name, "others"))
    request = world["request"]
    document = disclosure.document_make(actor=world["officer"], pk=request.pk)
    opened = disclosure.document_open(
        actor=world["officer"], pk=request.pk, document_id=document.pk
    )
    with translation.override("nl"):
        items = overview_build(request, final=True).items
    return pdf_text(opened.content), items


def _what_is_said_instead(world, withheld: set[str], items: list) -> None:
    """Where a disclosed item was built on a withheld one, it says what it says without it."""
    own_work = "Vastgelegd door de gemeente bij haar eigen werk"
    kinds = {item.hit.kind: item for item in items}
    if "report" in withheld:
        # The register entry's source and purpose come from the disclosed reports only.
        assert "Drugs" not in kinds[HitKind.SUBJECT].purpose
        if "relation" not in withheld:  # taken from the withheld report: it says nothing of it
            assert kinds[HitKind.RELATION].source == own_work
        if "case" not in withheld:  # opened on the withheld report only
            assert kinds[HitKind.CASE].source == own_work
    if "case" in withheld:  # its hand-over is left out, although disclosed
        assert HitKind.HANDOVER not in kinds
    if "relation" in withheld:
        assert HitKind.RELATION not in kinds
    if withheld & {"case", "handover"}:
        assert not [r for item in items for r in item.recipients if "Politie" in r.who]


@pytest.mark.parametrize(
    "withheld",
    [
        ("report",),
        ("case",),
        ("handover",),
        ("relation",),
        ("report", "case"),
        ("report", "handover"),
        ("case", "relation"),
        ("report", "relation"),
        ("report", "case", "handover", "relation"),
    ],
)
def test_a_withheld_item_is_inferable_from_no_disclosed_item(world, withheld):
    final, items = _withholding(world, withheld)
    for name in withheld:
        for tell in TELLS[name]:
            assert tell not in final, (name, tell)
    assert ("report" in withheld) == (world["anonymous"].reference not in final)
    assert ("case" in withheld) == (world["case"].reference not in final)
    _what_is_said_instead(world, set(withheld), items)
    # What is not withheld is still there.
    if "report" not in withheld:
        assert "Drugs" in final and "verder onderzocht" in final
    if not {"case", "handover"} & set(withheld):
        assert "Politie Noord-Holland Noord" in final
    assert world["named"].reference in final and "Belastingdienst" in final
    _never_in(final, world)


def test_the_draft_shows_what_the_withholding_leaves_out(client, login, world):
    for hit in world["hit"].values():
        _decide(world, hit)
    _decide(world, _hit(world, HitKind.CASE, world["case"]), "withhold", "investigation")
    hit = _hit(world, HitKind.HANDOVER, world["handover"])
    page = login(world["officer"]).get(f"/verzoeken/{world['request'].pk}/inzage")
    html = page.content.decode()
    left_out = "niet in het overzicht dat u verstuurt, want u verstrekt de casus niet"
    assert left_out in html[html.index(f'id="item-{hit.pk}"') :]  # the hand-over's own item
    data = client.get(
        f"/api/v1/rights/requests/{world['request'].pk}/overview", **_token(world["officer"])
    ).json()
    recipients = [r for item in data["items"] for r in item["recipients"]]
    assert {r["left_out"] for r in recipients if "Politie" in r["who"]} == {left_out}
    handover = next(item for item in data["items"] if item["hit"] == hit.pk)
    assert handover["left_out"] == left_out and handover["disclosure"] == "disclose"


# --- the report's text: nobody but the requester ---------------------------------------------

BRAM = {"bram", "graaf"}


@pytest.mark.parametrize(
    ("sentence", "shown"),
    [
        # A third party who is not registered anywhere, and the town he comes from.
        (
            "Bram de Graaf werkt samen met Kees Jansen uit Hoorn.",
            "Bram de Graaf werkt samen met [...] uit [...].",
        ),
        # A street, number and postcode: often the reporter's own door.
        (
            "De Graaf heeft de sleutels van de loods voor Havenweg 16, 1781 AB.",
            "De Graaf heeft de sleutels van de loods voor [...].",
        ),
        # A house number alone, and a short name.
        (
            "Bram praat vaak met de vrouw van nummer 16 (Li Wu).",
            "Bram praat vaak met de vrouw van nummer [...] ([...]).",
        ),
        # A name with particles, at the start of the sentence.
        (
            "Kees van der Meer haalt Bram elke vrijdag op.",
            "[...] haalt Bram elke vrijdag op.",
        ),
        (
            "Jeroen zegt dat Bram de huur contant betaalt.",
            "[...] zegt dat Bram de huur contant betaalt.",
        ),
        # A plate, however written.
        (
            "De Graaf rijdt in een witte bus met kenteken 12-ABC-3 of 12ABC3.",
            "De Graaf rijdt in een witte bus met kenteken [...] of [...].",
        ),
        # A shop, a street with a letter, a town with a particle; the date and time stay.
        (
            "Gisteren om 23:15 stond Bram met Mo bij de Albert Heijn aan de Stationsstraat 3a "
            "in Den Helder.",
            "Gisteren om 23:15 stond Bram met [...] bij de [...] aan de [...] in [...].",
        ),
        (
            "Volgens Fatima verkoopt Bram op 12-03-2026 drugs vanuit de garage van "
            "Autobedrijf Yilmaz & Zn.",
            "Volgens [...] verkoopt Bram op 12-03-2026 drugs vanuit de garage van [...].",
        ),
        (
            "Sinds maart komen er bij Bram elke avond 5 tot 6 auto's, ook een BMW.",
            "Sinds maart komen er bij Bram elke avond [...] tot [...] auto's, ook een [...].",
        ),
    ],
)
def test_the_report_text_hides_everyone_but_the_requester(sentence, shown):
    found = passages(sentence, mine=BRAM, hidden=set())
    assert [p.text for p in found] == [shown]


JAN = {"jan", "berg"}
ABOUT_JAN = (
    "Jan van der Berg rijdt sinds januari in een zwarte Mercedes (XK-123-Z). Hij parkeert "
    "altijd bij de Kwikfit op de Zeeweg. Volgens de eigenaar van café De Zwaan betaalt Van der "
    "Berg 's nachts contant. 's Avonds staan er vaak 3 of 4 jongens bij het pand van Jan. "
    "Op 5 maart 2026 rond 22.30 uur zag men Jan met twee mannen uit Polen dozen uitladen bij "
    "Bedrijfsverzamelgebouw Noord, unit 12. Jan's broer Ahmed el Idrissi woont ook op het adres."
    "\nBewoners zeggen dat J. van der Berg de woning onderverhuurt via de WhatsApp-groep "
    "'Kamers Den Helder'. Volgens de BRP staat Jan (geb. 12-04-1980) ingeschreven op "
    "Kerkstraat 5-II."
)


def test_a_neighbourhood_report_keeps_what_is_about_the_requester_and_nothing_else():
    assert [p.text for p in passages(ABOUT_JAN, mine=JAN, hidden=set())] == [
        "Jan van der Berg rijdt sinds januari in een zwarte [...] ([...]).",
        "Volgens de eigenaar van café [...] betaalt Van der Berg 's nachts contant.",
        "'s Avonds staan er vaak [...] of [...] jongens bij het pand van Jan.",
        "Op 5 maart 2026 rond 22.30 uur zag men Jan met twee mannen uit [...] dozen uitladen "
        "bij [...], unit [...].",
        "Jan's broer [...] woont ook op het adres.",
        "Bewoners zeggen dat J. van der Berg de woning onderverhuurt via de [...]-groep '[...]'.",
        "Volgens de [...] staat Jan (geb. 12-04-1980) ingeschreven op [...].",
    ]


def test_what_is_hidden_is_listed_for_the_officer_and_the_requester_keeps_a_short_name():
    (found,) = passages(
        "Bram werkt samen met Kees Jansen uit Hoorn, op Havenweg 16, 1781 AB (06 4321 8765).",
        mine=BRAM,
        hidden=set(),
    )
    assert found.text == "Bram werkt samen met [...] uit [...], op [...] ([...])."
    # The officer's draft says what kind of thing each [...] was, never the words.
    assert found.blanked == ("name", "name", "address", "contact")
    with translation.override("nl"):
        assert found.blanked_words == "naam (2); adres; contactgegeven"
    (own,) = passages("Li Wu woont boven de winkel van Chen.", mine={"li", "wu"}, hidden=set())
    assert own.text == "Li Wu woont boven de winkel van [...]."
    # A name the report gives in lower case is still hidden when the report names that person.
    (lower,) = passages("bram en sanne visser laden kratten uit.", mine=BRAM, hidden={"sanne"})
    assert lower.text == "bram en [...] visser laden kratten uit."


def test_a_report_in_real_shapes_is_shown_without_the_others(client, login, world):
    """A report filed by a neighbour through the Meldpunt, as people write them."""
    report, _receipt = _submit(
        Client(),
        {
            "category": "drugs",
            "description": (
                "Bram de Graaf werkt samen met Kees Jansen uit Hoorn. "
                "De Graaf heeft de sleutels van de loods voor Havenweg 16, 1781 AB. "
                "Bram praat vaak met de vrouw van nummer 16 (Li Wu).\n"
                "Gisteren om 23:15 stond De Graaf met Mo bij de Albert Heijn aan de "
                "Stationsstraat 3a in Den Helder."
            ),
            "subjects": [{"type": "person", "name": PERSON}],
            "reporter": {"anonymous": True},
        },
    )
    request = world["request"]
    services.hit_confirm(
        actor=world["officer"], pk=request.pk, kind=HitKind.REPORT, object_id=report.pk
    )
    data = client.get(
        f"/api/v1/rights/requests/{request.pk}/overview", **_token(world["officer"])
    ).json()
    (item,) = [i for i in data["items"] if report.reference in i["title"]]
    assert item["passages"] == [
        "Bram de Graaf werkt samen met [...] uit [...].",
        "De Graaf heeft de sleutels van de loods voor [...].",
        "Bram praat vaak met de vrouw van nummer [...] ([...]).",
        "Gisteren om 23:15 stond De Graaf met [...] bij de [...] aan de [...] in [...].",
    ]
    # The officer's draft says what was blanked, so nothing is lost by mistake.
    page = login(world["officer"]).get(f"/verzoeken/{request.pk}/inzage").content.decode()
    section = page[page.index(report.reference) :]
    assert "Weggelaten: naam (2)</small>" in section
    assert "Weggelaten: adres</small>" in section
    assert "Weggelaten: getal; naam</small>" in section
    assert "Kees" not in page and "Havenweg 16" not in page
    for hit in Hit.objects.filter(request=request):
        _decide(world, hit)
    document = disclosure.document_make(actor=world["officer"], pk=request.pk)
    final = pdf_text(
        disclosure.document_open(
            actor=world["officer"], pk=request.pk, document_id=document.pk
        ).content
    )
    assert "werkt samen met [...] uit [...]" in final
    for secret in ("Kees", "Jansen", "Hoorn", "Havenweg 16", "Li Wu", "Albert", "Stationsstraat"):
        assert secret not in final, secret
    assert "Weggelaten" not in final


def test_a_relation_to_an_address_or_vehicle_names_only_the_kind(client, world):
    request, analyst = world["request"], world["analyst"]
    bram = Subject.objects.get(pk=_subject_of(world))
    report, _receipt = _submit(
        Client(),
        {
            "category": "drugs",
            "description": "De witte bus staat 's nachts bij de loods.",
            "subjects": [
                {"type": "vehicle", "license_plate": "12-ABC-3"},
                {
                    "type": "address",
                    "address": {"street": "Havenweg", "house_number": 16, "postcode": "1781AB"},
                },
                {
                    "type": "address",
                    "address": {"street": "Havenweg", "house_number": 14, "postcode": "1781AB"},
                },
            ],
            "reporter": {"anonymous": True},
        },
    )
    Report.objects.filter(pk=report.pk).update(team=analyst.team)
    car, next_door, home = (
        subject_services.subject_create_from(report_subject=named, actor=analyst)
        for named in report.subjects.order_by("position")
    )
    links = [
        relations.relation_add(
            source=bram, target=car, kind="uses_vehicle", actor=analyst, source_registry="RDW"
        ),
        relations.relation_add(
            source=bram, target=next_door, kind="owner_of", actor=analyst, source_registry="BRK"
        ),
        relations.relation_add(
            source=bram, target=home, kind="lives_at", actor=analyst, source_registry="BRP"
        ),
    ]
    for link in links:
        services.hit_confirm(
            actor=world["officer"], pk=request.pk, kind=HitKind.RELATION, object_id=link.pk
        )
    data = client.get(
        f"/api/v1/rights/requests/{request.pk}/overview", **_token(world["officer"])
    ).json()
    said = {
        item["object_id"]: item["held"][0]["value"]
        for item in data["items"]
        if item["kind"] == "relation"
    }
    assert said[links[0].pk] == "U: gebruikt voertuig een voertuig"
    assert said[links[1].pk] == "U: eigenaar van een adres"
    assert said[links[2].pk] == "U: woont op Havenweg 14, 1781AB"  # his own, as registered
    text = str(data)
    assert "12-ABC-3" not in text and "12ABC3" not in text and "Havenweg 16" not in text


# --- the page's queries do not grow with the items -------------------------------------------


def _more_about_her(person, count: int) -> None:
    """`count` more reports naming her, as a team makes them: each linked to her registered
    entry and confirmed; of every three one decided 'no action', one in a case of its own
    handed over to the police and kept by a legal hold, one kept by a hold itself."""
    analyst, officer, request = person.analyst, person.officer, person.request
    lead = User.objects.get(role=Role.TEAM_LEAD, team=analyst.team)
    her = {"type": "person", "name": helpers.NAME, "birth_date": helpers.BIRTH}
    until = timezone.localdate() + relativedelta(years=2)
    for number in range(count):
        cache.clear()  # the Meldpunt's rate limit: these come from many people
        report = helpers.file(
            f"{helpers.NAME} krijgt op avond {number} bezoek van Kees Jansen uit Hoorn.",
            [her, {"type": "person", "name": "Kees Jansen"}],
            analyst.team,
            weighed=number % 3 != 0,
        )
        subject_services.mention_judge(
            report_subject=report.subjects.get(name=helpers.NAME),
            subject=person.subject,
            judgement="same",
            actor=analyst,
        )
        confirm = [(HitKind.REPORT, report.pk)]
        if number % 3 == 0:
            _decide_no_action(analyst, report)
        elif number % 3 == 1:
            case = case_services.case_open(
                reports=[Report.objects.get(pk=report.pk)],
                title=f"Bezoek {number}",
                summary="Signalen van handel.",
                handler=analyst,
                actor=analyst,
                rationale="Weging 3.",
            )
            handover, _package = work.handover_record(
                case=case,
                recipient_kind="police",
                recipient="Politie Noord-Holland Noord",
                what="Samenvatting",
                legal_basis="Wpg art. 4:3",
                actor=lead,
            )
            privacy_services.hold_place(
                actor=officer, target=case, reason="court", explanation="Zaak 12/3456", until=until
            )
            confirm += [(HitKind.CASE, case.pk), (HitKind.HANDOVER, handover.pk)]
        else:
            privacy_services.hold_place(
                actor=officer, target=report, reason="woo", explanation="Woo 2026-12", until=until
            )
        for kind, pk in confirm:
            services.hit_confirm(actor=officer, pk=request.pk, kind=kind, object_id=pk)


def test_the_overview_reads_the_same_number_of_queries_however_many_items(client, make_user):
    person = helpers.person_everywhere(make_user)
    request = person.request
    for kind, obj in [
        (HitKind.SUBJECT, person.subject),
        (HitKind.REPORT, person.registered),
        (HitKind.REPORT, person.named),
        (HitKind.RELATION, person.relation),
        (HitKind.CASE, person.case),
        (HitKind.HANDOVER, person.handover),
    ]:
        services.hit_confirm(actor=person.officer, pk=request.pk, kind=kind, object_id=obj.pk)
    officer = client
    officer.force_login(person.officer, backend="django.contrib.auth.backends.ModelBackend")
    session = officer.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=person.officer).persistent_id
    # A session in use: its idle clock set, so that the first page does not write it
    # (accounts/middleware.py writes it at most once a minute) and both pages cost the same.
    session["baken.last_seen"] = time.time()
    session.save()

    def counted() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            page = officer.get(f"/verzoeken/{request.pk}/inzage")
        assert page.status_code == 200
        return len(queries), page.content.decode().count('class="panel inzage-item"')

    _more_about_her(person, 2)
    few, items_few = counted()
    _more_about_her(person, 10)
    many, items_many = counted()
    assert items_many == items_few + 10 + 2 * 3  # ten reports, three cases with hand-overs
    assert many == few, f"{few} queries for {items_few} items, {many} for {items_many}"


# --- a double click makes one document -------------------------------------------------------


def test_a_double_click_makes_one_overview_and_a_changed_decision_a_new_one(client, login, world):
    request = world["request"]
    for hit in world["hit"].values():
        _decide(world, hit)
    officer = login(world["officer"])
    url = f"/verzoeken/{request.pk}/inzage/document"
    first = officer.post(url, follow=True)
    second = officer.post(url, follow=True)  # the second click of a double click
    assert first.status_code == second.status_code == 200
    (document,) = Document.objects.filter(request=request)
    assert "is gemaakt en versleuteld bij het verzoek bewaard" in first.content.decode()
    assert "met deze besluiten al gemaakt" in second.content.decode()
    assert request.steps.filter(kind=StepKind.DOCUMENT).count() == 1
    assert AuditEntry.objects.filter(action="rights.document_make").count() == 1
    # Over the API: the same document again, 200 instead of 201.
    again = client.post(
        f"/api/v1/rights/requests/{request.pk}/documents", **_token(world["officer"])
    )
    assert again.status_code == 200 and again.json()["id"] == document.pk
    # A decision changed: the next click makes a new overview, without what is now withheld.
    _decide(world, _hit(world, HitKind.HANDOVER, world["handover"]), "withhold", "investigation")
    made = client.post(
        f"/api/v1/rights/requests/{request.pk}/documents", **_token(world["officer"])
    )
    assert made.status_code == 201 and made.json()["id"] != document.pk
    newest = Document.objects.get(pk=made.json()["id"])
    content = disclosure.document_open(
        actor=world["officer"], pk=request.pk, document_id=newest.pk
    ).content
    assert "Politie" not in pdf_text(content)
    assert Document.objects.filter(request=request).count() == 2


def test_a_hand_over_whose_case_is_not_in_the_overview_says_nothing_of_the_case(world):
    request = world["request"]
    services.hit_reject(
        actor=world["officer"],
        pk=request.pk,
        kind=HitKind.CASE,
        object_id=world["case"].pk,
        reason="Gaat over de loods, niet over hem.",
    )
    for hit in Hit.objects.filter(request=request):
        _decide(world, hit)
    with translation.override("nl"):
        items = overview_build(request, final=True).items
    (handover,) = [item for item in items if item.hit.kind == HitKind.HANDOVER]
    assert handover.keeping.rule == "Zolang het dossier waar het bij hoorde wordt bewaard."
    assert not [item for item in items if "afsluiten van de casus" in item.keeping.rule]
