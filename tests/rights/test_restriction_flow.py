"""Restriction on a request (AVG art. 18), in the shapes it takes in practice (issue 16,
review findings 2-4): restricted while its accuracy is checked, then corrected, then lifted
(art. 18(1)(a)); a registered subject that was merged into another; and what a restricted
report or subject still reaches (hotspots, the category suggester, hand-over packages, the
report's subjects panel). The data as users make it (tests/rights/helpers)."""

import pytest
from django.test import Client

from baken.audit.models import AuditEntry
from baken.rights import changes
from baken.rights.models import Hit
from baken.subjects.models import Subject
from tests.api.test_triage_api import auth
from tests.rights.helpers import person_everywhere
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
