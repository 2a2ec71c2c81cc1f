"""The access review over the API (issue 16), through the pages' own modules
(baken.oversight.selectors, services and presenting), so the rules, the refusals and the
audit entries are the pages':

- `access-review/flags`: the flags of the daily review, newest day first (filters `state`:
  open, reviewed or a review state; `kind`, `user`, `since`, `until`);
- `access-review/flags/{id}`: one flag with the audit entries behind it (who, what, when, in
  words); `access-review/flags/{id}/review`: the privacy officer's judgement with a note;
- `access-review/weeks/{week}`: the weekly access report of an ISO week (`2026-W49`) per team,
  as JSON and as PDF (`…/report.pdf`).

Privacy officer only (Capability.AUDIT): any other role gets 403 before its body is read.
Every answer is an audit entry, as every page view is. Dates are ISO 8601.
"""

from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.core.problems import problem
from baken.oversight import selectors, services
from baken.oversight.access_report import (
    AccessReport,
    access_report_file_name,
    access_report_pdf,
)
from baken.oversight.models import REVIEW_CHOICES, AccessFlag, FlagKind, ReviewState
from baken.oversight.presenting import entries_shown, flag_sentence
from baken.oversight.weeks import Week

from .ids import id_field
from .pagination import PageQuerySerializer, Pagination
from .query import query
from .renderers import PdfRenderer
from .strict import StrictSerializer

STATE_FILTERS = [selectors.OPEN, selectors.REVIEWED, *ReviewState.values]


# --- what the answers hold ------------------------------------------------------------------


class FlagUserSerializer(StrictSerializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField(help_text="The role's code (analyst, case_handler, …).")
    team = serializers.CharField(allow_null=True)


class FlagReviewSerializer(StrictSerializer):
    state = serializers.ChoiceField(choices=REVIEW_CHOICES)
    note = serializers.CharField()
    by = serializers.CharField()
    at = serializers.DateTimeField()


class FlagSerializer(StrictSerializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=FlagKind.choices)
    kind_label = serializers.CharField(help_text="The kind in words.")
    summary = serializers.CharField(help_text="What the review found, in one sentence.")
    user = FlagUserSerializer(help_text="Whose reads the flag is about.")
    day = serializers.DateField(help_text="The day the review looked at (Europe/Amsterdam).")
    period_start = serializers.DateTimeField()
    period_end = serializers.DateTimeField()
    figures = serializers.DictField(
        child=serializers.JSONField(),
        help_text="The figures behind the summary (reads, reports, threshold, …); their keys "
        "depend on the kind.",
    )
    entries = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="The numbers of the audit entries behind the flag (`seq`).",
    )
    detected_at = serializers.DateTimeField()
    state = serializers.ChoiceField(choices=ReviewState.choices)
    state_label = serializers.CharField()
    review_note = serializers.CharField(allow_blank=True)
    reviewed_by = serializers.CharField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)


