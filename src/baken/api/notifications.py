"""A user's own notifications over the API: the list (newest first, ISO 8601 times) and
marking one read. Another user's notification answers 404, as one that does not exist."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.notifications import selectors, services
from baken.notifications.kinds import Kind
from baken.notifications.models import Notification


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.ChoiceField(choices=Kind.choices)
    text = serializers.CharField(source="sentence", help_text="The neutral sentence shown.")
    reference = serializers.CharField(
        allow_blank=True, help_text="The report's or case's reference, when there is one."
    )
    count = serializers.IntegerField(allow_null=True, help_text="How many tasks, for task_due.")
    link = serializers.CharField(
        source="target_path",
        help_text="The page it is about; that page decides what this user may still see.",
    )
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


def _data(notification: Notification) -> dict:
    return NotificationSerializer(notification).data


class NotificationListView(ListAPIView):
    """The requesting user's notifications, newest first."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        # As on the page: notifications exist for the workspace and the privacy officer.
        if not selectors.receives_notifications(self.request.user):
            raise PermissionDenied
        return selectors.notification_list(user=self.request.user)


class NotificationReadView(APIView):
    @extend_schema(
        request=None,
        responses={
            200: NotificationSerializer,
            404: OpenApiResponse(description="No such notification, or not this user's."),
        },
    )
    def post(self, request, pk: int):
        """Mark one of the user's notifications read (again: no change)."""
        notification = services.notification_read(user=request.user, pk=pk)
        if notification is None:
            raise NotFound
        return Response(_data(notification))
