"""POST /api/v1/reports (any channel) and the workspace's GET of the reports a user may see."""

import json
from pathlib import Path

from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.core import ratelimits
from baken.core.problems import problem
from baken.core.roles import Capability
from baken.reports import inbox, selectors
from baken.reports.departments import department_shown, hides_name
from baken.reports.editing import working_data
from baken.reports.forms import InboxFilterForm, category_choices
from baken.reports.inbox import COUNT_CAP, filter_from_form, inbox_count, inbox_reports
from baken.reports.models import Channel
from baken.reports.workflow import Status

from .intake import ReportCreatedSerializer, submit
from .pagination import PageQuerySerializer, WindowPagination
from .query import QuerySerializer, refuse_query

REPORT_SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "reports" / "report.schema.json").read_text()
)
REPORT_SCHEMA.pop("$schema", None)
REPORT_SCHEMA.pop("$id", None)
_DEFS = REPORT_SCHEMA.pop("$defs", {})


def _component_refs(node):
    """JSON Schema's local `#/$defs/x` becomes OpenAPI's `#/components/schemas/ReportX`,
    and `const` a one-value enum."""
    if isinstance(node, dict):
        if "const" in node:  # OpenAPI 3.0 knows no `const`; a one-value enum says the same
            node = {**{k: v for k, v in node.items() if k != "const"}, "enum": [node["const"]]}
        return {
            key: (
                f"#/components/schemas/Report{value.rsplit('/', 1)[-1].title()}"
                if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/")
                else _component_refs(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_component_refs(item) for item in node]
    return node


REPORT_SCHEMA = _component_refs(REPORT_SCHEMA)


def add_report_components(result, generator, request, public):
    """drf-spectacular post-processing hook: the report format's shared parts as components."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in _DEFS.items():
        schemas[f"Report{name.title()}"] = _component_refs(definition)
    return result


def report_data(report) -> dict:
    """A report's working version in the uniform format, plus its id, reference, state and
    team. The reporter's identity never: only whether the report is anonymous. Each named
    subject carries its `report_subject` id, for /report-subjects/{id}/…"""
    data = working_data(report)
    data["subjects"] = [
        {**subject, "report_subject": row.pk}
        for subject, row in zip(data["subjects"], report.subjects.all(), strict=True)
    ]
    return {
        "id": report.pk,
        "reference": report.reference,
        "status": report.status,
        "received_at": report.received_at.isoformat(),
        "team": report.team.name if report.team else None,
        "assignee": report.assignee_id,
        "revision": report.revision,
        "channel": report.channel,
        "category": report.category.code if report.category else None,
        **{k: v for k, v in data.items() if k != "category"},
        "reporter": {"anonymous": report.is_anonymous},
        # The department as the 'kleine afdeling' rule lets the team see it, never its code.
        "reporter_department": department_shown(report),
        "reporter_department_small": hides_name(report),
        "attachments": [str(a.id) for a in report.attachments.all()],
        "answers": report.answers,
    }


# --- what the answers hold (the OpenAPI document; report_data writes this shape) ------------


def _format_part(name: str) -> dict:
    return _component_refs(json.loads(json.dumps(REPORT_SCHEMA["properties"][name])))


@extend_schema_field(_format_part("observed_at"))
class ObservedField(serializers.JSONField):
    pass


@extend_schema_field(_format_part("location"))
class LocationField(serializers.JSONField):
    pass


@extend_schema_field({"$ref": "#/components/schemas/ReportAddress"})
class AddressField(serializers.JSONField):
    pass


class NamedSubjectSerializer(serializers.Serializer):
    """A subject as the report names it (the uniform format), with its id."""

    report_subject = serializers.IntegerField(
        help_text="The id for /report-subjects/{id}/candidates, /judgements and /subject."
    )
    type = serializers.ChoiceField(choices=["person", "organisation", "vehicle", "address"])
    name = serializers.CharField(required=False)
    birth_date = serializers.DateField(required=False)
    bsn = serializers.CharField(required=False)
    kvk_number = serializers.CharField(required=False)
    license_plate = serializers.CharField(required=False)
    description = serializers.CharField(required=False)
    address = AddressField(required=False)


class ReporterSerializer(serializers.Serializer):
    anonymous = serializers.BooleanField()


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    received_at = serializers.DateTimeField()
    team = serializers.CharField(allow_null=True, help_text="The team's name.")
    assignee = serializers.IntegerField(allow_null=True)
    revision = serializers.IntegerField()
    channel = serializers.CharField()
    category = serializers.CharField(allow_null=True, help_text="The category's code.")
    description = serializers.CharField(allow_blank=True)
    observed_at = ObservedField(required=False)
    location = LocationField(required=False)
    subjects = NamedSubjectSerializer(many=True)
    reporter = ReporterSerializer()
    reporter_department = serializers.CharField(
        allow_blank=True,
        help_text="The reporter's department by name: empty when none was named; 'kleine "
        "afdeling' (in the request's language) for a report, named or anonymous, from a "
        "department that is small, or was small when the report came in, since its name "
        "would point at the reporter. A named reporter's department is given by name only "
        "with their contact details (POST /api/v1/reports/{id}/contact, audited).",
    )
    reporter_department_small = serializers.BooleanField(
        help_text="True when `reporter_department` is the protected 'kleine afdeling' "
        "(the department is small, or was when the report came in); false otherwise, also "
        "when no department was named. Test this, not the translated text.",
    )
    attachments = serializers.ListField(child=serializers.UUIDField())
    answers = serializers.DictField(help_text="The answers to the category's questions.")


class ReportSignSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The sign's id in GET /api/v1/categories.")
    text = serializers.CharField()


class ReportDetailSerializer(ReportSerializer):
    signs = ReportSignSerializer(
        many=True,
        help_text="The signs of its category the reporter recognised (ticked), in the "
        "catalogue's order; empty when none.",
    )


class ReportPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        help_text=f"How many reports the list holds, counted up to {COUNT_CAP}: when it holds "
        f"more, `count` is {COUNT_CAP} and `count_capped` is true. Page through with `next`."
    )
    count_capped = serializers.BooleanField(
        help_text=f"True when the list holds more reports than `count` ({COUNT_CAP}); the "
        "exact number is not counted."
    )
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ReportSerializer(many=True)


class InboxQuerySerializer(QuerySerializer):
    """The inbox filters, typed; what a category or area may be is the inbox form's
    (reports.forms.InboxFilterForm), whose problems are added, as the page shows them."""

    status = serializers.ListField(
        child=serializers.ChoiceField(choices=Status.choices),
        required=False,
        help_text="states, repeatable",
    )
    category = serializers.CharField(required=False, max_length=64, help_text="category code")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    assignee = serializers.ChoiceField(
        choices=["ik", "niemand"], required=False, help_text="me or nobody"
    )
    team = serializers.IntegerField(required=False, min_value=1)
    area = serializers.CharField(
        required=False,
        max_length=32,
        help_text="an area code (baken areas import) or a postcode prefix",
    )
    older_than_days = serializers.IntegerField(required=False, min_value=0, max_value=3650)
    overdue = serializers.BooleanField(required=False)
    sort = serializers.ChoiceField(
        choices=["oudste", "nieuwste", "status", "kenmerk"], required=False
    )


class ReportCollectionView(APIView):
    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else super().get_permissions()

    @extend_schema(
        operation_id="reports_create",
        request={"application/json": REPORT_SCHEMA},
        responses={
            201: ReportCreatedSerializer,
            403: problem("This channel needs an API token allowed for it."),
            409: problem("This `idempotency_key` was used for a different report."),
            429: problem(status=429),
        },
        description="Submit a report in the uniform format. `web` and `app` need no login "
        "(rate-limited); other channels need an API token allowed for that channel. The "
        "receipt code is shown only in this response. Sending the same `idempotency_key` "
        "again (an offline device that was not sure the first send arrived) stores nothing "
        "and returns the first answer again, marked with the header "
        "`Idempotent-Replayed: true`; the same key with other content is a 409.",
    )
    def post(self, request):
        if not request.user.is_authenticated:
            ratelimits.enforce(request, "reports")
        submitted = submit(request)
        body = {
            "id": submitted.report.pk,
            "reference": submitted.report.reference,
            "receipt_code": submitted.receipt_code,
            "status": submitted.report.status,
        }
        response = Response(body, status=status.HTTP_201_CREATED)
        if not submitted.created:
            response["Idempotent-Replayed"] = "true"
        return response

    @extend_schema(
        operation_id="reports_list",
        parameters=[
            InboxQuerySerializer,
            PageQuerySerializer,
        ],
        responses=OpenApiResponse(
            ReportPageSerializer,
            description="The reports this user may see (the inbox), filtered and sorted.",
        ),
    )
    def get(self, request):
        if not request.user.can(Capability.WORKSPACE):
            raise PermissionDenied
        checked = InboxQuerySerializer(data=request.query_params)
        form = InboxFilterForm(request.query_params, categories=category_choices())
        if not checked.is_valid() or (request.query_params and not form.is_valid()):
            refuse_query(InboxQuerySerializer, request, form)
        filters = filter_from_form(form)
        paginator = WindowPagination()
        page = paginator.paginate_window(
            # The department: shown through the 'kleine afdeling' rule for each report.
            lambda window: (
                inbox_reports(user=request.user, filters=filters, queue=False, window=window)
                .select_related("department")
                .prefetch_related("subjects", "attachments")
            ),
            lambda: inbox_count(user=request.user, filters=filters, queue=False),
            request,
            self,
        )
        selectors.report_list_logged(user=request.user, reports=page)
        return paginator.get_paginated_response([report_data(r) for r in page], cap=inbox.COUNT_CAP)


class ReportDetailView(APIView):
    @extend_schema(
        operation_id="reports_retrieve",
        responses=OpenApiResponse(
            ReportDetailSerializer, description="One report, if this user may see it."
        ),
    )
    def get(self, request, pk: int):
        if not request.user.is_authenticated:
            raise NotAuthenticated
        report = selectors.report_get(user=request.user, pk=pk)
        if report is None:
            raise NotFound
        signs = report.signs.order_by("position", "pk").values("id", "text")  # one query
        return Response({**report_data(report), "signs": list(signs)})


__all__ = ["serializers"]
