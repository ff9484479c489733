"""Middleware of Lantern's own."""

from __future__ import annotations

import logging

from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import DatabaseError

logger = logging.getLogger("lantern.sessions")


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, except that renewing the idle expiry of a session this
    request did not change (SESSION_SAVE_EVERY_REQUEST) is best effort.

    Django turns any database error while saving the session into a 400 "session deleted":
    a dropped connection at that moment replaced a sender's confirmation page (their report
    already stored) with an error. The page was computed from the session as it was, so it is
    shown; a session this request changed still fails as before, so nothing is lost silently.

    When the database did not answer as the session was loaded, the session is left as it is:
    Django would otherwise take it for empty and delete the cookie, signing the user out because
    of a dropped connection; and the error page must not fail on renewing it.
    """

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not hasattr(session, "_session_cache"):
            logger.warning("The session could not be loaded on %s", request.path)
            return response
        try:
            return super().process_response(request, response)
        except (SessionInterrupted, DatabaseError):
            if session is None or session.modified:
                raise
            logger.warning("The session's expiry could not be renewed on %s", request.path)
            return response
