"""Cases over the API (issue "Werkruimte III", item 11): the list and one case the user may
see, opening one from reports in further analysis, criteria answers, the steps of a case
(advance, close, reopen) and its membership. The same selectors, permissions and services as
the pages: 404 for a case the user may not see, 403 for a step their part in it does not
allow, problem+json for every refusal."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.accounts.models import User
from baken.audit.actions import AuditAction
from baken.audit.services import audit_record
from baken.cases import lookup, selectors, services, work
from baken.cases.access import CaseAction, case_for, refuse_unless
from baken.cases.facts import derived_states
from baken.cases.models import (
    Case,
    CaseAnswer,
    CaseMember,
    Intervention,
    InterventionState,
    InterventionType,
    Source,
    StageCriterion,
)
from baken.cases.pdf import accountability_pdf
from baken.cases.tasks_work import my_tasks, task_add, task_done
from baken.core.problems import invalid, problem
from baken.core.roles import Capability
from baken.reports.access import report_for
from baken.reports.permissions import Action
from baken.reports.selectors import report_list
from baken.subjects.selectors import subject_get

from .renderers import PdfRenderer, ZipRenderer
from .strict import StrictSerializer
from .work import refusal

_NOT_FOUND = problem("No such case, or not for this user to see.")


# --- what the answers hold (the OpenAPI document; the views write these shapes) -------------


class CaseSummarySerializer(StrictSerializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    stage = serializers.CharField(help_text="The code of the current stage.")
    closed = serializers.BooleanField()
    result = serializers.CharField(allow_null=True, help_text="The result's code once closed.")
    team = serializers.IntegerField(allow_null=True)
    handler = serializers.IntegerField(allow_null=True)
    opened_at = serializers.DateTimeField()


class CaseListSerializer(StrictSerializer):
    results = CaseSummarySerializer(many=True)
    more = serializers.BooleanField(help_text="Whether more cases matched than `limit`.")


class ChosenAnswerSerializer(StrictSerializer):
    choice = serializers.CharField()
    motivation = serializers.CharField()


class CaseCriterionSerializer(StrictSerializer):
    code = serializers.CharField()
    question = serializers.CharField()
    mandatory = serializers.BooleanField()
    choices = serializers.ListField(child=serializers.CharField())
    derived_from = serializers.CharField(
        allow_null=True, help_text="The fact of the case's records this criterion follows from."
    )
    explanation = serializers.CharField(allow_null=True)
    answer = ChosenAnswerSerializer(allow_null=True)


class CaseTypeVersionSerializer(StrictSerializer):
    code = serializers.CharField()
    version = serializers.IntegerField()


class CaseMembershipSerializer(StrictSerializer):
    user = serializers.IntegerField()
    since = serializers.DateTimeField()
    reason = serializers.CharField(allow_blank=True)


class CaseDecisionSerializer(StrictSerializer):
    kind = serializers.CharField()
    from_stage = serializers.CharField(allow_null=True)
    to_stage = serializers.CharField(allow_null=True)
    result = serializers.CharField(allow_null=True)
    rationale = serializers.CharField(allow_blank=True)
    author = serializers.IntegerField(allow_null=True)
    at = serializers.DateTimeField()


class CaseSerializer(CaseSummarySerializer):
    summary = serializers.CharField(allow_blank=True)
    case_type = CaseTypeVersionSerializer()
    criteria = CaseCriterionSerializer(many=True)
    open_criteria = serializers.ListField(child=serializers.CharField())
    reports = serializers.ListField(
        child=serializers.IntegerField(), help_text="The case's reports this user may see."
    )
    reports_not_shown = serializers.IntegerField(
        help_text="The case's reports this user may not see (another team's), counted."
    )
    members = CaseMembershipSerializer(many=True)
    decisions = CaseDecisionSerializer(many=True)


class ConsultationOutSerializer(StrictSerializer):
    id = serializers.IntegerField()
    source = serializers.CharField()  # type: ignore[assignment]
    purpose = serializers.CharField()
    state = serializers.CharField()
    decision_motivation = serializers.CharField(allow_blank=True)
    hit = serializers.BooleanField(allow_null=True)
    findings = serializers.CharField(allow_blank=True)


class ConsultationDecidedSerializer(StrictSerializer):
    id = serializers.IntegerField()
    state = serializers.CharField()


class InterventionChangeOutSerializer(StrictSerializer):
    at = serializers.DateTimeField()
    by = serializers.IntegerField(allow_null=True)
    state = serializers.CharField()
    end_date = serializers.DateField(allow_null=True)
    outcome = serializers.CharField(allow_blank=True)


class InterventionOutSerializer(StrictSerializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    legal_basis = serializers.CharField(allow_blank=True)
    responsible = serializers.CharField(allow_blank=True)
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    state = serializers.CharField()
    outcome = serializers.CharField(allow_blank=True)
    changes = InterventionChangeOutSerializer(many=True)


class HandoverNoticeOutSerializer(StrictSerializer):
    about = serializers.CharField()
    report = serializers.IntegerField(allow_null=True)
    subject = serializers.IntegerField(allow_null=True)
    by = serializers.IntegerField(allow_null=True)
    at = serializers.DateTimeField()


class HandoverOutSerializer(StrictSerializer):
    id = serializers.IntegerField()
    recipient_kind = serializers.CharField()
    recipient = serializers.CharField()
    what = serializers.CharField()
    legal_basis = serializers.CharField()
    by = serializers.IntegerField(allow_null=True)
    at = serializers.DateTimeField()
    package = serializers.CharField(help_text="The file name of the package handed over.")
    package_sha256 = serializers.CharField()
    subjects = serializers.ListField(child=serializers.IntegerField())
    reports = serializers.ListField(child=serializers.IntegerField())
    notices = HandoverNoticeOutSerializer(many=True)


class NoticeMadeSerializer(StrictSerializer):
    id = serializers.IntegerField()
    about = serializers.CharField()
    at = serializers.DateTimeField()


class CaseNoteOutSerializer(StrictSerializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    author = serializers.IntegerField(allow_null=True)
    at = serializers.DateTimeField()


class TaskOutSerializer(StrictSerializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField()
    title = serializers.CharField()
    assignee = serializers.IntegerField(allow_null=True)
    deadline = serializers.DateField()
    state = serializers.CharField()
    overdue = serializers.BooleanField()
    done_at = serializers.DateTimeField(allow_null=True)


class TaskListSerializer(StrictSerializer):
    results = TaskOutSerializer(many=True)


_FILE = {"type": "string", "format": "binary"}


def workspace_user(request) -> None:
    """The case lists are the workspace's, as on the pages: 401 without a login, 403 for a
    role without the workspace (management, administrator, privacy officer)."""
    if not request.user.is_authenticated:
        raise NotAuthenticated
    if not request.user.can(Capability.WORKSPACE):
        raise PermissionDenied


def case_summary(case: Case) -> dict:
    return {
        "id": case.pk,
        "reference": case.reference,
        "title": case.title,
        "stage": case.stage.code,
        "closed": case.is_closed,
        "result": case.result.code if case.result else None,
        "team": case.team_id,
        "handler": case.handler_id,
        "opened_at": case.opened_at.isoformat(),
    }


def _criterion_data(c: StageCriterion, answer: CaseAnswer | None, derived) -> dict:
    """A criterion with its answer: the handler's, or for a derived one (derived_from: the
    fact) its first choice while the fact holds, with the explanation as motivation."""
    data = {
        "code": c.code,
        "question": c.question,
        "mandatory": c.mandatory,
        "choices": c.choices,
        "derived_from": c.fact or None,
        "explanation": derived.explanation if derived else None,
    }
    if derived:
        met = {"choice": c.choices[0], "motivation": derived.explanation}
        return {**data, "answer": met if derived.met else None}
    return {
        **data,
        "answer": {"choice": answer.choice, "motivation": answer.motivation} if answer else None,
    }


def case_data(user, case: Case) -> dict:
    answers = {a.criterion_id: a for a in CaseAnswer.objects.filter(case=case)}
    criteria = list(StageCriterion.objects.filter(stage=case.stage_id))
    derived = derived_states(case, criteria)
    reports = list(case.reports.values_list("pk", flat=True))
    visible = set(report_list(user=user).filter(pk__in=reports).values_list("pk", flat=True))
    return {
        **case_summary(case),
        "summary": case.summary,
        "case_type": {"code": case.version.case_type.code, "version": case.version.number},
        "criteria": [_criterion_data(c, answers.get(c.pk), derived.get(c.pk)) for c in criteria],
        "open_criteria": [c.code for c in services.open_criteria(case)],
        # A report of the case this user may not see (another team's) is counted, not named.
        "reports": sorted(visible),
        "reports_not_shown": len(reports) - len(visible),
        "members": [
            {"user": m.user_id, "since": m.added_at.isoformat(), "reason": m.reason}
            for m in CaseMember.objects.filter(case=case, removed_at__isnull=True)
        ],
        "decisions": [
            {
                "kind": d.kind,
                "from_stage": d.from_stage.code if d.from_stage else None,
                "to_stage": d.to_stage.code if d.to_stage else None,
                "result": d.result.code if d.result else None,
                "rationale": d.rationale,
                "author": d.author_id,
                "at": d.at.isoformat(),
            }
            for d in case.decisions.select_related("from_stage", "to_stage", "result")
        ],
    }


class CaseOpenSerializer(StrictSerializer):
    reports = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=50)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    handler = serializers.IntegerField(required=False, allow_null=True, default=None)
    rationale = serializers.CharField(max_length=5000)


_LIST_PARAMETERS = [
    OpenApiParameter(
        "q",
        str,
        description="Only cases whose case number or title holds this text (an exact case "
        "number first; lower case or without dashes is found too). At most 100 characters.",
    ),
    OpenApiParameter(
        "workable",
        bool,
        description="true: only the running cases this user may add a report to (the "
        "candidates of POST /api/v1/cases/{id}/reports), never another team's.",
    ),
    OpenApiParameter(
        "limit",
        int,
        description=f"At most this many cases, 1 to {lookup.CASES_MAX} (default "
        f"{lookup.CASES_MAX}); `more` says whether more matched.",
    ),
]


def _list_params(request) -> tuple[str, bool, int]:
    """The list's parameters, or a problem naming the wrong one (never a 500)."""
    params = request.query_params
    workable = params.get("workable", "false").lower()
    if workable not in ("true", "false"):
        raise invalid("workable", "invalid", _("Use true or false."))
    limit = params.get("limit", str(lookup.CASES_MAX))
    digits = limit.lstrip("0") if limit.isascii() and limit.isdigit() else ""
    if not (0 < len(digits) <= 4 and int(digits) <= lookup.CASES_MAX):
        raise invalid(
            "limit", "invalid", _("Give a number from 1 to %(max)s.") % {"max": lookup.CASES_MAX}
        )
    return params.get("q", ""), workable == "true", int(limit)


