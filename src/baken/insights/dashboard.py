"""The team dashboard and the hotspots (issue 7, items 1 and 2). Thin: parse the parameters,
call figures.py / hotspots.py, log the read, render."""

from django.db import transaction
from django.shortcuts import render
from django.views.decorators.http import require_GET

from baken.accounts.decorators import capability_required
from baken.audit.actions import AuditAction
from baken.audit.services import Target, audit_record
from baken.core.roles import Capability
from baken.reports.selectors import report_list_logged

from . import figures_rollup as rollup
from .awareness_figures import dashboard_awareness
from .dashboard_forms import HotspotForm, period_of
from .figures import params_from, team_figures
from .figures_sections import plain_sections, week_label
from .hotspots import hotspot_reports, hotspots

MAX_LISTED = 200


def _log(user, action: AuditAction, detail: dict) -> None:
    with transaction.atomic():
        audit_record(
            actor=user,
            action=action,
            target=Target("accounts.team", str(user.team_id or "")),
            detail=detail,
        )


@require_GET
@capability_required(Capability.INSIGHTS)
def dashboard(request):
    params, form = params_from(request.GET)
    if params is None:
        return render(request, "insights/dashboard.html", {"form": form}, status=400)
    figures = team_figures(user=request.user, params=params)
    _log(request.user, AuditAction.INSIGHTS_DASHBOARD, params.query())
    return render(
        request,
        "insights/dashboard.html",
        {
            "form": form,
            "params": params,
            "first": week_label(params.first),
            "last": week_label(params.last),
            "sections": plain_sections(figures) if figures is not None else None,
            "behind": rollup.rollup_behind(),
            # Issue 17: what the awareness work brought in the same weeks.
            "awareness": dashboard_awareness(user=request.user, params=params)
            if figures is not None
            else None,
        },
    )


@require_GET
@capability_required(Capability.INSIGHTS)
def hotspot_list(request):
    # Unbound, the form shows the period period_of counts when none is chosen.
    form = HotspotForm(request.GET or None, initial={"weeks": 4, "minimum": 3})
    if form.is_bound and not form.is_valid():
        return render(request, "insights/hotspots.html", {"form": form}, status=400)
    start, end = period_of(form)
    minimum = (form.cleaned_data.get("minimum") if form.is_bound else None) or 3
    found = hotspots(user=request.user, start=start, end=end, minimum=minimum)
    _log(
        request.user,
        AuditAction.INSIGHTS_HOTSPOTS,
        {
            "start": start.isoformat(),
            "end": end.isoformat(),
            "minimum": minimum,
            # What was shown: subjects by id, areas by code; addresses only counted (an
            # address is personal data, and the audit log holds ids and codes).
            "addresses": len(found.addresses),
            "subjects": [h.key for h in found.subjects],
            "areas": [h.key for h in found.areas],
        },
    )
    # The addresses and areas come from the rollup: say so while the worker rebuilds it.
    return render(
        request,
        "insights/hotspots.html",
        {"form": form, "hotspots": found, "behind": rollup.rollup_behind()},
    )


@require_GET
@capability_required(Capability.INSIGHTS)
def hotspot_report_list(request):
    form = HotspotForm(request.GET)
    kind, key = request.GET.get("kind", ""), request.GET.get("key", "")[:64]
    if not form.is_valid() or kind not in ("address", "subject", "area") or not key:
        return render(
            request, "insights/hotspot_reports.html", {"form": form, "invalid": True}, status=400
        )
    start, end = period_of(form)
    rows = hotspot_reports(user=request.user, kind=kind, key=key, start=start, end=end)
    reports = list(rows[: MAX_LISTED + 1])
    # Logged also when it lists nothing: someone looked for the reports behind this key.
    shown_key = "" if kind == "address" else key  # no address in the audit log
    _log(request.user, AuditAction.INSIGHTS_HOTSPOT_REPORTS, {"kind": kind, "key": shown_key})
    report_list_logged(user=request.user, reports=reports[:MAX_LISTED])
    return render(
        request,
        "insights/hotspot_reports.html",
        {
            "reports": reports[:MAX_LISTED],
            "more": len(reports) > MAX_LISTED,
            "kind": kind,
            "key": key,
            "start": start,
            "end": end,
            "back": request.GET.urlencode(),
        },
    )
