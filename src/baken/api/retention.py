"""Retention and destruction over the API (docs/retention.md, issue 15): what the page
*Bewaren en vernietigen* (`/bewaren/`) does, through the same selectors and services
(baken.privacy.selectors, baken.privacy.services), so the rules, the audit entries and the
refusals are the page's own:

- the rules in force and the proposals (privacy officer, functional administrator); a new
  version proposed (functional administrator), approved or rejected (privacy officer);
- legal holds: listed, placed by reference and lifted (privacy officer: any; team lead: their
  own team's reports and cases; another team's reference or hold is 404, as one that is not
  there);
- the destruction list: read, approved, one case taken off with a reason (privacy officer);
- the recent runs, a run's statement of destruction as JSON and as PDF, and what is due now
  and within 30 days (privacy officer).

A role that may not use an endpoint gets 403 before its body is read.
"""

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.core.problems import problem
from baken.core.refusals import Kind, Refused
from baken.core.roles import Capability
from baken.privacy import selectors, services
from baken.privacy.models import (
    DestructionProposal,
    HoldReason,
    LegalHold,
    PeriodUnit,
    ProposalState,
    RetentionRule,
    RetentionRun,
    RuleKind,
    RuleState,
)
from baken.privacy.rules import BY_KIND
from baken.privacy.statement import statement_file_name, statement_of, statement_pdf

from .renderers import PdfRenderer
from .strict import StrictSerializer

# --- what the answers hold ------------------------------------------------------------------


class RetentionRuleSerializer(StrictSerializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=RuleKind.choices)
    kind_label = serializers.CharField(help_text="The kind of data in words.")
    case_type = serializers.IntegerField(
        allow_null=True,
        help_text="Closed cases only: the case type (its id) this rule holds for; null: every "
        "case type.",
    )
    case_result = serializers.CharField(
        allow_blank=True,
        help_text="Closed cases only: the result code this rule holds for; empty: every result.",
    )
    name = serializers.CharField(help_text="The kind and its scope in words, as the page names it.")
    version = serializers.IntegerField()
    period_amount = serializers.IntegerField()
    period_unit = serializers.ChoiceField(choices=PeriodUnit.choices)
    period = serializers.CharField(help_text="The period in words ('5 jaar').")
    counted_from = serializers.CharField(help_text="What the period is counted from, in words.")
    action = serializers.CharField(help_text="What happens when the period has passed.")
    legal_source = serializers.CharField()
    explanation = serializers.CharField(allow_blank=True)
    state = serializers.ChoiceField(choices=RuleState.choices)
    proposed_by = serializers.CharField(
        allow_null=True, help_text="Who proposed this version; null for Baken's default."
    )
    proposed_at = serializers.DateTimeField()
    decided_by = serializers.CharField(
        allow_null=True, help_text="Who approved or rejected it; null for Baken's default."
    )
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField(allow_blank=True)


def _name(user) -> str | None:
    return str(user) if user is not None else None


def _moment(value):
    return value.isoformat() if value is not None else None


def rule_data(rule: RetentionRule) -> dict:
    default = BY_KIND[rule.kind]
    return {
        "id": rule.pk,
        "kind": rule.kind,
        "kind_label": str(rule.get_kind_display()),
        "case_type": rule.case_type_id,
        "case_result": rule.case_result,
        "name": rule.label,
        "version": rule.version,
        "period_amount": rule.period_amount,
        "period_unit": rule.period_unit,
        "period": rule.period,
        "counted_from": str(default.counted_from),
        "action": str(default.action),
        "legal_source": rule.legal_source,
        "explanation": rule.explanation,
        "state": rule.state,
        "proposed_by": _name(rule.proposed_by),
        "proposed_at": rule.proposed_at.isoformat(),
        "decided_by": _name(rule.decided_by),
        "decided_at": _moment(rule.decided_at),
        "decision_note": rule.decision_note,
    }


class RetentionRulesSerializer(StrictSerializer):
    in_force = RetentionRuleSerializer(
        many=True, help_text="The rules in force: one per kind of data (and scope)."
    )
    proposals = RetentionRuleSerializer(
        many=True, help_text="Versions awaiting the privacy officer's approval."
    )


