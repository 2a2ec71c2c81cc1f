"""Opening a sealed report (decided 'no action') over the API: the same rule and the same
single audit entry as the report page (reports.sealing)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.reports.sealing import REASON_MAX, decided_on, sealed_report_open

from .reports import ReportSerializer, report_data
from .strict import StrictSerializer


class UnsealRequestSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=REASON_MAX,
        allow_blank=True,
        help_text="Why the sealed report is opened; recorded in the audit log.",
    )


class UnsealView(APIView):
    @extend_schema(
        operation_id="reports_unseal",
        request=UnsealRequestSerializer,
        responses={
            200: OpenApiResponse(
                ReportSerializer,
                description="The report, as `GET /reports/{id}` gives it, with `sealed_on` "
                "(the day of the decision 'no action').",
            ),
            400: OpenApiResponse(description="No reason given (invalid_params: reason)."),
            409: OpenApiResponse(
                description="The report is not sealed (`report_not_sealed`): read it with "
                "`GET /reports/{id}`."
            ),
            404: OpenApiResponse(
                description="No such report, not sealed, or the user is not the team lead "
                "of its team."
            ),
        },
        description="Open a sealed report (decided 'no action'). A sealed report is in no "
        "list, search or panel, and `GET /reports/{id}` gives 404 for it to everyone; only "
        "the team lead of its team may open it here. Each call is one audit entry "
        "(`report.unseal_read`) carrying the reason.",
    )
    def post(self, request, pk: int):
        if not request.user.is_authenticated:
            raise NotAuthenticated
        body = UnsealRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = sealed_report_open(
            user=request.user,
            report_id=pk,
            reason=body.validated_data["reason"],
            parts=["data"],
        )
        day = decided_on(report)
        return Response({**report_data(report), "sealed_on": day.isoformat() if day else None})
