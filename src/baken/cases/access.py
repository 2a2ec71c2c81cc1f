"""The one access path to a case, for the pages and the API alike (ADR 0027).

`case_for(actor, pk, action)` finds the case as this user may see it (selectors.case_list:
its current members and the team lead of its team) and refuses with core.refusals.Refused:
not_found (404) when they may not know of it — exactly as for one that does not exist — and
forbidden (403) when they may know it but may not do `action` (permissions.may_work,
may_steer). It records the read once.

`require(actor, case, action)` is the same rule as a pure check, for the services: every
write service of the cases app calls it first and refuses on its own (a management command
or another surface cannot skip it), without a second audit entry for the read — the page or
API that looked the case up with case_for recorded that one already.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from baken.core.refusals import Kind, Refused
from baken.reports.access import FORBIDDEN, NOT_FOUND, as_id

from . import selectors
from .models import Case
from .permissions import may_steer, may_work


class CaseAction(StrEnum):
    READ = "read"  # see the case, its timeline and its reports' references
    WORK = "work"  # answer criteria, move on, notes, tasks, sources, interventions, hand-overs
    STEER = "steer"  # close, reopen, membership, the case handler


ALLOWED = {
    CaseAction.READ: lambda actor, case: True,
    CaseAction.WORK: may_work,
    CaseAction.STEER: may_steer,
}


def refuse_unless(actor, case: Case, action: CaseAction | str) -> None:
    if not ALLOWED[CaseAction(action)](actor, case):
        raise Refused(FORBIDDEN, _("You are not allowed to do this."), kind=Kind.FORBIDDEN)


def require(actor, case: Case, action: CaseAction | str) -> None:
    """Refuse unless `actor` may know `case` (not_found, as for one that does not exist) and
    do `action` in it (forbidden). Records nothing: a pure check (the explicit system actor
    sees no case's content, so it is refused as not_found). The case is read again: the
    rule is the one of its current handler and team, not of the caller's copy."""
    current = selectors.case_list(user=actor).filter(pk=case.pk).first()
    if current is None:
        raise Refused(NOT_FOUND, kind=Kind.NOT_FOUND)
    refuse_unless(actor, current, action)


def case_for(actor, pk, action: CaseAction | str = CaseAction.READ) -> Case:
    """The case `pk` for `actor` to do `action`, its read recorded."""
    case = selectors.case_get(user=actor, pk=as_id(pk))
    if case is None:
        raise Refused(NOT_FOUND, kind=Kind.NOT_FOUND)
    refuse_unless(actor, case, action)
    return case
