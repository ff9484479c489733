"""The username that django-axes counts failed sign-ins against.

Usernames are matched without regard to letter case or surrounding spaces (see
`LanternUserManager.get_by_natural_key`), so failures must be counted the same way: otherwise
`Councillor`, `cOuncillor`, ... are each a fresh username with a fresh allowance of guesses,
and the right password in any other case signs in to a locked account.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def normalised_username(raw: Any) -> str:
    """The username as sign-in matches it: trimmed, in lower case."""
    return str(raw or "").strip().lower()


def lockout_username(request: Any, credentials: dict | None = None) -> str:
    """AXES_USERNAME_CALLABLE: the normalised username from the credentials or the form."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        raw = credentials.get(field)
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        raw = data.get(field)
    return normalised_username(raw)
