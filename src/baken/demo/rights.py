"""A request of a data subject in the demo (docs/rights-of-data-subjects.md): Jan van der Berg,
the demo's main person, asked what the municipality holds about him. The privacy officer
registered it, searched for him and confirmed his registered subject and the reports that
name him by his date of birth; the access overview waits for her decisions. Idempotent:
nothing when a request exists."""

from datetime import date, timedelta

from django.utils import timezone

from baken.accounts.models import User
from baken.rights import finding, services
from baken.rights.models import Request, RequestKind

from .subjects import JAN

OFFICER = "privacy"


def demo_requests() -> int:
    """Register the demo request once; returns the number of items confirmed."""
    officer = User.objects.filter(username=OFFICER, is_demo=True).first()
    if officer is None or Request.objects.exists():
        return 0
    birth_date = date.fromisoformat(JAN["birth_date"])
    request = services.request_register(
        actor=officer,
        kind=RequestKind.ACCESS,
        requester_name=JAN["name"],
        requester_birth_date=birth_date,
        requester_address="Havenkade 12\n1781 AB Havenwaard",
        identity_verified="Paspoort getoond aan de balie van het Stadskantoor.",
        description="Wil weten welke gegevens de gemeente over hem heeft en aan wie die zijn "
        "gegeven.",
        received_on=timezone.localdate() - timedelta(days=9),
    )
    found = finding.find(
        actor=officer,
        pk=request.pk,
        criteria=finding.Criteria.of(name=JAN["name"], birth_date=birth_date),
    )
    confirmed = 0
    for group in (found.subjects, found.reports):
        for item in group.items:
            # Only what carries his date of birth: the rest is left for the officer to judge.
            if any(
                "geboortedatum" in reason.lower() or "birth" in reason.lower()
                for reason in item.reasons + [m.summary for m in item.mentions]
            ):
                services.hit_confirm(
                    actor=officer,
                    pk=request.pk,
                    kind=item.kind,
                    object_id=item.object_id,
                    reasons=item.reasons or [m.summary for m in item.mentions],
                )
                confirmed += 1
    return confirmed
