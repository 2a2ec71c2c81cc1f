"""The departments over the API (issue 17):

- `GET departments`: the active departments a reporter may name, in the order the Meldpunt
  lists them, as the category catalogue is: open to anyone (the public Meldpunt and the
  systems that submit reports name a department by its `code` in `reporter.department`);
- `POST departments` and `PATCH departments/{code}`: the functional administrator adds and
  changes them, through the pages' own services (awareness/departments.py), so the rules,
  the refusals (problem+json) and the audit entries are the pages'.

The size band is public on purpose: a reporter may see that a report from a small department
shows the team only 'kleine afdeling'.
"""

from collections.abc import Mapping

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.awareness.departments import active_departments, department_save
from baken.core.problems import problem
from baken.core.roles import Capability
from baken.reports.models import Department, DepartmentSize

from .strict import StrictSerializer


class DepartmentSerializer(StrictSerializer):
    code = serializers.SlugField(
        read_only=True,
        help_text="Made from the name when the department is added; never changes. Send it as "
        "`reporter.department` with a report.",
    )
    name = serializers.CharField(max_length=200)
    size = serializers.ChoiceField(
        choices=DepartmentSize.choices,
        help_text="`small`: fewer than 25 employees (a report from it, named or anonymous, "
        "shows the team only 'kleine afdeling'); `large`: 25 or more.",
    )
    position = serializers.IntegerField(min_value=0, max_value=100_000, default=0)
    is_active = serializers.BooleanField(
        default=True, help_text="Reporters choose only from active departments."
    )

    def to_internal_value(self, data):
        # DRF drops a read-only field's value without a word; a client that sends another
        # code to PATCH would believe it changed. Integrators name the department by it.
        instance = self.instance
        sent = data.get("code", instance.code) if isinstance(data, Mapping) and instance else None
        if isinstance(instance, Department) and sent != instance.code:
            raise serializers.ValidationError(
                {
                    "code": [
                        serializers.ErrorDetail(
                            _(
                                "The code cannot be changed: systems that send reports "
                                "name the department by it."
                            ),
                            code="read_only",
                        )
                    ]
                }
            )
        return super().to_internal_value(data)


def _administrator(request) -> None:
    if not request.user.is_authenticated or not request.user.can(Capability.CONFIGURE):
        raise PermissionDenied


class DepartmentCollectionView(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()

    @extend_schema(
        operation_id="departments_list",
        responses={200: DepartmentSerializer(many=True)},
        description="The active departments a reporter may name, in the Meldpunt's order. "
        "Open to anyone, like the category catalogue.",
    )
    def get(self, request):
        return Response(DepartmentSerializer(active_departments(), many=True).data)

    @extend_schema(
        operation_id="departments_create",
        request=DepartmentSerializer,
        responses={
            201: DepartmentSerializer,
            400: problem(
                "A name that another department has already, a reserved name ('kleine "
                "afdeling', 'small department'), or a wrong value."
            ),
            403: problem("Only the functional administrator keeps the departments."),
        },
        description="Add a department (functional administrator). Its code is made from the name.",
    )
    def post(self, request):
        _administrator(request)
        body = DepartmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        department = department_save(actor=request.user, **body.validated_data)
        return Response(DepartmentSerializer(department).data, status=status.HTTP_201_CREATED)


class DepartmentDetailView(APIView):
    @extend_schema(
        operation_id="departments_partial_update",
        request=DepartmentSerializer(partial=True),
        responses={
            200: DepartmentSerializer,
            400: problem(
                "A name that another department has already, a reserved name ('kleine "
                "afdeling', 'small department'), another `code` (read-only), or a wrong value."
            ),
            403: problem("Only the functional administrator keeps the departments."),
            404: problem("No department has this code."),
        },
        description="Change a department's name, size band, position or whether it is "
        "active (functional administrator). A department that reports name is switched "
        "off, never removed. Changing the band from small to large reveals nothing: each "
        "report keeps the band it had when it came in.",
    )
    def patch(self, request, code: str):
        _administrator(request)
        department = Department.objects.filter(code=code).first()
        if department is None:
            raise NotFound
        body = DepartmentSerializer(department, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        current = {
            "name": department.name,
            "size": department.size,
            "position": department.position,
            "is_active": department.is_active,
        }
        changed = department_save(
            actor=request.user,
            department=department,
            **{**current, **{k: v for k, v in body.validated_data.items() if k in current}},
        )
        return Response(DepartmentSerializer(changed).data)


urlpatterns = [
    path("departments", DepartmentCollectionView.as_view(), name="departments"),
    path("departments/<slug:code>", DepartmentDetailView.as_view(), name="department"),
]

__all__ = ["urlpatterns"]
