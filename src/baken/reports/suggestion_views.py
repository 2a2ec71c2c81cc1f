"""The category suggestion on the report page: an htmx partial (ADR 0008).

Thin: the selector decides what the user may see (404 otherwise), suggestions.py decides
whether there is anything worth suggesting.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from baken.accounts.decorators import capability_required
from baken.core.roles import Capability

from .access import report_for
from .permissions import Action, can
from .suggestions import category_suggest


@capability_required(Capability.WORKSPACE)
@require_GET
def suggestion_view(request, pk: int):
    report = report_for(request.user, pk, request=request, part="suggestion")
    if not can(request.user, Action.IMPROVE) or report.merged_into_id is not None:
        return HttpResponse(status=204)  # only who may correct the category is offered one
    suggestion = category_suggest(user=request.user, report=report)
    if suggestion is None:
        # No content: htmx leaves the page as it is, so nothing is shown.
        return HttpResponse(status=204)
    context = {
        "report": report,
        "suggestion": suggestion,
        "is_current": report.category_id == suggestion.category.pk,
    }
    return render(request, "reports/_suggestion.html", context)
