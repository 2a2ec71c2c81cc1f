"""Awareness trainings over the API (issue 17), through the pages' own module
(baken.awareness.trainings), so the rules, the refusals and the audit entries are the pages':

- `trainings`: every training, newest first (paginated); register one;
- `trainings/{id}`: one training; change some of its fields (PATCH); remove it.

Analysts and team leads (Capability.INSIGHTS): any other role gets 403 before its body is
read. Departments are named by their code, dates are ISO 8601; a date in the future is a
planned training (`planned: true`).
"""

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.awareness import trainings
from baken.awareness.models import Training, TrainingFormat
from baken.core.problems import problem
from baken.reports.models import Department

from .pagination import PageQuerySerializer, Pagination
from .strict import StrictSerializer

# --- what the answers hold -------------------------------------------------------------------


class AwarenessTrainingSerializer(StrictSerializer):
    id = serializers.IntegerField()
    held_on = serializers.DateField()
    planned = serializers.BooleanField(help_text="The date is still to come.")
    title = serializers.CharField(allow_blank=True)
    departments = serializers.ListField(
        child=serializers.CharField(), help_text="The departments' codes."
    )
    participants = serializers.IntegerField(help_text="How many took part; never who.")
    format = serializers.ChoiceField(choices=TrainingFormat.choices)
    format_label = serializers.CharField()
    trainer = serializers.CharField()
    notes = serializers.CharField(allow_blank=True)
    registered_by = serializers.CharField(allow_null=True)
    registered_at = serializers.DateTimeField()


class AwarenessTrainingPageSerializer(StrictSerializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = AwarenessTrainingSerializer(many=True)


def training_data(training: Training) -> dict:
    user = training.registered_by
    return {
        "id": training.pk,
        "held_on": training.held_on.isoformat(),
        "planned": trainings.is_planned(training),
        "title": training.title,
        "departments": [d.code for d in training.departments.all()],
        "participants": training.participants,
        "format": training.format,
        "format_label": str(training.get_format_display()),
        "trainer": training.trainer,
        "notes": training.notes,
        "registered_by": (user.get_full_name() or user.username) if user else None,
        "registered_at": training.registered_at.isoformat(),
    }


# --- what the requests hold ------------------------------------------------------------------


class DepartmentCodes(serializers.ListField):
    """Department codes, each turned into its department; an unknown code is refused with the
    code named (whether it is active is the service's rule: a training may keep one that was
    switched off)."""

    child = serializers.CharField(max_length=64)

    def to_internal_value(self, data):
        codes = super().to_internal_value(data)
        found = {d.code: d for d in Department.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise serializers.ValidationError(
                _("No department has the code %(code)s.") % {"code": ", ".join(unknown)}
            )
        return [found[code] for code in dict.fromkeys(codes)]


class AwarenessTrainingWriteSerializer(StrictSerializer):
    held_on = serializers.DateField(
        help_text="ISO 8601. In the future: a planned training (at most a year ahead)."
    )
    title = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    departments = DepartmentCodes(
        help_text="At least one department code (see the reports' `reporter.department`)."
    )
    participants = serializers.IntegerField(help_text="How many took part, at least 1.")
    format = serializers.ChoiceField(choices=TrainingFormat.choices)
    trainer = serializers.CharField(
        max_length=200, allow_blank=True, help_text="Who gave it (required)."
    )
    notes = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")


# --- the views -------------------------------------------------------------------------------


def _team(request) -> None:
    if not trainings.may_register(request.user):
        raise PermissionDenied


def _body(request, *, partial: bool = False) -> dict:
    body = AwarenessTrainingWriteSerializer(data=request.data, partial=partial)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


_NOT_FOUND = problem("No such training (`not_found`).")


class TrainingCollectionView(APIView):
    @extend_schema(
        operation_id="trainings_list",
        parameters=[PageQuerySerializer],
        responses={200: AwarenessTrainingPageSerializer},
        description="The awareness trainings of the municipality, the latest date first "
        "(planned ones first of all). Analysts and team leads.",
    )
    def get(self, request):
        _team(request)
        paginator = Pagination()
        every = trainings.training_list(actor=request.user)
        page = paginator.paginate_queryset(every, request, view=self) or []
        return paginator.get_paginated_response([training_data(t) for t in page])

    @extend_schema(
        operation_id="trainings_create",
        request=AwarenessTrainingWriteSerializer,
        responses={201: AwarenessTrainingSerializer},
        description="Register a training, given or planned; an audit entry. An unknown "
        "department code, no department, fewer than 1 participant or a date out of range is "
        "a 400 naming the field.",
    )
    def post(self, request):
        _team(request)
        made = trainings.training_create(actor=request.user, **_body(request))
        made = trainings.training_get(actor=request.user, pk=made.pk)
        return Response(training_data(made), status=status.HTTP_201_CREATED)


class TrainingDetailView(APIView):
    @extend_schema(
        operation_id="trainings_retrieve",
        responses={200: AwarenessTrainingSerializer, 404: _NOT_FOUND},
        description="One training.",
    )
    def get(self, request, pk: int):
        _team(request)
        return Response(training_data(trainings.training_get(actor=request.user, pk=pk)))

    @extend_schema(
        operation_id="trainings_partial_update",
        request=AwarenessTrainingWriteSerializer(partial=True),
        responses={200: AwarenessTrainingSerializer, 404: _NOT_FOUND},
        description="Change the fields given (`departments` replaces the list); an audit entry "
        "naming the fields changed. A department switched off may stay, not be added.",
    )
    def patch(self, request, pk: int):
        _team(request)
        changes = _body(request, partial=True)
        trainings.training_update(actor=request.user, pk=pk, **changes)
        return Response(training_data(trainings.training_get(actor=request.user, pk=pk)))

    @extend_schema(
        operation_id="trainings_destroy",
        responses={204: None, 404: _NOT_FOUND},
        description="Remove a training registered by mistake; an audit entry.",
    )
    def delete(self, request, pk: int):
        _team(request)
        trainings.training_delete(actor=request.user, pk=pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns: list = [
    path("trainings", TrainingCollectionView.as_view(), name="trainings"),
    path("trainings/<int:pk>", TrainingDetailView.as_view(), name="training"),
]
