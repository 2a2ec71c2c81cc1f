"""Reads of the privacy app for the privacy officer and the functional administrator: rules,
holds and runs, which name references and counts, never a report's or case's content."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.cases.models import Case
from baken.cases.selectors import case_list
from baken.core.actors import Actor
from baken.core.roles import Capability, Role
from baken.reports.models import Report
from baken.reports.selectors import report_list
from baken.subjects.models import Subject

from .models import (
    DestructionProposal,
    LegalHold,
    ProposalState,
    RetentionRule,
    RetentionRun,
    RuleKind,
    RuleState,
)
from .retention import Line, dry_runs, reports_unweighed
from .rules import BY_KIND, Default, rank


def may_read_rules(actor: Actor) -> bool:
    """The rules and their proposals: the privacy officer and the functional administrator."""
    return bool(
        actor.is_authenticated
        and (actor.can(Capability.RETENTION) or actor.can(Capability.CONFIGURE))
    )


def may_read_runs(actor: Actor) -> bool:
    """The runs, their statements, what is coming and the destruction list: the privacy
    officer."""
    return bool(actor.is_authenticated and actor.can(Capability.RETENTION))


@dataclass(frozen=True)
class RuleShown:
    rule: RetentionRule
    default: Default


def rules_in_force(*, actor: Actor) -> list[RuleShown]:
    if not may_read_rules(actor):
        return []
    rules = RetentionRule.objects.filter(state=RuleState.IN_FORCE).select_related(
        "decided_by", "case_type"
    )
    shown = sorted(rules, key=lambda rule: rank(rule.kind))
    return [RuleShown(rule, BY_KIND[rule.kind]) for rule in shown]


def rule_proposals(*, actor: Actor) -> QuerySet[RetentionRule]:
    if not may_read_rules(actor):
        return RetentionRule.objects.none()
    return RetentionRule.objects.filter(state=RuleState.PROPOSED).select_related(
        "proposed_by", "case_type"
    )


def may_hold(actor: Actor) -> bool:
    """The privacy officer holds anything; a team lead their own team's reports and cases."""
    return bool(
        actor.is_authenticated
        and (actor.can(Capability.RETENTION) or getattr(actor, "role", "") == Role.TEAM_LEAD)
    )


def holds_active(*, actor: Actor) -> QuerySet[LegalHold]:
    if not may_hold(actor):
        return LegalHold.objects.none()
    holds = LegalHold.objects.active().select_related("report", "case", "placed_by")
    if not (isinstance(actor, User) and actor.can(Capability.RETENTION)):  # a team lead
        team = getattr(actor, "team_id", None)
        holds = holds.filter(Q(report__team_id=team) | Q(case__team_id=team))
    return holds


# A subject's number as the statement of destruction and its page write it.
SUBJECT_NUMBER = re.compile(r"#\s*(\d{1,18})")


def hold_get(*, actor: Actor, pk: int) -> LegalHold | None:
    """A hold in force that the actor may lift: any, for the privacy officer; one on their own
    team's report or case, for a team lead. Another team's hold is None, as one that is not
    there."""
    return holds_active(actor=actor).filter(pk=pk).first()


def hold_target(*, actor: Actor, reference: str) -> Report | Case | Subject | None:
    """The report or case with this reference, or the subject with this number (#412, as its
    page shows it), that the actor may hold: any, for the privacy officer (by reference,
    without its content); for a team lead only the reports and cases they may know, so
    another team's reference reads as unknown, and no subject (subjects belong to no team)."""
    if not (isinstance(actor, User) and may_hold(actor)):
        return None
    reference = reference.strip().upper()
    number = SUBJECT_NUMBER.fullmatch(reference)
    if number:
        if not actor.can(Capability.RETENTION):
            return None
        return Subject.objects.filter(pk=int(number[1]), merged_into__isnull=True).first()
    if actor.can(Capability.RETENTION):
        return (
            Report.objects.filter(reference=reference).first()
            or Case.objects.filter(reference=reference).first()
        )
    return (
        report_list(user=actor, include_sealed=True).filter(reference=reference).first()
        or case_list(user=actor).filter(reference=reference).first()
    )


def runs_recent(*, actor: Actor, limit: int = 10) -> list[RetentionRun]:
    if not may_read_runs(actor):
        return []
    return list(RetentionRun.objects.prefetch_related("lines__rule")[:limit])


def run_get(*, actor: Actor, pk: int) -> RetentionRun | None:
    """One run, for its statement of destruction (privacy officer); the read is logged."""
    if not may_read_runs(actor):
        return None
    run = RetentionRun.objects.filter(pk=pk).first()
    if run is not None:
        audit_record(actor=actor, action=AuditAction.RETENTION_STATEMENT_READ, target=run)
    return run


@dataclass(frozen=True)
class Coming:
    now: list[Line]
    within_30_days: list[Line]


# The retention page counts what is due up to this many per rule and then says "more than"
# (issue 18): with a run every night as many are due as were decided one day a period ago,
# so a real municipality sees exact figures; a backlog of hundreds of thousands (a bulk load
# never run over) would read that many index entries for each request of the page.
COMING_CAP = 10_000


def coming(*, actor: Actor, now: datetime | None = None, cap: int | None = None) -> Coming | None:
    """What is due now, and what will be within 30 days (dry runs: nothing changes). `cap`:
    a due count above it is given as `cap` with `found.more` (retention.dry_runs)."""
    if not may_read_runs(actor):
        return None
    now = now or timezone.now()
    # The two dry runs' figures, counted together: one aggregate per rule (dry_runs).
    at_now, within_30_days = dry_runs(now, now + timedelta(days=30), cap=cap)
    return Coming(now=at_now, within_30_days=within_30_days)


def destruction_list(*, actor: Actor) -> QuerySet[DestructionProposal]:
    """The closed cases on the destruction list, and those approved for the next run."""
    if not may_read_runs(actor):
        return DestructionProposal.objects.none()
    return DestructionProposal.objects.filter(
        state__in=[ProposalState.PROPOSED, ProposalState.APPROVED]
    ).select_related("case", "case__result", "rule", "decided_by")


UNWEIGHED_SHOWN = 200


def unweighed_list(*, actor: Actor) -> list[Report]:
    """The reports never weighed past the rule's period (the privacy officer's list): their
    reference, team, receipt and state, never their content; the oldest first, at most
    UNWEIGHED_SHOWN."""
    if not (isinstance(actor, User) and actor.can(Capability.RETENTION)):
        return []
    rule = RetentionRule.objects.filter(
        kind=RuleKind.REPORT_UNWEIGHED, state=RuleState.IN_FORCE
    ).first()
    if rule is None:
        return []
    return list(
        reports_unweighed(rule, timezone.now())
        .select_related("team")
        .only("reference", "received_at", "status", "team__name")
        .order_by("received_at")[:UNWEIGHED_SHOWN]
    )
