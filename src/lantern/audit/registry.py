"""The record types the audit trail knows: every model, plus the things apps audit that are not
rows (a data summary for a period, the Cabinet report for a quarter).

A later app registers its own non-model types here (from its AppConfig.ready), so the audit
trail can link to them without importing the app.
"""

from __future__ import annotations

from django.apps import apps
from django.urls import reverse

_RECORD_TYPES: dict[str, str] = {}


def register_record_type(label: str, description: str) -> None:
    """Declare an audited record type that is not a model, as `app.name`, lower case."""
    _RECORD_TYPES[label.lower()] = description


def record_types() -> dict[str, str]:
    """The registered non-model record types, label to description."""
    return dict(_RECORD_TYPES)


def is_known_record_type(label: str) -> bool:
    """Whether `label` is a model's `app_label.model_name` or a registered record type."""
    if label in _RECORD_TYPES:
        return True
    app_label, _, model_name = label.partition(".")
    if not model_name:
        return False
    try:
        apps.get_model(app_label, model_name)
    except LookupError:
        return False
    return True


def record_url(object_type: str, object_id: str) -> str:
    """The audit page of one record, or "" when there is no record to link to."""
    if not object_id or not is_known_record_type(object_type):
        return ""
    return reverse("audit:record", args=[object_type, object_id])
