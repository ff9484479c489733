"""Analysts correct an entity's details: one service, optimistic locking, the audit trail and
the entity's own history, all in one transaction.

Which details a correction may change depends on the kind of entity; the exact identifier
(a registration, a phone number) is not among them, because it is what matching links on:
a wrong identifier is put right by splitting or merging, not by editing.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction

from lantern.audit.models import AuditAction
from lantern.audit.services import record_change
from lantern.core.errors import LanternError
from lantern.core.versioning import save_if_unchanged
from lantern.entities import linkage
from lantern.entities import normalise as norm
from lantern.entities.models import DETAIL_FIELDS, DetailHandling, Entity, EntityEvent, EntityKind

COMMON = ["label", "description"]
EDITABLE: dict[str, list[str]] = {
    EntityKind.PERSON: [
        "label",
        "first_name",
        "surname",
        "aliases",
        "dob",
        "age",
        "gender",
        "ethnicity",
        "address",
        "postcode",
        "description",
    ],
    EntityKind.LOCATION: [
        "label",
        "address",
        "premises_type",
        "postcode",
        "ward",
        "latitude",
        "longitude",
        "description",
    ],
    EntityKind.VEHICLE: ["label", "make", "model", "colour", "description"],
    EntityKind.ONLINE: ["label", "platform", "description"],
}


class CorrectionRefused(LanternError):
    """A correction that cannot be saved as given; `field` names the detail at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def editable_fields(entity: Entity) -> list[str]:
    """The details of this kind of entity an analyst may correct."""
    return EDITABLE.get(entity.kind, COMMON)


def correct_entity(
    entity: Entity,
    *,
    actor: Any,
    expected_version: int,
    reason: str,
    now: datetime,
    handling: str = DetailHandling.POLICE,
    **fields: Any,
) -> EntityEvent | None:
    """Save corrected details with the reason, in the audit trail and the entity's history.

    Each detail the correction changes is marked as coming from it, with its `handling`:
    police only (the default) or shared with whoever may see the entity through a record of
    their own. Details it leaves as they were keep their own sources.

    Refuses without a reason, a merged entity, a detail its kind does not have, an
    unreadable postcode, a date of birth in the future, half a pair of coordinates, and a
    stale form (EditConflict: nothing written). Nothing changed: nothing recorded, None.
    """
    if not reason.strip():
        raise CorrectionRefused("Say why the details are being corrected", "reason")
    if handling not in DetailHandling.values:
        raise CorrectionRefused("Choose who may see these details", "handling")
    if not entity.is_active:
        raise CorrectionRefused("This entity has been merged into another: correct that one")
    unknown = set(fields) - set(editable_fields(entity))
    if unknown:
        raise CorrectionRefused(f"A {entity.get_kind_display().lower()} has no {sorted(unknown)}")
    values = _checked(entity, fields, today=now.date())
    with transaction.atomic():
        # The history shows the details as the analyst knows them (the ward by name), not the
        # matching keys that follow from them.
        shown = {"ward_id" if name == "ward" else name for name in fields}
        changes = {
            name.removesuffix("_id"): [_shown(name, getattr(entity, name)), _shown(name, value)]
            for name, value in values.items()
            if name in shown and getattr(entity, name) != value
        }
        if not changes:
            return None
        changed = {
            name.removesuffix("_id")
            for name, value in values.items()
            if getattr(entity, name) != value
        } & set(DETAIL_FIELDS)
        event = EntityEvent.objects.create(
            kind=EntityEvent.Kind.CORRECT,
            entity=entity,
            changes=changes,
            handling=handling,
            reason=reason.strip(),
            actor=actor,
            at=now,
        )
        for name, value in values.items():
            setattr(entity, name, value)
        mark = {"correction": event.pk, "handling": handling, "by": actor.pk, "at": now.isoformat()}
        entity.sources = {**entity.sources, **{name: dict(mark) for name in changed}}
        save_if_unchanged(entity, expected_version, [*values, "sources"])
        record_change(
            actor,
            entity,
            AuditAction.UPDATE,
            changes={**changes, "handling": ["", handling]},
            reason=reason.strip(),
        )
    return event


def _checked(entity: Entity, fields: dict[str, Any], *, today: date) -> dict[str, Any]:
    """The model's values for the given details, with a person's matching keys brought up to
    date so the corrected person is found by the same blocking keys as a new one."""
    values = {name: value for name, value in fields.items() if name != "age"}
    if "ward" in values:
        ward = values.pop("ward")
        values["ward_id"] = ward.pk if ward else None
    for name in ("label", "first_name", "surname", "aliases", "address", "make", "model"):
        if name in values:
            values[name] = (values[name] or "").strip()
    if "label" in values and not values["label"]:
        raise CorrectionRefused("Enter the name shown for this entity", "label")
    if values.get("postcode"):
        code = norm.postcode(values["postcode"])
        if not code.ok:
            raise CorrectionRefused("Enter a real postcode, for example NM1 4AB", "postcode")
        values["postcode"] = code.value
    has_pair = "latitude" in values or "longitude" in values
    if has_pair and (values.get("latitude") is None) != (values.get("longitude") is None):
        raise CorrectionRefused("Give both the latitude and the longitude, or neither", "longitude")
    if entity.kind == EntityKind.PERSON:
        values.update(_person_keys(entity, fields, today=today))
    return values


def _person_keys(entity: Entity, fields: dict[str, Any], *, today: date) -> dict[str, Any]:
    dob, age = fields.get("dob"), fields.get("age")
    if dob and age is not None:
        raise CorrectionRefused("Give a date of birth or an estimated age, not both", "age")
    if dob and dob > today:
        raise CorrectionRefused("The date of birth must be today or in the past", "dob")
    record = linkage.prepare_person(
        entity.pk,
        first_name=fields.get("first_name", entity.first_name),
        surname=fields.get("surname", entity.surname),
        dob=dob,
        age=age,
        age_on=today,
        gender=fields.get("gender", entity.gender),
        postcode=fields.get("postcode", entity.postcode),
        phone=entity.phone,
        address=fields.get("address", entity.address),
    )
    keys = {
        "first_norm": record["first_name"] or "",
        "surname_norm": record["surname"] or "",
        "first_canon": record["first_canon"] or "",
        "first_key": record["first_key"] or "",
        "surname_key": record["surname_key"] or "",
    }
    if dob or age is not None:
        keys["birth_year_lo"], keys["birth_year_hi"] = record["by_lo"], record["by_hi"]
    elif "dob" in fields and entity.dob is not None:
        # The date of birth was removed: the years it gave go with it. With no date of birth
        # before and no new age, an earlier estimate stays (the form cannot show an age).
        keys["birth_year_lo"] = keys["birth_year_hi"] = None
    return keys


def _shown(name: str, value: Any) -> str:
    if name == "ward_id" and value is not None:
        from lantern.core.models import Ward

        return str(Ward.objects.filter(pk=value).first() or "")
    return _text(value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
