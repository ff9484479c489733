"""When the database drops, times out or does not answer, pages degrade instead of stalling:
error pages render without it, a timeout is a "try again" page (503), and a dropped persistent
connection is replaced before the next request uses it."""

from __future__ import annotations

import time
from contextlib import contextmanager
from io import BytesIO

import psycopg
import pytest
from django.contrib.auth import get_user
from django.contrib.sessions.backends.db import SessionStore
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from lantern.accounts.roles import Role
from lantern.core import views
from lantern.core.testing import make_user, sign_in

on_postgresql = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="PostgreSQL's connections and locks"
)


@contextmanager
def database_down():
    """The database stops answering. PostgreSQL: the connection is closed and every new one is
    refused (a port nothing listens on). SQLite (one in-memory test database that must not be
    closed): every statement fails as a dropped connection does."""
    if connection.vendor == "postgresql":
        saved = connection.settings_dict["PORT"]
        connection.close()
        connection.settings_dict["PORT"] = "1"
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict["PORT"] = saved
        return

    def refuse(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        yield


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_page_with_no_database_is_a_try_again_page(client):
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    session_cookie = client.cookies.get("lantern-session").value
    client.raise_request_exception = False
    with database_down():
        response = client.get("/")
    assert response.status_code == 503
    assert "Sorry, the service is busy" in response.text
    assert response["Retry-After"] == "30"
    # The user is not signed out by the database's bad moment.
    assert "lantern-session" not in response.cookies
    assert client.cookies.get("lantern-session").value == session_cookie
    assert client.get("/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_page_not_found_renders_with_no_database(client):
    client.raise_request_exception = False
    with database_down():
        response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("view", "status", "title"),
    [
        (views.permission_denied, 403, "You cannot do this in Lantern"),
        (views.bad_request, 400, "Sorry, Lantern could not understand that request"),
        (views.csrf_failure, 403, "Your form could not be sent"),
        (views.page_not_found, 404, "Page not found"),
    ],
)
def test_error_pages_render_when_loading_the_session_fails(view, status, title):
    user = make_user()
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store.create()
    request = RequestFactory().get("/somewhere/")
    request.session = SessionStore(session_key=store.session_key)
    request.user = SimpleLazyObject(lambda: get_user(request))
    with database_down():
        response = view(request)
    assert response.status_code == status
    assert title in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_500_page_reads_nothing_from_the_database():
    request = RequestFactory().get("/")
    request.session = SessionStore(session_key="x" * 32)
    with database_down():
        response = views.server_error(request)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def _wsgi_get(path: str) -> str:
    """One request through Django's WSGI handler, as gunicorn makes it (request signals on)."""
    environ = RequestFactory().get(path).environ | {"wsgi.input": BytesIO(b"")}
    statuses = []
    body = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    b"".join(body)
    return statuses[0]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_dropped_persistent_connection_is_replaced_before_the_next_request(settings):
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["CONN_MAX_AGE"] > 0
    assert _wsgi_get("/intake/report/").startswith("200")
    connection.ensure_connection()
    backend = connection.connection.info.backend_pid
    with _other_connection() as other:
        other.execute("SELECT pg_terminate_backend(%s)", [backend])
    assert _wsgi_get("/intake/report/").startswith("200")
    assert connection.connection.info.backend_pid != backend


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_web_requests_and_commands_get_their_own_timeouts(settings):
    connection.close()
    connection.lantern_role = "command"  # as in a process that has served no request
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "1min"
    _wsgi_get("/intake/report/")
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "5s"
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "20s"


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_page_waiting_on_a_locked_row_answers_try_again(client, settings):
    settings.LANTERN_DB_TIMEOUTS = {
        **settings.LANTERN_DB_TIMEOUTS,
        "web": {"lock_timeout": 300, "statement_timeout": 5000},
    }
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    key = client.cookies["lantern-session"].value
    client.raise_request_exception = False
    connection.close()  # the next connection is made for a web request, with its timeouts
    with _other_connection() as other:
        other.execute("BEGIN")
        other.execute("SELECT 1 FROM django_session WHERE session_key = %s FOR UPDATE", [key])
        started = time.monotonic()
        response = client.post("/sign-out/")
        took = time.monotonic() - started
        other.execute("ROLLBACK")
    assert response.status_code == 503
    assert "Try again" in response.text
    assert took < 3


@contextmanager
def _other_connection():
    params = connection.get_connection_params()
    other = psycopg.connect(
        **{k: v for k, v in params.items() if k in {"dbname", "user", "password", "host", "port"}},
        autocommit=True,
    )
    try:
        yield other
    finally:
        other.close()