class CaseCollectionView(APIView):
    @extend_schema(
        operation_id="cases_list",
        parameters=_LIST_PARAMETERS,
        responses={200: CaseListSerializer, 400: problem("A parameter is not valid.")},
        description="The cases this user may see, newest first, bounded by `limit`; with `q` "
        "a search by case number or title, with `workable=true` the running cases a report "
        "can be added to.",
    )
    def get(self, request):
        workspace_user(request)
        query, workable, limit = _list_params(request)
        scope = (
            selectors.workable_case_list(user=request.user)
            if workable
            else selectors.case_list(user=request.user)
        )
        cases, more = lookup.case_search(scope, query, limit)
        return Response({"results": [case_summary(c) for c in cases], "more": more})

    @extend_schema(
        operation_id="cases_open",
        request=CaseOpenSerializer,
        responses={
            201: CaseSerializer,
            404: problem("A report named is not one this user may know (need-to-know)."),
        },
        description="A case from one or more reports in further analysis (analyst, team "
        "lead); the reports move to linked_to_case.",
    )
    def post(self, request):
        workspace_user(request)
        body = CaseOpenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        reports = [report_for(request.user, pk) for pk in dict.fromkeys(data["reports"])]
        handler = None
        if data["handler"] is not None:
            handler = User.objects.filter(pk=data["handler"]).first()
            if handler is None:
                raise refusal({"handler": _("Not an active user of the case's team.")})
        # The service chooses the team (the first report's, else the user's) and refuses a
        # handler who is not an active analyst, case handler or team lead of it.
        case = services.case_open(
            reports=reports,
            title=data["title"],
            summary=data["summary"],
            handler=handler,
            actor=request.user,
            rationale=data["rationale"],
        )
        return Response(case_data(request.user, case), status=status.HTTP_201_CREATED)


