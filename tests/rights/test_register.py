"""The request register's services as the privacy officer uses them: registering a request,
its deadline and the one extension, notes, the decision; every step in the timeline and the
audit log; bad input refused with a Dutch message per field and nothing written; every other
role refused as if there were no request."""

from datetime import date

import pytest
from django.utils import timezone, translation

from baken.audit.models import AuditEntry
from baken.core.refusals import Refused
from baken.core.roles import Role
from baken.rights import selectors, services
from baken.rights.models import Request, RequestState, Step, StepKind

pytestmark = pytest.mark.django_db
OTHER_ROLES = [r for r in Role.values if r != Role.PRIVACY_OFFICER]


@pytest.fixture
def officer(make_user):
    return make_user(role=Role.PRIVACY_OFFICER)


def register(officer, **changes):
    fields = {
        "kind": "access",
        "requester_name": "Jan de Vries",
        "requester_birth_date": date(1980, 3, 14),
        "requester_address": "Havenstraat 12\n1234 AB Havenwaard",
        "identity_verified": "Paspoort getoond aan de balie, nummer genoteerd",
        "description": "Wil weten welke gegevens de gemeente over hem heeft.",
        "received_on": date(2026, 1, 31),
    }
    fields.update(changes)
    return services.request_register(actor=officer, **fields)


def entries(action: str, request: Request) -> int:
    return AuditEntry.objects.filter(
        action=action, object_type="rights.request", object_id=str(request.pk)
    ).count()


def test_a_request_gets_a_reference_and_a_deadline_one_calendar_month_on(officer):
    first = register(officer)
    second = register(officer, received_on=date(2026, 1, 15))
    leap = register(officer, received_on=date(2024, 1, 31))
    year = timezone.localdate().year
    assert (first.reference, second.reference) == (f"V-{year}-0001", f"V-{year}-0002")
    assert first.deadline == date(2026, 2, 28)  # no 31 February: the month's last day
    assert second.deadline == date(2026, 2, 15)
    assert leap.deadline == date(2024, 2, 29)
    assert first.state == RequestState.OPEN and first.due == first.deadline
    assert [s.kind for s in first.steps.all()] == [StepKind.REGISTERED]
    assert entries("rights.request_register", first) == 1


def test_the_deadline_is_extended_once_by_two_months_with_a_reason(officer):
    request = register(officer)
    with pytest.raises(Refused) as refused:
        services.request_extend(actor=officer, pk=request.pk, reason="  ")
    assert refused.value.code == "extension_reason_missing"
    assert Request.objects.get(pk=request.pk).extended_until is None
    extended = services.request_extend(
        actor=officer, pk=request.pk, reason="Veel gegevens in vijf casussen."
    )
    assert extended.extended_until == date(2026, 4, 28)  # the deadline (28 Feb) + 2 months
    assert extended.due == date(2026, 4, 28)
    with pytest.raises(Refused) as again:
        services.request_extend(actor=officer, pk=request.pk, reason="Nog meer tijd nodig.")
    assert again.value.code == "request_extended_already" and again.value.status == 409
    assert Request.objects.get(pk=request.pk).extended_until == date(2026, 4, 28)
    assert entries("rights.request_extend", request) == 1
    step = request.steps.get(kind=StepKind.EXTENDED)
    assert step.text == "Veel gegevens in vijf casussen."


def test_bad_input_is_refused_per_field_in_dutch_and_nothing_is_written(officer):
    with pytest.raises(Refused) as refused:
        register(
            officer,
            kind="wish",
            requester_name=" ",
            requester_birth_date=date(2090, 1, 1),
            identity_verified="",
            description="",
            received_on=date(2099, 1, 1),
        )
    with translation.override("nl"):
        messages = {field: str(message) for field, message in refused.value.problems.items()}
    assert messages == {
        "kind": "Kies het soort verzoek.",
        "requester_name": "Vul de naam in van de persoon die het vraagt.",
        "requester_birth_date": "Een geboortedatum kan niet in de toekomst liggen.",
        "identity_verified": "Vul in hoe de identiteit is gecontroleerd (bijvoorbeeld: "
        "paspoort getoond aan de balie).",
        "description": "Vul in wat de persoon vraagt.",
        "received_on": "De datum van ontvangst kan niet in de toekomst liggen.",
    }
    assert (
        not Request.objects.exists()
        and not AuditEntry.objects.filter(action__startswith="rights.").exists()
    )


