"""One guard for all text that enters Baken (ADR 0023).

Every request passes `InputGuardMiddleware` before any view, form or serializer sees it:

- a JSON body is at most settings.DATA_UPLOAD_MAX_MEMORY_SIZE bytes and nested at most
  settings.JSON_MAX_DEPTH deep, both checked *before* it is parsed (Python's parser recurses
  once per level: 5,000 levels is a RecursionError, a 500);
- no text in the path, the query string, form fields, upload file names or a JSON body
  (keys and values) holds a NUL character (PostgreSQL refuses it in text) or a lone
  surrogate (`"\\ud800"` in JSON: no UTF-8 exists for it, so neither database can store it).

What is refused is named: the API (and the Meldpunt page's script, which asks for JSON) gets
problem+json with `invalid_params` ([{name, code, reason}]); a page gets the Dutch 400 page
naming the field.

A page whose form checks every text it is posted (`@form_checks_text`) gets its form posts
with a NUL in a value all the same: Django's form fields refuse it at the field (a CharField's
ProhibitNullCharactersValidator, "Null-tekens zijn niet toegestaan"; a choice, number, date
or object is not valid with one), and the page shows the form again with everything else
that was typed. Only pages mark themselves that read nothing of the post outside their form
(many views read `request.POST` directly, and PostgreSQL refuses a NUL in text with an error,
a 500), or whose check refuses it the same way: the Meldpunt's reporting page, whose every
text passes the report check (reports.validation.check_report) before anything is stored.
Field names, upload file names, the query string, JSON and the API are checked as before.
"""

import json
import re
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from .error_pages import error_page, wants_problem
from .problems import PROBLEM, problem_body
from .views import bad_request

# NUL, and UTF-16 surrogates standing alone (a pair becomes one character when JSON is read).
FORBIDDEN = re.compile("[\x00\ud800-\udfff]")
# A JSON string literal, escapes included (written to match in linear time).
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


def _is_json(content_type: str) -> bool:
    return content_type == "application/json" or content_type.endswith("+json")


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether the JSON text nests arrays/objects deeper than `limit`, found without parsing:
    strings are skipped, then the brackets are counted."""
    depth = 0
    for bracket in _BRACKETS.finditer(_JSON_STRING.sub('""', text)):
        if bracket.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _json_strings(value, path: str = "") -> Iterator[tuple[str, str]]:
    """(dotted path, text) for every key and string value in a parsed JSON document."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            yield name, key
            yield from _json_strings(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, f"{path}.{index}" if path else str(index))


def _printable(name: str) -> str:
    """A field name as it can be shown back (it may hold the very character refused)."""
    return FORBIDDEN.sub("\N{REPLACEMENT CHARACTER}", name)


class Refusal(Exception):
    def __init__(self, name: str, code: str, reason: str, status: int = 400):
        super().__init__(reason)
        self.name, self.code, self.reason, self.status = _printable(name), code, reason, status


def _forbidden_reason() -> str:
    return _(
        "This text contains a character that cannot be stored (a null character or a broken "
        "character code). Remove it and send again."
    )


def _check_texts(pairs) -> None:
    for name, text in pairs:
        if FORBIDDEN.search(text):
            raise Refusal(name, "forbidden_character", _forbidden_reason())


def _check_json(request: HttpRequest) -> None:
    body = request.body  # RequestDataTooBig above settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if not body:
        return
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return  # not JSON at all: the API's parser answers (400, "JSON parse error")
    limit = settings.JSON_MAX_DEPTH
    if json_depth_exceeds(text, limit):
        raise Refusal(
            "body",
            "too_deep",
            _("The JSON document is nested more than %(limit)s levels deep.") % {"limit": limit},
        )
    try:
        document = json.loads(text)
    except ValueError:
        return  # malformed: the API's parser answers with its own problem
    _check_texts(_json_strings(document))


def form_checks_text(view):
    """Mark a page view whose Django form checks every text it is posted, so that the guard
    lets a NUL in a posted value through to the form, which shows the error at the field
    and keeps what was typed (module docstring). The view may read nothing else of
    `request.POST` than a fixed choice (`request.POST.get("action") == "update"`)."""
    view.form_checks_text = True
    return view


def check_request(request: HttpRequest, *, form_values: bool = True) -> None:
    """Raise Refusal for the first text in the request that Baken cannot take; with
    `form_values=False` the values of a form post are left to the view's form."""
    _check_texts([("path", request.path)])
    _check_texts((name, value) for name, values in request.GET.lists() for value in [name, *values])
    if _is_json(request.content_type or ""):
        _check_json(request)
    elif request.method == "POST" and request.content_type in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }:
        # Reading the form here is what the CSRF check does next anyway; a form too large or
        # malformed raises Django's own errors, answered by core.views.bad_request (400/413).
        _check_texts(
            (name, value)
            for name, values in request.POST.lists()
            for value in ([name, *values] if form_values else [name])
        )
        _check_texts(
            (name, upload.name or "")
            for name, uploads in request.FILES.lists()
            for upload in uploads
        )


def refusal_response(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    if wants_problem(request):
        body = problem_body(request, status=refusal.status, code="invalid")
        body["invalid_params"] = [
            {"name": refusal.name, "code": refusal.code, "reason": refusal.reason}
        ]
        return JsonResponse(body, status=refusal.status, content_type=PROBLEM)
    message = _("The field “%(name)s” could not be accepted. %(reason)s") % {
        "name": refusal.name,
        "reason": refusal.reason,
    }
    return error_page(request, refusal.status, message=message)


class InputGuardMiddleware:
    """Refuse, before any view runs, text that Baken cannot store or parse (module docstring).

    Cookies are the browser's, not typed by anyone: one holding such a character cannot be
    Baken's, and is ignored (dropped before the session is looked up). Everything else is
    checked as the first `process_view` (before the CSRF check reads the form): by then the
    language is chosen and the user known, so the Dutch 400 page renders in full.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(FORBIDDEN.search(name + value) for name, value in request.COOKIES.items()):
            request.COOKIES = {
                name: value
                for name, value in request.COOKIES.items()
                if not FORBIDDEN.search(name + value)
            }
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        to_form = getattr(view_func, "form_checks_text", False) and not wants_problem(request)
        try:
            check_request(request, form_values=not to_form)
        except Refusal as refusal:
            return refusal_response(request, refusal)
        except RequestDataTooBig as too_big:
            # Answered as RequestTooLargeMiddleware does: 413 with the limit (core.views).
            request._mark_post_parse_error()
            return bad_request(request, too_big)
        return None
