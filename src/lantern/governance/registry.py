"""What the apps holding personal data tell information governance about their records.

A `RetainedType` says when a record of that type is due for review, which team reviews it
and how its personal data is removed on disposal, leaving an anonymised stub. A `SubjectKind`
is a kind of person a subject access request can be about (a child, a nominal, a reporter,
a survivor); a `SubjectSource` lists what one app holds about such a person. Apps register
from their `governance.py`; the support app registers survivors with its provider's policy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class RetainedType:
    label: str  # app_label.model_name
    name: str  # plural, for pages: "Intelligence submissions"
    owner_capability: str  # the owning team: reviews, asks for and approves disposals
    policy: str  # the rule in words, shown on the queue
    due: Callable[[date], QuerySet]  # records whose review date is on or before the day
    review_date: Callable[[Any], date]
    stub_label: Callable[[Any], str]  # what the stub keeps: a reference, never a name
    dispose: Callable[[Any], list[str]]  # removes the personal data; the fields it emptied
    is_disposed: Callable[[Any], bool]


@dataclass(frozen=True)
class Item:
    """One thing held about a subject, with each value marked for redaction or not."""

    heading: str
    rows: list[tuple[str, str, bool]] = field(default_factory=list)  # (field, value, redact)
    record: Model | None = None


@dataclass(frozen=True)
class SubjectKind:
    code: str  # child, person, reporter, survivor
    name: str
    # The subject as the officer may see them, or None (the request is a 404).
    find: Callable[[Any, int], Model | None]
    describe: Callable[[Model], str]


@dataclass(frozen=True)
class SubjectSource:
    name: str
    kinds: frozenset[str]
    items: Callable[[str, Model], list[Item]]  # (kind code, subject) -> what this app holds


_TYPES: dict[str, RetainedType] = {}
_KINDS: dict[str, SubjectKind] = {}
_SOURCES: dict[str, SubjectSource] = {}


def register_retained_type(retained: RetainedType) -> None:
    _TYPES[retained.label] = retained


def register_subject_kind(kind: SubjectKind) -> None:
    _KINDS[kind.code] = kind


def register_subject_source(source: SubjectSource) -> None:
    _SOURCES[source.name] = source


def retained_types() -> list[RetainedType]:
    return sorted(_TYPES.values(), key=lambda t: t.label)


def retained_type(label: str) -> RetainedType | None:
    return _TYPES.get(label)


def subject_kind(code: str) -> SubjectKind | None:
    return _KINDS.get(code)


def subject_kinds() -> list[SubjectKind]:
    return sorted(_KINDS.values(), key=lambda k: k.code)


def subject_sources(kind: str) -> list[SubjectSource]:
    return [source for source in _SOURCES.values() if kind in source.kinds]