def test_a_decision_needs_its_rationale_and_closes_the_request(officer):
    request = register(officer)
    with pytest.raises(Refused) as refused:
        services.request_decide(actor=officer, pk=request.pk, outcome="granted", rationale=" ")
    assert set(refused.value.problems) == {"rationale"}
    assert Request.objects.get(pk=request.pk).state == RequestState.OPEN
    services.request_note(actor=officer, pk=request.pk, text="Gebeld: komt langs op dinsdag.")
    decided = services.request_decide(
        actor=officer, pk=request.pk, outcome="partly", rationale="Twee meldingen niet verstrekt."
    )
    assert decided.state == RequestState.DECIDED and decided.decided_by == officer
    with pytest.raises(Refused) as late:
        services.request_extend(actor=officer, pk=request.pk, reason="Te laat.")
    assert late.value.code == "request_decided"
    # A note still goes in: what was sent, a call afterwards.
    services.request_note(actor=officer, pk=request.pk, text="Brief verstuurd.")
    kinds = [s.kind for s in Step.objects.filter(request=request)]
    assert kinds == ["registered", "note", "decided", "note"]
    assert entries("rights.request_decide", request) == 1
    assert entries("rights.request_note", request) == 2


def test_reading_the_list_and_a_request_is_logged(officer):
    request = register(officer)
    assert list(selectors.request_list(actor=officer)) == [request]
    assert selectors.request_get(actor=officer, pk=request.pk) == request
    assert AuditEntry.objects.filter(action="rights.request_list").count() == 1
    assert entries("rights.request_read", request) == 1


def test_the_list_filters_by_state_overdue_and_kind(officer):
    today = timezone.localdate()
    late = register(officer, received_on=date(2026, 1, 2), kind="erasure")
    fresh = register(officer, received_on=today)
    decided = register(officer, received_on=date(2026, 1, 3))
    services.request_decide(actor=officer, pk=decided.pk, outcome="granted", rationale="Inzage.")

    def listed(**filters):
        return [r.pk for r in selectors.request_list(actor=officer, today=today, **filters)]

    assert listed() == [late.pk, fresh.pk, decided.pk]  # open by due date first
    assert listed(overdue=True) == [late.pk]
    assert set(listed(overdue=False)) == {fresh.pk, decided.pk}
    assert listed(state="decided") == [decided.pk]
    assert listed(kind="erasure") == [late.pk]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_is_refused_as_if_there_were_no_request(make_user, officer, role):
    request = register(officer)
    other = make_user(role=role)
    written = AuditEntry.objects.count()
    calls = [
        lambda: register(other),
        lambda: services.request_note(actor=other, pk=request.pk, text="x"),
        lambda: services.request_extend(actor=other, pk=request.pk, reason="x"),
        lambda: services.request_decide(
            actor=other, pk=request.pk, outcome="granted", rationale="x"
        ),
        lambda: services.hit_confirm(actor=other, pk=request.pk, kind="subject", object_id=1),
        lambda: services.hit_reject(actor=other, pk=request.pk, kind="subject", object_id=1),
        lambda: selectors.request_list(actor=other),
        lambda: selectors.request_get(actor=other, pk=request.pk),
    ]
    for call in calls:
        with pytest.raises(Refused) as refused:
            call()
        assert refused.value.status == 404
    assert AuditEntry.objects.count() == written
    assert Request.objects.count() == 1 and request.steps.count() == 1


def test_the_same_key_twice_registers_one_request(officer):
    import uuid

    key = uuid.uuid4()
    first = register(officer, request_key=key)
    with pytest.raises(services.RequestRegisteredAlready) as again:
        register(officer, request_key=key, description="Iets anders.")
    assert again.value.request == first and again.value.status == 409
    assert Request.objects.count() == 1 and Step.objects.count() == 1
    assert entries("rights.request_register", first) == 1
    assert register(officer, request_key=uuid.uuid4()) != first
    assert Request.objects.count() == 2
