"""The API frame of Baken v1. Each view parses, calls one selector or service, serialises."""

from django.contrib.auth.decorators import login_not_required
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.audit import labels
from baken.audit.models import AuditEntry
from baken.auditlog.selectors import AuditFilter, audit_entry_list
from baken.core.problems import problem_response
from baken.core.roles import Capability

from .query import QuerySerializer


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")
    role = serializers.CharField()
    team = serializers.CharField(source="team.name", allow_null=True, default=None)
    capabilities = serializers.ListField(child=serializers.CharField())


class MeView(APIView):
    """Who the token or session belongs to, and what that user may use."""

    @extend_schema(responses=MeSerializer, operation_id="me_retrieve")
    def get(self, request):
        user = request.user
        data = MeSerializer(user).data
        data["capabilities"] = sorted(user.capabilities)
        return Response(data)


class AuditEntrySerializer(serializers.ModelSerializer):
    """The entry as the chain holds it (codes, ISO 8601), with the Dutch label of each code
    beside it (baken.audit.labels): a client shows the label and filters on the code."""

    action_label = serializers.SerializerMethodField(
        help_text="The action in words, in the user's language (Dutch by default)."
    )
    actor_role_label = serializers.SerializerMethodField(
        help_text="The actor's role in words, in the user's language."
    )
    object_type_label = serializers.SerializerMethodField(
        help_text="The kind of object in words, in the user's language."
    )

    class Meta:
        model = AuditEntry
        fields = [
            "seq",
            "at",
            "actor_id",
            "actor_role",
            "actor_role_label",
            "action",
            "action_label",
            "object_type",
            "object_type_label",
            "object_id",
            "detail",
            "hash",
        ]

    def get_action_label(self, entry: AuditEntry) -> str:
        return labels.action_label(entry.action)

    def get_actor_role_label(self, entry: AuditEntry) -> str:
        return labels.role_label(entry.actor_role)

    def get_object_type_label(self, entry: AuditEntry) -> str:
        return labels.object_type_label(entry.object_type) if entry.object_type else ""


class AuditFilterSerializer(QuerySerializer):
    actor_id = serializers.IntegerField(required=False, min_value=1)
    action = serializers.CharField(required=False, max_length=64)
    object_type = serializers.CharField(required=False, max_length=64)
    object_id = serializers.CharField(required=False, max_length=64)
    since = serializers.DateField(required=False)
    until = serializers.DateField(required=False)

    def validate(self, attrs):
        if attrs.get("since") and attrs.get("until") and attrs["since"] > attrs["until"]:
            raise serializers.ValidationError(
                {"until": _("The end date lies before the start date.")}
            )
        return attrs


class AuditEntryListView(ListAPIView):
    """The audit log, for the privacy officer only; the search itself is logged too."""

    serializer_class = AuditEntrySerializer

    @extend_schema(parameters=[AuditFilterSerializer])
    def get(self, request, *args, **kwargs):
        if not request.user.can(Capability.AUDIT):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = AuditFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return audit_entry_list(
            user=self.request.user, filters=AuditFilter(**params.validated_data)
        )


@login_not_required
@csrf_exempt  # an unknown API path is a 404 for every method, not a CSRF refusal
def not_found(request, exception=None):
    return problem_response(request, status=404)
