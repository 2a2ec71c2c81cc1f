"""A small network for the demo municipality (issue 12, item 8): a few reports that name the
same people, companies, addresses and vehicles, registered as subjects by the demo analyst,
with typed relations — so a new team's first "have we seen this before?", the subject pages
and the network show something on the first visit.

The story: Jan van der Berg owns two companies registered at the same address on the
Havenkade; a white van on his name is seen at a shed on the Pakhuisweg, which one of his
companies owns; his sister runs a shisha lounge on the Marktplein; a friend of his works for
the shed's neighbour and drives a black Audi. Everything goes the way the workspace does it:
the reports through intake (the Meldpunt's path), the subjects and judgements through the
subjects services, the relations through relation_add — each audited as in daily use.
"""

from datetime import date
from typing import Any

from django.db import transaction

from baken.accounts.models import User
from baken.core.actors import SYSTEM
from baken.intake import services as intake_services
from baken.places.models import RegisteredAddress
from baken.reports.models import Report, ReportSubject
from baken.reports.validation import check_report
from baken.subjects.models import Judgement, Subject
from baken.subjects.relations import relation_add
from baken.subjects.services import mention_judge, subject_create_from

ANALYST = "analist"
MARKER = "Jan van der Berg"  # the demo has its network when he is registered

JAN: dict[str, Any] = {"type": "person", "name": "Jan van der Berg", "birth_date": "1971-03-14"}
SAMIRA: dict[str, Any] = {
    "type": "person",
    "name": "Samira van der Berg",
    "birth_date": "1976-09-02",
}
KEVIN: dict[str, Any] = {"type": "person", "name": "Kevin de Groot"}
OPSLAG: dict[str, Any] = {
    "type": "organisation",
    "name": "Havenkade Opslag B.V.",
    "kvk_number": "69599068",
}
BOUW: dict[str, Any] = {
    "type": "organisation",
    "name": "Berg Bouw & Sloop V.O.F.",
    "kvk_number": "58273919",
}
LOUNGE: dict[str, Any] = {"type": "organisation", "name": "Shisha Lounge Noorderlicht"}
GARAGE: dict[str, Any] = {"type": "organisation", "name": "Autobedrijf De Kade"}
HAVENKADE: dict[str, Any] = {
    "type": "address",
    "address": {
        "postcode": "1781AA",
        "house_number": 14,
        "street": "Havenkade",
        "city": "Havenwaard",
    },
}
LOODS: dict[str, Any] = {
    "type": "address",
    "address": {
        "postcode": "1784AA",
        "house_number": 7,
        "street": "Pakhuisweg",
        "city": "Havenwaard",
    },
}
MARKT: dict[str, Any] = {
    "type": "address",
    "address": {
        "postcode": "1786AA",
        "house_number": 3,
        "street": "Marktplein",
        "city": "Havenwaard",
    },
}
BUS: dict[str, Any] = {
    "type": "vehicle",
    "license_plate": "VT-123-K",
    "description": "witte bestelbus",
}
AUDI: dict[str, Any] = {
    "type": "vehicle",
    "license_plate": "ZX-987-P",
    "description": "zwarte Audi",
}

# (category, description, where, what it names): each becomes one report.
REPORTS: list[tuple[str, str, dict[str, Any], list[dict[str, Any]]]] = [
    (
        "drugs",
        "Bij de loods aan de Pakhuisweg staat 's nachts een witte bestelbus (VT-123-K). Er "
        "worden zakken potgrond uitgeladen en de ramen zijn afgeplakt. Sterke anijslucht.",
        LOODS["address"],
        [BUS, LOODS, JAN],
    ),
    (
        "vastgoed",
        "Op Havenkade 14 staan twee bedrijven ingeschreven, maar er is nooit iemand. De "
        "eigenaar, Jan van der Berg, komt alleen om de post op te halen.",
        HAVENKADE["address"],
        [JAN, OPSLAG, BOUW, HAVENKADE],
    ),
    (
        "witwassen",
        "De shisha lounge aan het Marktplein is altijd leeg maar al jaren open. De "
        "eigenaresse Samira van der Berg betaalt de verbouwing contant.",
        MARKT["address"],
        [SAMIRA, LOUNGE, MARKT],
    ),
    (
        "drugs",
        "Een zwarte Audi (ZX-987-P) rijdt elke avond tussen het autobedrijf en de loods aan "
        "de Pakhuisweg. De bestuurder, Kevin de Groot, werkt bij het autobedrijf.",
        LOODS["address"],
        [AUDI, KEVIN, GARAGE, LOODS],
    ),
    (
        "vastgoed",
        "Berg Bouw & Sloop huurt de loods aan de Pakhuisweg, maar er wordt niet gebouwd. De "
        "witte bestelbus VT-123-K van de eigenaar staat er vaak.",
        LOODS["address"],
        [BOUW, BUS, LOODS],
    ),
]

