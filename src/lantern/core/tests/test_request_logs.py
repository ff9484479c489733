"""Every request gets an id, sent back in X-Request-ID and on every log line it writes; logs
are one JSON object a line."""

from __future__ import annotations

import json
import logging
from io import StringIO

import pytest
from django.conf import settings
from django.urls import reverse

from lantern.core.logs import JsonFormatter, RequestIdFilter, logging_config

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_lines():
    """The lines the request log and the tick log write while the test runs, parsed."""
    stream = StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    loggers = [logging.getLogger("lantern.requests"), logging.getLogger("lantern.sessions")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_a_request_gets_an_id_in_the_header_and_its_log_line(client, json_lines):
    response = client.get(reverse("core:healthz"))

    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    (line,) = [line for line in json_lines() if line["logger"] == "lantern.requests"]
    assert line["request_id"] == request_id
    assert line["path"] == "/healthz" and line["status"] == response.status_code
    assert line["level"] == "INFO" and line["message"].startswith("GET /healthz")
    assert "duration_ms" in line and line["time"].endswith("+00:00")


def test_two_requests_get_different_ids(client):
    first = client.get(reverse("core:healthz"))["X-Request-ID"]
    second = client.get(reverse("core:healthz"))["X-Request-ID"]
    assert first != second


def test_a_sensible_id_from_the_proxy_is_kept_and_a_forged_one_replaced(client, json_lines):
    kept = client.get(reverse("core:healthz"), HTTP_X_REQUEST_ID="proxy-1234abcd")
    forged = client.get(reverse("core:healthz"), HTTP_X_REQUEST_ID='x" injected\nline')

    assert kept["X-Request-ID"] == "proxy-1234abcd"
    assert forged["X-Request-ID"] != 'x" injected\nline' and len(forged["X-Request-ID"]) == 32
    assert [line["request_id"] for line in json_lines()] == [
        "proxy-1234abcd",
        forged["X-Request-ID"],
    ]


def test_the_query_string_is_not_logged(client, json_lines):
    client.get(reverse("core:healthz") + "?q=Someone+Private")
    assert "Someone" not in json.dumps(json_lines())


def test_a_line_outside_a_request_and_a_traceback_stay_one_json_line():
    formatter, record_filter = JsonFormatter(), RequestIdFilter()
    try:
        raise ValueError("broken")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "lantern.tick", logging.ERROR, __file__, 1, "tick %s", ("x",), sys.exc_info()
        )
    record_filter.filter(record)

    line = formatter.format(record)

    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["request_id"] == "-" and parsed["message"] == "tick x"
    assert "ValueError: broken" in parsed["exception"]


def test_the_log_format_is_a_setting():
    assert settings.LANTERN_LOG_FORMAT in {"json", "text"}
    json_config = logging_config("json", "INFO")
    text_config = logging_config("text", "INFO")
    assert json_config["formatters"]["lantern"] == {"()": "lantern.core.logs.JsonFormatter"}
    assert "%(request_id)s" in text_config["formatters"]["lantern"]["format"]
    assert json_config["handlers"]["console"]["filters"] == ["request_id"]
