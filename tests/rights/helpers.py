"""A person's data across Baken, made the way users make it: reports filed through the
Meldpunt's API naming her (one registered as a subject, one only named, one sealed by the
decision 'no action'), a relation, a case on a report and a hand-over of that case; and a
request of that person registered by the privacy officer."""

from dataclasses import dataclass
from datetime import date

from django.test import Client
from django.utils import timezone

from baken.cases import services as case_services
from baken.cases import work
from baken.core.roles import Role
from baken.reports.models import Report
from baken.reports.workflow import Status
from baken.rights import services
from baken.rights.models import Request
from baken.subjects.models import Relation, Subject
from baken.subjects.relations import relation_add
from baken.subjects.services import subject_create_from
from tests.reports.test_sealed import _decide_no_action

NAME = "Geertruida Wolfswinkel"
BIRTH = "1968-09-21"
BSN = "123456782"
PLATE = "GW-123-K"
POSTCODE, NUMBER = "1781AB", 14
GARAGE, KVK = "Garage Wolfswinkel B.V.", "12345678"


def file(
    description: str, subjects: list[dict], team, *, weighed: bool = True, **location
) -> Report:
    """A report filed through the Meldpunt's API (anonymous), routed to `team` and (`weighed`)
    in further analysis, as the team leaves it."""
    filed = Client().post(
        "/api/v1/reports",
        {
            "category": "drugs",
            "description": description,
            "subjects": subjects,
            "reporter": {"anonymous": True},
            **({"location": location} if location else {}),
        },
        content_type="application/json",
    )
    assert filed.status_code == 201, filed.content
    routed = Report.objects.filter(pk=filed.json()["id"])
    routed.update(team=team, **({"status": Status.IN_ANALYSIS} if weighed else {}))
    return Report.objects.get(pk=filed.json()["id"])


@dataclass
class Person:
    officer: object
    analyst: object
    request: Request
    registered: Report  # names her; she is registered from it
    named: Report  # names her with a typo and no link to the registered subject
    addressed: Report  # at her address, naming nobody
    described: Report  # her name only in the description
    sealed: Report  # names her by BSN, decided 'no action'
    other: Report  # about someone else
    subject: Subject
    relation: Relation
    case: object
    handover: object


def person_everywhere(make_user) -> Person:
    analyst = make_user(role=Role.ANALYST)
    lead = make_user(role=Role.TEAM_LEAD, team=analyst.team)
    officer = make_user(role=Role.PRIVACY_OFFICER)
    team = analyst.team
    her = {"type": "person", "name": NAME, "birth_date": BIRTH, "bsn": BSN}
    registered = file(
        "Drukte bij de garage, auto's rijden af en aan.",
        [
            her,
            {"type": "organisation", "name": "Garage Wolfswinkel B.V.", "kvk_number": "12345678"},
        ],
        team,
    )
    named = file(
        "Bewoonster krijgt veel bezoek 's nachts.",
        [{"type": "person", "name": "G. Wolfswinkl", "birth_date": BIRTH}],
        team,
    )
    addressed = file(
        "Stankoverlast uit de kelder.",
        [],
        team,
        address={"postcode": POSTCODE, "house_number": NUMBER},
    )
    described = file(f"Buurtbewoners noemen {NAME} als eigenaar van de loods.", [], team)
    sealed = file(
        "Geluiden uit de schuur.",
        [{"type": "person", "name": "Truus Wolfswinkel", "bsn": BSN}],
        team,
        weighed=False,
    )
    _decide_no_action(analyst, sealed)
    other = file(
        "Iemand anders, elders.",
        [{"type": "person", "name": "Pieter Jansen", "birth_date": "1980-01-01"}],
        team,
    )
    subject = subject_create_from(
        report_subject=registered.subjects.get(kind="person"), actor=analyst
    )
    company = subject_create_from(
        report_subject=registered.subjects.get(kind="organisation"), actor=analyst
    )
    link = relation_add(
        source=subject, target=company, kind="director_of", actor=analyst, source_registry="KvK"
    )
    case = case_services.case_open(
        reports=[registered],
        title="Garage Wolfswinkel",
        summary="Signalen van drugshandel.",
        handler=None,
        actor=analyst,
        rationale="Weging 3: ernstig.",
    )
    handover, _package = work.handover_record(
        case=case,
        recipient_kind="tax",
        recipient="Belastingdienst",
        what="Overzicht van de garage",
        legal_basis="Artikel 13 Wpg",
        actor=lead,
    )
    request = services.request_register(
        actor=officer,
        kind="access",
        requester_name=NAME,
        requester_birth_date=date.fromisoformat(BIRTH),
        requester_address=f"Kerkstraat {NUMBER}, {POSTCODE} Den Helder",
        identity_verified="Paspoort getoond aan de balie",
        description="Wil weten wat de gemeente over haar vastlegt.",
        received_on=timezone.localdate(),
    )
    return Person(
        officer,
        analyst,
        request,
        registered,
        named,
        addressed,
        described,
        sealed,
        other,
        subject,
        link,
        case,
        handover,
    )
