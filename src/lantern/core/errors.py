"""Lantern's own exceptions, turned into messages by views."""

from __future__ import annotations


class LanternError(Exception):
    """A refusal a user should see in plain words."""


class EditConflict(LanternError):
    """Someone else saved the record after this form was opened: nothing was overwritten."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            message
            or "Someone else changed this record after you opened it. Your changes have not been "
            "saved. Reload the page to see the latest version, then make your changes again."
        )
