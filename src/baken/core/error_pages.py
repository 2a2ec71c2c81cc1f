"""How Baken answers an error outside a view's own handling: problem+json or a Dutch page.

core.views (Django's error handlers), core.refusals (RefusalMiddleware) and core.input_guard
all answer through these two, so that the choice between the two forms, and the page that
never fails itself, are made in one place.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string


def wants_problem(request: HttpRequest) -> bool:
    """The API, and the reporting page's script (which asks for JSON), get problem+json."""
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def error_page(
    request: HttpRequest, status: int, template: str = "errors/400.html", message: str = ""
) -> HttpResponse:
    """The error page, with `message` if there is one; should rendering it fail (a broken
    template, the database gone), the plain page without anything that can fail."""
    context = {"message": message} if message else {}
    try:
        return render(request, template, context, status=status)
    except Exception:  # noqa: BLE001  (the error page itself must never fail)
        return HttpResponse(render_to_string("errors/plain.html"), status=status)