class CaseDetailView(APIView):
    @extend_schema(operation_id="cases_retrieve", responses={200: CaseSerializer, 404: _NOT_FOUND})
    def get(self, request, pk: int):
        return Response(case_data(request.user, case_for(request.user, pk)))


class AnswerSerializer(StrictSerializer):
    criterion = serializers.CharField(help_text="The code of a criterion of the current stage.")
    choice = serializers.CharField(max_length=100)
    motivation = serializers.CharField(max_length=5000)


class CaseAnswerView(APIView):
    @extend_schema(
        operation_id="cases_answer",
        request=AnswerSerializer,
        responses=CaseSerializer,
        description="Answer a criterion of judgement of the current stage. A criterion with "
        "`derived_from` follows from the case's records and is refused (400, saying what the "
        "records hold): record the intervention, source research or hand-over instead.",
    )
    def post(self, request, pk: int):
        case = case_for(request.user, pk, CaseAction.WORK)
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        criterion = StageCriterion.objects.filter(
            stage=case.stage_id, code=body.validated_data["criterion"]
        ).first()
        if criterion is None:
            raise refusal({"criterion": _("Not a criterion of the case's current stage.")})
        services.case_answer(
            case=case,
            criterion=criterion,
            choice=body.validated_data["choice"],
            motivation=body.validated_data["motivation"],
            actor=request.user,
        )
        case.refresh_from_db()
        return Response(case_data(request.user, case))


class StepSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=["advance", "close", "reopen"])
    rationale = serializers.CharField(max_length=5000)
    result = serializers.CharField(required=False, help_text="For close: a result's code.")


class CaseStepView(APIView):
    @extend_schema(
        operation_id="cases_step",
        request=StepSerializer,
        responses=CaseSerializer,
        description="advance (members, the team lead): refused (400, naming each open "
        "mandatory criterion) while one is open; close with a result and reopen: the team "
        "lead and the case's handler.",
    )
    def post(self, request, pk: int):
        case = case_for(request.user, pk)
        body = StepSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        kind, rationale = body.validated_data["kind"], body.validated_data["rationale"]
        refuse_unless(
            request.user, case, CaseAction.WORK if kind == "advance" else CaseAction.STEER
        )
        # An open mandatory criterion is named as `criteria.<code>` (services.CaseRefused).
        if kind == "advance":
            case = services.case_advance(case=case, actor=request.user, rationale=rationale)
        elif kind == "close":
            result = case.version.results.filter(code=body.validated_data.get("result", "")).first()
            case = services.case_close(
                case=case, actor=request.user, result=result, rationale=rationale
            )
        else:
            case = services.case_reopen(case=case, actor=request.user, reason=rationale)
        return Response(case_data(request.user, case))


class MemberSerializer(StrictSerializer):
    user = serializers.IntegerField()
    reason = serializers.CharField(max_length=500)


class CaseMemberView(APIView):
    @extend_schema(
        operation_id="cases_members_add",
        request=MemberSerializer,
        responses={201: CaseSerializer},
    )
    def post(self, request, pk: int):
        case = case_for(request.user, pk, CaseAction.STEER)
        body = MemberSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = User.objects.filter(pk=body.validated_data["user"]).first()
        if user is None:
            raise refusal({"user": _("No such user.")})
        services.member_add(
            case=case, user=user, actor=request.user, reason=body.validated_data["reason"]
        )
        return Response(case_data(request.user, case), status=status.HTTP_201_CREATED)


class HandlerSerializer(StrictSerializer):
    handler = serializers.IntegerField(help_text="A current member of the case.")
    rationale = serializers.CharField(max_length=5000)


class CaseHandlerView(APIView):
    @extend_schema(
        operation_id="cases_handler_set",
        request=HandlerSerializer,
        responses=CaseSerializer,
        description="Appoint a current member (case handler, analyst or team lead) as the "
        "case handler, with the rationale: a decision on the case's timeline. The team lead "
        "and the current case handler.",
    )
    def post(self, request, pk: int):
        case = case_for(request.user, pk, CaseAction.STEER)
        body = HandlerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        handler = User.objects.filter(pk=body.validated_data["handler"]).first()
        changed = services.case_handler_set(
            case=case,
            handler=handler,
            actor=request.user,
            rationale=body.validated_data["rationale"],
        )
        return Response(case_data(request.user, changed))


class RemovalSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=500)


class CaseMemberRemoveView(APIView):
    @extend_schema(
        operation_id="cases_members_remove",
        request=RemovalSerializer,
        responses={204: OpenApiResponse(description="The member was removed.")},
    )
    def post(self, request, pk: int, user_pk: int):
        case = case_for(request.user, pk, CaseAction.STEER)
        user = get_object_or_404(User, pk=user_pk)
        body = RemovalSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.member_remove(
            case=case, user=user, actor=request.user, reason=body.validated_data["reason"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- the work inside a case ---------------------------------------------------------------


def _consultation_data(c) -> dict:
    return {
        "id": c.pk,
        "source": c.source.code,
        "purpose": c.purpose,
        "state": c.state,
        "decision_motivation": c.decision_motivation,
        "hit": c.hit,
        "findings": c.findings,
    }


class ConsultationSerializer(StrictSerializer):
    source = serializers.CharField(help_text="The code of an active source.")  # type: ignore[assignment]
    purpose = serializers.CharField(max_length=2000)


class CaseConsultationsView(APIView):
    @extend_schema(
        operation_id="cases_consultations_list", responses=ConsultationOutSerializer(many=True)
    )
    def get(self, request, pk: int):
        case = case_for(request.user, pk)
        return Response(
            [_consultation_data(c) for c in case.consultations.select_related("source")]
        )

    @extend_schema(
        operation_id="cases_consultations_request",
        request=ConsultationSerializer,
        responses={201: ConsultationOutSerializer},
        description="Ask to consult a source; the privacy officer approves or refuses it.",
    )
    def post(self, request, pk: int):
        case = case_for(request.user, pk, CaseAction.WORK)
        body = ConsultationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        source = Source.objects.filter(code=body.validated_data["source"], is_active=True).first()
        if source is None:
            raise refusal({"source": _("No active source with this code.")})
        made = work.consultation_request(
            case=case, source=source, purpose=body.validated_data["purpose"], actor=request.user
        )
        return Response(_consultation_data(made), status=status.HTTP_201_CREATED)


class ConsultationRecordSerializer(StrictSerializer):
    hit = serializers.BooleanField(required=False, allow_null=True, default=None)
    findings = serializers.CharField(required=False, allow_blank=True, default="")


class CaseConsultationView(APIView):
    @extend_schema(
        operation_id="cases_consultations_record",
        request=ConsultationRecordSerializer,
        responses=ConsultationOutSerializer,
        description="First `hit` (true or false), then, after a hit, `findings`.",
    )
    def post(self, request, pk: int, consultation_pk: int):
        case = case_for(request.user, pk, CaseAction.WORK)
        consultation = case.consultations.filter(pk=consultation_pk).first()
        if consultation is None:
            raise NotFound
        data = ConsultationRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["hit"] is not None:
            consultation = work.consultation_hit(
                consultation=consultation, hit=data.validated_data["hit"], actor=request.user
            )
        if data.validated_data["findings"]:
            consultation = work.consultation_findings(
                consultation=consultation,
                findings=data.validated_data["findings"],
                actor=request.user,
            )
        return Response(_consultation_data(consultation))


class ConsultationDecisionSerializer(StrictSerializer):
    approve = serializers.BooleanField()
    motivation = serializers.CharField(max_length=2000)


class ConsultationDecisionView(APIView):
    @extend_schema(
        operation_id="consultations_decide",
        request=ConsultationDecisionSerializer,
        responses=ConsultationDecidedSerializer,
        description="The privacy officer approves or refuses a request (404 for anyone else).",
    )
    def post(self, request, consultation_pk: int):
        if not request.user.is_authenticated:
            raise NotAuthenticated
        if not request.user.can(Capability.AUDIT):
            raise NotFound
        consultation = work.pending_consultations().filter(pk=consultation_pk).first()
        if consultation is None:
            raise NotFound
        body = ConsultationDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decided = work.consultation_decide(
            consultation=consultation,
            officer=request.user,
            approve=body.validated_data["approve"],
            motivation=body.validated_data["motivation"],
        )
        return Response({"id": decided.pk, "state": decided.state})


def _intervention_data(i) -> dict:
    return {
        "id": i.pk,
        "kind": i.kind.code,
        "legal_basis": i.legal_basis,
        "responsible": i.responsible,
        "start_date": i.start_date.isoformat(),
        "end_date": i.end_date.isoformat() if i.end_date else None,
        "state": i.state,
        "outcome": i.outcome,
        # Every state, end and outcome it had, with when and by whom (oldest first).
        "changes": [
            {
                "at": c.at.isoformat(),
                "by": c.author_id,
                "state": c.state,
                "end_date": c.end_date.isoformat() if c.end_date else None,
                "outcome": c.outcome,
            }
            for c in i.changes.all()
        ],
    }


class InterventionSerializer(StrictSerializer):
    kind = serializers.CharField(help_text="The code of an intervention of the catalogue.")
    start_date = serializers.DateField()
    legal_basis = serializers.CharField(required=False, allow_blank=True, default="")
    responsible = serializers.CharField(required=False, allow_blank=True, default="")


class CaseInterventionsView(APIView):
    @extend_schema(
        operation_id="cases_interventions_list", responses=InterventionOutSerializer(many=True)
    )
    def get(self, request, pk: int):
        case = case_for(request.user, pk)
        return Response(
            [
                _intervention_data(i)
                for i in case.interventions.select_related("kind").prefetch_related("changes")
            ]
        )

    @extend_schema(
        operation_id="cases_interventions_add",
        request=InterventionSerializer,
        responses={201: InterventionOutSerializer},
    )
    def post(self, request, pk: int):
        case = case_for(request.user, pk, CaseAction.WORK)
        body = InterventionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        kind = InterventionType.objects.filter(code=data["kind"], is_active=True).first()
        if kind is None:
            raise refusal({"kind": _("No intervention of the catalogue with this code.")})
        made = work.intervention_add(
            case=case,
            kind=kind,
            start_date=data["start_date"],
            legal_basis=data["legal_basis"],
            responsible=data["responsible"],
            actor=request.user,
        )
        return Response(_intervention_data(made), status=status.HTTP_201_CREATED)


class InterventionChangeSerializer(StrictSerializer):
    state = serializers.ChoiceField(choices=InterventionState.values)
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    outcome = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=5000,
        help_text="Required when the state is done or stopped.",
    )


class CaseInterventionView(APIView):
    @extend_schema(
        operation_id="cases_interventions_change",
        request=InterventionChangeSerializer,
        responses=InterventionOutSerializer,
        description="A new state, end or outcome of an intervention (a member or the team "
        "lead); each change is kept in `changes` and on the case's timeline.",
    )
    def post(self, request, pk: int, intervention_pk: int):
        case = case_for(request.user, pk, CaseAction.WORK)
        intervention = get_object_or_404(Intervention, pk=intervention_pk, case=case)
        body = InterventionChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        changed = work.intervention_update(
            intervention=intervention,
            state=data["state"],
            outcome=data["outcome"],
            end_date=data["end_date"],
            actor=request.user,
        )
        changed = Intervention.objects.select_related("kind").get(pk=changed.pk)
        return Response(_intervention_data(changed))


class HandoverSerializer(StrictSerializer):
    recipient_kind = serializers.CharField()
    recipient = serializers.CharField(max_length=200)
    what = serializers.CharField(max_length=5000)
    legal_basis = serializers.CharField(max_length=300)
    request_key = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A key of the client's choosing, new for every hand-over: the same key sent "
        "again records nothing and is answered with 409.",
    )


