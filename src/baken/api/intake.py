"""The Meldpunt's API: categories, attachments, reports in, and the reporter's follow-up."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.core import ratelimits
from baken.core.problems import invalid, problem
from baken.core.refusals import Kind, Refused
from baken.intake import selectors as intake_selectors
from baken.intake import services
from baken.places.addresses import address_lookup
from baken.reports.attachments import attachment_upload, refuse_if_too_large
from baken.reports.models import Attachment, Report
from baken.reports.validation import check_report

from .authentication import TokenAuthentication
from .strict import StrictSerializer

_RATE_LIMITED = problem(status=429)


class PublicMessageSerializer(StrictSerializer):
    author = serializers.CharField(help_text="Who wrote it: the team or the reporter.")
    text = serializers.CharField(allow_blank=True)
    is_question = serializers.BooleanField()
    sent_at = serializers.DateTimeField()


class PublicReportSerializer(StrictSerializer):
    """What the holder of the receipt code sees: no names, no notes, no internal state."""

    reference = serializers.CharField()
    status = serializers.CharField(help_text="The public state.")
    status_text = serializers.CharField(help_text="The public state in words.")
    received_at = serializers.DateTimeField()
    messages = PublicMessageSerializer(many=True)


class PointSerializer(StrictSerializer):
    lat = serializers.FloatField()
    lon = serializers.FloatField()


class FoundAddressSerializer(StrictSerializer):
    postcode = serializers.CharField()
    house_number = serializers.IntegerField()
    house_letter = serializers.CharField(allow_blank=True)
    addition = serializers.CharField(allow_blank=True)
    street = serializers.CharField()
    city = serializers.CharField()
    point = PointSerializer(allow_null=True)


class CategoryListView(APIView):
    """The category catalogue with its signs and extra questions."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        responses=inline_serializer(
            "Category",
            {
                "code": serializers.CharField(),
                "name": serializers.CharField(),
                "description": serializers.CharField(),
                "indicators": serializers.ListField(
                    child=serializers.CharField(), help_text="The signs' texts."
                ),
                "signs": inline_serializer(
                    "CategorySign",
                    {"id": serializers.IntegerField(), "text": serializers.CharField()},
                    many=True,
                    help_text="The signs with their ids, for a report's `signs`.",
                ),
                "questions": serializers.ListField(),
            },
            many=True,
        )
    )
    def get(self, request):
        return Response(intake_selectors.catalogue())


class AttachmentCreateView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        responses={
            201: inline_serializer("AttachmentCreated", {"id": serializers.UUIDField()}),
            429: _RATE_LIMITED,
        },
    )
    def post(self, request):
        ratelimits.enforce(request, "attachments")
        upload = request.FILES.get("file")
        if upload is None:
            raise invalid("file", "required", _("Choose a file to upload."))
        # A file Baken does not take: reports.attachments.AttachmentRefused, at `file`.
        refuse_if_too_large(upload.size)
        attachment = attachment_upload(data=upload.read(), name=upload.name, actor=request.user)
        return Response({"id": str(attachment.id)}, status=status.HTTP_201_CREATED)


class ReportCreatedSerializer(StrictSerializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    receipt_code = serializers.CharField()
    status = serializers.CharField()


def submit(request):
    """Replay or validate, store, answer in one shape. What is refused (ReportInvalid,
    ChannelNotAllowed, IdempotencyConflict) the API's exception handler answers."""
    token = getattr(request, "api_token", None)
    replayed = services.report_replay(payload=request.data, actor=request.user, token=token)
    if replayed is not None:
        return replayed
    checked = check_report(request.data)
    return services.report_submit(
        checked=checked, actor=request.user, token=token, replay_looked_up=True
    )


class FollowupRequestSerializer(StrictSerializer):
    receipt_code = serializers.CharField(max_length=40)


class FollowupMessageSerializer(FollowupRequestSerializer):
    text = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    attachments = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        max_length=10,
        help_text="Photos added later: ids of uploads (POST /api/v1/attachments) not used yet.",
    )

    def validate(self, data):
        if not data.get("text", "").strip() and not data.get("attachments"):
            raise serializers.ValidationError(
                {"text": _("Write your message or choose a photo before sending.")}
            )
        return data


def _report_for_code(request, data) -> Report:
    ratelimits.enforce(request, "followup")
    serializer = FollowupRequestSerializer(data=data)
    serializer.is_valid(raise_exception=True)
    code = serializer.validated_data["receipt_code"]
    report = services.report_for_receipt(code=code)
    if report is None and services.receipt_closed(code=code):
        raise Refused("report_closed", _("This report has been closed."), kind=Kind.GONE)
    if report is None:
        raise NotFound(_("No report belongs to this receipt code. Check the code and try again."))
    return report


class FollowupView(APIView):
    """The report's public status and the dialogue, for the holder of the receipt code."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=FollowupRequestSerializer,
        responses={
            200: PublicReportSerializer,
            404: problem("No report has this code."),
            410: problem("The report was destroyed after its retention period."),
            429: _RATE_LIMITED,
        },
    )
    def post(self, request):
        report = _report_for_code(request, request.data)
        return Response(intake_selectors.public_view(report=report))


class FollowupMessageView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        request=FollowupMessageSerializer,
        responses={
            201: PublicReportSerializer,
            404: problem("No report has this code."),
            410: problem("The report was destroyed after its retention period."),
            429: _RATE_LIMITED,
        },
    )
    def post(self, request):
        report = _report_for_code(request, request.data)
        serializer = FollowupMessageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data.get("attachments", [])
        uploads = list(Attachment.objects.filter(id__in=ids, report__isnull=True))
        if len(uploads) != len(set(ids)):
            raise invalid("attachments", "unknown", _("There is no unused upload with this id."))
        # More files than a report may have: services.TooManyAttachments, at `attachments`.
        followed = services.followup_add(
            report=report,
            text=serializer.validated_data.get("text", "").strip(),
            attachments=uploads,
            actor=request.user,
        )
        # The report as the answer left it: its public status may have changed.
        return Response(
            intake_selectors.public_view(report=followed.report), status=status.HTTP_201_CREATED
        )


__all__ = ["TokenAuthentication"]


class AddressLookupSerializer(StrictSerializer):
    postcode = serializers.CharField(max_length=10)
    house_number = serializers.IntegerField(min_value=1, max_value=99999)


class AddressLookupView(APIView):
    """Street and town for a postcode and house number, from the local address register.

    A POST with the address in the body, like the follow-up: an address typed on the
    reporting page must not end up in a URL, and so in an access log.
    """

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        operation_id="addresses_lookup",
        request=AddressLookupSerializer,
        responses={200: FoundAddressSerializer(many=True)},
    )
    def post(self, request):
        params = AddressLookupSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        found = address_lookup(**params.validated_data)
        return Response(
            [
                {
                    "postcode": a.postcode,
                    "house_number": a.house_number,
                    "house_letter": a.house_letter,
                    "addition": a.addition,
                    "street": a.street,
                    "city": a.city,
                    "point": {"lat": a.lat, "lon": a.lon} if a.lat is not None else None,
                }
                for a in found
            ]
        )
