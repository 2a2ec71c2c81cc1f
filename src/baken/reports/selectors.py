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
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet, Subquery

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.core.memo import memoised
from baken.core.roles import Role

from .models import Report
from .workflow import Status

INTAKE_QUEUE = [Status.RECEIVED, Status.IN_TRIAGE, Status.AWAITING_REPORTER]
# Sealed from the moment of the decision 'no action' (reports/sealing.py), and while the
# report is restricted on a request of the person it is about (reports/restriction.py).
SEALED = Q(status=Status.NO_ACTION) | Q(restricted_at__isnull=False)

# Rules of apps above this one: each gives the reports it shares with a user, as querysets of
# rows with a `report_id` whose union they are (cases: the case reports of the user's current
# memberships); asked with a team, only those whose report is of another team (or none).
_SHARED: list[Callable[[User, int | None], list[QuerySet]]] = []


def share_reports(rule: Callable[[User, int | None], list[QuerySet]]) -> None:
    """Let analysts and case handlers also see the reports `rule(user, None)` gives: querysets
    of rows with a `report_id`, whose union they are, read from the user's side (their
    memberships) first. `rule(user, team)` gives only those of them whose report is of
    another team than `team` or of none, by the team the rule's owner keeps of each report
    (true in the transaction that changes the team), so that the rest are left out before any
    report is read."""
    if rule not in _SHARED:
        _SHARED.append(rule)


def _any(terms: list[Q]) -> Q:
    either = terms[0]
    for term in terms[1:]:
        either |= term
    return either


def _shared_ids(user: User, outside_team: int | None) -> list[QuerySet]:
    """The ids of the reports the rules share with the user, as querysets whose union they
    are; with `outside_team`, only those of another team (or none)."""
    return [rows.values("report_id") for rule in _SHARED for rows in rule(user, outside_team)]


def _shared_with(user: User, outside_team: int | None = None) -> Q:
    """The reports a rule shares with the user: `id IN (their ids)`, a set the database
    builds from the user's side (a few thousand rows from the membership index).

    An analyst sees every report of their team anyway: for them it is asked with
    `outside_team`, and the set is that of the reports of their cases outside it, a handful
    where the whole set is 40,000 for a member of 20,000 cases (ADR 0035)."""
    if not _SHARED:
        return Q(pk__in=[])
    return _any([Q(pk__in=ids) for ids in _shared_ids(user, outside_team)])


class _AnyOf(Func):
    """`id = ANY(ARRAY(subquery))` (PostgreSQL): the subquery is read once, first, and its
    ids are looked up in the primary key. An `id IN (subquery)` the planner may turn around
    (read every report, test each against the set), and for a busy analyst it did."""

    arg_joiner = " = ANY(ARRAY"
    template = "(%(expressions)s))"
    output_field = BooleanField()
    conditional = True


def _shared_from_user(user: User, outside_team: int | None = None) -> Q:
    """_shared_with, written so that the database starts from the user's side: their
    memberships (case_member_current_idx), their cases' reports, then those reports by id.
    For the inbox's part of the reports of the user's cases (reports/inbox.py)."""
    if not _SHARED or connection.vendor != "postgresql":
        return _shared_with(user, outside_team)
    return _any([Q(_AnyOf(F("pk"), Subquery(ids))) for ids in _shared_ids(user, outside_team)])


def _not_shared_with(user: User) -> Q:
    """The negation of _shared_with, as NOT EXISTS per report: a NOT IN would have the
    database build the whole shared set (100,000 case reports for a busy analyst) to leave a
    few reports out; this looks each one up (case_report's report index, the membership)."""
    if not _SHARED:
        return Q()
    rows = [rows for rule in _SHARED for rows in rule(user, None)]
    return ~_any([Q(Exists(part.filter(report_id=OuterRef("pk")))) for part in rows])


@dataclass(frozen=True)
class ScopePart:
    q: Q  # the part
    negated: Q  # not the part, as the database best excludes it
    # The part written to be read from the user's side (their memberships), not from an
    # index of the reports; None for a part an index of the reports serves.
    from_user: Q | None = None
    # The teams every report of the part is of (None in it: of no team), where the part
    # says so; None: any team. The inbox's filter by area reads only those teams'
    # memberships (places/areas.py in_area).
    teams: tuple[int | None, ...] | None = None
    # The states the part is limited to (`q` says so too), and the part without that limit
    # (`any_state`): a count of one of those states needs no list of states beside it.
    states: tuple[str, ...] | None = None
    any_state: Q | None = None


def scope_parts(user: User) -> list[ScopePart] | None:
    """The need-to-know scope of `user` as parts: the scope is the OR of the parts; the
    broad part comes last. None: no report at all.

    The parts let the inbox read each from its own index (reports/inbox.py `_scope_terms`):
    the team's queue from the team index, what is assigned to the user from the assignee
    index, and the reports of the user's cases from their memberships.

    Built once per user object (a request's user; a page asks several times: the inbox's
    counts and rows, the search's reports and subjects), and again when the role, team or
    state it is made of changed. The parts hold no rows: the memberships are subqueries,
    read when the query runs."""
    if not user.is_authenticated or not user.is_active:
        return None
    key = (user.pk, user.role, user.team_id)
    parts = memoised(user, "_scope_parts", key, lambda: _scope_parts(user))
    return None if parts is None else list(parts)


def _scope_parts(user: User) -> list[ScopePart] | None:
    # An active, logged-in user (scope_parts answers None for anyone else).
    assigned = ScopePart(Q(assignee=user), ~Q(assignee=user))
    team_q = Q(team=user.team_id) & Q(team__isnull=False)
    team = ScopePart(team_q, ~team_q, teams=(user.team_id,))
    if user.role in (Role.ANALYST, Role.CASE_HANDLER):
        if user.role == Role.CASE_HANDLER:
            shared = ScopePart(
                _shared_with(user), _not_shared_with(user), from_user=_shared_from_user(user)
            )
            return [assigned, shared]
        # The analyst sees their team's reports by the team part, so the shared part need
        # only hold the reports of their cases outside it (and the inbox reads it so).
        shared = ScopePart(
            _shared_with(user, user.team_id),
            _not_shared_with(user),
            from_user=_shared_from_user(user, user.team_id),
        )
        return [assigned, shared, team]
    if user.role == Role.INTAKE:
        # Two parts, each one range of the queue index (team, in queue, received): the
        # reports not yet routed to a team, and those of their own team.
        states = tuple(INTAKE_QUEUE)
        unrouted = Q(status__in=INTAKE_QUEUE) & Q(team__isnull=True)
        own = Q(status__in=INTAKE_QUEUE) & team_q
        return [
            ScopePart(
                unrouted, ~unrouted, teams=(None,), states=states, any_state=Q(team__isnull=True)
            ),
            ScopePart(own, ~own, teams=(user.team_id,), states=states, any_state=team_q),
        ]
    if user.role == Role.TEAM_LEAD:
        return [team]
    return None


def _visible(user: User) -> Q | None:
    parts = scope_parts(user)
    if parts is None:
        return None
    return _any([part.q for part in parts])


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
