"""Logging for operators: one line per request, and JSON lines when `BAKEN_LOG_FORMAT=json`.

What a log line may hold (docs/operations.md, "Logs"): the request's id, method, path
(never its query string: a search for a name is in the query string), status, duration and
the user's id (never a user name or e-mail address). Messages Baken logs itself name
objects by their ids. Tracebacks are kept: they hold code, not the values of variables.
"""

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

request_logger = logging.getLogger("baken.request")

# Attributes every LogRecord has; anything else was passed with `extra=` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}
# Django's request logger passes the request and the response objects themselves.
_NEVER = {"request", "response", "server_time"}
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO 8601, UTC), level, logger, message and the
    record's `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key in _STANDARD or key in _NEVER or key.startswith("_"):
                continue
            line[key] = value if isinstance(value, str | int | float | bool | None) else str(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class RequestLogMiddleware:
    """Logs every request once it is answered (logger `baken.request`, level INFO) and gives
    it an id: the load balancer's `X-Request-ID` when it sent a plain one, else a new one; the
    answer carries it back, so a user's complaint and a log line can be matched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        response = self.get_response(request)
        user = getattr(request, "user", None)
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request.request_id,
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        response.headers.setdefault("X-Request-ID", request.request_id)
        return response
