"""Showing a recorded change's old or new value; a many-to-many change is a whole list."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def audit_value(value: Any) -> str:
    """A list (a many-to-many field, recorded whole) as its items joined; empty as (empty)."""
    if isinstance(value, list | tuple):
        value = ", ".join(str(item) for item in value)
    return "(empty)" if value in (None, "") else str(value)
