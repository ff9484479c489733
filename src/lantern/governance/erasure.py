"""Removing personal data from a record and the rows that belong to it, leaving a stub.

Free text (every CharField, TextField and EmailField without choices, other than the ones a
stub keeps: references, hashes, types) is emptied; JSON lists and objects are emptied; stored
files are deleted. Foreign keys, dates, choices and numbers stay, so the stub still counts in
aggregate figures and the audit trail still points at it.
"""

from __future__ import annotations

from datetime import date

from django.db import models

DISPOSED = "[disposed]"
KEEP = {"reference", "sha256", "content_type", "kind", "idempotency_token"}


def erase_free_text(
    obj: models.Model, *, keep: set[str] = frozenset(), marker: dict | None = None
) -> list[str]:
    """Empty `obj`'s free text in place (`marker` sets chosen fields to a value instead, such
    as DISPOSED on a field that may not be blank) and save it; the fields emptied."""
    removed, changed = [], []
    for field in obj._meta.concrete_fields:
        if field.name in KEEP | set(keep) or field.primary_key:
            continue
        value = getattr(obj, field.attname)
        if marker and field.name in marker:
            new = marker[field.name]
        elif isinstance(field, models.FileField):
            if value:
                value.delete(save=False)
            new = ""
        elif isinstance(field, models.JSONField):
            new = type(value)() if isinstance(value, (list, dict)) else value
        elif isinstance(field, (models.CharField, models.TextField)) and not field.choices:
            new = ""
        else:
            continue
        if value != new:
            setattr(obj, field.attname, new)
            changed.append(field.attname)
            removed.append(field.name)
    if changed:
        obj.save(update_fields=changed)
    return removed


def erase_related(obj: models.Model, *, keep: set[str] = frozenset()) -> list[str]:
    """Empty the free text of every row of the same app that belongs to `obj` (one-to-many);
    "model.field" for each field emptied."""
    removed = set()
    for relation in obj._meta.related_objects:
        if not (relation.one_to_many or relation.one_to_one):
            continue
        if relation.related_model._meta.app_label != obj._meta.app_label:
            continue
        if relation.related_model is type(obj):
            continue  # strands and duplicates are records of their own, reviewed on their own
        rows = relation.related_model._base_manager.filter(**{relation.field.name: obj})
        for row in rows:
            for name in erase_free_text(row, keep=keep):
                removed.add(f"{relation.related_model._meta.model_name}.{name}")
    return sorted(removed)


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
