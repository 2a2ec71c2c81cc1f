"""The first lines of every HTML view on one report: the report as this user may see it
(404 otherwise, exactly as for one that does not exist) and what their role may do (403).
The API has its twin in baken.api.work."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from . import selectors
from .models import Report
from .permissions import can


def report_or_404(request, pk) -> Report:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    report = selectors.report_get(user=request.user, pk=pk)
    if report is None:
        raise Http404
    return report


def require(request, action: str) -> None:
    if not can(request.user, action):
        raise PermissionDenied
