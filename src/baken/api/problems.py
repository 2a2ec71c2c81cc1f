"""Errors as problem+json (RFC 9457), with a field-level `invalid_params` list
(Dutch API design rules)."""

from http import HTTPStatus

from django.http import JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM = "application/problem+json"


def _title(status: int) -> str:
    titles = {
        400: _("The request is not valid."),
        401: _("Authentication is required."),
        403: _("You are not allowed to do this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        406: _("This response format is not available."),
        413: _("The request is too large."),
        415: _("This content type is not supported."),
        429: _("Too many requests. Wait a moment and try again."),
        500: _("Something went wrong on our side."),
    }
    return titles.get(status, HTTPStatus(status).phrase)


def _flatten(detail, prefix: str = "") -> list[dict]:
    """Turn DRF's nested error dict into [{name, code, reason}], names as dotted paths."""
    if isinstance(detail, dict):
        return [
            item
            for key, value in detail.items()
            for item in _flatten(value, f"{prefix}.{key}" if prefix else str(key))
        ]
    if isinstance(detail, list):
        if all(isinstance(value, exceptions.ErrorDetail) for value in detail):
            return [
                {"name": prefix or "nonFieldErrors", "code": value.code, "reason": str(value)}
                for value in detail
            ]
        return [
            item
            for index, value in enumerate(detail)
            for item in _flatten(value, f"{prefix}.{index}")
        ]
    return [{"name": prefix or "nonFieldErrors", "code": detail.code, "reason": str(detail)}]


def problem_body(
    request, *, status: int, title: str = "", detail: str = "", code: str = ""
) -> dict:
    body = {
        "type": f"https://baken.invalid/problems/{code or status}",
        "title": title or _title(status),
        "status": status,
        "instance": request.path if request is not None else "",
    }
    if detail:
        body["detail"] = detail
    if code:
        body["code"] = code
    return body


def problem_response(request, *, status: int, title: str = "", detail: str = "", code: str = ""):
    body = problem_body(request, status=status, title=title, detail=detail, code=code)
    return JsonResponse(body, status=status, content_type=PROBLEM)


class InvalidParams(exceptions.APIException):
    """Validation done outside DRF serializers, already in `invalid_params` form."""

    status_code = 400
    default_code = "invalid"

    def __init__(self, params: list[dict], status_code: int = 400):
        super().__init__(detail="invalid")
        self.params, self.status_code = params, status_code


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    code = getattr(exc, "default_code", "")
    if isinstance(exc, InvalidParams):
        body = problem_body(request, status=exc.status_code, code="invalid")
        body["invalid_params"] = exc.params
    elif isinstance(exc, exceptions.ValidationError):
        body = problem_body(request, status=response.status_code, code="invalid")
        body["invalid_params"] = _flatten(exc.detail)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else ""
        body = problem_body(
            request,
            status=response.status_code,
            detail=str(detail) if detail and str(detail) != _title(response.status_code) else "",
            code=code,
        )
    response.data = body
    response.content_type = PROBLEM
    return response


def invalid(name: str, code: str, reason: str, status_code: int = 400) -> InvalidParams:
    """A problem naming one field, for rules checked outside a serializer."""
    return InvalidParams([{"name": name, "code": code, "reason": reason}], status_code)
