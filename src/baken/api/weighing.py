"""Weighing in one request: all answers to a report's criteria saved at once, as the report
page's weighing form does (reports/weighing_form.py). The per-criterion endpoint stays."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.reports import weighing
from baken.reports.access import report_for
from baken.reports.permissions import Action
from baken.reports.weighing_form import criteria_answers_save

from .strict import StrictSerializer


class WeighingAnswerSerializer(StrictSerializer):
    criterion = serializers.SlugField()
    choice = serializers.CharField(max_length=100)
    motivation = serializers.CharField(max_length=2000)


class WeighingSerializer(StrictSerializer):
    answers = serializers.ListField(child=WeighingAnswerSerializer(), min_length=1, max_length=100)

    def validate_answers(self, value: list[dict]) -> list[dict]:
        codes = [answer["criterion"] for answer in value]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError(_("Each criterion at most once."))
        return value


class WeighingSavedSerializer(StrictSerializer):
    saved = serializers.ListField(child=serializers.CharField())
    open = serializers.ListField(child=serializers.CharField())


class WeighingView(APIView):
    @extend_schema(
        operation_id="reports_weighing_save",
        request=WeighingSerializer,
        responses={
            200: OpenApiResponse(
                WeighingSavedSerializer,
                description="`saved`: the criteria whose answer changed; `open`: the "
                "mandatory criteria still without an answer.",
            )
        },
        description="Answer several criteria at once. Nothing is saved when one answer is "
        "refused: `invalid_params` names `<criterion>.choice` or `<criterion>.motivation`. "
        "Refused after the decision and on a merged report, as the single answer is.",
    )
    def post(self, request, pk: int):
        report = report_for(request.user, pk, Action.WEIGH)
        body = WeighingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answers = {
            a["criterion"]: {"choice": a["choice"], "motivation": a["motivation"]}
            for a in body.validated_data["answers"]
        }
        saved = criteria_answers_save(report=report, actor=request.user, answers=answers)
        return Response(
            {
                "saved": [answer.criterion.code for answer in saved],
                "open": [c.code for c in weighing.open_mandatory(report=report)],
            }
        )
