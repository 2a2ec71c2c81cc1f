"""Find a person everywhere, for a request of that person (issue 16): data made the way
users make it (reports through the Meldpunt's API, a subject registered from one by an
analyst, a relation, a case and a hand-over), searched as the privacy officer — who sees
every team's data here, sealed reports included — then confirmed, rejected and decided."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from baken.audit.models import AuditEntry
from baken.core.refusals import Refused
from baken.core.roles import Role
from baken.rights import finding, services
from baken.rights.models import Hit, HitKind, StepKind
from tests.rights.helpers import BIRTH, BSN, KVK, NAME, NUMBER, POSTCODE, file, person_everywhere

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(make_user):
    return person_everywhere(make_user)


def search(person, record=True, **criteria):
    with translation.override("nl"):
        return finding.find(
            actor=person.officer,
            pk=person.request.pk,
            criteria=finding.Criteria.of(**criteria),
            record=record,
        )


def ids(group) -> set[int]:
    return {item.object_id for item in group.items}


def item(group, pk):
    return next(i for i in group.items if i.object_id == pk)


def test_by_name_and_birth_date_everything_about_her_is_found_with_reasons(person):
    found = search(person, name=NAME, birth_date=date.fromisoformat(BIRTH))
    subject = item(found.subjects, person.subject.pk)
    assert subject.reasons[:2] == ["Zelfde naam: ‘Geertruida Wolfswinkel’", "Zelfde geboortedatum"]
    # Named in a report with a typo and only an initial, never linked to her as a subject.
    named = item(found.reports, person.named.pk)
    assert named.reasons == [
        "Noemt persoon ‘G. Wolfswinkl’: Vergelijkbare naam: “Geertruida Wolfswinkel” en "
        "“G. Wolfswinkl”; Zelfde geboortedatum (niet gekoppeld aan een geregistreerde "
        "betrokkene)"
    ]
    registered = item(found.reports, person.registered.pk)
    assert "Beoordeeld als dezelfde als geregistreerde betrokkene" in registered.reasons[0]
    described = item(found.reports, person.described.pk)
    assert described.reasons == [f"De naam staat in de beschrijving: ‘{NAME}’"]
    assert person.other.pk not in ids(found.reports)
    assert person.addressed.pk not in ids(found.reports)  # no address was given
    # What hangs on her: the relation, the case holding her report, who got it.
    assert ids(found.relations) == {person.relation.pk}
    assert ids(found.cases) == {person.case.pk}
    handover = item(found.handovers, person.handover.pk)
    assert "ontvanger: Belastingdienst (De Belastingdienst)" in handover.lines
    assert "grondslag: Artikel 13 Wpg" in handover.lines
    # Nothing is confirmed by the search.
    assert not Hit.objects.exists()
    assert {i.state for g in found.groups for i in g.items} == {""}


def test_by_bsn_the_sealed_report_is_found_too(person):
    found = search(person, bsn=BSN)
    sealed = item(found.reports, person.sealed.pk)
    assert sealed.sealed and "afgeschermd: niemand werkt ermee" in sealed.lines
    assert sealed.reasons[0].startswith("Noemt persoon ‘Truus Wolfswinkel’: Zelfde BSN")
    assert ids(found.subjects) == {person.subject.pk}
    assert person.named.pk not in ids(found.reports)  # a name alone is not a BSN


def test_by_address_kvk_and_plate(person, make_user):
    plate = file(
        "Auto staat vaak voor de deur.",
        [{"type": "vehicle", "license_plate": "gw123k"}],
        person.analyst.team,
    )
    found = search(person, postcode="1781 ab", house_number=NUMBER, house_letter="A")
    addressed = item(found.reports, person.addressed.pk)
    assert addressed.reasons == ["Het adres van de melding is het adres van de verzoeker"]
    by_kvk = search(person, kvk_number=KVK)
    assert [i.label for i in by_kvk.subjects.items] == [
        f"Organisatie Garage Wolfswinkel B.V. (#{person.subject.pk + 1})"
    ]
    by_plate = search(person, license_plate="GW-123-K")
    assert (
        item(by_plate.reports, plate.pk)
        .reasons[0]
        .startswith("Noemt voertuig ‘GW-123-K’: Zelfde kenteken: GW-123-K")
    )
    assert POSTCODE == "1781AB"


def test_who_read_the_items_found_is_shown(person, login):
    client = login(person.analyst)
    assert client.get(f"/werkruimte/betrokkenen/{person.subject.pk}").status_code == 200
    found = search(person, bsn=BSN)
    assert [(r.who, r.action) for r in found.reads][:1] == [
        (str(person.analyst), "Betrokkene bekeken")
    ]
    assert found.reads[0].item == f"Persoon {NAME} (#{person.subject.pk})"
    assert found.reads[0].times == 1
    # One row per person, action and item: the analyst's many reads of the sealed report
    # while weighing it are one row with how often.
    rows = [(r.who, r.action, r.item) for r in found.reads]
    assert len(rows) == len(set(rows))
    sealed = [r for r in found.reads if person.sealed.reference in r.item]
    assert len(sealed) == 1 and sealed[0].times > 1


def test_confirm_reject_and_decide(person):
    request = person.request
    officer = person.officer
    found = search(person, name=NAME, birth_date=date.fromisoformat(BIRTH), bsn=BSN)
    subject = item(found.subjects, person.subject.pk)
    hit = services.hit_confirm(
        actor=officer,
        pk=request.pk,
        kind=HitKind.SUBJECT,
        object_id=person.subject.pk,
        reasons=subject.reasons,
    )
    again = services.hit_confirm(
        actor=officer, pk=request.pk, kind=HitKind.SUBJECT, object_id=person.subject.pk
    )
    assert again.pk == hit.pk and Hit.objects.count() == 1  # confirming twice: one hit
    assert hit.label == f"Persoon {NAME} (#{person.subject.pk})"
    assert hit.reasons == subject.reasons
    services.hit_confirm(
        actor=officer, pk=request.pk, kind=HitKind.REPORT, object_id=person.sealed.pk
    )
    services.hit_reject(
        actor=officer,
        pk=request.pk,
        kind=HitKind.REPORT,
        object_id=person.described.pk,
        reason="Gaat over de eigenaar van de loods, een naamgenoot.",
    )
    # Searched again: what was judged says so.
    again_found = search(person, record=False, name=NAME, bsn=BSN)
    assert item(again_found.subjects, person.subject.pk).state == "confirmed"
    assert item(again_found.reports, person.sealed.pk).state == "confirmed"
    assert item(again_found.reports, person.described.pk).state == "rejected"
    services.request_decide(
        actor=officer, pk=request.pk, outcome="granted", rationale="Overzicht verstrekt."
    )
    kinds = list(request.steps.values_list("kind", flat=True))
    assert kinds == [
        StepKind.REGISTERED,
        StepKind.SEARCHED,
        StepKind.CONFIRMED,
        StepKind.CONFIRMED,
        StepKind.REJECTED,
        StepKind.DECIDED,
    ]
    searched = request.steps.get(kind=StepKind.SEARCHED)
    assert searched.text == "Gezocht op naam en geboortedatum, BSN."  # never the values
    assert BSN not in "".join(request.steps.values_list("text", flat=True))
    actions = list(
        AuditEntry.objects.filter(object_type="rights.request", object_id=str(request.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "rights.request_register",
        "rights.search",
        "rights.hit_confirm",
        "rights.hit_confirm",
        "rights.hit_reject",
        "rights.search",
        "rights.request_decide",
    ]
    search_entry = AuditEntry.objects.filter(action="rights.search").first()
    assert search_entry.detail["subject"] == [person.subject.pk]
    assert NAME not in str(search_entry.detail) and BSN not in str(search_entry.detail)
    with pytest.raises(Refused) as decided:
        services.hit_confirm(
            actor=officer, pk=request.pk, kind=HitKind.CASE, object_id=person.case.pk
        )
    assert decided.value.code == "request_decided"


def test_bad_criteria_are_refused_per_field(person):
    with translation.override("nl"), pytest.raises(Refused) as refused:
        finding.Criteria.of(bsn="123456789", kvk_number="1234", postcode="12345", house_number=3)
    with translation.override("nl"):
        problems = {k: str(v) for k, v in refused.value.problems.items()}
    assert problems == {
        "bsn": "Dit is geen geldig BSN: negen cijfers die door de elfproef komen.",
        "kvk_number": "Een KvK-nummer heeft acht cijfers.",
        "postcode": "Vul een Nederlandse postcode in, zoals 1234 AB.",
    }
    with pytest.raises(Refused) as empty:
        finding.Criteria.of(name=" ")
    assert empty.value.code == "search_empty"


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.PRIVACY_OFFICER])
def test_no_other_role_may_search(person, make_user, role):
    written = AuditEntry.objects.count()
    with pytest.raises(Refused) as refused:
        finding.find(
            actor=make_user(role=role),
            pk=person.request.pk,
            criteria=finding.Criteria.of(name=NAME),
        )
    assert refused.value.status == 404
    assert AuditEntry.objects.count() == written


def test_the_search_does_not_grow_with_the_reports(person, settings):
    settings.RATELIMIT_ENABLE = False  # more reports than the Meldpunt takes from one client
    criteria = {"name": NAME, "birth_date": date.fromisoformat(BIRTH), "bsn": BSN}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            search(person, record=False, **criteria)
        return len(captured)

    before = queries()
    for n in range(8):
        file(
            f"Nog een melding over {NAME}, nummer {n}.",
            [{"type": "person", "name": NAME, "birth_date": BIRTH}],
            person.analyst.team,
        )
    assert queries() <= before + 1  # the same queries (a cache may save one), not one per report
