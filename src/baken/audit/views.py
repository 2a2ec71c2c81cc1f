from django.core.paginator import Paginator
from django.shortcuts import render

from baken.accounts.decorators import capability_required
from baken.accounts.roles import Capability

from .forms import AuditSearchForm
from .selectors import AuditFilter, audit_action_choices, audit_entry_list


@capability_required(Capability.AUDIT)
def audit_log(request):
    form = AuditSearchForm(request.GET or None, actions=audit_action_choices(user=request.user))
    page = None
    if form.is_bound and form.is_valid() or not form.is_bound:
        data = form.cleaned_data if form.is_bound else {}
        filters = AuditFilter(
            actor_id=data["actor"].pk if data.get("actor") else None,
            action=data.get("action", ""),
            object_type=data.get("object_type", ""),
            object_id=data.get("object_id", ""),
            since=data.get("since"),
            until=data.get("until"),
        )
        entries = audit_entry_list(user=request.user, filters=filters)
        page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "audit/_results.html" if request.headers.get("HX-Request") else "audit/log.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})
