"""Listeners told when an action is created or completed, so the record it came from can show it
(for example a submission's trace). Listeners run inside the action's transaction: if one fails,
the action is not saved either, so a trace never misses an action."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

ActionListener = Callable[[str, Any, Any, datetime], None]  # (event, action, actor, now)

ItemListener = Callable[[Any, Any, datetime], None]  # (agenda item, actor, now)

CREATED = "created"
COMPLETED = "completed"
CANCELLED = "cancelled"

_LISTENERS: list[ActionListener] = []
_ITEM_LISTENERS: list[ItemListener] = []


def on_item_recorded(listener: ItemListener) -> None:
    """Be told, inside its transaction, when a meeting's record of an agenda item is saved."""
    if listener not in _ITEM_LISTENERS:
        _ITEM_LISTENERS.append(listener)


def item_recorded(item: Any, actor: Any, now: datetime) -> None:
    for listener in _ITEM_LISTENERS:
        listener(item, actor, now)


def on_action_event(listener: ActionListener) -> None:
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def action_event(event: str, action: Any, actor: Any, now: datetime) -> None:
    for listener in _LISTENERS:
        listener(event, action, actor, now)


def source_record(action: Any) -> Any:
    """The record an action ultimately answers: its origin, or its agenda item's source."""
    origin = action.origin
    return getattr(origin, "source", None) or origin


# What a later app records about an agenda item at the meeting, for the minutes (the children
# app: a MACE discussion's agreed level, outcomes, review date and the actions it made).
# A recorder takes the item and returns (notes, actions): notes as (label, text) pairs.
MinutesRecorder = Callable[[Any], tuple[list[tuple[str, str]], list[Any]]]
_MINUTES_RECORDERS: list[MinutesRecorder] = []


def on_minutes(recorder: MinutesRecorder) -> None:
    if recorder not in _MINUTES_RECORDERS:
        _MINUTES_RECORDERS.append(recorder)


def minutes_record(item: Any) -> tuple[list[tuple[str, str]], list[Any]]:
    """Everything the registered recorders hold about `item` for its minutes."""
    notes: list[tuple[str, str]] = []
    actions: list[Any] = []
    for recorder in _MINUTES_RECORDERS:
        more_notes, more_actions = recorder(item)
        notes += more_notes
        actions += more_actions
    return notes, actions
