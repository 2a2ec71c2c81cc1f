"""One refusal type for every rule Baken enforces (ADR 0027).

A service, or the one lookup of an object for a user (reports.access.report_for,
cases.access.case_for), refuses by raising `Refused`: a stable English `code` for clients and
tests, a message for people (lazily translated: Dutch on the pages, the language the client
asks for in the API), a `kind` that decides the HTTP status, and optionally the field the
refusal is about — or several fields at once (`problems`).

Nobody translates a refusal by hand any more:

- the API's exception handler (core.problems.exception_handler) turns it into problem+json,
  the fields as `invalid_params`;
- on the pages, RefusalMiddleware turns a refusal the view did not handle into a 404 or 403
  page (need-to-know), or a 400/409 page with the message and the advice to go back (the
  browser keeps what was typed). A page that can show its form again with the problems next
  to what was typed catches the refusal and does so (`refused.messages()`).
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import TYPE_CHECKING, TypeAlias

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse

from .error_pages import error_page, wants_problem

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class Kind(StrEnum):
    NOT_FOUND = "not_found"  # 404: the user may not know the object (or it does not exist)
    FORBIDDEN = "forbidden"  # 403: they may know it, but not do this
    CONFLICT = "conflict"  # 409: the object's state does not allow it (now)
    INVALID = "invalid"  # 400: what was given is not acceptable
    GONE = "gone"  # 410: it was there, and has been destroyed (its retention period passed)


STATUS = {
    Kind.NOT_FOUND: 404,
    Kind.FORBIDDEN: 403,
    Kind.CONFLICT: 409,
    Kind.INVALID: 400,
    Kind.GONE: 410,
}

# A message: a str, or a lazily translated one (gettext_lazy).
Message: TypeAlias = "str | _StrPromise"


class Refused(Exception):
    """What a rule does not allow.

    `Refused("handler_team", _("The case handler is of the case's team."), field="handler")`;
    several fields at once: `Refused(problems={"title": ..., "rationale": ...})`.
    Messages are English msgids, translated when shown (gettext_lazy, or gettext at the
    moment of refusing: the request's language is active then).
    """

    kind: Kind = Kind.INVALID

    def __init__(
        self,
        code: str = "",
        message: Message = "",
        *,
        kind: Kind | str | None = None,
        field: str = "",
        problems: Mapping[str, Message] | None = None,
    ):
        if kind is not None:
            self.kind = Kind(kind)
        self.code = code or str(self.kind)
        self.message = message
        self.field = field
        self._problems = dict(problems) if problems else None
        super().__init__(self.code)

    @property
    def status(self) -> int:
        return STATUS[self.kind]

    @property
    def problems(self) -> dict[str, Message]:
        """The message by field (the code stands for the field when there is none)."""
        if self._problems is not None:
            return self._problems
        return {self.field or self.code: self.message}

    def messages(self) -> list[str]:
        return [str(message) for message in self.problems.values() if str(message)]

    def messages_for_form(self) -> list[str]:
        """The messages for a form shown again; a 404 or 403 is a page of its own, so it is
        raised again for RefusalMiddleware (need-to-know: no form says what is not there)."""
        if self.kind in (Kind.NOT_FOUND, Kind.FORBIDDEN):
            raise self
        return self.messages()

    def invalid_params(self) -> list[dict]:
        """The fields as the problem document's `invalid_params` name them; each code is the
        refusal's own for one field, the field's name when there are several."""
        if (self._problems is None and not self.field) or self.status in (403, 404):
            return []
        single = self._problems is None
        return [
            {"name": name, "code": self.code if single else name, "reason": str(message)}
            for name, message in self.problems.items()
        ]

    def __str__(self) -> str:
        return "; ".join(self.messages()) or self.code


def refused_body(request, refused: Refused) -> dict:
    """The problem+json document of a refusal."""
    from .problems import problem_body

    params = refused.invalid_params()
    detail = "" if params or refused.status == 404 else str(refused.message)
    body = problem_body(request, status=refused.status, detail=detail, code=refused.code)
    if params:
        body["invalid_params"] = params
    return body


def refused_page(request: HttpRequest, refused: Refused) -> HttpResponse:
    """The page for a refusal its view did not show itself: the message, and the advice to go
    back with the browser (what was typed is still there)."""
    if refused.kind == Kind.NOT_FOUND:
        raise Http404
    if refused.kind == Kind.FORBIDDEN:
        raise PermissionDenied(str(refused))
    if wants_problem(request):
        from .problems import PROBLEM

        return JsonResponse(
            refused_body(request, refused), status=refused.status, content_type=PROBLEM
        )
    return error_page(request, refused.status, message=str(refused))


class RefusalMiddleware:
    """A Refused that reaches the top of a page view becomes its page (refused_page): 404 and
    403 through Django's own handlers, 400/409 with the message. The API's views answer their
    refusals themselves (core.problems.exception_handler) and never get here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Refused):
            return refused_page(request, exception)
        return None
