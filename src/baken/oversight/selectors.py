"""Reads of the access review for the privacy officer (Capability.AUDIT): the flags, one flag
with its entries, and the weekly access report. Each read of a page or an API answer is an
audit entry: the list with the flags it showed, a flag, the report with its week."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.core.actors import Actor
from baken.core.roles import Capability

from .access_report import AccessReport, access_report_of
from .models import AccessFlag, ReviewState
from .weeks import Week

OPEN, REVIEWED = "open", "reviewed"  # the list's two broad states, beside each review state
LIST = Target("oversight.accessflag", "*")


def may_review(actor: Actor) -> bool:
    return bool(actor.is_authenticated and actor.can(Capability.AUDIT))


@dataclass(frozen=True)
class FlagFilter:
    state: str = ""  # "open", "reviewed", a ReviewState, or "" for every flag
    kind: str = ""
    user_id: int | None = None
    since: date | None = None
    until: date | None = None


def flag_list(*, actor: Actor, filters: FlagFilter | None = None) -> QuerySet[AccessFlag]:
    """The flags that match, the newest day first (nothing for anyone but the officer). The
    caller logs what it shows with `flags_shown`."""
    if not may_review(actor):
        return AccessFlag.objects.none()
    filters = filters or FlagFilter()
    flags = AccessFlag.objects.select_related("user", "user__team", "reviewed_by")
    if filters.state == OPEN:
        flags = flags.filter(state=ReviewState.OPEN)
    elif filters.state == REVIEWED:
        flags = flags.filter(~Q(state=ReviewState.OPEN))
    elif filters.state:
        flags = flags.filter(state=filters.state)
    if filters.kind:
        flags = flags.filter(kind=filters.kind)
    if filters.user_id is not None:
        flags = flags.filter(user_id=filters.user_id)
    if filters.since:
        flags = flags.filter(day__gte=filters.since)
    if filters.until:
        flags = flags.filter(day__lte=filters.until)
    return flags.order_by("-day", "kind", "user__last_name", "pk")


def flags_shown(*, actor: Actor, flags: list[AccessFlag]) -> None:
    """Record one read of the list with the flags it showed (ids only)."""
    audit_record(
        actor=actor,
        action=AuditAction.ACCESS_FLAG_LIST,
        target=LIST,
        detail={"ids": [flag.pk for flag in flags]},
    )


def flag_get(*, actor: Actor, pk: int) -> AccessFlag | None:
    """One flag, its read logged; None for anyone but the officer and for no such flag."""
    if not may_review(actor):
        return None
    flag = (
        AccessFlag.objects.select_related("user", "user__team", "reviewed_by").filter(pk=pk).first()
    )
    if flag is not None:
        audit_record(actor=actor, action=AuditAction.ACCESS_FLAG_READ, target=flag)
    return flag


def flag_reviews(flag: AccessFlag) -> list:
    return list(flag.reviews.select_related("by").order_by("at", "pk"))


def flagged_users(*, actor: Actor) -> list[User]:
    """The users who have a flag, for the list's filter."""
    if not may_review(actor):
        return []
    return list(
        User.objects.filter(pk__in=AccessFlag.objects.values("user_id")).order_by(
            "last_name", "first_name", "username"
        )
    )


def access_report(*, actor: Actor, week: Week, form: str = "page") -> AccessReport | None:
    """The weekly access report of `week`, its read logged with the week and the form it took
    (page, pdf, json); None for anyone but the officer."""
    if not may_review(actor):
        return None
    audit_record(
        actor=actor,
        action=AuditAction.ACCESS_REPORT_READ,
        target=None,
        detail={"week": week.label, "form": form},
    )
    return access_report_of(week)
