from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from baken.accounts.decorators import capability_required
from baken.core.roles import Capability

from . import csv_export
from .forms import AuditSearchForm
from .presenting import entries_shown
from .selectors import (
    AuditFilter,
    audit_action_choices,
    audit_entry_export,
    audit_entry_list,
    audit_object_type_choices,
)


def _search(request) -> tuple[AuditSearchForm, AuditFilter | None]:
    form = AuditSearchForm(
        request.GET or None,
        actions=audit_action_choices(user=request.user),
        object_types=audit_object_type_choices(user=request.user),
    )
    if form.is_bound and not form.is_valid():
        return form, None
    data = form.cleaned_data if form.is_bound else {}
    return form, AuditFilter(
        actor_id=data["actor"].pk if data.get("actor") else None,
        action=data.get("action", ""),
        object_type=data.get("object_type", ""),
        object_id=data.get("object_id", ""),
        since=data.get("since"),
        until=data.get("until"),
    )


@capability_required(Capability.AUDIT)
def audit_log(request):
    form, filters = _search(request)
    page, shown = None, []
    if filters is not None:
        entries = audit_entry_list(user=request.user, filters=filters)
        page = Paginator(entries, 50).get_page(request.GET.get("page"))
        shown = entries_shown(user=request.user, entries=page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    template = "audit/_results.html" if request.headers.get("HX-Request") else "audit/log.html"
    context = {
        "form": form,
        "page": page,
        "shown": shown,
        "query": query.urlencode(),
        "limit": csv_export.LIMIT,
    }
    return render(request, template, context)


@capability_required(Capability.AUDIT)
def audit_log_csv(request):
    """The current search as CSV; a search with errors shows the page with its errors."""
    form, filters = _search(request)
    if filters is None:
        return render(request, "audit/log.html", {"form": form, "page": None}, status=400)
    entries, _total = audit_entry_export(user=request.user, filters=filters, limit=csv_export.LIMIT)
    response = StreamingHttpResponse(
        csv_export.csv_lines(user=request.user, entries=entries),
        content_type="text/csv; charset=utf-8",
    )
    name = f"auditlog-{timezone.localtime():%Y-%m-%d-%H%M}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
