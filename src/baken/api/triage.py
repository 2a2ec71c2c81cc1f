"""The triage work on one report over the API: improve (PATCH), versions, notes, weighing
criteria, the decision, state history and the dialogue with the reporter.

The same selectors and services as the HTML pages: 404 for a report the user may not see,
403 for work the role may not do, problem+json for every refusal.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.core.problems import invalid, problem
from baken.reports import editing, weighing
from baken.reports.access import report_for
from baken.reports.models import (
    Criterion,
    CriterionAnswer,
    DecisionKind,
    Message,
    Note,
    StatusChange,
)
from baken.reports.permissions import Action
from baken.reports.validation import check_report

from . import reports
from .reports import ReportSerializer, report_data
from .strict import StrictSerializer


class ImproveSerializer(StrictSerializer):
    revision = serializers.IntegerField(help_text="The revision the change is based on.")
    reason = serializers.CharField(max_length=2000)
    changes = serializers.DictField(
        help_text="Parts of the uniform format to replace: category, description, "
        "observed_at, location, subjects."
    )


# --- what the answers hold (the OpenAPI document; the views write these shapes) -------------


class VersionSerializer(StrictSerializer):
    number = serializers.IntegerField()
    data = serializers.DictField(help_text="The working version in the uniform format.")  # type: ignore[assignment]
    changed = serializers.ListField(child=serializers.CharField())
    reason = serializers.CharField(allow_blank=True, allow_null=True)
    author = serializers.IntegerField(allow_null=True)
    at = serializers.DateTimeField()


class NoteOutSerializer(StrictSerializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    author = serializers.IntegerField(allow_null=True)
    at = serializers.DateTimeField()


class MadeSerializer(StrictSerializer):
    id = serializers.IntegerField()


class GivenAnswerSerializer(StrictSerializer):
    choice = serializers.CharField()
    motivation = serializers.CharField()
    author = serializers.IntegerField(allow_null=True)
    at = serializers.DateTimeField()


class CriterionOutSerializer(StrictSerializer):
    criterion = serializers.CharField()
    weighing = serializers.CharField()
    question = serializers.CharField()
    mandatory = serializers.BooleanField()
    choices = serializers.ListField(child=serializers.CharField())
    answer = GivenAnswerSerializer(allow_null=True)


class CriterionSavedSerializer(StrictSerializer):
    criterion = serializers.CharField()
    open = serializers.ListField(
        child=serializers.CharField(), help_text="Mandatory criteria still without an answer."
    )


class TransitionSerializer(StrictSerializer):
    from_ = serializers.CharField(allow_blank=True, allow_null=True)
    to = serializers.CharField()
    at = serializers.DateTimeField()
    actor = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_blank=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class MessageOutSerializer(StrictSerializer):
    author = serializers.CharField()
    text = serializers.CharField(allow_blank=True)
    is_question = serializers.BooleanField()
    sent_at = serializers.DateTimeField()


class ReportDetailView(reports.ReportDetailView):
    """GET one report (api.reports), PATCH its working version (here)."""

    @extend_schema(
        operation_id="reports_improve",
        request=ImproveSerializer,
        responses={
            200: OpenApiResponse(ReportSerializer, description="The report's new working version."),
            409: problem("The change is based on an older revision, or the report was merged."),
        },
        description="Check, supplement or improve the working version; the original stays. "
        "A change based on an older revision is refused with 409.",
    )
    def patch(self, request, pk: int):
        report = report_for(request.user, pk, Action.IMPROVE)
        body = ImproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = {k: v for k, v in body.validated_data["changes"].items() if k in editing.EDITABLE}
        if isinstance(changes.get("subjects"), list):
            # GET gives each subject its `report_subject` id; sent back, it is not content.
            changes["subjects"] = [
                {k: v for k, v in subject.items() if k != "report_subject"}
                if isinstance(subject, dict)
                else subject
                for subject in changes["subjects"]
            ]
        payload = {
            "channel": report.channel,
            "reporter": {"anonymous": True},
            **editing.working_data(report),
            **changes,
        }
        if not payload.get("subjects"):
            payload.pop("subjects", None)
        try:
            checked = check_report(payload, require_answers=False)
            improved = editing.report_improve(
                report=report,
                actor=request.user,
                revision=body.validated_data["revision"],
                changes=changes,
                reason=body.validated_data["reason"],
                checked=checked,
            )
        except editing.NothingChanged:
            return Response(report_data(report))
        # Fields the rules refuse (ReportInvalid, 400), a merged report or a stale revision
        # (editing.ReportMerged, StaleRevision, 409): the API's exception handler answers.
        return Response(report_data(improved))


class VersionListView(APIView):
    @extend_schema(operation_id="reports_versions", responses=VersionSerializer(many=True))
    def get(self, request, pk: int):
        report = report_for(request.user, pk)
        return Response(
            [
                {
                    "number": v["number"],
                    "data": v["data"],
                    "changed": v["changed"],
                    "reason": v["reason"],
                    "author": v["author"].pk if v["author"] else None,
                    "at": v["at"].isoformat(),
                }
                for v in editing.version_list(report=report)
            ]
        )


class NoteSerializer(StrictSerializer):
    text = serializers.CharField(max_length=5000)


class NoteListView(APIView):
    @extend_schema(operation_id="reports_notes_list", responses=NoteOutSerializer(many=True))
    def get(self, request, pk: int):
        report = report_for(request.user, pk)
        notes = Note.objects.filter(report=report)
        return Response(
            [
                {"id": n.pk, "text": n.text, "author": n.author_id, "at": n.at.isoformat()}
                for n in notes
            ]
        )

    @extend_schema(
        operation_id="reports_notes_create",
        request=NoteSerializer,
        responses={201: MadeSerializer},
    )
    def post(self, request, pk: int):
        report = report_for(request.user, pk, Action.NOTE)
        body = NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = editing.note_add(report=report, actor=request.user, text=body.validated_data["text"])
        return Response({"id": note.pk}, status=status.HTTP_201_CREATED)


class CriterionAnswerSerializer(StrictSerializer):
    criterion = serializers.SlugField()
    choice = serializers.CharField(max_length=100)
    motivation = serializers.CharField(max_length=2000)


class CriterionListView(APIView):
    @extend_schema(
        operation_id="reports_criteria_list",
        responses=OpenApiResponse(
            CriterionOutSerializer(many=True),
            description="Every active criterion with this report's answer.",
        ),
    )
    def get(self, request, pk: int):
        report = report_for(request.user, pk)
        answers = {a.criterion_id: a for a in CriterionAnswer.objects.filter(report=report)}
        return Response(
            [
                {
                    "criterion": c.code,
                    "weighing": c.weighing,
                    "question": c.question,
                    "mandatory": c.mandatory,
                    "choices": c.choices,
                    "answer": (
                        {
                            "choice": answers[c.pk].choice,
                            "motivation": answers[c.pk].motivation,
                            "author": answers[c.pk].author_id,
                            "at": answers[c.pk].at.isoformat(),
                        }
                        if c.pk in answers
                        else None
                    ),
                }
                for c in weighing.criterion_list()
            ]
        )

    @extend_schema(
        operation_id="reports_criteria_answer",
        request=CriterionAnswerSerializer,
        responses={200: CriterionSavedSerializer},
    )
    def post(self, request, pk: int):
        report = report_for(request.user, pk, Action.WEIGH)
        body = CriterionAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        criterion = Criterion.objects.filter(
            code=body.validated_data["criterion"], is_active=True
        ).first()
        if criterion is None:
            raise invalid("criterion", "unknown", _("There is no active criterion with this code."))
        weighing.criterion_answer_save(
            report=report,
            actor=request.user,
            criterion=criterion,
            choice=body.validated_data["choice"],
            motivation=body.validated_data["motivation"],
        )
        return Response(
            {
                "criterion": criterion.code,
                "open": [c.code for c in weighing.open_mandatory(report=report)],
            }
        )


class DecisionSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    rationale = serializers.CharField(max_length=5000)
    recipient = serializers.CharField(max_length=200, required=False, allow_blank=True)
    without_answer = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="Required while the report waits for the reporter (awaiting_reporter): "
        "why the team decides without the answer.",
    )


class DecisionView(APIView):
    @extend_schema(
        operation_id="reports_decide",
        request=DecisionSerializer,
        responses={
            201: inline_serializer(
                "DecisionMade",
                {"id": serializers.IntegerField(), "status": serializers.CharField()},
            )
        },
        description="Refused (400, naming each open mandatory criterion under "
        "`invalid_params`) while a mandatory criterion is unanswered.",
    )
    def post(self, request, pk: int):
        report = report_for(request.user, pk, Action.DECIDE)
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decision = weighing.decision_make(
            report=report,
            actor=request.user,
            kind=body.validated_data["kind"],
            rationale=body.validated_data["rationale"],
            recipient=body.validated_data.get("recipient", ""),
            without_answer=body.validated_data.get("without_answer", ""),
        )
        return Response(
            {"id": decision.pk, "status": decision.kind}, status=status.HTTP_201_CREATED
        )


class TransitionListView(APIView):
    @extend_schema(operation_id="reports_transitions", responses=TransitionSerializer(many=True))
    def get(self, request, pk: int):
        report = report_for(request.user, pk)
        return Response(
            [
                {
                    "from": c.from_status,
                    "to": c.to_status,
                    "at": c.at.isoformat(),
                    "actor": c.actor_id,
                    "reason": c.reason,
                }
                for c in StatusChange.objects.filter(report=report)
            ]
        )


class QuestionSerializer(StrictSerializer):
    text = serializers.CharField(max_length=2000)


class MessageListView(APIView):
    @extend_schema(operation_id="reports_messages_list", responses=MessageOutSerializer(many=True))
    def get(self, request, pk: int):
        report = report_for(request.user, pk)
        return Response(
            [
                {
                    "author": m.author,
                    "text": m.text,
                    "is_question": m.is_question,
                    "sent_at": m.sent_at.isoformat(),
                }
                for m in Message.objects.filter(report=report)
            ]
        )

    @extend_schema(
        operation_id="reports_messages_ask",
        request=QuestionSerializer,
        responses={201: MadeSerializer},
        description="A question to the reporter; the report waits (awaiting_reporter).",
    )
    def post(self, request, pk: int):
        report = report_for(request.user, pk, Action.ASK)
        body = QuestionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        message = weighing.question_ask(
            report=report, actor=request.user, text=body.validated_data["text"]
        )
        return Response({"id": message.pk}, status=status.HTTP_201_CREATED)
