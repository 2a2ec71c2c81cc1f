"""The practice scenarios over the API (issue 17), through the page's own module
(baken.awareness.practice), so the rules and limits are the page's:

- `GET practice-scenarios`: the scenarios an employee can practise with (public, like the
  Meldpunt's catalogue): theme, situation, the advised answer and why, the theme's signs;
- `POST practice-scenarios/{id}/answers` `{"answer": "report" | "doubt" | "no"}`: count one
  answer and get the advice and explanation back (public, rate-limited; nothing but the count
  is kept: no token, no session, no audit entry);
- `GET practice-scenarios/counts`: per scenario how many gave each answer, and the share that
  gave the advised one (analyst, team lead, functional administrator).
"""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.awareness import practice
from baken.awareness.models import PracticeAnswer, PracticeScenario
from baken.core.problems import problem

from .strict import StrictSerializer


class PracticeScenarioSerializer(StrictSerializer):
    id = serializers.IntegerField()
    theme = serializers.CharField(help_text="The theme's code in the category catalogue.")
    theme_name = serializers.CharField()
    situation = serializers.CharField()
    advice = serializers.ChoiceField(
        choices=PracticeAnswer.choices, help_text="The answer the team advises."
    )
    advice_label = serializers.CharField()
    explanation = serializers.CharField(help_text="Why the team advises it.")
    signs = serializers.ListField(
        child=serializers.CharField(), help_text="The theme's signs in the catalogue."
    )


class PracticeAnswerSerializer(StrictSerializer):
    answer = serializers.ChoiceField(choices=PracticeAnswer.choices)


class PracticeAnsweredSerializer(PracticeScenarioSerializer):
    answer = serializers.ChoiceField(choices=PracticeAnswer.choices, help_text="As sent.")
    matches = serializers.BooleanField(help_text="The answer is the advised one.")


class PracticeCountSerializer(StrictSerializer):
    id = serializers.IntegerField()
    theme = serializers.CharField()
    situation = serializers.CharField()
    advice = serializers.ChoiceField(choices=PracticeAnswer.choices)
    is_active = serializers.BooleanField(help_text="false: employees no longer see it.")
    report = serializers.IntegerField(help_text="How many answered 'report'.")
    doubt = serializers.IntegerField(help_text="How many answered 'doubt'.")
    no = serializers.IntegerField(help_text="How many answered 'no'.")
    total = serializers.IntegerField()
    matched_share = serializers.FloatField(
        allow_null=True,
        help_text="The share (0 to 1) that gave the advised answer; null: nobody answered.",
    )
    differs = serializers.BooleanField(
        help_text=f"At least {practice.HIGHLIGHT_FROM} answers and fewer than half advised."
    )


def scenario_data(scenario: PracticeScenario) -> dict:
    return {
        "id": scenario.pk,
        "theme": scenario.category.code,
        "theme_name": scenario.category.name,
        "situation": scenario.situation,
        "advice": scenario.advice,
        "advice_label": str(scenario.get_advice_display()),
        "explanation": scenario.explanation,
        "signs": practice.signs_of(scenario),
    }


def count_data(row: practice.ScenarioCounts) -> dict:
    return {
        "id": row.scenario.pk,
        "theme": row.scenario.category.code,
        "situation": row.scenario.situation,
        "advice": row.scenario.advice,
        "is_active": row.scenario.is_active,
        "report": row.report,
        "doubt": row.doubt,
        "no": row.no,
        "total": row.total,
        "matched_share": row.matched_share,
        "differs": row.differs,
    }


class ScenarioListView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        operation_id="practice_scenarios_list",
        responses=PracticeScenarioSerializer(many=True),
        description="The active practice scenarios in their order (no login).",
    )
    def get(self, request):
        scenarios = practice.scenarios_active().prefetch_related("category__indicators")
        return Response([scenario_data(s) for s in scenarios])


class AnswerView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        operation_id="practice_scenarios_answer",
        request=PracticeAnswerSerializer,
        responses={
            200: PracticeAnsweredSerializer,
            404: problem("No such scenario, or it is switched off (`practice_scenario_unknown`)."),
            429: problem(status=429),
        },
        description="Count one answer (no login); the reply is the team's advice and why.",
    )
    def post(self, request, pk: int):
        # Unknown ids first (404): a limit per scenario counts only scenarios that exist.
        practice.scenario_active(pk)
        if practice.answer_limited(request, scenario_id=pk):
            raise Throttled(
                detail=_(
                    "Too many answers from you or from everyone at once. "
                    "Wait a while and try again."
                )
            )
        body = PracticeAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answer = body.validated_data["answer"]
        scenario = practice.answer_record(scenario_id=pk, answer=answer)
        return Response(
            {**scenario_data(scenario), "answer": answer, "matches": answer == scenario.advice}
        )


class CountListView(APIView):
    @extend_schema(
        operation_id="practice_scenarios_counts",
        responses=PracticeCountSerializer(many=True),
        description="Every scenario, switched-off ones too, with its counts (analyst, team "
        "lead, functional administrator).",
    )
    def get(self, request):
        return Response([count_data(row) for row in practice.counts(actor=request.user)])


urlpatterns = [
    path("practice-scenarios", ScenarioListView.as_view(), name="practice-scenarios"),
    path("practice-scenarios/counts", CountListView.as_view(), name="practice-scenario-counts"),
    path(
        "practice-scenarios/<int:pk>/answers",
        AnswerView.as_view(),
        name="practice-scenario-answers",
    ),
]