# (source, kind, target, registry): the relations the analyst found in the registries.
RELATIONS: list[tuple[dict[str, Any], str, dict[str, Any], str]] = [
    (JAN, "owner_of", OPSLAG, "KvK"),
    (JAN, "owner_of", BOUW, "KvK"),
    (JAN, "director_of", BOUW, "KvK"),
    (OPSLAG, "registered_at", HAVENKADE, "KvK"),
    (BOUW, "registered_at", HAVENKADE, "KvK"),
    (OPSLAG, "owner_of", LOODS, "Kadaster"),
    (JAN, "uses_vehicle", BUS, "RDW"),
    (JAN, "family_of", SAMIRA, "BRP"),
    (SAMIRA, "director_of", LOUNGE, "KvK"),
    (LOUNGE, "registered_at", MARKT, "KvK"),
    (KEVIN, "associate_of", JAN, ""),
    (KEVIN, "employed_by", GARAGE, "UWV"),
    (KEVIN, "uses_vehicle", AUDI, "RDW"),
]


def _key(named: dict) -> str:
    return named.get("name") or named.get("license_plate") or str(named["address"])


def _same(row: ReportSubject, named: dict) -> bool:
    if named["type"] == "address":
        address = named["address"]
        return row.postcode == address["postcode"] and row.house_number == address["house_number"]
    if named["type"] == "vehicle":
        return row.license_plate == named["license_plate"]
    return row.name == named["name"]


def _report(category: str, description: str, where: dict, names: list[dict]) -> Report:
    location: dict[str, Any] = {"address": where}
    # The point the Meldpunt's postcode lookup would have put on the map.
    known = RegisteredAddress.objects.filter(
        postcode=where["postcode"], house_number=where["house_number"], lat__isnull=False
    ).first()
    if known is not None:
        location["point"] = {"lat": known.lat, "lon": known.lon}
    payload = {
        "description": description,
        "category": category,
        "location": location,
        "subjects": names,
    }
    checked = check_report(payload)
    return intake_services.report_submit(checked=checked, actor=SYSTEM).report


def demo_subjects() -> int:
    """Make the story once (idempotent: nothing when its main person is registered).
    Returns the number of subjects registered."""
    analyst = User.objects.filter(username=ANALYST, is_demo=True).first()
    if analyst is None or Subject.objects.filter(name=MARKER).exists():
        return 0
    registered: dict[str, Subject] = {}
    first_report: dict[str, Report] = {}
    with transaction.atomic():
        for category, description, where, names in REPORTS:
            report = _report(category, description, where, names)
            for named in names:
                row = next(r for r in report.subjects.all() if _same(r, named))
                key = _key(named)
                if key not in registered:
                    registered[key] = subject_create_from(report_subject=row, actor=analyst)
                    first_report[key] = report
                else:
                    mention_judge(
                        report_subject=row,
                        subject=registered[key],
                        judgement=Judgement.SAME,
                        actor=analyst,
                    )
        for source, kind, target, registry in RELATIONS:
            relation_add(
                source=registered[_key(source)],
                target=registered[_key(target)],
                kind=kind,
                actor=analyst,
                start_date=date(2021, 5, 1) if kind != "family_of" else None,
                source_report=None if registry else first_report[_key(source)],
                source_registry=registry,
            )
    return len(registered)
