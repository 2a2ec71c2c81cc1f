"""Errors as problem+json (RFC 9457), with a field-level `invalid_params` list
(Dutch API design rules)."""

from http import HTTPStatus

from django.http import JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .refusals import Refused, refused_body

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
    request = context.get("request")
    if isinstance(exc, Refused):
        # One refusal type (core.refusals): its code, its message in the client's language.
        refused = Response(refused_body(request, exc), status=exc.status)
        refused.content_type = PROBLEM
        return refused
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
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


# --- the problems in the OpenAPI document ----------------------------------------------------


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The field, as a dotted path (`subjects.0.name`).")
    code = serializers.CharField()
    reason = serializers.CharField(help_text="What is wrong, in the client's language.")


class ProblemSerializer(serializers.Serializer):
    """An error answer (RFC 9457), as exception_handler and problem_response write it."""

    type = serializers.CharField(help_text="A URI naming the kind of problem.")
    title = serializers.CharField()
    status = serializers.IntegerField()
    instance = serializers.CharField(help_text="The path that was asked for.")
    detail = serializers.CharField(required=False)
    code = serializers.CharField(required=False)
    invalid_params = InvalidParamSerializer(many=True, required=False)


# What each status means for any operation; an operation may say more (problem(...)).
PROBLEM_DESCRIPTIONS = {
    400: "The request is not valid: `invalid_params` names each field and what is wrong.",
    401: "No login or token, or an unknown, revoked or malformed token.",
    403: "The user may know the object but may not do this.",
    404: "No such object, or not for this user to know (need-to-know).",
    406: "None of the media types in `Accept` can be given.",
    409: "The request conflicts with the object's current state.",
    413: "The request is too large.",
    415: "The request body is not JSON.",
    429: "Too many requests from this client or from everyone at once.",
}


def problem(description: str = "", status: int | None = None) -> OpenApiResponse:
    """The OpenAPI answer for a problem+json error: `extend_schema(responses={409:
    problem("...")})` for a status only some operations give (409, 429); the ones every
    operation can give are added by baken.api.schema.AutoSchema."""
    return OpenApiResponse(
        ProblemSerializer,
        description=description or PROBLEM_DESCRIPTIONS.get(status or 0, ""),
    )
