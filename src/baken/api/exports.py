"""Exports over the API: ask for one (202, made in the background), follow its progress,
fetch its file. The same services as the pages: only the owner ever sees an export (404 for
anyone else, exactly as for one that does not exist); problem+json for a list that does not
exist or may not be exported (403), a format or filter that does not fit (400, a filter named
`filters.<name>`), and a file its owner may no longer have because their role or team changed
since they asked for it, or they may no longer export the list (403)."""

import uuid

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.exports import kinds, selectors, services
from baken.exports.models import Export, Format, Kind
from baken.exports.views import CONTENT_TYPES

from .strict import StrictSerializer

_NOT_FOUND = OpenApiResponse(description="No such export, or not this user's.")


class ExportRequestSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    format = serializers.ChoiceField(choices=Format.choices)
    filters = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=True, max_length=200)),
        required=False,
        default=dict,
        help_text="The list page's own query parameters, each a list of values: for reports "
        "those of GET /api/v1/reports (status, category, channel, assignee, team, area, "
        "older_than_days, overdue, sort); for interventions state and kind; cases take none.",
    )


class ExportSerializer(StrictSerializer):
    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    format = serializers.ChoiceField(choices=Format.choices)
    filters = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    state = serializers.CharField(help_text="queued, running, done, failed or expired")
    rows_done = serializers.IntegerField()
    rows_total = serializers.IntegerField(allow_null=True)
    failure = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField()
    status_url = serializers.CharField()
    file_url = serializers.CharField(
        allow_null=True,
        help_text="Only when the state is done and the file is still given to this user.",
    )
    withheld = serializers.CharField(
        allow_blank=True,
        help_text="Why a done export's file is no longer given to this user, else empty: "
        "`scope` (their role or team changed since they asked for it), `not_allowed` (they may "
        "no longer export this list) or `inactive`.",
    )


def export_data(request, export: Export) -> dict:
    withheld = services.download_refusal(request.user, export) if export.state == "done" else ""
    return {
        "id": str(export.pk),
        "kind": export.kind,
        "format": export.format,
        "filters": export.filters,
        "state": export.state,
        "rows_done": export.rows_done,
        "rows_total": export.rows_total,
        "failure": export.failure,
        "created_at": export.created_at.isoformat(),
        "finished_at": export.finished_at.isoformat() if export.finished_at else None,
        "expires_at": export.expires_at.isoformat(),
        "status_url": reverse("api:export", args=[export.pk]),
        "file_url": reverse("api:export-file", args=[export.pk])
        if export.state == "done" and not withheld
        else None,
        "withheld": withheld,
    }


def own_export(request, pk: uuid.UUID) -> Export:
    if not request.user.is_authenticated:
        raise NotAuthenticated
    export = selectors.export_get(user=request.user, pk=pk)
    if export is None:
        raise NotFound
    return export


def _exporter(request) -> None:
    """As on the exports page: 401 without a login, 403 for a role with no list to export."""
    if not request.user.is_authenticated:
        raise NotAuthenticated
    if not kinds.kinds_for(request.user):
        raise PermissionDenied


class ExportCollectionView(APIView):
    @extend_schema(operation_id="exports_list", responses=ExportSerializer(many=True))
    def get(self, request):
        _exporter(request)
        exports = selectors.export_list(user=request.user)[:100]
        return Response([export_data(request, e) for e in exports])

    @extend_schema(
        operation_id="exports_create",
        request=ExportRequestSerializer,
        responses={202: ExportSerializer, 403: OpenApiResponse(description="Not this list.")},
        description="Export a list the user may see (reports, cases, interventions, figures) "
        "to CSV (UTF-8 with BOM, `;`-separated, for Dutch Excel) or XLSX. The export is made "
        "in the background: follow `status_url` until `state` is `done`, then fetch "
        "`file_url`. Files are deleted after a few days (BAKEN_EXPORT_RETENTION_DAYS).",
    )
    def post(self, request):
        _exporter(request)
        body = ExportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if not kinds.may_export(request.user, data["kind"]):
            raise PermissionDenied
        # A kind, format or filter refused: services.ExportRefused, a Refused (400).
        export = services.export_request(
            user=request.user,
            kind=data["kind"],
            fmt=data["format"],
            filters=data["filters"],
            language=get_language() or "nl",
        )
        export.refresh_from_db()  # a small export may be done already
        response = Response(export_data(request, export), status=status.HTTP_202_ACCEPTED)
        response["Location"] = reverse("api:export", args=[export.pk])
        return response


class ExportDetailView(APIView):
    @extend_schema(
        operation_id="exports_retrieve", responses={200: ExportSerializer, 404: _NOT_FOUND}
    )
    def get(self, request, pk: uuid.UUID):
        return Response(export_data(request, own_export(request, pk)))


class _AnyAccept(BaseContentNegotiation):
    """The file is what it is (CSV or XLSX), whatever the client's Accept header says."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportFileView(APIView):
    content_negotiation_class = _AnyAccept

    @extend_schema(
        operation_id="exports_file",
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (
                200,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ): OpenApiTypes.BINARY,
            403: OpenApiResponse(
                description="The file is no longer given to this user: their role or team "
                "changed since they asked for it, or they may no longer export this list "
                "(problem+json, code `export_withheld`, the reason in `detail`)."
            ),
            404: _NOT_FOUND,
        },
        description="The export's file; 404 until it is done, and after it was deleted.",
    )
    def get(self, request, pk: uuid.UUID):
        export = own_export(request, pk)
        # Withheld: services.DownloadRefused, a Refused (403, code `export_withheld`).
        content = services.export_open(user=request.user, export=export)
        if content is None:
            raise NotFound
        response = StreamingHttpResponse(content, content_type=CONTENT_TYPES[export.format])
        response["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
        if export.size_bytes is not None:
            response["Content-Length"] = str(export.size_bytes)
        return response