class CaseHandoversView(APIView):
    def get_renderers(self):
        # The list is JSON; a hand-over's answer is its package (Accept: application/zip).
        if self.request.method == "POST":
            return [JSONRenderer(), ZipRenderer()]
        return [JSONRenderer()]

    @extend_schema(operation_id="cases_handovers_list", responses=HandoverOutSerializer(many=True))
    def get(self, request, pk: int):
        case = case_for(request.user, pk)
        return Response(
            [
                {
                    "id": h.pk,
                    "recipient_kind": h.recipient_kind,
                    "recipient": h.recipient,
                    "what": h.what,
                    "legal_basis": h.legal_basis,
                    "by": h.by_id,
                    "at": h.at.isoformat(),
                    "package": h.package_name,
                    "package_sha256": h.package_sha256,
                    "subjects": h.subjects,
                    "reports": h.reports,
                    # Recipients told of a correction since.
                    "notices": [
                        {
                            "about": n.about,
                            "report": n.report_id,
                            "subject": n.subject_id,
                            "by": n.by_id,
                            "at": n.at.isoformat(),
                        }
                        for n in h.notices.all()
                    ],
                }
                for h in case.handovers.prefetch_related("notices")
            ]
        )

    @extend_schema(
        operation_id="cases_handovers_record",
        request=HandoverSerializer,
        responses={
            (201, "application/zip"): OpenApiResponse(_FILE, description="The package."),
            409: problem("This `request_key` was recorded already; nothing was recorded."),
        },
        description="Record a hand-over in the sharing register; the answer is its package "
        "(a zip with the PDF summary and the subjects as FtM JSON lines).",
    )
    def post(self, request, pk: int):
        case = case_for(request.user, pk, CaseAction.WORK)
        body = HandoverSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # The same request_key again: work.HandoverRecordedAlready, a Refused (409).
        record, package = work.handover_record(case=case, actor=request.user, **body.validated_data)
        response = HttpResponse(package, content_type="application/zip", status=201)
        response["Content-Disposition"] = f'attachment; filename="{record.package_name}"'
        return response


