"""GET /api/v1/reports/{id}/category-suggestion: the category suggestion over the API
(ADR 0008). The same selector and service as the report page's partial."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.core.roles import Capability
from baken.reports import selectors
from baken.reports.permissions import Action, can
from baken.reports.suggestions import REASONS, category_suggestion

SuggestionSerializer = inline_serializer(
    "CategorySuggestion",
    {
        "category": serializers.CharField(
            allow_null=True, help_text="The suggested category's code, or null."
        ),
        "name": serializers.CharField(required=False),
        "confidence": serializers.FloatField(
            required=False, help_text="How sure the model is, 0 to 1."
        ),
        "reason": serializers.ChoiceField(
            choices=list(REASONS), required=False, help_text="Why there is no suggestion."
        ),
        "detail": serializers.CharField(required=False),
    },
)


class CategorySuggestionView(APIView):
    @extend_schema(
        operation_id="reports_category_suggestion",
        responses={
            200: SuggestionSerializer,
            403: OpenApiResponse(description="The role does not set categories."),
            404: OpenApiResponse(description="No such report, or not visible to this user."),
        },
        description="A category suggested by a classifier trained on the team's own weighed "
        "reports, with its confidence; `category` is null (with a `reason`) when there is too "
        "little data or no category is likely enough. A suggestion, never a decision.",
    )
    def get(self, request, pk: int):
        if not request.user.is_authenticated:
            raise NotAuthenticated
        # Roles without report content (management, administrator, privacy officer), and
        # roles that do not set the category (case handler), are refused outright.
        if not request.user.can(Capability.WORKSPACE) or not can(request.user, Action.IMPROVE):
            raise PermissionDenied
        report = selectors.report_get(user=request.user, pk=pk)
        if report is None:
            raise NotFound
        suggestion, reason = category_suggestion(user=request.user, report=report)
        if suggestion is None:
            return Response({"category": None, "reason": reason, "detail": str(REASONS[reason])})
        return Response(
            {
                "category": suggestion.category.code,
                "name": suggestion.category.name,
                "confidence": round(suggestion.confidence, 2),
            }
        )