class LegalHoldSerializer(StrictSerializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(
        help_text="What is held: a report's (M-…) or case's (Z-…) reference; a subject by "
        "its number (#…)."
    )
    object_type = serializers.ChoiceField(choices=["report", "case", "subject"])
    reason = serializers.ChoiceField(choices=HoldReason.choices)
    reason_label = serializers.CharField()
    explanation = serializers.CharField()
    until = serializers.DateField(help_text="The last day the hold keeps it.")
    placed_by = serializers.CharField()
    placed_at = serializers.DateTimeField()
    lifted_by = serializers.CharField(allow_null=True)
    lifted_at = serializers.DateTimeField(allow_null=True)
    lift_explanation = serializers.CharField(allow_blank=True)


def hold_data(hold: LegalHold) -> dict:
    object_type = "report" if hold.report_id else "case" if hold.case_id else "subject"
    return {
        "id": hold.pk,
        "reference": hold.reference,
        "object_type": object_type,
        "reason": hold.reason,
        "reason_label": str(hold.get_reason_display()),
        "explanation": hold.explanation,
        "until": hold.until.isoformat(),
        "placed_by": str(hold.placed_by),
        "placed_at": hold.placed_at.isoformat(),
        "lifted_by": _name(hold.lifted_by),
        "lifted_at": _moment(hold.lifted_at),
        "lift_explanation": hold.lift_explanation,
    }


class DestructionProposalSerializer(StrictSerializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(help_text="The case's reference (Z-…).")
    closed_at = serializers.DateTimeField(allow_null=True, help_text="When the case was closed.")
    result = serializers.CharField(allow_null=True, help_text="The case's result, in words.")
    state = serializers.ChoiceField(choices=ProposalState.choices)
    state_label = serializers.CharField()
    rule_version = serializers.IntegerField(help_text="The version of the rule that proposed it.")
    proposed_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField(
        allow_blank=True, help_text="Why the case is kept, when it was taken off the list."
    )


def proposal_data(proposal: DestructionProposal) -> dict:
    case = proposal.case
    result = case.result if case is not None else None
    return {
        "id": proposal.pk,
        "reference": proposal.reference,
        "closed_at": _moment(case.closed_at) if case is not None else None,
        "result": result.name if result is not None else None,
        "state": proposal.state,
        "state_label": str(proposal.get_state_display()),
        "rule_version": proposal.rule.version,
        "proposed_at": proposal.proposed_at.isoformat(),
        "decided_at": _moment(proposal.decided_at),
        "reason": proposal.reason,
    }


class RunLineSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=RuleKind.choices)
    kind_label = serializers.CharField()
    name = serializers.CharField(help_text="The rule's kind and scope in words.")
    version = serializers.IntegerField(help_text="The version of the rule the run applied.")
    due = serializers.IntegerField()
    held = serializers.IntegerField()
    done = serializers.IntegerField(help_text="Destroyed, deleted or listed.")


class RetentionRunSerializer(StrictSerializer):
    id = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    finished = serializers.BooleanField(help_text="False: the run was stopped before its end.")
    started_by = serializers.CharField(
        allow_null=True, help_text="Who started it by hand; null for the nightly schedule."
    )
    request = serializers.CharField(
        allow_blank=True,
        help_text="A removal on a request of the person concerned (AVG art. 17): the "
        "request's reference, the reason in place of a rule (such a run has no lines); empty "
        "for a run of the rules.",
    )
    lines = RunLineSerializer(many=True)
    statement_url = serializers.CharField()


def _line(line) -> dict:
    rule = line.rule
    return {
        "kind": rule.kind,
        "kind_label": str(rule.get_kind_display()),
        "name": rule.label,
        "version": rule.version,
        "due": line.due,
        "held": line.held,
        "done": line.done,
    }


def _run_head(run: RetentionRun) -> dict:
    return {
        "id": run.pk,
        "started_at": run.started_at.isoformat(),
        "finished_at": _moment(run.finished_at),
        "finished": run.finished_at is not None,
        "started_by": _name(run.started_by),
        "request": run.request_reference,
    }


def run_data(run: RetentionRun) -> dict:
    return {
        **_run_head(run),
        "lines": [_line(line) for line in run.lines.all()],
        "statement_url": reverse("api:retention-run", args=[run.pk]),
    }


class StatementLineSerializer(RunLineSerializer):
    period = serializers.CharField()
    legal_source = serializers.CharField()
    approved_by = serializers.CharField(
        allow_null=True, help_text="Who approved this version; null for Baken's default rule."
    )
    approved_at = serializers.DateTimeField(allow_null=True)


class DestroyedItemSerializer(StrictSerializer):
    object_type = serializers.CharField(help_text="report, case or subject")
    reference = serializers.CharField(help_text="A random code; no name, address or text.")
    category = serializers.CharField(allow_blank=True, help_text="The category's code.")
    category_name = serializers.CharField(allow_blank=True)
    received_on = serializers.DateField(allow_null=True)
    decided_on = serializers.DateField(allow_null=True)
    decision = serializers.CharField(
        allow_blank=True, help_text="The decision's code, or a case's result code."
    )
    decision_label = serializers.CharField(allow_blank=True)
    shared_with = serializers.CharField(
        allow_blank=True, help_text="To whom it was shared (an organisation), if it was."
    )
    rule_kind = serializers.ChoiceField(
        choices=RuleKind.choices, allow_null=True, help_text="Null: removed on a request."
    )
    rule_name = serializers.CharField(
        help_text="The rule's kind and scope in words; for a removal on a request, the request."
    )
    rule_version = serializers.IntegerField(allow_null=True)
    destroyed_at = serializers.DateTimeField()


class StatementSerializer(StrictSerializer):
    run = RetentionRunSerializer(
        help_text="The run, without its lines (they are below, with their rules)."
    )
    lines = StatementLineSerializer(many=True)
    items = DestroyedItemSerializer(many=True)
    digest = serializers.CharField(
        allow_blank=True,
        help_text="SHA-256 of the statement, written when the run finished and in its audit "
        "entry; empty for a run that did not finish.",
    )
    digest_holds = serializers.BooleanField(
        help_text="The items still give the fingerprint: false means the statement was changed."
    )
    pdf_url = serializers.CharField()


def _date(value):
    return value.isoformat() if value is not None else None


def request_label(run: RetentionRun) -> str:
    return _("Request %(reference)s") % {"reference": run.request_reference}


def statement_data(run: RetentionRun) -> dict:
    found = statement_of(run)
    lines = []
    for line in found.lines:
        rule = line.rule
        lines.append(
            {
                **_line(line),
                "period": rule.period,
                "legal_source": rule.legal_source,
                "approved_by": _name(rule.decided_by),
                "approved_at": _moment(rule.decided_at),
            }
        )
    items = [
        {
            "object_type": item.object_type,
            "reference": item.reference,
            "category": item.category,
            "category_name": str(item.category_name or ""),  # type: ignore[attr-defined]
            "received_on": _date(item.received_on),
            "decided_on": _date(item.decided_on),
            "decision": item.decision,
            "decision_label": str(item.decision_label or ""),  # type: ignore[attr-defined]
            "shared_with": item.shared_with,
            "rule_kind": item.rule.kind if item.rule else None,
            "rule_name": item.rule.label if item.rule else request_label(run),
            "rule_version": item.rule.version if item.rule else None,
            "destroyed_at": item.destroyed_at.isoformat(),
        }
        for item in found.items
    ]
    return {
        "run": {
            **_run_head(run),
            "lines": [],
            "statement_url": reverse("api:retention-run", args=[run.pk]),
        },
        "lines": lines,
        "items": items,
        "digest": run.digest,
        "digest_holds": found.digest_holds,
        "pdf_url": reverse("api:retention-run-pdf", args=[run.pk]),
    }


class ComingSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=RuleKind.choices)
    kind_label = serializers.CharField()
    name = serializers.CharField(help_text="The rule's kind and scope in words.")
    version = serializers.IntegerField()
    due_now = serializers.IntegerField(help_text="Due if the run started now.")
    held_now = serializers.IntegerField(help_text="Of those, kept by a legal hold.")
    due_within_30_days = serializers.IntegerField(help_text="Due 30 days from now.")


