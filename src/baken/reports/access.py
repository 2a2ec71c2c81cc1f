"""The first lines of every HTML view on one report: the report as this user may see it
(404 otherwise, exactly as for one that does not exist) and what their role may do (403).
The API has its twin in baken.api.work."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from . import selectors
from .models import Report
from .permissions import can


def int_or_404(value) -> int:
    """An id from a URL or a form; anything that is not a number is a 404, like an id that
    does not exist."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def report_or_404(request, pk) -> Report:
    report = selectors.report_get(user=request.user, pk=int_or_404(pk))
    if report is None:
        raise Http404
    return report


def require(request, action: str) -> None:
    if not can(request.user, action):
        raise PermissionDenied