class FlagPageSerializer(StrictSerializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = FlagSerializer(many=True)


class FlagEntrySerializer(StrictSerializer):
    seq = serializers.IntegerField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(help_text="Who: the user's name.")
    actor_role_label = serializers.CharField()
    action = serializers.CharField(help_text="The action's code (report.read, …).")
    action_label = serializers.CharField()
    object_type = serializers.CharField()
    object_id = serializers.CharField()
    object = serializers.CharField(
        help_text="The object in words: its kind and its reference (M-…, Z-…) or number."
    )
    details = serializers.ListField(child=serializers.CharField())


class FlagDetailSerializer(FlagSerializer):
    audit_entries = FlagEntrySerializer(
        many=True, help_text="The audit entries behind the flag, in order."
    )
    reviews = FlagReviewSerializer(many=True, help_text="Every review of the flag, oldest first.")


class ReportLineSerializer(StrictSerializer):
    kind = serializers.ChoiceField(choices=["reports", "subjects", "cases", "exports"])
    kind_label = serializers.CharField(help_text="What was read, in words.")
    days = serializers.ListField(
        child=serializers.IntegerField(), help_text="Monday to Sunday: seven counts."
    )
    total = serializers.IntegerField()


class ReportPersonSerializer(StrictSerializer):
    user = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField(help_text="The role in words.")
    lines = ReportLineSerializer(many=True)
    total = serializers.IntegerField()


class ReportTeamSerializer(StrictSerializer):
    name = serializers.CharField(help_text="The team; users without a team come last.")
    people = ReportPersonSerializer(many=True)
    totals = ReportLineSerializer(many=True)


class AccessReportSerializer(StrictSerializer):
    week = serializers.CharField(help_text="The ISO week, e.g. 2026-W49.")
    start = serializers.DateField(help_text="Its Monday.")
    end = serializers.DateField(help_text="Its Sunday.")
    teams = ReportTeamSerializer(many=True)
    pdf_url = serializers.CharField()


# --- what the requests hold -----------------------------------------------------------------


class FlagQuerySerializer(PageQuerySerializer):
    state = serializers.ChoiceField(
        choices=STATE_FILTERS,
        required=False,
        help_text="open, reviewed, or one review state (justified, to_discuss, incident); "
        "left out: every flag.",
    )
    kind = serializers.ChoiceField(choices=FlagKind.choices, required=False)
    user = id_field(required=False, help_text="A user's id.")
    since = serializers.DateField(required=False, help_text="The first day, inclusive.")
    until = serializers.DateField(required=False, help_text="The last day, inclusive.")

    def validate(self, attrs):
        if attrs.get("since") and attrs.get("until") and attrs["since"] > attrs["until"]:
            raise serializers.ValidationError(
                {"until": [_("The end date lies before the start date.")]}
            )
        return attrs


class ReviewRequestSerializer(StrictSerializer):
    state = serializers.ChoiceField(choices=REVIEW_CHOICES)
    note = serializers.CharField(
        max_length=5000, allow_blank=True, help_text="Why: required, at most 5000 characters."
    )


# --- the answers ----------------------------------------------------------------------------


def _moment(value):
    return value.isoformat() if value is not None else None


def flag_data(flag: AccessFlag) -> dict:
    user = flag.user
    return {
        "id": flag.pk,
        "kind": flag.kind,
        "kind_label": str(flag.get_kind_display()),
        "summary": flag_sentence(flag),
        "user": {
            "id": user.pk,
            "name": str(user),
            "role": user.role,
            "team": user.team.name if user.team else None,
        },
        "day": flag.day.isoformat(),
        "period_start": flag.period_start.isoformat(),
        "period_end": flag.period_end.isoformat(),
        "figures": flag.figures,
        "entries": flag.entries,
        "detected_at": flag.detected_at.isoformat(),
        "state": flag.state,
        "state_label": str(flag.get_state_display()),
        "review_note": flag.review_note,
        "reviewed_by": str(flag.reviewed_by) if flag.reviewed_by else None,
        "reviewed_at": _moment(flag.reviewed_at),
    }


def flag_detail_data(flag: AccessFlag) -> dict:
    return {
        **flag_data(flag),
        "audit_entries": [
            {
                "seq": entry.seq,
                "at": entry.at.isoformat(),  # type: ignore[attr-defined]
                "actor": entry.who,
                "actor_role_label": entry.role,
                "action": entry.action_code,
                "action_label": entry.action,
                "object_type": entry.object_type,
                "object_id": entry.object_id,
                "object": entry.object,
                "details": entry.details,
            }
            for entry in entries_shown(flag.entries)
        ],
        "reviews": [
            {"state": r.state, "note": r.note, "by": str(r.by), "at": r.at.isoformat()}
            for r in selectors.flag_reviews(flag)
        ],
    }


def report_data(report: AccessReport) -> dict:
    def lines(found) -> list[dict]:
        return [
            {"kind": line.kind, "kind_label": line.label, "days": line.days, "total": line.total}
            for line in found
        ]

    week = report.week
    return {
        "week": week.label,
        "start": week.start.isoformat(),
        "end": week.days[-1].isoformat(),
        "teams": [
            {
                "name": team.name,
                "people": [
                    {
                        "user": person.user_id,
                        "name": person.name,
                        "role": person.role,
                        "lines": lines(person.lines),
                        "total": person.total,
                    }
                    for person in team.people
                ],
                "totals": lines(team.totals),
            }
            for team in report.teams
        ],
        "pdf_url": reverse("api:access-report-pdf", args=[week.label]),
    }


# --- who may --------------------------------------------------------------------------------


def _officer(request) -> None:
    if not selectors.may_review(request.user):
        raise PermissionDenied


def _flag(request, pk: int) -> AccessFlag:
    _officer(request)
    flag = selectors.flag_get(actor=request.user, pk=pk)  # logs the read, as the page does
    if flag is None:
        raise NotFound
    return flag


def _week(label: str) -> Week:
    week = Week.parse(label)
    if week is None:
        raise NotFound  # a week that is not one names no report
    return week


# --- the views ------------------------------------------------------------------------------


class FlagListView(APIView):
    @extend_schema(
        operation_id="access_review_flags_list",
        parameters=[FlagQuerySerializer],
        responses={200: FlagPageSerializer},
        description="The flags of the daily access review, newest day first (privacy "
        "officer). Each page read is an audit entry naming the flags it holds "
        "(`access_review.flag_list`).",
    )
    def get(self, request):
        _officer(request)
        params = query(FlagQuerySerializer, request)
        filters = selectors.FlagFilter(
            state=params.get("state", ""),
            kind=params.get("kind", ""),
            user_id=params.get("user"),
            since=params.get("since"),
            until=params.get("until"),
        )
        paginator = Pagination()
        flags = (
            paginator.paginate_queryset(
                selectors.flag_list(actor=request.user, filters=filters), request, view=self
            )
            or []
        )
        selectors.flags_shown(actor=request.user, flags=flags)
        return paginator.get_paginated_response([flag_data(flag) for flag in flags])


class FlagDetailView(APIView):
    @extend_schema(
        operation_id="access_review_flags_retrieve",
        responses={200: FlagDetailSerializer},
        description="One flag with the audit entries behind it and its reviews (privacy "
        "officer); the read is an audit entry (`access_review.flag_read`).",
    )
    def get(self, request, pk: int):
        return Response(flag_detail_data(_flag(request, pk)))


class FlagReviewView(APIView):
    @extend_schema(
        operation_id="access_review_flags_review",
        request=ReviewRequestSerializer,
        responses={
            200: FlagDetailSerializer,
            403: problem(
                "Not the privacy officer, or a flag about the reviewer's own reads "
                "(`own_flag`: another privacy officer reviews it)."
            ),
        },
        description="Record the privacy officer's judgement of a flag: justified, to discuss "
        "or incident, with a note (`note_required` without one). A flag may be reviewed "
        "again; every review is kept.",
    )
    def post(self, request, pk: int):
        _officer(request)
        body = ReviewRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.flag_review(actor=request.user, pk=pk, **body.validated_data)
        return Response(flag_detail_data(_flag(request, pk)))


class AccessReportView(APIView):
    @extend_schema(
        operation_id="access_review_report",
        responses={200: AccessReportSerializer},
        description="The weekly access report of an ISO week (`2026-W49`): per team, per user "
        "and per day (Monday to Sunday) the reads of reports, subjects and cases and the "
        "exports downloaded (privacy officer). A week that is not one is a 404. The read is "
        "an audit entry (`access_review.report_read`).",
    )
    def get(self, request, week: str):
        _officer(request)
        found = selectors.access_report(actor=request.user, week=_week(week), form="json")
        if found is None:
            raise NotFound
        return Response(report_data(found))


class AccessReportPdfView(APIView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        operation_id="access_review_report_pdf",
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The weekly access report (PDF)."
            )
        },
        description="The weekly access report as PDF (privacy officer); the read is an audit "
        "entry.",
    )
    def get(self, request, week: str):
        _officer(request)
        found = selectors.access_report(actor=request.user, week=_week(week), form="pdf")
        if found is None:
            raise NotFound
        response = HttpResponse(access_report_pdf(found), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{access_report_file_name(found)}"'
        return response


urlpatterns = [
    path("access-review/flags", FlagListView.as_view(), name="access-flags"),
    path("access-review/flags/<int:pk>", FlagDetailView.as_view(), name="access-flag"),
    path(
        "access-review/flags/<int:pk>/review",
        FlagReviewView.as_view(),
        name="access-flag-review",
    ),
    path("access-review/weeks/<str:week>", AccessReportView.as_view(), name="access-report"),
    path(
        "access-review/weeks/<str:week>/report.pdf",
        AccessReportPdfView.as_view(),
        name="access-report-pdf",
    ),
]
