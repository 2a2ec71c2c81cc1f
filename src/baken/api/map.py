"""The map over the API: the points (or grid cells) of the reports the user may see, and the
reports per area. Bounded: at most subjects.map_data.MAX_POINTS points or cells per answer."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.core.problems import InvalidParams
from baken.core.roles import Capability
from baken.subjects import map_data

_FORBIDDEN = OpenApiResponse(description="This role does not work in the workspace.")
_FILTERS = [
    OpenApiParameter("category", str, description="category code"),
    OpenApiParameter("since", str, description="received on or after (YYYY-MM-DD)"),
    OpenApiParameter("until", str, description="received on or before (YYYY-MM-DD)"),
    OpenApiParameter("area", str, description="area code (baken areas import)"),
]


class MapPointSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    category = serializers.CharField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()


class MapCellSerializer(serializers.Serializer):
    lat = serializers.FloatField(help_text="mean latitude of the reports in the cell")
    lon = serializers.FloatField()
    count = serializers.IntegerField()


class MapAddressSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()


class MapPointsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="reports matching the filters")
    aggregated = serializers.BooleanField(help_text="more than max_points: cells, not points")
    max_points = serializers.IntegerField()
    points = MapPointSerializer(many=True)
    cells = MapCellSerializer(many=True)
    addresses = MapAddressSerializer(many=True)


class AreaCountSerializer(serializers.Serializer):
    code = serializers.CharField(allow_null=True, help_text="null: outside every area")
    name = serializers.CharField(allow_null=True)
    count = serializers.IntegerField()


class AreaCountsSerializer(serializers.Serializer):
    exact = serializers.BooleanField(help_text="false: counted by bounding box")
    areas = AreaCountSerializer(many=True)


def _filters(request) -> map_data.MapFilter:
    if not request.user.can(Capability.WORKSPACE):
        raise PermissionDenied
    form = map_data.MapFilterForm(request.query_params)
    if not form.is_valid():
        raise InvalidParams(
            [
                {"name": name, "code": "invalid", "reason": " ".join(str(e) for e in errors)}
                for name, errors in form.errors.items()
            ]
        )
    return map_data.filter_from_form(form)


class MapPointsView(APIView):
    @extend_schema(
        operation_id="map_points",
        parameters=_FILTERS,
        responses={200: MapPointsSerializer, 403: _FORBIDDEN},
        description="Located reports the user may see, as points, or as grid cells with "
        "counts when more than `max_points` match; address subjects the user may know of.",
    )
    def get(self, request):
        return Response(map_data.map_points(user=request.user, filters=_filters(request)))


class AreaCountsView(APIView):
    @extend_schema(
        operation_id="map_area_counts",
        parameters=_FILTERS,
        responses={200: AreaCountsSerializer, 403: _FORBIDDEN},
        description="Reports per area under the filters (the map as a table).",
    )
    def get(self, request):
        rows, exact = map_data.area_counts(user=request.user, filters=_filters(request))
        return Response(
            {
                "exact": exact,
                "areas": [
                    {
                        "code": row.area.code if row.area else None,
                        "name": row.area.name if row.area else None,
                        "count": row.count,
                    }
                    for row in rows
                ],
            }
        )
