"""A removal on a request keeps what a legal hold keeps, wherever it sits in what would go
with the confirmed items: a report merged into a report of a removed case, or into a removed
report (issue 16, review finding 1). The data as users make it: reports filed through the
Meldpunt's API, merged by the analyst, a case opened on one of them, a hold placed by the
privacy officer."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from baken.privacy import services as privacy_services
from baken.privacy.models import LegalHold, RetentionRun
from baken.reports.duplicates import report_merge
from baken.reports.models import Report
from baken.rights import changes
from baken.rights.models import Hit, Step
from tests.api.test_triage_api import auth
from tests.rights.helpers import file, person_everywhere
from tests.rights.test_changes import _confirm, _page, _request

pytestmark = pytest.mark.django_db


def _held_duplicate(person) -> Report:
    """A second report about the garage, held for a court case, merged by the analyst into
    the report the case was opened on."""
    duplicate = file(
        "Weer drukte bij de garage van Wolfswinkel, nu ook overdag.", [], person.analyst.team
    )
    privacy_services.hold_place(
        actor=person.officer,
        target=duplicate,
        reason="court",
        explanation="Rechtszaak 26/4411 over de garage.",
        until=timezone.localdate() + timedelta(days=120),
    )
    report_merge(
        leading=person.registered,
        duplicate=duplicate,
        actor=person.analyst,
        reason="Dezelfde melding over de garage.",
    )
    return duplicate


def test_a_hold_on_a_report_merged_into_a_removed_cases_report_refuses_the_removal(
    make_user, verified_client
):
    person = person_everywhere(make_user)
    officer = person.officer
    duplicate = _held_duplicate(person)
    request = _request(officer, "erasure")
    hit = _confirm(officer, request, "case", person.case.pk)
    client = verified_client(officer)

    page = _page(client, request)
    assert f"{person.case.reference}, vastgehouden tot" in page
    refused = client.post(
        f"/verzoeken/{request.pk}/verwijderen", {"items": [str(hit.pk)], "confirm": "on"}
    )
    assert refused.status_code == 400
    assert "bewaarplicht" in refused.content.decode()
    api = Client().post(
        f"/api/v1/rights/requests/{request.pk}/removal",
        {"hits": [hit.pk]},
        content_type="application/json",
        **auth(officer),
    )
    assert api.status_code == 409 and api.json()["code"] == "held"
    # Nothing went: the case, its report, the held duplicate and its hold.
    assert Report.objects.filter(pk=duplicate.pk).exists()
    assert Report.objects.filter(pk=person.registered.pk).exists()
    assert LegalHold.objects.filter(report=duplicate).exists()
    assert not RetentionRun.objects.exists()
    assert Hit.objects.get(pk=hit.pk).handled == ""


def test_a_hold_on_a_merged_report_refuses_removing_the_report_it_was_merged_into(make_user):
    person = person_everywhere(make_user)
    officer = person.officer
    duplicate = _held_duplicate(person)
    request = _request(officer, "erasure")
    hit = _confirm(officer, request, "report", person.registered.pk)
    with pytest.raises(changes.Refused) as refused:
        changes.hits_remove(actor=officer, pk=request.pk, hit_pks=[hit.pk])
    assert refused.value.code == "held"
    assert LegalHold.objects.filter(report=duplicate).exists()


def test_without_the_hold_the_case_goes_with_the_merged_report(make_user):
    person = person_everywhere(make_user)
    officer = person.officer
    duplicate = _held_duplicate(person)
    hold = LegalHold.objects.get(report=duplicate)
    privacy_services.hold_lift(actor=officer, pk=hold.pk, explanation="Rechtszaak is voorbij.")
    request = _request(officer, "erasure")
    hit = _confirm(officer, request, "case", person.case.pk)
    run = changes.hits_remove(actor=officer, pk=request.pk, hit_pks=[hit.pk])
    assert not Report.objects.filter(pk__in=[duplicate.pk, person.registered.pk]).exists()
    assert duplicate.reference in set(run.destroyed.values_list("reference", flat=True))


# --- what the request register keeps of what was removed (finding 5) -------------------------


def test_after_a_removal_the_register_names_no_third_party(make_user, verified_client):
    """Her case ('Garage Wolfswinkel'), her registration and her relation to the garage's
    company, removed on her request: the confirmed items and the timeline keep them by
    number only — here and on her earlier access request, which confirmed the relation."""
    person = person_everywhere(make_user)
    officer = person.officer
    earlier = _confirm(officer, person.request, "relation", person.relation.pk)
    request = _request(officer, "erasure")
    hits = [
        _confirm(officer, request, "case", person.case.pk),
        _confirm(officer, request, "subject", person.subject.pk),
        _confirm(officer, request, "relation", person.relation.pk),
    ]
    assert any("Garage" in h.label for h in hits)
    changes.hits_remove(
        actor=officer, pk=request.pk, hit_pks=[h.pk for h in hits if h.kind != "relation"]
    )

    labels = dict(Hit.objects.values_list("pk", "label"))
    assert labels[hits[0].pk] == f"Casus #{person.case.pk}"
    assert labels[hits[1].pk] == f"Betrokkene #{person.subject.pk}"
    assert labels[hits[2].pk] == labels[earlier.pk] == f"Relatie #{person.relation.pk}"
    for text in Step.objects.values_list("text", flat=True):
        assert "Garage" not in text and "directeur" not in text, text
    page = _page(verified_client(officer), request)
    assert f"Casus #{person.case.pk}" in page and "Garage Wolfswinkel" not in page
