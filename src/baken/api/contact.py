"""A named reporter's contact details over the API: the same rule and the same single audit
entry as the report page (intake.contact)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.intake.contact import REASON_MAX, reporter_contact_reveal

from .strict import StrictSerializer


class ContactRequestSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=REASON_MAX,
        allow_blank=True,
        help_text="Why the details are needed; recorded in the audit log.",
    )


class ContactSerializer(StrictSerializer):
    name = serializers.CharField()
    organisation = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    may_contact = serializers.BooleanField(
        help_text="False when the reporter asked not to be contacted about the report."
    )
    department = serializers.CharField(
        allow_blank=True,
        help_text="The name of the department the reporter named (empty when none), also "
        "of a small one: elsewhere that is shown only as 'kleine afdeling'.",
    )


class ContactView(APIView):
    @extend_schema(
        operation_id="reports_contact_reveal",
        request=ContactRequestSerializer,
        responses={
            200: ContactSerializer,
            400: OpenApiResponse(description="No reason given (invalid_params: reason)."),
            403: OpenApiResponse(
                description="The user sees the report but is not of its team as intake "
                "officer, analyst or team lead."
            ),
            404: OpenApiResponse(
                description="No such report, not for this user to see, or an anonymous "
                "reporter (no details exist)."
            ),
        },
        description="Open the contact details of the report's named reporter. Only the "
        "intake officer, analyst and team lead of the report's team may; each call is one "
        "audit entry carrying the reason.",
    )
    def post(self, request, pk: int):
        if not request.user.is_authenticated:
            raise NotAuthenticated
        body = ContactRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # Refused (intake.contact.ContactRefused): the API's exception handler answers.
        contact = reporter_contact_reveal(
            user=request.user, report_id=pk, reason=body.validated_data["reason"]
        )
        return Response(ContactSerializer(contact).data)
