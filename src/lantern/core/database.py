"""PostgreSQL lock and statement timeouts: short for web requests, longer for commands.

A connection starts with the command timeouts (`lantern tick`, imports, migrations); the first
web request served on it switches it to the web ones, once per connection, so a request waiting
on a locked row gives up after LANTERN_WEB_LOCK_TIMEOUT_MS and the user sees the "try again"
page (503, `core.views.server_error`) instead of a worker held until gunicorn kills it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

WEB = "web"
COMMAND = "command"


def apply_timeouts(sender=None, connection=None, **kwargs) -> None:
    """Set the timeouts of the connection's role (`connection_created`)."""
    if connection is None or connection.vendor != "postgresql":
        return
    role = getattr(connection, "lantern_role", COMMAND)
    limits = settings.LANTERN_DB_TIMEOUTS[role]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('lock_timeout', %s, false), "
            "set_config('statement_timeout', %s, false)",
            [f"{limits['lock_timeout']}ms", f"{limits['statement_timeout']}ms"],
        )
    connection.lantern_applied = role


def serving_web_request(sender=None, **kwargs) -> None:
    """`request_started`: this thread's connection serves web requests from now on."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection.lantern_role = WEB
    if connection.connection is not None and getattr(connection, "lantern_applied", "") != WEB:
        apply_timeouts(connection=connection)
