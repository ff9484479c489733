"""Handling code C in templates: may this user read an item or action, and its marking."""

from __future__ import annotations

from typing import Any

from django import template

from lantern.accounts.access import reads_conditioned_action, reads_conditioned_item

register = template.Library()


@register.filter
def item_read_by(item: Any, user: Any) -> bool:
    return reads_conditioned_item(user, item)


@register.filter
def action_read_by(action: Any, user: Any) -> bool:
    return reads_conditioned_action(user, action)


@register.inclusion_tag("tasking/_handling_marking.html")
def handling_marking(record: Any, agencies: Any = None) -> dict:
    """The C marking and conditions, printed wherever a code C item or action appears."""
    return {"record": record, "agencies": agencies}