class UnweighedSerializer(StrictSerializer):
    reference = serializers.CharField()
    team = serializers.CharField(allow_null=True)
    received_at = serializers.DateTimeField()
    status = serializers.CharField(help_text="The report's state (never weighed: before it).")


# --- what the requests hold -------------------------------------------------------------------


class RuleProposalRequestSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=RuleKind.choices)
    period_amount = serializers.IntegerField(
        min_value=1, max_value=36500, help_text="At most 100 years, in the unit given."
    )
    period_unit = serializers.ChoiceField(choices=PeriodUnit.choices)
    legal_source = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        help_text="The law, protocol or decision that sets this period (required).",
    )
    explanation = serializers.CharField(
        max_length=5000, allow_blank=True, help_text="Why the rule changes (required)."
    )
    case_type = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Closed cases only: the id of the case type the rule holds for; null or "
        "left out: every case type.",
    )
    case_result = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text="Closed cases only: the result code the rule holds for; empty or left out: "
        "every result.",
    )


class RuleDecisionRequestSerializer(StrictSerializer):
    note = serializers.CharField(
        max_length=5000,
        allow_blank=True,
        required=False,
        default="",
        help_text="A note with the decision; required to reject.",
    )


class HoldRequestSerializer(StrictSerializer):
    reference = serializers.CharField(
        max_length=20,
        help_text="The reference of the report (M-…) or case (Z-…) to hold, or the number "
        "of a subject (#412); one the user may not know is a 404, as one that does not exist.",
    )
    reason = serializers.ChoiceField(choices=HoldReason.choices)
    explanation = serializers.CharField(
        max_length=5000,
        allow_blank=True,
        help_text="Which request or case, with its reference; no names (required).",
    )
    until = serializers.DateField(help_text="The last day of the hold; after today.")


