"""Writes of the privacy app: rule versions proposed and approved, legal holds placed and
lifted. Each service takes the actor and refuses on its own (core.refusals.Refused), and
records one audit entry inside the same transaction."""

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.cases.models import Case, CaseResult, CaseType
from baken.core.actors import Actor
from baken.core.refusals import Kind, Refused
from baken.core.roles import Capability, Role
from baken.reports.models import Report
from baken.subjects.models import Subject

from .models import (
    DestructionProposal,
    HoldReason,
    LegalHold,
    PeriodUnit,
    ProposalState,
    RetentionRule,
    RuleKind,
    RuleState,
)

LONGEST = {PeriodUnit.DAYS: 36500, PeriodUnit.MONTHS: 1200, PeriodUnit.YEARS: 100}


def _may(actor: Actor, capability: str) -> bool:
    return isinstance(actor, User) and actor.is_active and actor.can(capability)


def _forbidden() -> Refused:
    return Refused("forbidden", _("You are not allowed to do this."), kind=Kind.FORBIDDEN)


def _person(actor: Actor, capability: str) -> User:
    """The signed-in user who may use `capability`, or a refusal."""
    if not (isinstance(actor, User) and _may(actor, capability)):
        raise _forbidden()
    return actor


@transaction.atomic
def rule_propose(
    *,
    actor: Actor,
    kind: str,
    period_amount: int,
    period_unit: str,
    legal_source: str,
    explanation: str,
    case_type: int | None = None,
    case_result: str = "",
) -> RetentionRule:
    """A new version of the rule for `kind`, proposed by the functional administrator; in
    force once the privacy officer approves it. A rule for closed cases may hold for one case
    type (its id), one result (its code) or both; each such scope is a rule of its own, with
    its own versions in force. A kind and scope has at most one proposal at a time."""
    user = _person(actor, Capability.CONFIGURE)
    case_result = case_result.strip()
    problems = _scope_problems(kind, case_type, case_result)
    if kind not in RuleKind.values:
        problems["kind"] = _("Choose a kind of data.")
    if period_unit not in PeriodUnit.values:
        problems["period_unit"] = _("Choose days, months or years.")
    elif not 1 <= period_amount <= LONGEST[PeriodUnit(period_unit)]:
        problems["period_amount"] = _("A period is at least 1 and at most 100 years.")
    if not legal_source.strip():
        problems["legal_source"] = _("Name the legal source of this period.")
    if not explanation.strip():
        problems["explanation"] = _("Say why the rule changes.")
    if problems:
        raise Refused("rule_invalid", problems=problems)
    scope = {"kind": kind, "case_type_id": case_type, "case_result": case_result}
    if RetentionRule.objects.select_for_update().filter(**scope, state=RuleState.PROPOSED).exists():
        raise Refused(
            "rule_proposed_already",
            _("A change of this rule awaits the privacy officer's approval already."),
            kind=Kind.CONFLICT,
            field="kind",
        )
    latest = RetentionRule.objects.filter(kind=kind).aggregate(Max("version"))["version__max"]
    rule = RetentionRule.objects.create(
        **scope,
        version=(latest or 0) + 1,
        period_amount=period_amount,
        period_unit=period_unit,
        legal_source=legal_source.strip(),
        explanation=explanation.strip(),
        state=RuleState.PROPOSED,
        proposed_by=user,
        proposed_at=timezone.now(),
    )
    audit_record(actor=user, action=AuditAction.RETENTION_RULE_PROPOSE, target=rule)
    return rule


def _scope_problems(kind: str, case_type: int | None, case_result: str) -> dict:
    """What is wrong with a rule's scope: only closed cases have one, and it names a case
    type and a result code that exist (the code in a version of that type, if one is named)."""
    if case_type is None and not case_result:
        return {}
    if kind != RuleKind.CASE_CLOSED:
        message = _("Only the rule for closed cases can hold for one case type or result.")
        return {"case_type" if case_type is not None else "case_result": message}
    problems = {}
    if case_type is not None and not CaseType.objects.filter(pk=case_type).exists():
        problems["case_type"] = _("Choose a case type that exists.")
    results = CaseResult.objects.filter(code=case_result)
    if case_type is not None:
        results = results.filter(version__case_type_id=case_type)
    if case_result and not problems and not results.exists():
        problems["case_result"] = _("No version of this case type has a result with this code.")
    return problems


def _proposal(pk: int) -> RetentionRule:
    rule = RetentionRule.objects.select_for_update().filter(pk=pk).first()
    if rule is None:
        raise Refused("not_found", kind=Kind.NOT_FOUND)
    if rule.state != RuleState.PROPOSED:
        raise Refused(
            "rule_decided_already",
            _("This version has been decided on already."),
            kind=Kind.CONFLICT,
        )
    return rule


@transaction.atomic
def rule_approve(*, actor: Actor, pk: int, note: str = "") -> RetentionRule:
    """The privacy officer puts a proposed version in force; the one it replaces is
    superseded (kept, so earlier runs still name what they applied)."""
    user = _person(actor, Capability.RETENTION)
    rule = _proposal(pk)
    now = timezone.now()
    RetentionRule.objects.filter(
        kind=rule.kind,
        case_type=rule.case_type_id,
        case_result=rule.case_result,
        state=RuleState.IN_FORCE,
    ).update(state=RuleState.SUPERSEDED)
    rule.state, rule.decided_by, rule.decided_at = RuleState.IN_FORCE, user, now
    rule.decision_note = note.strip()
    rule.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=user, action=AuditAction.RETENTION_RULE_APPROVE, target=rule)
    return rule


