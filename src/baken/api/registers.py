"""The registers over the API (issue 16), through the pages' own modules, so the filters, the
refusals and the audit entries are the pages':

- `GET registers/sharing`: the sharing register (every hand-over of a case and every report
  forwarded or referred), newest first, paginated, filtered by the query parameters `since`
  and `until` (ISO 8601 dates, both included), `recipient_kind`, `recipient`, `team`,
  `subject` (a registered subject's number) and `about` (a name, BSN, KvK number, licence
  plate or #number); privacy officer only;
- `GET registers/sharing.csv`: the same filter as the page's CSV file;
- `GET registers/processing` and `registers/processing.pdf`: the processing-register entry
  (AVG art. 30) as JSON and as PDF; privacy officer and functional administrator.

A role that may not use an endpoint gets 403 before its parameters are read; every read and
download is an audit entry.
"""

from dataclasses import replace

from django.http import HttpResponse, StreamingHttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.cases.models import RecipientKind
from baken.privacy import processing_register as processing
from baken.privacy import sharing_csv
from baken.privacy import sharing_register as sharing
from baken.privacy.register_forms import SharingSearchForm
from baken.privacy.rules import BY_KIND

from .ids import id_field
from .pagination import PageQuerySerializer, Pagination
from .query import QuerySerializer, refuse_query
from .renderers import FileRenderer, PdfRenderer
from .strict import StrictSerializer

KIND_VALUES = [*RecipientKind.values, *sharing.DECISION_KINDS]

# --- the sharing register ------------------------------------------------------------------


class SharingQuerySerializer(QuerySerializer):
    since = serializers.DateField(required=False, help_text="From this day on (ISO 8601).")
    until = serializers.DateField(required=False, help_text="Up to and including this day.")
    recipient_kind = serializers.ChoiceField(
        choices=KIND_VALUES,
        required=False,
        help_text="A hand-over's kind of recipient, or `forwarded` / `referred`: the reports "
        "forwarded or referred by a decision.",
    )
    recipient = serializers.CharField(
        required=False, max_length=200, help_text="A part of the recipient's name."
    )
    team = id_field(required=False, help_text="The team of the case or the report (its id).")
    subject = id_field(
        required=False,
        help_text="About whom: a registered subject's number. Hand-overs that name it (or a "
        "subject merged into it), and the hand-overs and decisions of the reports that name it.",
    )
    about = serializers.CharField(
        required=False,
        max_length=200,
        help_text="About whom, searched: a name (fuzzy; only exact names when there are any), "
        "BSN, KvK number, licence plate or #number. Every subject found counts (listed in "
        "`about`); with `subject` as well, either.",
    )


class SharingListQuerySerializer(SharingQuerySerializer, PageQuerySerializer):
    pass


class SharingNamedSerializer(StrictSerializer):
    id = serializers.IntegerField()
    text = serializers.CharField(
        allow_null=True,
        help_text="A report's reference or a subject's name; null when it is no longer in "
        "Baken (destroyed).",
    )


class SharingRowSerializer(StrictSerializer):
    entry = serializers.ChoiceField(
        choices=[sharing.HANDOVER, sharing.DECISION],
        help_text="`handover`: a hand-over from a case; `decision`: a report forwarded or "
        "referred.",
    )
    id = serializers.IntegerField(help_text="The hand-over's or the decision's id.")
    at = serializers.DateTimeField()
    recipient_kind = serializers.ChoiceField(choices=KIND_VALUES)
    recipient_kind_label = serializers.CharField()
    recipient = serializers.CharField(allow_blank=True)
    basis = serializers.CharField(
        help_text="A hand-over's legal basis; a decision's rationale.", allow_blank=True
    )
    what = serializers.CharField(help_text="What was shared.")
    by = serializers.CharField(help_text="Who shared it.")
    team = serializers.CharField(allow_null=True)
    case = serializers.CharField(allow_null=True, help_text="A hand-over's case (its reference).")
    package = serializers.CharField(allow_blank=True, help_text="A hand-over's package (name).")
    package_sha256 = serializers.CharField(allow_blank=True)
    reports = SharingNamedSerializer(many=True)
    subjects = SharingNamedSerializer(
        many=True,
        help_text="A hand-over: the subjects it held; a decision: those its report names now.",
    )


