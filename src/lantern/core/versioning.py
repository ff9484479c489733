"""Optimistic locking: two people editing the same record get a conflict, not an overwrite."""

from __future__ import annotations

from django.db.models import F, Model

from lantern.core.errors import EditConflict


def save_if_unchanged(obj: Model, expected_version: int, fields: list[str]) -> None:
    """Save `fields` of `obj` only if nobody has saved it since `expected_version` was read.

    Raises EditConflict (and writes nothing) when the stored version has moved on. On success
    the object's `version` is one more than before.
    """
    values = {name: getattr(obj, name) for name in fields}
    updated = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, version=expected_version)
        .update(version=F("version") + 1, **values)
    )
    if updated != 1:
        raise EditConflict()
    obj.version = expected_version + 1
