"""What the awareness work brings, in figures, over the API (issue 17): the figures page's
(awareness/figures.py) for a team lead or analyst — their team's reports, real counts, over
`from`–`to` (default the last 12 months) — and the management view's for management, the
municipality's with small counts suppressed over its fixed last 12 complete months
(insights/awareness_figures.py; `from` and `to` do not apply). The anonymity rule holds in
both: the small departments' anonymous reports only in the pooled row. Every read logged."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.awareness.figures import AwarenessFigures, Share, awareness_figures
from baken.awareness.figures_views import period_from
from baken.core.problems import problem
from baken.core.roles import Capability
from baken.insights.awareness_figures import ManagementAwareness, management_awareness
from baken.insights.figures import may_see_management

from .query import QuerySerializer

VALUE = (
    'an integer; on the suppressed variant also "< 5" (a small count) or "x" (hidden beside '
    "a small count)"
)


class AwarenessQuerySerializer(QuerySerializer):
    to = serializers.DateField(required=False, help_text="the last day, ISO 8601; with from")


# "from" is a Python keyword: declared by name.
AwarenessQuerySerializer._declared_fields = {
    "from": serializers.DateField(required=False, help_text="the first day, ISO 8601; with to"),
    **AwarenessQuerySerializer._declared_fields,
}


class DepartmentRowSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="the department's code; 'pooled' for the anonymous reports of small "
        "departments together, 'none' for reports that named no department"
    )
    name = serializers.CharField()
    counts = serializers.ListField(child=serializers.JSONField(), help_text=f"per month: {VALUE}")
    total = serializers.JSONField(help_text=VALUE)


class TrainingSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    title = serializers.CharField(allow_blank=True)
    departments = serializers.ListField(child=serializers.CharField())
    before = serializers.IntegerField(
        allow_null=True,
        help_text="the departments' named reports in the three months before; null on the "
        "suppressed variant",
    )
    after = serializers.IntegerField(
        allow_null=True, help_text="in the three months from the training's day on"
    )
    after_until = serializers.DateField(allow_null=True)
    complete = serializers.BooleanField(
        allow_null=True, help_text="whether the three months after have passed"
    )


class FirstTimeSerializer(serializers.Serializer):
    department = serializers.CharField()
    first_report = serializers.DateField()
    latest_training = serializers.DateField(allow_null=True)


class ShareSerializer(serializers.Serializer):
    part = serializers.IntegerField(allow_null=True, help_text="null on the suppressed variant")
    whole = serializers.IntegerField(allow_null=True)
    percent = serializers.IntegerField(
        allow_null=True, help_text="null: nothing counted, or too few reports to show"
    )


class AwarenessFiguresSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=["team", "municipality"])
    suppressed = serializers.BooleanField()
    months = serializers.ListField(child=serializers.CharField(), help_text="YYYY-MM")
    departments = DepartmentRowSerializer(many=True)
    totals = DepartmentRowSerializer()
    trainings = TrainingSerializer(many=True)
    first_time = FirstTimeSerializer(many=True)
    signs = ShareSerializer(help_text="reports whose reporter ticked at least one sign")
    niet_pluis = ShareSerializer(
        help_text="reports that came in as niet pluis and went into further analysis or a case"
    )
    updating = serializers.BooleanField(
        help_text="true while the figures are being brought up to date by the tasks worker "
        "(right after an upgrade, or after the signs changed): they may be incomplete or old; "
        "ask again in a minute"
    )


AwarenessFiguresSerializer._declared_fields = {
    "from": serializers.DateField(),
    "to": serializers.DateField(),
    **AwarenessFiguresSerializer._declared_fields,
}


def _share(share: Share) -> dict:
    return {"part": share.part, "whole": share.whole, "percent": share.percent}


def _team(f: AwarenessFigures) -> dict:
    return {
        "scope": "team",
        "suppressed": False,
        "from": f.start,
        "to": f.end,
        "months": [m.strftime("%Y-%m") for m in f.months],
        "departments": [
            {
                "key": r.key,
                "name": str(r.label),
                "counts": list(r.counts.values()),
                "total": r.total,
            }
            for r in f.rows
        ],
        "totals": {
            "key": "total",
            "name": "",
            "counts": [f.per_month[m] for m in f.months],
            "total": f.total,
        },
        "trainings": [
            {
                "held_on": e.training.held_on,
                "title": e.training.title,
                "departments": e.training.departments,
                "before": e.before,
                "after": e.after,
                "after_until": e.after_until,
                "complete": e.complete,
            }
            for e in f.effects
        ],
        "first_time": [
            {
                "department": x.department,
                "first_report": x.first,
                "latest_training": x.training.held_on if x.training else None,
            }
            for x in f.firsts
        ],
        "signs": _share(f.signs),
        "niet_pluis": _share(f.niet_pluis),
        "updating": f.updating,
    }


def _management(m: ManagementAwareness) -> dict:
    return {
        "scope": "municipality",
        "suppressed": True,
        "from": m.start,
        "to": m.end,
        "months": [month.strftime("%Y-%m") for month in m.months],
        "departments": [
            {"key": "", "name": r.label, "counts": r.cells, "total": r.total} for r in m.rows
        ],
        "totals": {"key": "total", "name": "", "counts": m.totals.cells, "total": m.totals.total},
        "trainings": [
            {
                "held_on": t.held_on,
                "title": t.title,
                "departments": t.departments,
                "before": None,
                "after": None,
                "after_until": None,
                "complete": None,
            }
            for t in m.trainings
        ],
        "first_time": [],
        "signs": {"part": None, "whole": None, "percent": m.signs},
        "niet_pluis": {"part": None, "whole": None, "percent": m.niet_pluis},
        "updating": m.updating,
    }


class AwarenessFiguresView(APIView):
    @extend_schema(
        operation_id="awareness_figures",
        parameters=[AwarenessQuerySerializer],
        responses={
            200: AwarenessFiguresSerializer,
            400: problem("A date that is no date, or a period that is not allowed."),
            403: problem("This role sees no figures."),
        },
        description="What the awareness work brings: reports per reporter's department and "
        "month, the trainings, first-time departments, the sign share and niet pluis to "
        "analysis. The team's own for a team lead or analyst; the municipality's with small "
        "counts suppressed for management. An anonymous report from a small department is "
        "counted only in the row 'pooled', never under its department.",
    )
    def get(self, request):
        user = request.user
        if not user.can(Capability.INSIGHTS):
            if not may_see_management(user):
                raise PermissionDenied
            figures = management_awareness(user=user)
            self._log(user, AuditAction.INSIGHTS_MANAGEMENT, "municipality", figures)
            return Response(AwarenessFiguresSerializer(_management(figures)).data)
        checked = AwarenessQuerySerializer(data=request.query_params)
        checked.is_valid(raise_exception=True)
        given = checked.validated_data
        period, form = period_from(
            {"start": given.get("from"), "end": given.get("to")}
            if given.get("from") or given.get("to")
            else {}
        )
        if period is None or (bool(given.get("from")) != bool(given.get("to"))):
            names = {"start": "from", "end": "to", "__all__": "from"}
            problems: dict[str, list[str]] = {}
            for name, messages in form.errors.items():
                problems.setdefault(names.get(name, name), []).extend(str(m) for m in messages)
            raise serializers.ValidationError(problems or {"from": ["Give both from and to."]})
        found = awareness_figures(user=user, start=period[0], end=period[1])
        if found is None:
            raise PermissionDenied("You are not in a team, so there are no figures to show.")
        self._log(user, AuditAction.INSIGHTS_DASHBOARD, str(user.team_id), found)
        return Response(AwarenessFiguresSerializer(_team(found)).data)

    @staticmethod
    def _log(user, action, scope: str, figures) -> None:
        with transaction.atomic():
            audit_record(
                actor=user,
                action=action,
                target=Target("awareness.figures", scope),
                detail={
                    "api": True,
                    "from": figures.start.isoformat(),
                    "to": figures.end.isoformat(),
                },
            )