class SharingAboutSerializer(StrictSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class SharingPageSerializer(StrictSerializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    about = SharingAboutSerializer(
        many=True, help_text="The registered subjects `subject` and `about` stand for."
    )
    results = SharingRowSerializer(many=True)


def row_data(row: sharing.SharingRow) -> dict:
    return {
        "entry": row.source,
        "id": row.pk,
        "at": row.at.isoformat(),
        "recipient_kind": row.kind,
        "recipient_kind_label": row.kind_label,
        "recipient": row.recipient,
        "basis": row.basis,
        "what": row.what,
        "by": row.by,
        "team": row.team,
        "case": row.case,
        "package": row.package,
        "package_sha256": row.package_sha256,
        "reports": [{"id": n.pk, "text": n.text} for n in row.reports],
        "subjects": [{"id": n.pk, "text": n.text} for n in row.subjects],
    }


def _auditor(request) -> None:
    if not sharing.may_read(request.user):
        raise PermissionDenied


def _filters(request) -> tuple[sharing.SharingFilter, list]:
    """The query as the page's filter: the same form, so the same rules and messages."""
    params = SharingQuerySerializer(data=request.query_params)
    names = ("since", "until", "recipient_kind", "recipient", "team", "about")
    form = SharingSearchForm({name: request.query_params.get(name, "") for name in names})
    if not (params.is_valid() and form.is_valid()):
        refuse_query(SharingQuerySerializer, request, form)
    subjects = list(form.subjects)
    number = params.validated_data.get("subject")
    if number is not None:
        subject = sharing.subject_by_number(number)
        if subject is None:
            raise serializers.ValidationError(
                {"subject": [_("No registered subject has this number.")]}
            )
        subjects += [subject] if subject not in subjects else []
    filters = replace(form.filters(), subjects=tuple(s.pk for s in subjects))
    return filters, subjects


class SharingRegisterView(APIView):
    @extend_schema(
        operation_id="registers_sharing_list",
        parameters=[SharingListQuerySerializer],
        responses={200: SharingPageSerializer},
        description="The sharing register: every hand-over from a case and every report "
        "forwarded or referred, of every team, newest first (privacy officer). Each page "
        "read is an audit entry naming its rows (`registers.sharing_read`).",
    )
    def get(self, request):
        _auditor(request)
        filters, subjects = _filters(request)
        paginator = Pagination()
        keys = paginator.paginate_queryset(sharing.register_rows(filters), request, view=self)
        rows = sharing.rows_of(keys or [])
        sharing.record_read(actor=request.user, filters=filters, rows=rows, via="api")
        return Response(
            {
                "count": paginator.page.paginator.count if paginator.page else 0,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "about": [{"id": s.pk, "name": s.name, "kind": s.kind} for s in subjects],
                "results": [row_data(row) for row in rows],
            }
        )


class CsvRenderer(FileRenderer):
    media_type = "text/csv"
    format = "csv"


class SharingRegisterCsvView(APIView):
    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(
        operation_id="registers_sharing_csv",
        parameters=[SharingQuerySerializer],
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The register as CSV for Dutch Excel (semicolons, UTF-8 with a "
                "byte order mark), newest first, at most 50,000 rows.",
            )
        },
        description="The sharing register with the same filter as a CSV file (privacy "
        "officer); the download is an audit entry (`registers.sharing_export`).",
    )
    def get(self, request):
        _auditor(request)
        filters, _subjects = _filters(request)
        rows = sharing.export_rows(actor=request.user, filters=filters, limit=sharing_csv.LIMIT)
        response = StreamingHttpResponse(
            sharing_csv.csv_lines(rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{sharing_csv.file_name()}"'
        return response


# --- the processing register ---------------------------------------------------------------


class RegisterItemSerializer(StrictSerializer):
    name = serializers.CharField()
    text = serializers.CharField(allow_blank=True)


class SeenRecipientSerializer(StrictSerializer):
    recipient = serializers.CharField(allow_blank=True)
    recipient_kind = serializers.ChoiceField(choices=KIND_VALUES)
    recipient_kind_label = serializers.CharField()
    count = serializers.IntegerField()
    last = serializers.DateTimeField()


class RegisterRuleSerializer(StrictSerializer):
    kind = serializers.CharField(help_text="The kind of data's code (retention rules).")
    name = serializers.CharField()
    version = serializers.IntegerField()
    period = serializers.CharField()
    counted_from = serializers.CharField()
    action = serializers.CharField()
    legal_source = serializers.CharField()


class ProcessingRegisterSerializer(StrictSerializer):
    made_at = serializers.DateTimeField()
    controller = serializers.CharField(
        allow_blank=True, help_text="The municipality; empty: BAKEN_MUNICIPALITY_NAME is unset."
    )
    privacy_officer = serializers.ListField(
        child=serializers.CharField(), help_text="BAKEN_PRIVACY_OFFICER_EMAIL; empty: unset."
    )
    purpose = serializers.CharField()
    categories = RegisterItemSerializer(many=True, help_text="The catalogue's categories in use.")
    case_types = RegisterItemSerializer(many=True)
    personal_data = RegisterItemSerializer(many=True, help_text="Categories of personal data.")
    special = RegisterItemSerializer(many=True, help_text="Special and criminal-law data.")
    people = RegisterItemSerializer(many=True, help_text="Categories of people, with counts.")
    recipient_kinds = RegisterItemSerializer(many=True)
    recipients = SeenRecipientSerializer(many=True, help_text="As the sharing register has them.")
    transfers = serializers.CharField()
    retention = RegisterRuleSerializer(many=True)
    measures = RegisterItemSerializer(
        many=True, help_text="Security measures the settings have on."
    )
    off = RegisterItemSerializer(many=True, help_text="Measures the settings have switched off.")
    pdf_url = serializers.CharField()


def _items(items) -> list[dict]:
    return [{"name": str(item.name), "text": str(item.text)} for item in items]


def processing_data(register: processing.ProcessingRegister) -> dict:
    return {
        "made_at": register.made_at.isoformat(),
        "controller": register.controller,
        "privacy_officer": register.privacy_officer,
        "purpose": register.purpose,
        "categories": _items(register.categories),
        "case_types": _items(register.case_types),
        "personal_data": _items(register.data),
        "special": _items(register.special),
        "people": _items(register.people),
        "recipient_kinds": _items(register.recipient_kinds),
        "recipients": [
            {
                "recipient": seen.recipient,
                "recipient_kind": seen.kind,
                "recipient_kind_label": seen.kind_label,
                "count": seen.count,
                "last": seen.last.isoformat(),
            }
            for seen in register.recipients
        ],
        "transfers": register.transfers,
        "retention": [
            {
                "kind": shown.rule.kind,
                "name": shown.rule.label,
                "version": shown.rule.version,
                "period": shown.rule.period,
                "counted_from": str(BY_KIND[shown.rule.kind].counted_from),
                "action": str(BY_KIND[shown.rule.kind].action),
                "legal_source": shown.rule.legal_source,
            }
            for shown in register.rules
        ],
        "measures": _items(register.measures),
        "off": _items(register.off),
        "pdf_url": reverse("api:registers-processing-pdf"),
    }


def _processing(request, via: str) -> processing.ProcessingRegister:
    register = processing.processing_register(actor=request.user, via=via)
    if register is None:
        raise PermissionDenied
    return register


class ProcessingRegisterView(APIView):
    @extend_schema(
        operation_id="registers_processing",
        responses={200: ProcessingRegisterSerializer},
        description="The processing-register entry for Baken (AVG art. 30), made from the "
        "installation's settings and data now (privacy officer, functional administrator); "
        "each read is an audit entry (`registers.processing_read`).",
    )
    def get(self, request):
        return Response(processing_data(_processing(request, "api")))


class ProcessingRegisterPdfView(APIView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        operation_id="registers_processing_pdf",
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The processing-register entry (PDF)."
            )
        },
        description="The processing-register entry as PDF (privacy officer, functional "
        "administrator); each read is an audit entry.",
    )
    def get(self, request):
        register = _processing(request, "api-pdf")
        response = HttpResponse(processing.register_pdf(register), content_type="application/pdf")
        name = processing.register_file_name(register)
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response


urlpatterns = [
    path("registers/sharing", SharingRegisterView.as_view(), name="registers-sharing"),
    path("registers/sharing.csv", SharingRegisterCsvView.as_view(), name="registers-sharing-csv"),
    path("registers/processing", ProcessingRegisterView.as_view(), name="registers-processing"),
    path(
        "registers/processing.pdf",
        ProcessingRegisterPdfView.as_view(),
        name="registers-processing-pdf",
    ),
]
