"""Search over the API: GET /api/v1/search?q= — reports and subjects the user may see.
Anything else is never in the answer, not even as a count (subjects/search.py)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.core.problems import invalid, problem
from baken.core.roles import Capability
from baken.subjects import search
from baken.subjects.report_search import LABELS

from .query import QuerySerializer, query


class SearchReasonSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=list(LABELS), help_text="What matched.")
    value = serializers.CharField(help_text="The text that matched (empty for a description).")


class SearchReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    reference = serializers.CharField()
    status = serializers.CharField()
    category = serializers.CharField(source="category.name", allow_null=True, default=None)
    received_at = serializers.DateTimeField()
    found_by = SearchReasonSerializer(many=True, help_text="Why this report was found.")


class SearchSubjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    name = serializers.CharField()


class SearchResultsSerializer(serializers.Serializer):
    query = serializers.CharField()
    reports = SearchReportSerializer(many=True)
    subjects = SearchSubjectSerializer(many=True)


class SearchQuerySerializer(QuerySerializer):
    q = serializers.CharField(max_length=200, help_text="words, a reference or a name")
    limit = serializers.IntegerField(
        min_value=1,
        max_value=search.MAX_LIMIT,
        required=False,
        default=10,
        help_text=f"1 to {search.MAX_LIMIT}, default 10",
    )


class SearchView(APIView):
    @extend_schema(
        operation_id="search",
        parameters=[SearchQuerySerializer],
        responses={
            200: SearchResultsSerializer,
            403: problem("This role does not work in the workspace."),
        },
        description="Reports by reference, by the names, identifiers (BSN, KvK number, "
        "licence plate, postcode and house number) and addresses they mention, and by the "
        "words of their description, each with why it was found; subjects by identifier and "
        "by name (fuzzy: a misspelt name is found). Only what the user may see.",
    )
    def get(self, request):
        if not request.user.can(Capability.WORKSPACE):
            raise PermissionDenied
        params = query(SearchQuerySerializer, request)
        text = search.clean_query(params["q"])
        if len(text) < 2:
            raise invalid("q", "too_short", _("Give at least two characters."))
        limit = params["limit"]
        results = search.search(user=request.user, query=text, limit=limit)
        return Response(SearchResultsSerializer(results).data)
