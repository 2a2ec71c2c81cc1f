from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from baken.core.problems import problem_response

from . import operations
from .error_pages import error_page, wants_problem
from .navigation import menu_for


def home(request):
    """The start page: who you are and where your work is."""
    entries = [
        item
        for item in menu_for(request.user)
        if item.url_name not in {"core:home", "accounts:account"}
    ]
    return render(request, "core/home.html", {"entries": entries})


@login_not_required
def csrf_failure(request, reason=""):
    if wants_problem(request):
        return problem_response(request, status=403, code="csrf")
    return render(request, "errors/csrf.html", status=403)


def _page_or_problem(status: int, template: str):
    @login_not_required
    def handler(request, exception=None):
        if wants_problem(request):
            return problem_response(request, status=status)
        return error_page(request, status, template)

    return handler


_bad_request = _page_or_problem(400, "errors/400.html")


@login_not_required
def bad_request(request, exception=None):
    """A request too large to read (settings.DATA_UPLOAD_MAX_MEMORY_SIZE: a huge paste) says
    so, with the limit, instead of inviting a retry that can never work."""
    if not isinstance(exception, RequestDataTooBig):
        return _bad_request(request, exception)
    message = too_large_message()
    if wants_problem(request):
        return problem_response(request, status=413, title=message, code="too_large")
    return error_page(request, 413, message=message)


def too_large_message() -> str:
    return _(
        "Your text is too long: at most %(limit)s characters altogether. Shorten the "
        "longest text and send again."
    ) % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}


permission_denied = _page_or_problem(403, "errors/403.html")
page_not_found = _page_or_problem(404, "errors/404.html")
server_error = _page_or_problem(500, "errors/500.html")


@login_not_required
def health(request):
    return HttpResponse("ok", content_type="text/plain")


def system_status(request):
    """The functional administrator's system status page (core/operations.py)."""
    status = operations.system_status(user=request.user)
    return render(request, "core/system_status.html", {"status": status})
