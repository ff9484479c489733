"""The edit-with-version pattern every editing view shares.

A form carries the version of the record it was opened on (`version_field`); the view's save
runs with that version (`save_with_version`), and a refusal, a stale form's `EditConflict`
included, becomes an error on the form, on the field it names or at the top, with what the
user typed kept. Services do the refusing (`lantern.core.versioning.save_if_unchanged`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Model

from lantern.core.errors import LanternError


def version_field() -> forms.IntegerField:
    """The hidden field that holds the version a form was opened on."""
    return forms.IntegerField(widget=forms.HiddenInput, required=False)


def versioned_initial(obj: Model, *fields: str, **extra: Any) -> dict[str, Any]:
    """Initial values to edit `obj`: the named fields, any `extra`, and the version read now."""
    return {**{name: getattr(obj, name) for name in fields}, **extra, "version": obj.version}


@dataclass(frozen=True)
class Saved[T]:
    """What a save returned; always true, so `if saved := save_with_version(...)` reads well."""

    result: T

    def __bool__(self) -> bool:
        return True


def save_with_version[T](form: forms.Form, save: Callable[[int], T]) -> Saved[T] | None:
    """Call `save(expected_version)` for a valid `form`; None if the service refused.

    The refusal's message goes on the field the error names (a `field` attribute) when the form
    has it, otherwise at the top of the form.
    """
    try:
        return Saved(save(form.cleaned_data.get("version") or 0))
    except LanternError as error:
        field = getattr(error, "field", None)
        form.add_error(field if field in form.fields else None, str(error))
        return None