class HoldLiftRequestSerializer(StrictSerializer):
    explanation = serializers.CharField(
        max_length=5000, allow_blank=True, help_text="Why the hold ends (required)."
    )


class RemoveRequestSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=5000, allow_blank=True, help_text="Why this case is kept (required)."
    )


class ListApprovedSerializer(StrictSerializer):
    approved = serializers.IntegerField(help_text="How many cases the next run destroys.")


# --- who may ----------------------------------------------------------------------------------


def _rules_reader(request) -> None:
    if not selectors.may_read_rules(request.user):
        raise PermissionDenied


def _configurer(request) -> None:
    if not request.user.can(Capability.CONFIGURE):
        raise PermissionDenied


def _officer(request) -> None:
    if not selectors.may_read_runs(request.user):
        raise PermissionDenied


def _holder(request) -> None:
    if not selectors.may_hold(request.user):
        raise PermissionDenied


def _body(serializer_class, request) -> dict:
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data


_CONFLICT_DECIDED = problem("This version has been decided on already (`rule_decided_already`).")

# --- the views --------------------------------------------------------------------------------


class RuleCollectionView(APIView):
    @extend_schema(
        operation_id="retention_rules_list",
        responses={200: RetentionRulesSerializer},
        description="The retention rules in force, one per kind of data, in the page's order, "
        "and the versions awaiting approval (privacy officer, functional administrator).",
    )
    def get(self, request):
        _rules_reader(request)
        user = request.user
        return Response(
            {
                "in_force": [
                    rule_data(shown.rule) for shown in selectors.rules_in_force(actor=user)
                ],
                "proposals": [rule_data(rule) for rule in selectors.rule_proposals(actor=user)],
            }
        )

    @extend_schema(
        operation_id="retention_rules_propose",
        request=RuleProposalRequestSerializer,
        responses={
            201: RetentionRuleSerializer,
            409: problem(
                "A change of this rule (kind and scope) awaits approval already "
                "(`rule_proposed_already`)."
            ),
        },
        description="Propose a new version of a kind's rule (functional administrator); it is "
        "in force once the privacy officer approves it. A rule for closed cases may hold for "
        "one case type, one result code, or both (each scope a rule of its own). One proposal "
        "per kind and scope at a time.",
    )
    def post(self, request):
        _configurer(request)
        data = _body(RuleProposalRequestSerializer, request)
        rule = services.rule_propose(actor=request.user, **data)
        return Response(rule_data(rule), status=status.HTTP_201_CREATED)


