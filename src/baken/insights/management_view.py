"""The management view (issue 7, item 4): the municipality's figures, aggregated and with
small counts suppressed (management_figures.py); every view logged. Management and team
leads; everyone else 403."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import render
from django.views.decorators.http import require_GET

from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.core.roles import Capability

from . import figures_rollup as rollup
from .awareness_figures import management_awareness
from .figures import may_see_management
from .figures_sections import week_label
from .management_figures import management_params, management_sections
from .suppression import threshold


@require_GET
def management(request):
    if not may_see_management(request.user):
        raise PermissionDenied
    sections = management_sections(user=request.user)
    params = management_params()
    with transaction.atomic():
        audit_record(
            actor=request.user,
            action=AuditAction.INSIGHTS_MANAGEMENT,
            target=Target("insights.figures", "municipality"),
            detail={"first": params.first.isoformat(), "last": params.last.isoformat()},
        )
    return render(
        request,
        "insights/management.html",
        {
            "sections": sections,
            "first": week_label(params.first),
            "last": week_label(params.last),
            "threshold": threshold(),
            "behind": rollup.rollup_behind(),
            # What an export of figures holds for this user: these figures for management (a
            # team lead's export holds the team's, as on the dashboard, where it is offered).
            "export_figures": request.user.can(Capability.AGGREGATES),
            "awareness": management_awareness(user=request.user),
        },
    )
