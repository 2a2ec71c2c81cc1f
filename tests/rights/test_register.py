"""The request register's services as the privacy officer uses them: registering a request,
its deadline and the one extension, notes, confirming and rejecting hits, the decision; every
step in the timeline and the audit log, and everyone else refused as if nothing were there."""

from datetime import date

import pytest
from django.utils import translation

from baken.audit.models import AuditEntry
from baken.core.refusals import Refused
from baken.core.roles import Role
from baken.rights import selectors, services
from baken.rights.models import HitKind, RequestState, StepKind

pytestmark = pytest.mark.django_db


def _register(officer, **changes):
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


def test_a_request_is_registered_with_a_reference_and_its_deadline(make_user):
    officer = make_user(role=Role.PRIVACY_OFFICER)
    first = _register(officer)
    second = _register(officer, received_on=date(2026, 1, 15))
    assert first.reference.startswith("V-") and first.reference.endswith("-0001")
    assert second.reference.endswith("-0002")
    assert first.deadline == date(2026, 2, 28)  # one calendar month, the month's last day
    assert second.deadline == date(2026, 2, 15)
    assert [s.kind for s in first.steps.all()] == [StepKind.REGISTERED]
    assert AuditEntry.objects.filter(
        action="rights.request_register", object_id=str(first.pk)
    ).exists()
