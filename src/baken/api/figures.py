"""The figures of the dashboard and the management view over the API (issue 7): the team's
for a team lead or analyst, the municipality's with small counts suppressed for management
(and for a team lead with `view=management`). Counts only; every read logged."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.core.problems import problem
from baken.core.roles import Capability
from baken.insights.figures import Params, may_see_management, params_from, team_figures
from baken.insights.figures_sections import plain_sections, week_label
from baken.insights.management_figures import management_params, management_sections

from .query import QuerySerializer, query, refuse_query


class CellSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="what is counted: a week, a category, a state …")
    value = serializers.JSONField(
        help_text="an integer, a number of days, null (nothing to show), or on the "
        'management view "< 5" (a small count) or "x" (hidden beside a small count)'
    )


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    unit = serializers.CharField()
    cells = CellSerializer(many=True)
    total = serializers.JSONField(help_text="as a value; null: no total for this figure")


class FiguresSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=["team", "municipality"])
    suppressed = serializers.BooleanField(help_text="small counts shown as '< 5' and 'x'")
    first_week = serializers.CharField(help_text="ISO week, e.g. 2026-W01")
    last_week = serializers.CharField()
    sections = SectionSerializer(many=True)


class FiguresQuerySerializer(QuerySerializer):
    """The types; what a category, area or period may be is the dashboard's own form's
    (insights.figures.params_from), whose problems are added, as the page shows them."""

    period = serializers.ChoiceField(choices=["12", "52", "custom"], required=False)
    start = serializers.DateField(required=False, help_text="with period=custom")
    end = serializers.DateField(required=False, help_text="with period=custom")
    category = serializers.CharField(required=False, help_text="category code")
    area = serializers.CharField(required=False, help_text="area code")
    view = serializers.ChoiceField(
        choices=["team", "management"],
        required=False,
        help_text="management: the municipality's figures, suppressed (the last 52 complete "
        "weeks; the other parameters do not apply)",
    )


def _section(section) -> dict:
    return {
        "key": section.key,
        "title": str(section.title),
        "unit": str(section.unit),
        "cells": [{"name": label, "value": value} for label, value in section.cells.items()],
        "total": section.total,
    }


class FiguresView(APIView):
    @extend_schema(
        operation_id="figures",
        parameters=[FiguresQuerySerializer],
        responses={
            200: FiguresSerializer,
            403: problem("This role sees no figures."),
        },
        description="The figures behind the dashboard (the user's team) or the management "
        "view (the municipality, small counts suppressed).",
    )
    def get(self, request):
        user = request.user
        checked = FiguresQuerySerializer(data=request.query_params)
        typed = checked.is_valid()
        view = checked.validated_data.get("view") if typed else None
        management = view == "management" or not user.can(Capability.INSIGHTS)
        params: Params | None
        if management:
            if not may_see_management(user):
                raise PermissionDenied
            if not typed:
                query(FiguresQuerySerializer, request)  # a 400 naming the parameters
            params = management_params()
            sections = management_sections(user=user)
        else:
            params, form = params_from(request.query_params)
            if params is None or not typed:
                refuse_query(FiguresQuerySerializer, request, form)
            figures = team_figures(user=user, params=params)
            sections = plain_sections(figures) if figures is not None else []
        with transaction.atomic():
            audit_record(
                actor=user,
                action=AuditAction.INSIGHTS_MANAGEMENT
                if management
                else AuditAction.INSIGHTS_DASHBOARD,
                target=Target("insights.figures", "municipality" if management else "team"),
                detail={"api": True, **params.query()},
            )
        return Response(
            {
                "scope": "municipality" if management else "team",
                "suppressed": management,
                "first_week": week_label(params.first),
                "last_week": week_label(params.last),
                "sections": [_section(s) for s in sections],
            }
        )
