"""Logs as one JSON object a line, each carrying the id of the request it belongs to.

`RequestIdMiddleware` gives every request an id (the proxy's `X-Request-ID` when it sends a
sensible one, else a new one), keeps it for the request's logging and sends it back in the
`X-Request-ID` response header, so a user's "reference on the error page" or a proxy log line
leads to every line the request wrote. `RequestIdFilter` puts it on every log record (outside a
request: "-"); `JsonFormatter` writes the record as JSON. LANTERN_LOG_FORMAT chooses json or text.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

HEADER = "X-Request-ID"
_NO_REQUEST = "-"
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
# An id a proxy sent is kept only if it looks like one: no spaces, quotes or control characters
# to forge log lines with.
_SENSIBLE_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")
access_log = logging.getLogger("lantern.requests")


def current_request_id() -> str:
    """The id of the request this thread is serving, or "-" outside a request."""
    return _request_id.get()


class RequestIdMiddleware:
    """First in MIDDLEWARE: every log line of the request, and the response, carry its id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.headers.get(HEADER, "")
        request_id = offered if _SENSIBLE_ID.match(offered) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,  # never the query string: it may hold search terms
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record that passes the handler it is attached to."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


# The attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request_id, any `extra`
    fields, and the traceback as one string."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", current_request_id()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str)


def logging_config(log_format: str, level: str) -> dict:
    """The LOGGING setting: console output as JSON or text, every line with its request id."""
    formats = {
        "json": {"()": "lantern.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "lantern.core.logs.RequestIdFilter"}},
        "formatters": {"lantern": formats[log_format]},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "lantern",
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {},
    }