class CaseAccountabilityView(APIView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        operation_id="cases_accountability",
        responses={(200, "application/pdf"): OpenApiResponse(_FILE, description="The PDF.")},
        description="The accountability report: every decision, criteria answer, source "
        "consulted, hand-over and intervention, in time order (PDF).",
    )
    def get(self, request, pk: int):
        case = case_for(request.user, pk)
        audit_record(actor=request.user, action=AuditAction.CASE_ACCOUNTABILITY_REPORT, target=case)
        response = HttpResponse(accountability_pdf(case), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{case.reference}.pdf"'
        return response


class CaseReportSerializer(StrictSerializer):
    report = serializers.IntegerField(help_text="The id of a report in further analysis.")
    rationale = serializers.CharField(max_length=5000)


class CaseReportsView(APIView):
    @extend_schema(
        operation_id="cases_reports_add",
        request=CaseReportSerializer,
        responses={201: CaseSerializer, 404: _NOT_FOUND},
        description="Add a report to a running case (a member or the team lead): one in "
        "further analysis moves to linked_to_case; one already in another case (a report may "
        "belong to more than one) stays there too. The rationale is a decision of the case.",
    )
    def post(self, request, pk: int):
        case = case_for(request.user, pk, CaseAction.WORK)
        body = CaseReportSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = report_for(request.user, body.validated_data["report"], Action.CASE)
        case = services.case_add_report(
            case=case,
            report=report,
            actor=request.user,
            rationale=body.validated_data["rationale"],
        )
        return Response(case_data(request.user, case), status=status.HTTP_201_CREATED)


class CaseNoteSerializer(StrictSerializer):
    text = serializers.CharField(max_length=10000)


class CaseNotesView(APIView):
    @extend_schema(operation_id="cases_notes_list", responses=CaseNoteOutSerializer(many=True))
    def get(self, request, pk: int):
        case = case_for(request.user, pk)
        return Response(
            [
                {"id": n.pk, "text": n.text, "author": n.author_id, "at": n.at.isoformat()}
                for n in case.notes.all()
            ]
        )

    @extend_schema(
        operation_id="cases_notes_add",
        request=CaseNoteSerializer,
        responses={201: CaseNoteOutSerializer},
        description="A note in the case's timeline (also on a closed case).",
    )
    def post(self, request, pk: int):
        case = case_for(request.user, pk, CaseAction.WORK)
        body = CaseNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = work.case_note_add(case=case, actor=request.user, text=body.validated_data["text"])
        return Response(
            {"id": note.pk, "text": note.text, "author": note.author_id, "at": note.at.isoformat()},
            status=status.HTTP_201_CREATED,
        )


class NoticeSerializer(StrictSerializer):
    report = serializers.IntegerField(required=False, allow_null=True, default=None)
    subject = serializers.IntegerField(required=False, allow_null=True, default=None)

    def validate(self, attrs):
        if (attrs["report"] is None) == (attrs["subject"] is None):
            raise serializers.ValidationError(
                {"report": _("Give either the report or the subject the notice is about.")}
            )
        return attrs


class HandoverNoticeView(APIView):
    @extend_schema(
        operation_id="cases_handovers_notice",
        request=NoticeSerializer,
        responses={201: NoticeMadeSerializer, 404: _NOT_FOUND},
        description="Record that the recipient of a hand-over was told that a report or "
        "subject in it was corrected or removed.",
    )
    def post(self, request, pk: int, handover_pk: int):
        case = case_for(request.user, pk, CaseAction.WORK)
        handover = case.handovers.filter(pk=handover_pk).first()
        if handover is None:
            raise NotFound
        body = NoticeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = subject = None
        if body.validated_data["report"] is not None:
            report = report_for(request.user, body.validated_data["report"])
        else:
            subject = subject_get(user=request.user, pk=body.validated_data["subject"])
            if subject is None:
                raise NotFound
        # The service refuses a report or subject that was not part of the hand-over.
        notice = work.handover_informed(
            handover=handover, actor=request.user, report=report, subject=subject
        )
        return Response(
            {"id": notice.pk, "about": notice.about, "at": notice.at.isoformat()},
            status=status.HTTP_201_CREATED,
        )


def _task_data(task, today) -> dict:
    return {
        "id": task.pk,
        "case": task.case_id,
        "title": task.title,
        "assignee": task.assignee_id,
        "deadline": task.deadline.isoformat(),
        "state": task.state,
        "overdue": task.state == "open" and task.deadline < today,
        "done_at": task.done_at.isoformat() if task.done_at else None,
    }


class TaskSerializer(StrictSerializer):
    title = serializers.CharField(max_length=300)
    assignee = serializers.IntegerField(help_text="A current member of the case.")
    deadline = serializers.DateField()


class CaseTasksView(APIView):
    @extend_schema(operation_id="cases_tasks_list", responses=TaskOutSerializer(many=True))
    def get(self, request, pk: int):
        case = case_for(request.user, pk)
        today = timezone.localdate()
        return Response([_task_data(t, today) for t in case.tasks.all()])

    @extend_schema(
        operation_id="cases_tasks_add",
        request=TaskSerializer,
        responses={201: TaskOutSerializer},
        description="A task for a member of the case, with a deadline.",
    )
    def post(self, request, pk: int):
        case = case_for(request.user, pk, CaseAction.WORK)
        body = TaskSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        task = task_add(
            case=case,
            title=data["title"],
            assignee=User.objects.filter(pk=data["assignee"]).first(),
            deadline=data["deadline"],
            actor=request.user,
        )
        return Response(_task_data(task, timezone.localdate()), status=status.HTTP_201_CREATED)


class CaseTaskDoneView(APIView):
    @extend_schema(
        operation_id="cases_tasks_done",
        request=None,
        responses={200: TaskOutSerializer, 404: _NOT_FOUND},
        description="Mark a task done (a member of the case, the team lead, or its assignee).",
    )
    def post(self, request, pk: int, task_pk: int):
        case = case_for(request.user, pk)
        task = case.tasks.filter(pk=task_pk).first()
        if task is None:
            raise NotFound
        task = task_done(task=task, actor=request.user)  # refuses whom it is not for (403)
        return Response(_task_data(task, timezone.localdate()))


class MyTasksView(APIView):
    @extend_schema(
        operation_id="tasks_mine",
        responses=TaskListSerializer,
        description="The open tasks assigned to the user, across the cases they may see, "
        "soonest first; overdue ones marked.",
    )
    def get(self, request):
        workspace_user(request)
        tasks = list(my_tasks(user=request.user))
        audit_record(
            actor=request.user,
            action=AuditAction.CASE_TASK_LIST,
            detail={"tasks": [t.pk for t in tasks]},
        )
        today = timezone.localdate()
        return Response({"results": [_task_data(t, today) for t in tasks]})