class RuleApproveView(APIView):
    @extend_schema(
        operation_id="retention_rules_approve",
        request=RuleDecisionRequestSerializer,
        responses={200: RetentionRuleSerializer, 409: _CONFLICT_DECIDED},
        description="Put a proposed version in force (privacy officer); the version it "
        "replaces is kept as superseded.",
    )
    def post(self, request, pk: int):
        _officer(request)
        data = _body(RuleDecisionRequestSerializer, request)
        return Response(rule_data(services.rule_approve(actor=request.user, pk=pk, **data)))


class RuleRejectView(APIView):
    @extend_schema(
        operation_id="retention_rules_reject",
        request=RuleDecisionRequestSerializer,
        responses={200: RetentionRuleSerializer, 409: _CONFLICT_DECIDED},
        description="Reject a proposed version with a note (privacy officer; `note` required: "
        "400 `note_required`); the rule in force stays.",
    )
    def post(self, request, pk: int):
        _officer(request)
        data = _body(RuleDecisionRequestSerializer, request)
        return Response(rule_data(services.rule_reject(actor=request.user, pk=pk, **data)))


class HoldCollectionView(APIView):
    @extend_schema(
        operation_id="retention_holds_list",
        responses={200: LegalHoldSerializer(many=True)},
        description="The legal holds in force: every hold for the privacy officer, those on "
        "their own team's reports and cases for a team lead.",
    )
    def get(self, request):
        _holder(request)
        return Response([hold_data(hold) for hold in selectors.holds_active(actor=request.user)])

    @extend_schema(
        operation_id="retention_holds_place",
        request=HoldRequestSerializer,
        responses={
            201: LegalHoldSerializer,
            404: problem(
                "No report or case has this reference, no subject this number, or not one "
                "this user may hold (a team lead: another team's, or a subject)."
            ),
        },
        description="Keep a report or case past its term (privacy officer: any; team lead: "
        "their own team's), named by its reference, or a subject by its number (#412; "
        "privacy officer only), without reading its content.",
    )
    def post(self, request):
        _holder(request)
        data = _body(HoldRequestSerializer, request)
        target = selectors.hold_target(actor=request.user, reference=data["reference"])
        if target is None:
            raise Refused("not_found", kind=Kind.NOT_FOUND)
        hold = services.hold_place(
            actor=request.user,
            target=target,
            reason=data["reason"],
            explanation=data["explanation"],
            until=data["until"],
        )
        return Response(hold_data(hold), status=status.HTTP_201_CREATED)


class HoldLiftView(APIView):
    @extend_schema(
        operation_id="retention_holds_lift",
        request=HoldLiftRequestSerializer,
        responses={200: LegalHoldSerializer},
        description="End a hold before its date, with why (privacy officer: any; team lead: "
        "one on their own team's report or case; another team's is 404).",
    )
    def post(self, request, pk: int):
        _holder(request)
        if selectors.hold_get(actor=request.user, pk=pk) is None:
            raise NotFound  # another team's hold, or none: the same answer
        data = _body(HoldLiftRequestSerializer, request)
        hold = services.hold_lift(actor=request.user, pk=pk, explanation=data["explanation"])
        return Response(hold_data(hold))


class DestructionListView(APIView):
    @extend_schema(
        operation_id="retention_destruction_list",
        responses={200: DestructionProposalSerializer(many=True)},
        description="The closed cases on the destruction list, and those approved for the "
        "next run (privacy officer).",
    )
    def get(self, request):
        _officer(request)
        proposals = selectors.destruction_list(actor=request.user)
        return Response([proposal_data(proposal) for proposal in proposals])


