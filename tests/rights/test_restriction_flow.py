"""Restriction on a request (AVG art. 18), in the shapes it takes in practice (issue 16,
review findings 2-4): restricted while its accuracy is checked, then corrected, then lifted
(art. 18(1)(a)); a registered subject that was merged into another; and what a restricted
report or subject still reaches (hotspots, the category suggester, hand-over packages, the
report's subjects panel). The data as users make it (tests/rights/helpers)."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from baken.audit.models import AuditEntry
from baken.cases import services as case_services
from baken.cases import work
from baken.core.roles import Role
from baken.insights.hotspots import hotspots
from baken.reports import suggestions
from baken.rights import changes
from baken.rights.models import Hit
from baken.subjects import restriction as subject_restriction
from baken.subjects.models import Subject
from baken.subjects.services import subject_create_from, subject_merge
from tests.api.test_triage_api import auth
from tests.pdf import pdf_text
from tests.rights.helpers import NUMBER, POSTCODE, file, person_everywhere
from tests.rights.test_changes import _confirm, _page, _request

pytestmark = pytest.mark.django_db


# --- restrict, correct, lift (finding 2) -----------------------------------------------------


def test_a_restriction_is_lifted_after_the_item_was_corrected(make_user, verified_client, login):
    person = person_everywhere(make_user)
    officer, subject = person.officer, person.subject
    request = _request(officer, "rectification")
    subject_hit = _confirm(officer, request, "subject", subject.pk)
    report_hit = _confirm(officer, request, "report", person.named.pk)
    client = verified_client(officer)
    base = f"/verzoeken/{request.pk}/items"
    for hit in (subject_hit, report_hit):
        assert client.post(f"{base}/{hit.pk}/beperken").status_code == 302
    # While restricted, the officer checks the data and corrects it.
    changes.hit_correct_subject(
        actor=officer,
        pk=request.pk,
        hit_pk=subject_hit.pk,
        revision=0,
        changes={"birth_date": "1968-09-12"},
        reason="Geboortedatum nagegaan bij de BRP.",
    )
    corrected = Client().post(
        f"/api/v1/rights/requests/{request.pk}/hits/{report_hit.pk}/correction",
        {
            "revision": 0,
            "reason": "Naam nagegaan.",
            "changes": {"subjects": [{"type": "person", "name": "G. Wolfswinkel"}]},
        },
        content_type="application/json",
        **auth(officer),
    )
    assert corrected.status_code == 200, corrected.content

    page = _page(client, request)
    for hit in (subject_hit, report_hit):
        assert f"{base}/{hit.pk}/beperking-opheffen" in page
    items = Client().get(f"/api/v1/rights/requests/{request.pk}/changes", **auth(officer)).json()
    assert all(item["may_lift"] for item in items["items"])
    assert (
        client.post(
            f"{base}/{subject_hit.pk}/beperking-opheffen", {"reason": "Gecorrigeerd en nagegaan."}
        ).status_code
        == 302
    )
    lifted = Client().post(
        f"/api/v1/rights/requests/{request.pk}/hits/{report_hit.pk}/restriction/lift",
        {"reason": "Gecorrigeerd en nagegaan."},
        content_type="application/json",
        **auth(officer),
    )
    assert lifted.status_code == 200, lifted.content
    assert Subject.objects.get(pk=subject.pk).restricted_at is None
    analyst = login(person.analyst, test_client=Client())
    assert analyst.get(f"/werkruimte/betrokkenen/{subject.pk}").status_code == 200
    assert analyst.get(f"/werkruimte/meldingen/{person.named.pk}").status_code == 200
    assert AuditEntry.objects.filter(action="subject.restriction_lift").count() == 1


def test_a_restriction_made_on_another_request_is_not_lifted_on_this_one(make_user):
    person = person_everywhere(make_user)
    officer = person.officer
    first = _request(officer, "restriction")
    second = _request(officer, "objection")
    hit = _confirm(officer, first, "subject", person.subject.pk)
    other = _confirm(officer, second, "subject", person.subject.pk)
    changes.hit_restrict(actor=officer, pk=first.pk, hit_pk=hit.pk)
    with pytest.raises(changes.Refused) as refused:
        changes.hit_restriction_lift(actor=officer, pk=second.pk, hit_pk=other.pk, reason="x")
    assert refused.value.code == "not_restricted"
    row = next(r for r in changes.panel(actor=officer, request=second)["rows"])
    assert row.restricted and not row.can_lift
    assert Hit.objects.get(pk=hit.pk).handled == "restricted"


# --- a subject merged into another (finding 3) ---------------------------------------------


def _merged_twin(person):
    """'G. Wolfswinkl' of the second report, registered by the analyst as a subject of its
    own and then merged into the registered Geertruida Wolfswinkel."""
    twin = subject_create_from(
        report_subject=person.named.subjects.get(kind="person"), actor=person.analyst
    )
    subject_merge(keep=person.subject, merge=twin, actor=person.analyst, reason="Zelfde persoon.")
    return Subject.objects.get(pk=twin.pk)


def test_a_merged_subject_is_not_restricted_alone_and_the_refusal_names_the_other(
    make_user, verified_client
):
    person = person_everywhere(make_user)
    officer = person.officer
    twin = _merged_twin(person)
    request = _request(officer, "restriction")
    hit = _confirm(officer, request, "subject", twin.pk)
    client = verified_client(officer)
    assert f"/verzoeken/{request.pk}/items/{hit.pk}/beperken" not in _page(client, request)
    refused = Client().post(
        f"/api/v1/rights/requests/{request.pk}/hits/{hit.pk}/restriction", **auth(officer)
    )
    assert refused.status_code == 409 and refused.json()["code"] == "merged"
    assert f"#{person.subject.pk}" in refused.json()["detail"]
    assert "samengevoegd" in refused.json()["detail"]
    assert Subject.objects.get(pk=twin.pk).restricted_at is None


def test_restricting_the_subject_others_were_merged_into_hides_them_all(make_user, login):
    person = person_everywhere(make_user)
    officer, subject = person.officer, person.subject
    twin = _merged_twin(person)
    request = _request(officer, "restriction")
    hit = _confirm(officer, request, "subject", subject.pk)
    changes.hit_restrict(actor=officer, pk=request.pk, hit_pk=hit.pk)
    analyst = login(person.analyst, test_client=Client())
    for pk in (subject.pk, twin.pk):
        assert analyst.get(f"/werkruimte/betrokkenen/{pk}").status_code == 404
    panel = analyst.get(f"/werkruimte/betrokkenen/meldingen/{person.named.pk}/betrokkenen")
    assert panel.status_code == 200
    text = panel.content.decode()
    assert f"/werkruimte/betrokkenen/{subject.pk}" not in text
    assert f"/werkruimte/betrokkenen/{twin.pk}" not in text
    found = Client().get("/api/v1/search", {"q": "Wolfswinkl"}, **auth(person.analyst)).json()
    assert not {subject.pk, twin.pk} & {s["id"] for s in found["subjects"]}


def test_a_member_restricted_on_its_own_is_not_shown_on_the_subject_page(make_user, login):
    """A merged subject restricted by itself, as the earlier code did (the service refuses
    it now, so the row is set as it left it): the subject it was merged into no longer
    shows its name nor the report it was named in."""
    person = person_everywhere(make_user)
    twin = _merged_twin(person)
    with pytest.raises(changes.Refused):
        subject_restriction.subject_restrict(actor=person.officer, subject=twin, reference="V-1")
    Subject.objects.filter(pk=twin.pk).update(restricted_at=timezone.now(), restricted_for="V-1")
    analyst = login(person.analyst, test_client=Client())
    page = analyst.get(f"/werkruimte/betrokkenen/{person.subject.pk}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Wolfswinkl" not in text
    assert person.named.reference not in text
    assert person.registered.reference in text  # her own report stays
    assert analyst.get(f"/werkruimte/betrokkenen/{twin.pk}").status_code == 404


# --- what a restricted report still reached (finding 4) --------------------------------------


def _restricted(person, report) -> None:
    request = _request(person.officer, "restriction")
    hit = _confirm(person.officer, request, "report", report.pk)
    changes.hit_restrict(actor=person.officer, pk=request.pk, hit_pk=hit.pk)


def test_a_restricted_report_is_not_counted_in_an_address_hotspot(make_user):
    person = person_everywhere(make_user)
    for text in ("Weer stank uit de kelder.", "Stank en lawaai uit de kelder."):
        file(text, [], person.analyst.team, address={"postcode": POSTCODE, "house_number": NUMBER})
    today = timezone.localdate()

    def spots():
        found = hotspots(user=person.analyst, start=today - timedelta(days=7), end=today)
        return {h.key: h.count for h in found.addresses}

    assert spots().get(f"{POSTCODE}-{NUMBER}") == 3
    _restricted(person, person.addressed)
    assert f"{POSTCODE}-{NUMBER}" not in spots()  # two left: below the minimum of three


def test_the_category_suggester_does_not_learn_from_a_restricted_report(make_user):
    person = person_everywhere(make_user)
    texts, _labels = suggestions.training_examples()
    assert any("auto's rijden af en aan" in text for text in texts)
    _restricted(person, person.registered)
    texts, _labels = suggestions.training_examples()
    assert not any("auto's rijden af en aan" in text for text in texts)


def test_a_new_hand_over_leaves_a_restricted_report_out(make_user):
    person = person_everywhere(make_user)
    extra = file("Ook bij de garage: busjes 's nachts.", [], person.analyst.team)
    case_services.case_add_report(
        case=person.case, report=extra, actor=person.analyst, rationale="Zelfde garage."
    )
    _restricted(person, person.registered)
    lead = make_user(role=Role.TEAM_LEAD, team=person.analyst.team)
    handover, package = work.handover_record(
        case=person.case,
        recipient_kind="police",
        recipient="Politie Noord-Holland",
        what="De garage",
        legal_basis="Artikel 16 Wpg",
        actor=lead,
    )
    assert handover.reports == [extra.pk]
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        summary = pdf_text(archive.read("samenvatting.pdf"))
    assert extra.reference in summary
    assert person.registered.reference not in summary


def test_the_report_panel_does_not_tell_the_team_of_a_request(make_user, login):
    person = person_everywhere(make_user)
    request = _request(person.officer, "restriction")
    hit = _confirm(person.officer, request, "subject", person.subject.pk)
    changes.hit_restrict(actor=person.officer, pk=request.pk, hit_pk=hit.pk)
    analyst = login(person.analyst, test_client=Client())
    panel = analyst.get(f"/werkruimte/betrokkenen/meldingen/{person.registered.pk}/betrokkenen")
    assert panel.status_code == 200
    text = panel.content.decode().lower()
    assert "verzoek" not in text and "beperkt" not in text
    assert "nieuwe betrokkene aanmaken" not in text  # not offered to register her again
