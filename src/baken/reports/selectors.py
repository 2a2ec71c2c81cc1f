"""Reading reports, always scoped to what the requesting user may see (docs/product.md#roles).

- intake officer: the intake queue — reports not yet past triage;
- analyst: reports of their team, assigned to them, or of a case they are a member of;
- case handler: reports assigned to them, and the reports of the cases they are a member of;
- team lead: every report of their team;
- management, functional administrator, privacy officer: no report content at all.

A report decided 'no action' is sealed (docs/retention.md, "Afgeschermd: besluit geen
actie"), and so is a report restricted on a request (AVG art. 18, reports/restriction.py):
it is in nobody's list, search, map or panel, and nobody reads it here. Only the
team lead of its team opens it, one page view at a time with a reason (reports/sealing.py).
Counts that must stay (the dashboard's hotspots) ask for `include_sealed=True`.

Which reports a case shares with its members is the cases app's to say: it registers that
rule at start-up (`share_reports`, from CasesConfig.ready), so that reports, below cases in
the order of the apps (docs/adr/0026-layers-of-apps.md), need not import it.
"""

from collections.abc import Callable

from django.db.models import Q, QuerySet

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.core.roles import Role

from .models import Report
from .workflow import Status

INTAKE_QUEUE = [Status.RECEIVED, Status.IN_TRIAGE, Status.AWAITING_REPORTER]
# Sealed from the moment of the decision 'no action' (reports/sealing.py), and while the
# report is restricted on a request of the person it is about (reports/restriction.py).
SEALED = Q(status=Status.NO_ACTION) | Q(restricted_at__isnull=False)

# Rules of apps above this one: each gives the ids of the reports it shares with a user.
_SHARED: list[Callable[[User], QuerySet]] = []


def share_reports(rule: Callable[[User], QuerySet]) -> None:
    """Let analysts and case handlers also see the reports `rule(user)` gives the ids of."""
    if rule not in _SHARED:
        _SHARED.append(rule)


def _shared_with(user: User) -> Q:
    terms = [Q(pk__in=rule(user)) for rule in _SHARED]
    if not terms:
        return Q(pk__in=[])
    shared = terms[0]
    for term in terms[1:]:
        shared |= term
    return shared


def _visible(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role == Role.INTAKE:
        return Q(status__in=INTAKE_QUEUE) & (Q(team__isnull=True) | Q(team=user.team_id))
    if user.role == Role.ANALYST:
        # The broad part last (reports/inbox.py counts the scope part by part).
        return (
            Q(assignee=user) | _shared_with(user) | (Q(team=user.team_id) & Q(team__isnull=False))
        )
    if user.role == Role.CASE_HANDLER:
        return Q(assignee=user) | _shared_with(user)
    if user.role == Role.TEAM_LEAD:
        return Q(team=user.team_id) & Q(team__isnull=False)
    return None


def report_list(*, user: User, include_sealed: bool = False) -> QuerySet[Report]:
    """The reports `user` may see, sealed ones left out. `include_sealed`: for a count that
    keeps them (never for what lists, shows or searches reports)."""
    scope = _visible(user)
    if scope is None:
        return Report.objects.none()
    rows = Report.objects.filter(scope)
    if not include_sealed:
        rows = rows.exclude(SEALED)
    # Category and subjects are shown with every report: fetch them in two extra queries.
    return rows.select_related("category", "team").prefetch_related("subjects", "attachments")


def report_family(*, user: User, report: Report, relation: str) -> QuerySet[Report]:
    """The reports merged into `report` (relation "merged_into") or split off it
    ("split_from") that this user may see.

    The few ids come first from the relation's own index: almost every report has none, so
    the database's statistics see one huge group of NULLs and would otherwise read the user's
    whole scope in date order to find them."""
    ids = Report.objects.filter(**{relation: report}).values("pk")
    return report_list(user=user).filter(pk__in=ids)


def report_get(
    *, user: User, pk: int, parts: list[str] | None = None, log: bool = True
) -> Report | None:
    """The report if the user may see it, the read logged with the parts shown (`parts`).
    `log=False` only for a panel of a page view that logged this read already
    (baken.audit.page_views): one page view is one read entry."""
    report = report_list(user=user).filter(pk=pk).first()
    if report is not None and log:
        detail = {"parts": parts} if parts else None
        audit_record(actor=user, action=AuditAction.REPORT_READ, target=report, detail=detail)
    return report


def report_list_logged(*, user: User, reports: list[Report]) -> None:
    """Record which reports a list showed (ids only)."""
    if reports:
        audit_record(
            actor=user,
            action=AuditAction.REPORT_LIST,
            target=Target("reports.report", "*"),
            detail={"ids": [r.pk for r in reports]},
        )
