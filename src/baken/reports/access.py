"""The one access path to a report, for the pages and the API alike (ADR 0027).

`report_for(actor, pk, action)` finds the report as this user may see it and refuses with
core.refusals.Refused: not_found (404) when they may not know of it — exactly as for one
that does not exist — and forbidden (403) when they may know it but their role may not do
`action` (permissions.ALLOWED). A sealed report (decided 'no action', reports/sealing.py) is
not found for anyone, except in a request of the page view in which its team lead opened it
with a reason. It records the read once (a panel of a page view that logged it already
records none: baken.audit.page_views). The pages get their 404/403 page from
core.refusals.RefusalMiddleware, the API its problem+json from its exception handler.
"""

from django.utils.translation import gettext_lazy as _

from baken.audit.page_views import page_view_covers
from baken.audit.services import Target
from baken.core.refusals import Kind, Refused
from baken.core.roles import Capability

from . import sealing, selectors
from .models import Report
from .permissions import can

NOT_FOUND = "not_found"  # the codes DRF's NotFound and PermissionDenied gave the API
FORBIDDEN = "permission_denied"


def as_id(value) -> int:
    """An id from a URL, a form or a JSON body; anything that is not a number is refused as
    not found, like an id that does not exist."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Refused(NOT_FOUND, kind=Kind.NOT_FOUND) from None


def refuse_unless(actor, action: str) -> None:
    """403 unless the actor's role may do `action` on a report it may see."""
    if not can(actor, action):
        raise Refused(FORBIDDEN, _("You are not allowed to do this."), kind=Kind.FORBIDDEN)


def report_for(
    actor,
    pk,
    action: str | None = None,
    *,
    parts: list[str] | None = None,
    request=None,
    part: str = "",
    log: bool = True,
) -> Report:
    """The report `pk` for `actor` to do `action` (None: to read it).

    `parts`: what of the report this request shows (the read's detail). `request` and `part`:
    the panel of the report page this request loads; it records no second read when it
    carries the token of the page view that recorded one (baken.audit.page_views)."""
    pk = as_id(pk)
    if request is not None and part:
        covered = page_view_covers(request, target=Target("reports.report", str(pk)), part=part)
        log = log and not covered
        parts = parts or [part]
    report = selectors.report_get(user=actor, pk=pk, parts=parts, log=log)
    if report is None and action is None and request is not None and part:
        # Only to read, within the page view that opened it (its opening was the read).
        report = sealing.covers(request, pk=pk, part=part)
    if report is None:
        raise Refused(NOT_FOUND, kind=Kind.NOT_FOUND)
    if action is not None:
        refuse_unless(actor, action)
    return report


# --- the names the other apps' views still use --------------------------------------------


def int_or_404(value) -> int:
    return as_id(value)


def report_or_404(request, pk, *, part: str = "", parts: list[str] | None = None) -> Report:
    return report_for(request.user, pk, parts=parts, request=request, part=part)


# --- the same rule as a pure check, for the services ----------------------------------------


def require(actor, report: Report | int, action: str) -> None:
    """Refuse unless `actor` may know `report` (not_found, as for one that does not exist)
    and their role may do `action` (forbidden): the rule of report_for, for the write
    services of this app, which call it first and refuse on their own (a management command
    or another surface cannot skip it; ADR 0027). Records nothing: the page or API call that
    looked the report up recorded the read. One small query: the report's current team and
    person decide, not the caller's copy. Baken itself (core.actors.SYSTEM) and the public
    reporter know no report here, so they are refused as not_found."""
    pk = report if isinstance(report, int) else report.pk
    if not selectors.report_list(user=actor).filter(pk=pk).exists():
        raise Refused(NOT_FOUND, kind=Kind.NOT_FOUND)
    refuse_unless(actor, action)


# --- the privacy officer, on a request of the person a report is about ----------------------


def may_act_on_request(actor) -> bool:
    """Whether `actor` carries out requests of data subjects (AVG art. 16-18: correct,
    restrict and lift): the privacy officer (Capability.RIGHTS), who knows no report through
    a team's scope. That the report was confirmed to be about the requester is the rights
    app's to check (rights/changes.py). Baken itself and the public reporter may not."""
    return bool(
        getattr(actor, "is_authenticated", False)
        and getattr(actor, "is_active", False)
        and actor.can(Capability.RIGHTS)
    )
