"""Related reports and duplicates over the API: the suggestions for a report, linking or
dismissing one, merging and unmerging, splitting and unsplitting.

The same selectors and services as the report page's panel (reports.related,
reports.duplicates): 404 for any report involved that the user may not see, 403 for work the
role may not do, problem+json for every refusal.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.reports import duplicates, selectors
from baken.reports.access import refuse_unless, report_for
from baken.reports.models import LinkKind, Report
from baken.reports.permissions import Action
from baken.reports.related import related_for, report_link

from .strict import StrictSerializer

_NOT_FOUND = OpenApiResponse(description="No such report, or not for this user to see.")
_FORBIDDEN = OpenApiResponse(description="This role may not do this.")


def _summaries(user, reports) -> list[dict]:
    """Id, reference and state of each report, with the report it was merged into or split
    from only when this user may see that one too (null otherwise)."""
    reports = list(reports)
    related = {pk for r in reports for pk in (r.merged_into_id, r.split_from_id) if pk}
    visible = (
        set(selectors.report_list(user=user).filter(pk__in=related).values_list("pk", flat=True))
        if related
        else set()
    )
    return [
        {
            "id": r.pk,
            "reference": r.reference,
            "status": r.status,
            "merged_into": r.merged_into_id if r.merged_into_id in visible else None,
            "split_from": r.split_from_id if r.split_from_id in visible else None,
        }
        for r in reports
    ]


def _summary(user, report: Report) -> dict:
    return _summaries(user, [report])[0]


class ReportSummarySerializer(StrictSerializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    merged_into = serializers.IntegerField(allow_null=True)
    split_from = serializers.IntegerField(allow_null=True)


class ReasonItemSerializer(StrictSerializer):
    code = serializers.ChoiceField(["address", "bsn", "kvk", "plate", "name", "place_time"])
    text = serializers.CharField(help_text="Why, in plain Dutch.")


class RelatedItemSerializer(ReportSummarySerializer):
    received_at = serializers.DateTimeField()
    category = serializers.CharField(allow_null=True)
    linked = serializers.BooleanField()
    reasons = ReasonItemSerializer(many=True)


class RelatedListSerializer(StrictSerializer):
    results = RelatedItemSerializer(many=True)
    merged = ReportSummarySerializer(many=True)
    split_off = ReportSummarySerializer(many=True)


class RelatedListView(APIView):
    @extend_schema(
        operation_id="reports_related",
        responses={
            200: RelatedListSerializer,
            404: _NOT_FOUND,
        },
        description="Other reports this user may see that share an address, a BSN, KvK "
        "number or licence plate, a similar name, or lie within 250 m and 30 days; each with "
        "its reasons in plain Dutch. Linked reports come first, dismissed ones never. Also "
        "the reports merged into this one and those split off it.",
    )
    def get(self, request, pk: int):
        report = report_for(request.user, pk)

        def family(report, relation):
            found = selectors.report_family(user=request.user, report=report, relation=relation)
            return found.select_related(None).prefetch_related(None)

        related = related_for(user=request.user, report=report)
        summaries = _summaries(request.user, [item.report for item in related])
        return Response(
            {
                "results": [
                    {
                        **summary,
                        "received_at": item.report.received_at.isoformat(),
                        "category": item.report.category.code if item.report.category else None,
                        "linked": item.linked,
                        "reasons": [{"code": r.code, "text": r.text} for r in item.reasons],
                    }
                    for item, summary in zip(related, summaries, strict=True)
                ],
                "merged": _summaries(request.user, family(report, "merged_into")),
                "split_off": _summaries(request.user, family(report, "split_from")),
            }
        )


class LinkSerializer(StrictSerializer):
    other = serializers.IntegerField(help_text="The id of the other report.")
    kind = serializers.ChoiceField(
        LinkKind.choices, help_text="related, or dismissed: not suggested again."
    )
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class LinkView(APIView):
    @extend_schema(
        operation_id="reports_links_create",
        request=LinkSerializer,
        responses={
            200: inline_serializer(
                "ReportLinkResult",
                {
                    "report": serializers.IntegerField(),
                    "other": serializers.IntegerField(),
                    "kind": serializers.CharField(),
                },
            ),
            403: _FORBIDDEN,
            404: _NOT_FOUND,
        },
        description="Judge a suggested report: related (linked) or dismissed. A new "
        "judgement of the same pair replaces the earlier one.",
    )
    def post(self, request, pk: int):
        report = report_for(request.user, pk, Action.LINK)
        body = LinkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        other = report_for(request.user, body.validated_data["other"])
        link = report_link(
            report=report,
            other=other,
            actor=request.user,
            kind=body.validated_data["kind"],
            reason=body.validated_data["reason"],
        )
        return Response({"report": report.pk, "other": other.pk, "kind": link.kind})


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=duplicates.REASON_MAX)


class MergeSerializer(ReasonSerializer):
    into = serializers.IntegerField(help_text="The id of the leading report.")


class MergeView(APIView):
    @extend_schema(
        operation_id="reports_merge",
        request=MergeSerializer,
        responses={
            200: ReportSummarySerializer,
            400: OpenApiResponse(),
            403: _FORBIDDEN,
            404: _NOT_FOUND,
        },
        description="Merge this report (a duplicate) into the leading report `into`. Both "
        "originals are kept; this report leaves the work queue. Both must be visible.",
    )
    def post(self, request, pk: int):
        duplicate = report_for(request.user, pk, Action.MERGE)
        body = MergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        leading = report_for(request.user, body.validated_data["into"])
        merged = duplicates.report_merge(
            leading=leading,
            duplicate=duplicate,
            actor=request.user,
            reason=body.validated_data["reason"],
        )
        return Response(_summary(request.user, merged))


class UnmergeView(APIView):
    @extend_schema(
        operation_id="reports_unmerge",
        request=ReasonSerializer,
        responses={
            200: ReportSummarySerializer,
            400: OpenApiResponse(),
            403: _FORBIDDEN,
            404: _NOT_FOUND,
        },
        description="Undo the merge of this report: it is a report of its own again.",
    )
    def post(self, request, pk: int):
        duplicate = report_for(request.user, pk)
        if duplicate.merged_into_id:
            report_for(request.user, duplicate.merged_into_id)
        refuse_unless(request.user, Action.MERGE)
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = duplicates.report_unmerge(
            duplicate=duplicate, actor=request.user, reason=body.validated_data["reason"]
        )
        return Response(_summary(request.user, report))


class SplitSerializer(ReasonSerializer):
    description = serializers.CharField(min_length=10, max_length=10000)
    subjects = serializers.ListField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        default=list,
        help_text="Positions of the named subjects that move to the new report.",
    )


class SplitView(APIView):
    @extend_schema(
        operation_id="reports_split",
        request=SplitSerializer,
        responses={
            201: ReportSummarySerializer,
            400: OpenApiResponse(),
            403: _FORBIDDEN,
            404: _NOT_FOUND,
        },
        description="Split a second matter off this report: a new report (own reference, "
        "state received, same team, a copy of the original) with the chosen named subjects.",
    )
    def post(self, request, pk: int):
        report = report_for(request.user, pk, Action.MERGE)
        body = SplitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        new = duplicates.report_split(
            report=report,
            actor=request.user,
            description=body.validated_data["description"],
            reason=body.validated_data["reason"],
            subject_positions=body.validated_data["subjects"],
        )
        return Response(_summary(request.user, new), status=status.HTTP_201_CREATED)


class UnsplitView(APIView):
    @extend_schema(
        operation_id="reports_unsplit",
        request=ReasonSerializer,
        responses={
            200: ReportSummarySerializer,
            400: OpenApiResponse(),
            403: _FORBIDDEN,
            404: _NOT_FOUND,
        },
        description="Undo a split: this split-off report is merged back into the report it "
        "came from (both kept; unmerge brings it back).",
    )
    def post(self, request, pk: int):
        report = report_for(request.user, pk)
        if report.split_from_id:
            report_for(request.user, report.split_from_id)
        refuse_unless(request.user, Action.MERGE)
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        merged = duplicates.report_unsplit(
            report=report, actor=request.user, reason=body.validated_data["reason"]
        )
        return Response(_summary(request.user, merged))