@transaction.atomic
def rule_reject(*, actor: Actor, pk: int, note: str) -> RetentionRule:
    user = _person(actor, Capability.RETENTION)
    if not note.strip():
        raise Refused("note_required", _("Say why you reject this change."), field="note")
    rule = _proposal(pk)
    rule.state, rule.decided_by, rule.decided_at = RuleState.REJECTED, user, timezone.now()
    rule.decision_note = note.strip()
    rule.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=user, action=AuditAction.RETENTION_RULE_REJECT, target=rule)
    return rule


def _holder(actor: Actor, target: Report | Case | Subject | None) -> User:
    """The privacy officer holds anything; a team lead what belongs to their own team."""
    if not (isinstance(actor, User) and actor.is_active):
        raise _forbidden()
    if actor.can(Capability.RETENTION):
        return actor
    if actor.role != Role.TEAM_LEAD:
        raise _forbidden()
    if (
        isinstance(target, Report | Case)
        and target.team_id is not None
        and target.team_id == actor.team_id
    ):
        return actor
    # Another team's report or case, or a subject: a team lead may not know of it.
    raise Refused("not_found", kind=Kind.NOT_FOUND)


@transaction.atomic
def hold_place(
    *,
    actor: Actor,
    target: Report | Case | Subject,
    reason: str,
    explanation: str,
    until: date,
) -> LegalHold:
    """Keep `target` past its term until `until` (a Woo request, an objection, a court case,
    a request of the police): retention runs skip it and list it as held."""
    user = _holder(actor, target)
    problems = {}
    if reason not in HoldReason.values:
        problems["reason"] = _("Choose the reason of the hold.")
    if not explanation.strip():
        problems["explanation"] = _("Explain the hold: which request or case, and its reference.")
    if until <= timezone.localdate():
        problems["until"] = _("A hold ends after today.")
    if problems:
        raise Refused("hold_invalid", problems=problems)
    field = {Report: "report", Case: "case", Subject: "subject"}[type(target)]
    hold = LegalHold.objects.create(
        **{field: target},
        reason=reason,
        explanation=explanation.strip(),
        until=until,
        placed_by=user,
        placed_at=timezone.now(),
    )
    audit_record(
        actor=user,
        action=AuditAction.RETENTION_HOLD_PLACE,
        target=hold,
        detail={field: target.pk, "reason": reason, "until": until.isoformat()},
    )
    return hold


@transaction.atomic
def hold_lift(*, actor: Actor, pk: int, explanation: str) -> LegalHold:
    hold = LegalHold.objects.select_for_update().filter(pk=pk, lifted_at__isnull=True).first()
    if hold is None:
        raise Refused("not_found", kind=Kind.NOT_FOUND)
    user = _holder(actor, hold.report or hold.case or hold.subject)
    if not explanation.strip():
        raise Refused("explanation_required", _("Say why the hold ends."), field="explanation")
    hold.lifted_by, hold.lifted_at = user, timezone.now()
    hold.lift_explanation = explanation.strip()
    hold.save(update_fields=["lifted_by", "lifted_at", "lift_explanation"])
    audit_record(actor=user, action=AuditAction.RETENTION_HOLD_LIFT, target=hold)
    return hold


@transaction.atomic
def destruction_list_approve(*, actor: Actor) -> int:
    """The privacy officer approves every case on the destruction list; the next run destroys
    them. Returns how many were approved."""
    user = _person(actor, Capability.RETENTION)
    proposals = list(
        DestructionProposal.objects.select_for_update().filter(state=ProposalState.PROPOSED)
    )
    if not proposals:
        raise Refused("list_empty", _("No case is on the destruction list."), kind=Kind.CONFLICT)
    now = timezone.now()
    DestructionProposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
        state=ProposalState.APPROVED, decided_by=user, decided_at=now
    )
    audit_record(
        actor=user,
        action=AuditAction.RETENTION_LIST_APPROVE,
        target=Target("privacy.destructionproposal", "*"),
        detail={"cases": [p.case_id for p in proposals if p.case_id]},
    )
    return len(proposals)


@transaction.atomic
def destruction_list_remove(*, actor: Actor, pk: int, reason: str) -> DestructionProposal:
    """Take one case off the destruction list, with a reason: it is kept, and not proposed
    again under this version of the rule."""
    user = _person(actor, Capability.RETENTION)
    proposal = (
        DestructionProposal.objects.select_for_update()
        .filter(pk=pk, state__in=[ProposalState.PROPOSED, ProposalState.APPROVED])
        .first()
    )
    if proposal is None:
        raise Refused("not_found", kind=Kind.NOT_FOUND)
    if not reason.strip():
        raise Refused("reason_required", _("Say why this case is kept."), field="reason")
    proposal.state, proposal.decided_by, proposal.decided_at = (
        ProposalState.REMOVED,
        user,
        timezone.now(),
    )
    proposal.reason = reason.strip()
    proposal.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    audit_record(actor=user, action=AuditAction.RETENTION_LIST_REMOVE, target=proposal)
    return proposal
