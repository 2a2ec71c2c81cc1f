"""The weekly overview over the API: the weeks built so far, and one week as its reader may
see it (the same reading as the page: their team's figures and the reports they may see, or
for management the suppressed aggregates). 401 without a login or token, 403 for a user who
may not read the overview, 404 for a week not built; problem+json as everywhere."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.reports.departments import hides_name
from baken.reports.inbox import COUNT_CAP

from .overview import may_read
from .overview_reading import overview_context
from .overview_scope import overview_get, overview_list, overview_read_logged


class WeekSerializer(serializers.Serializer):
    week = serializers.CharField(help_text="e.g. 2026-W47")
    start = serializers.DateField()
    built_at = serializers.DateTimeField()


class WeekListSerializer(serializers.Serializer):
    results = WeekSerializer(many=True)


class WeekReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    received_at = serializers.DateTimeField()
    category = serializers.CharField()
    reporter_department = serializers.CharField(
        allow_blank=True,
        help_text="The reporter's department: empty when none was named; 'kleine afdeling' "
        "for a report (named or anonymous) from a department that is, or was, small.",
    )
    reporter_department_small = serializers.BooleanField(
        help_text="True when `reporter_department` is the protected 'kleine afdeling'."
    )
    status = serializers.CharField()
    place = serializers.CharField(allow_blank=True)
    summary = serializers.CharField(allow_blank=True)


class WeekReportPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        help_text=f"How many new reports of the week this user may see, counted up to "
        f"{COUNT_CAP}: when there are more, `count` is {COUNT_CAP} and `count_capped` is true."
    )
    count_capped = serializers.BooleanField(
        help_text=f"True when there are more than `count` ({COUNT_CAP}); `pages` then counts "
        "the pages known so far (up to this one, and the next when there is one)."
    )
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = WeekReportSerializer(many=True)


class WeekOverviewSerializer(serializers.Serializer):
    """The head of a week; the figures beside it depend on `scope` (see the page)."""

    week = serializers.CharField()
    start = serializers.CharField()
    end = serializers.CharField()
    built_at = serializers.DateTimeField()
    rules = serializers.JSONField()
    scope = serializers.ChoiceField(choices=["team", "aggregates"])
    team = serializers.CharField(allow_null=True)
    new_reports = WeekReportPageSerializer()


class WeekQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(
        min_value=1, required=False, default=1, help_text="page of the new reports, 50 a page"
    )


def _reader(request) -> None:
    if not request.user.is_authenticated:
        raise NotAuthenticated
    if not may_read(request.user):
        raise PermissionDenied


class WeeklyOverviewCollectionView(APIView):
    @extend_schema(
        operation_id="weekly_overviews_list",
        responses={
            200: OpenApiResponse(
                WeekListSerializer, description="Every week built so far, newest first."
            ),
            403: OpenApiResponse(description="Not a reader of the weekly overview."),
        },
    )
    def get(self, request):
        _reader(request)
        weeks = overview_list(user=request.user)
        return Response(
            {
                "results": [
                    {
                        "week": w.week,
                        "start": w.week_start.isoformat(),
                        "built_at": w.built_at.isoformat(),
                    }
                    for w in weeks
                ]
            }
        )


class WeeklyOverviewDetailView(APIView):
    @extend_schema(
        operation_id="weekly_overviews_retrieve",
        parameters=[
            OpenApiParameter(
                "week", OpenApiTypes.STR, OpenApiParameter.PATH, description="e.g. 2026-W47"
            ),
            WeekQuerySerializer,
        ],
        responses={
            200: OpenApiResponse(
                WeekOverviewSerializer,
                description="The week's figures this user may see (scope 'team' or "
                "'aggregates'), and a page of the week's new reports they may see.",
            ),
            403: OpenApiResponse(description="Not a reader of the weekly overview."),
            404: OpenApiResponse(description="No overview of this week has been built."),
        },
    )
    def get(self, request, week: str):
        _reader(request)
        query = WeekQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = overview_get(user=request.user, week=week)
        if found is None:
            raise NotFound
        context = overview_context(
            user=request.user, overview=found, page=str(query.validated_data["page"])
        )
        overview_read_logged(
            user=request.user, overview=found, form="api", reports=context["shown"]
        )
        page = context["reports_page"]
        return Response(
            {
                **context["view"],
                "new_reports": {
                    "count": context["reports_total"],
                    "count_capped": context["reports_capped"],
                    "page": page.number,
                    "pages": page.paginator.num_pages,
                    "results": [
                        {
                            **{k: v for k, v in r.items() if k != "received_date"},
                            "reporter_department_small": hides_name(report),
                        }
                        for r, report in zip(context["reports"], context["shown"], strict=True)
                    ],
                },
            }
        )