class DestructionListApproveView(APIView):
    @extend_schema(
        operation_id="retention_destruction_list_approve",
        request=None,
        responses={
            200: ListApprovedSerializer,
            409: problem("No case is on the destruction list (`list_empty`)."),
        },
        description="Approve every case on the destruction list (privacy officer); the next "
        "run destroys them, with their reports that no other case holds.",
    )
    def post(self, request):
        _officer(request)
        return Response({"approved": services.destruction_list_approve(actor=request.user)})


class DestructionListRemoveView(APIView):
    @extend_schema(
        operation_id="retention_destruction_list_remove",
        request=RemoveRequestSerializer,
        responses={200: DestructionProposalSerializer},
        description="Take one case off the destruction list with a reason (privacy officer): "
        "it is kept, and not proposed again under this version of the rule.",
    )
    def post(self, request, pk: int):
        _officer(request)
        data = _body(RemoveRequestSerializer, request)
        proposal = services.destruction_list_remove(
            actor=request.user, pk=pk, reason=data["reason"]
        )
        return Response(proposal_data(proposal))


class RunListView(APIView):
    @extend_schema(
        operation_id="retention_runs_list",
        responses={200: RetentionRunSerializer(many=True)},
        description="The ten most recent retention runs, newest first, with their counts per "
        "rule (privacy officer).",
    )
    def get(self, request):
        _officer(request)
        return Response([run_data(run) for run in selectors.runs_recent(actor=request.user)])


def _run(request, pk: int) -> RetentionRun:
    _officer(request)
    run = selectors.run_get(actor=request.user, pk=pk)  # logs the read, as the page does
    if run is None:
        raise NotFound
    return run


class RunStatementView(APIView):
    @extend_schema(
        operation_id="retention_runs_statement",
        responses={200: StatementSerializer},
        description="A run's statement of destruction, as the page shows it: per rule the "
        "counts, per destroyed object its reference, category, dates, decision, to whom it "
        "was shared and the rule; no name, address or text of what was destroyed (privacy "
        "officer). Each read is an audit entry (`retention.statement_read`).",
    )
    def get(self, request, pk: int):
        return Response(statement_data(_run(request, pk)))


class RunStatementPdfView(APIView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        operation_id="retention_runs_statement_pdf",
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The statement of destruction (PDF)."
            )
        },
        description="A run's statement of destruction as PDF (privacy officer); each read is "
        "an audit entry.",
    )
    def get(self, request, pk: int):
        found = statement_of(_run(request, pk))
        response = HttpResponse(statement_pdf(found), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{statement_file_name(found)}"'
        return response


class ComingView(APIView):
    @extend_schema(
        operation_id="retention_coming",
        responses={200: ComingSerializer(many=True)},
        description="Per rule in force: what a run would find due now, how much of it is "
        "held, and what will be due within 30 days (privacy officer). Counted, nothing "
        "changes.",
    )
    def get(self, request):
        _officer(request)
        found = selectors.coming(actor=request.user)
        if found is None:  # pragma: no cover (the officer's check above)
            raise PermissionDenied
        later = {line.rule.pk: line.found.due for line in found.within_30_days}
        return Response(
            [
                {
                    "kind": line.rule.kind,
                    "kind_label": str(line.rule.get_kind_display()),
                    "name": line.rule.label,
                    "version": line.rule.version,
                    "due_now": line.found.due,
                    "held_now": line.found.held,
                    "due_within_30_days": later.get(line.rule.pk, 0),
                }
                for line in found.now
            ]
        )


class UnweighedView(APIView):
    @extend_schema(
        operation_id="retention_unweighed",
        responses={200: UnweighedSerializer(many=True)},
        description="The reports never weighed past the rule's period, oldest first, at most "
        "200 (privacy officer): reference, team, receipt and state only, never content, so the "
        "officer can ask the team why.",
    )
    def get(self, request):
        _officer(request)
        return Response(
            [
                {
                    "reference": report.reference,
                    "team": report.team.name if report.team else None,
                    "received_at": report.received_at.isoformat(),
                    "status": report.status,
                }
                for report in selectors.unweighed_list(actor=request.user)
            ]
        )
