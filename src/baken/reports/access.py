"""The first lines of every HTML view on one report: the report as this user may see it
(404 otherwise, exactly as for one that does not exist) and what their role may do (403).
The API has its twin in baken.api.work."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from baken.audit.page_views import page_view_covers
from baken.audit.services import Target

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


def report_or_404(request, pk, *, part: str = "", parts: list[str] | None = None) -> Report:
    """`part`: the panel of the report page this request loads; it logs no second read when
    it carries the token of the page view that logged one (baken.audit.page_views)."""
    pk = int_or_404(pk)
    target = Target("reports.report", str(pk))
    covered = bool(part) and page_view_covers(request, target=target, part=part)
    report = selectors.report_get(
        user=request.user, pk=pk, parts=parts or ([part] if part else None), log=not covered
    )
    if report is None:
        raise Http404
    return report


def require(request, action: str) -> None:
    if not can(request.user, action):
        raise PermissionDenied
