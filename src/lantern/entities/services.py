"""What the cross-referencing app does: record mentions, resolve them to entities, and the
analyst's decisions (confirm, reject, merge, split), each in one transaction with its audit.

Linking rules (DESIGN.md rule 6): a mention links by itself only on an exact identifier or a
person match at or above LANTERN_AUTO_LINK_PROBABILITY; below that, down to
LANTERN_SUGGEST_PROBABILITY, it becomes a suggested match for an analyst; a rejected pair is
never suggested again; two entities are merged only by an analyst.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max, Model

from lantern.audit.models import AuditAction
from lantern.audit.services import record_change
from lantern.core.errors import LanternError
from lantern.entities import linkage
from lantern.entities import normalise as norm
from lantern.entities.models import (
    DETAIL_FIELDS,
    Entity,
    EntityEvent,
    EntityKind,
    LinkMethod,
    Mention,
    ModelVersion,
    Note,
    RejectedMatch,
    SuggestedMatch,
    SuggestionStatus,
)

DEFAULT_MODEL_PATH = Path(__file__).parent / "default_model.json"
EXACT_KINDS = {
    EntityKind.VEHICLE,
    EntityKind.PHONE,
    EntityKind.EMAIL,
    EntityKind.ONLINE,
    EntityKind.LOCATION,
    EntityKind.ORGANISATION,
}
MAX_CANDIDATES = 200


class ResolutionRefused(LanternError):
    """An analyst's decision that cannot be made (already decided, same entity, ...)."""


def auto_link_probability() -> float:
    return settings.LANTERN_AUTO_LINK_PROBABILITY


def suggest_probability() -> float:
    return settings.LANTERN_SUGGEST_PROBABILITY


# --- Recording mentions ---------------------------------------------------------------------


@dataclass(frozen=True)
class MentionInput:
    """What a record says about one entity. For a person, `details` holds first_name, surname,
    dob (ISO), age, gender, postcode, phone, address; for a location, premises_type and ward."""

    kind: str
    raw_text: str
    details: dict | None = None


def add_mentions(
    source: Model, mentions: list[MentionInput], *, actor: Any, now: datetime
) -> list[Mention]:
    """Record a source record's mentions and resolve each one at once.

    Resolution of one record's handful of mentions takes milliseconds (candidates come from
    indexed keys), so it runs in the same transaction; mentions left pending by a failure are
    picked up by the periodic job `resolve_pending`.
    """
    content_type = ContentType.objects.get_for_model(source)
    made = []
    with transaction.atomic():
        for item in mentions:
            mention = Mention.objects.create(
                content_type=content_type,
                object_id=source.pk,
                kind=item.kind,
                raw_text=item.raw_text.strip()[:300],
                details=item.details or {},
                mentioned_at=now,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            _normalise_mention(mention)
            mention.save(update_fields=["normalised", "normalised_ok"])
            record_change(actor, mention, AuditAction.CREATE)
            resolve_mention(mention, now=now)
            made.append(mention)
    return made


def create_note(*, author: Any, text: str, mentions: list[MentionInput], now: datetime) -> Note:
    """Write a note with its mentions, resolved at once. Refuses an empty note."""
    if not text.strip():
        raise ResolutionRefused("Write what the note is about.")
    with transaction.atomic():
        note = Note.objects.create(author=author, agency=author.agency, text=text, created_at=now)
        record_change(author, note, AuditAction.CREATE)
        add_mentions(note, mentions, actor=author, now=now)
    return note


def resolve_pending(now: datetime) -> int:
    """Resolve every mention still waiting (idempotent: a resolved mention is left alone)."""
    count = 0
    waiting = Mention.objects.filter(method=LinkMethod.PENDING, entity__isnull=True)
    for mention in waiting.exclude(suggestions__status=SuggestionStatus.OPEN).distinct():
        with transaction.atomic():
            resolve_mention(mention, now=now)
        count += 1
    return count


# --- Resolution -----------------------------------------------------------------------------


def resolve_mention(mention: Mention, *, now: datetime) -> Mention:
    """Link a mention to an entity, suggest matches, or make a new entity for it."""
    if mention.kind == EntityKind.PERSON:
        return _resolve_person(mention, now)
    return _resolve_identifier(mention, now)


def _normalise_mention(mention: Mention) -> None:
    text = mention.raw_text
    normalisers = {
        EntityKind.VEHICLE: norm.registration,
        EntityKind.PHONE: norm.phone,
        EntityKind.EMAIL: norm.email,
    }
    if mention.kind in normalisers:
        result = normalisers[mention.kind](text)
    elif mention.kind == EntityKind.ONLINE:
        handle = norm.handle(text)
        platform = norm.name(mention.details.get("platform", ""))
        result = norm.Normalised(f"{platform}:{handle.value}", handle.ok)
    elif mention.kind == EntityKind.LOCATION:
        code = norm.postcode(mention.details.get("postcode", ""))
        if norm.postcode(text).ok:  # a bare postcode
            result = norm.Normalised(f"|{norm.postcode(text).value}")
        else:
            result = norm.Normalised(f"{norm.name(text)}|{code.value if code.ok else ''}")
    elif mention.kind == EntityKind.ORGANISATION:
        result = norm.Normalised(norm.name(text))
    else:
        record = _person_record(mention)
        label = " ".join(filter(None, [record["first_name"], record["surname"]]))
        result = norm.Normalised(label)
    mention.normalised, mention.normalised_ok = result.value[:300], result.ok


def _resolve_identifier(mention: Mention, now: datetime) -> Mention:
    existing = (
        Entity.objects.filter(kind=mention.kind, identifier=mention.normalised, is_active=True)
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return _link(mention, existing, LinkMethod.EXACT, now=now)
    if mention.kind == EntityKind.VEHICLE and mention.normalised_ok:
        fits = _plates_that_fit(mention.normalised)
        rejected = _rejected_entity_ids(mention)
        candidates = [e for e in fits if e.pk not in rejected]
        if candidates:
            for entity in candidates[:MAX_CANDIDATES]:
                explanation = [
                    {"field": "registration", "level": "Partial plate fits", "weight": 0}
                ]
                _suggest(mention, entity, probability=0.9, explanation=explanation, now=now)
            return mention
    return _link(mention, _new_entity(mention, now), LinkMethod.NEW, now=now)


def _plates_that_fit(plate: str) -> list[Entity]:
    """Vehicles whose plate fits this one, where either has unread characters (`?`)."""
    vehicles = Entity.objects.filter(kind=EntityKind.VEHICLE, is_active=True, identifier_ok=True)
    if norm.is_partial_registration(plate):
        pattern = "^" + plate.replace("?", "[A-Z0-9]") + "$"
        return list(vehicles.filter(identifier__regex=pattern).order_by("pk"))
    partials = vehicles.filter(identifier__contains="?").order_by("pk")
    return [v for v in partials if norm.registration_matches(v.identifier, plate)]


def _resolve_person(mention: Mention, now: datetime) -> Mention:
    model_version = current_model_version()
    model = trained_model(model_version.number)
    record = _person_record(mention)
    rejected = _rejected_entity_ids(mention)
    scored = []
    for entity in person_candidates(record):
        if entity.pk in rejected:
            continue
        score = model.score(record, entity_record(entity))
        if score.probability >= suggest_probability():
            scored.append((score.probability, entity.pk, entity, score))
    scored.sort(key=lambda item: (-item[0], item[1]))
    scored = scored[:10]
    # The guard holds for the whole person, not only the entity's own fields: a mention that
    # a vetoing level separates from any mention already on the entity (a twin, a parent of
    # one name) is never linked automatically, only suggested with the reason shown.
    conflicts = {entity.pk: _conflict_with_mentions(record, entity) for _, _, entity, _ in scored}
    if (
        scored
        and scored[0][0] >= auto_link_probability()
        and not scored[0][3].vetoed
        and conflicts[scored[0][1]] is None
    ):
        probability, _, entity, score = scored[0]
        mention.model_version = model_version
        mention.probability = probability
        mention.explanation = score.explanation()
        return _link(mention, entity, LinkMethod.AUTOMATIC, now=now)
    if scored:
        for probability, _, entity, score in scored:
            explanation = score.explanation()
            if conflicts[entity.pk] is not None:
                explanation.append(conflicts[entity.pk])
            _suggest(
                mention,
                entity,
                probability=probability,
                explanation=explanation,
                now=now,
                model_version=model_version,
            )
        return mention
    return _link(mention, _new_entity(mention, now), LinkMethod.NEW, now=now)


def _conflict_with_mentions(record: linkage.Record, entity: Entity) -> dict | None:
    """An explanation row when a vetoing level separates the record from a person mention
    already linked to the entity, else None."""
    linked = Mention.objects.filter(entity=entity, kind=EntityKind.PERSON).order_by("pk")
    for other in linked:
        reason = linkage.veto_reason(record, _person_record(other))
        if reason is not None:
            return {
                "field": "another mention of this person",
                # Not the mention's text: the analyst reading the suggestion may not be
                # allowed to see the record it came from.
                "level": f"{reason} (mention {other.pk}): never linked automatically",
                "weight": 0.0,
            }
    return None


def person_candidates(record: linkage.Record) -> list[Entity]:
    """People sharing a blocking key with the record, read through indexed columns: the same
    keys as the model's blocking rules, so Python scores the pairs Splink would.

    One small indexed query per key rather than one query with OR: SQLite would scan the
    table for the OR, and PostgreSQL needs no bitmap merge this way."""
    keys = []
    if record["first_key"] and record["surname_key"]:
        keys.append({"first_key": record["first_key"], "surname_key": record["surname_key"]})
        keys.append({"first_key": record["surname_key"], "surname_key": record["first_key"]})
    if record["surname"] and record["first_canon"]:
        keys.append({"surname_norm": record["surname"], "first_canon": record["first_canon"]})
    if record["dob"]:
        keys.append({"dob": record["dob"]})
    if record["postcode"] and record["first_key"]:
        keys.append({"postcode": record["postcode"], "first_key": record["first_key"]})
    if record["postcode"] and record["surname_key"]:
        keys.append({"postcode": record["postcode"], "surname_key": record["surname_key"]})
    if record["phone"]:
        keys.append({"phone": record["phone"]})
    found: set[int] = set()
    for key in keys:
        found.update(Entity.objects.filter(**key).values_list("pk", flat=True)[:MAX_CANDIDATES])
    people = Entity.objects.filter(pk__in=found, kind=EntityKind.PERSON, is_active=True)
    return list(people.order_by("pk")[:MAX_CANDIDATES])


def entity_record(entity: Entity) -> linkage.Record:
    """A person entity as the model's prepared record (stored already normalised). The keys
    that follow from the names are recomputed, so variants learned since count at once."""
    swapped = norm.swapped_day_month(entity.dob) if entity.dob else None
    first = entity.first_norm or None
    last = entity.surname_norm or None
    keys = linkage.name_keys(first, last)
    return {
        "unique_id": entity.pk,
        "first_name": first,
        "surname": last,
        **keys,
        # The stored canonical is what the index holds; the model compares the same value.
        "first_canon": entity.first_canon or keys["first_canon"],
        "first_key": entity.first_key or keys["first_key"],
        "surname_key": entity.surname_key or keys["surname_key"],
        "first_exact": None if first else norm.exact_only_name(entity.first_name),
        "dob": entity.dob.isoformat() if entity.dob else None,
        "dob_swap": swapped.isoformat() if swapped else None,
        "by_lo": entity.birth_year_lo,
        "by_hi": entity.birth_year_hi,
        "postcode": entity.postcode or None,
        "outward": norm.postcode_outward(entity.postcode) or None,
        "gender": entity.gender or None,
        "phone": entity.phone or None,
        "address": norm.address(entity.address) or None,
    }


def person_from_record(record: linkage.Record, *, label: str, now: datetime, **extra) -> Entity:
    """An unsaved person entity carrying a prepared record's normalised fields."""
    return Entity(
        kind=EntityKind.PERSON,
        label=label[:200] or "Unnamed person",
        first_name=(record["first_name"] or record["first_exact"] or "").title(),
        surname=(record["surname"] or "").title(),
        first_norm=record["first_name"] or "",
        surname_norm=record["surname"] or "",
        first_canon=record["first_canon"] or "",
        first_key=record["first_key"] or "",
        surname_key=record["surname_key"] or "",
        dob=date.fromisoformat(record["dob"]) if record["dob"] else None,
        birth_year_lo=record["by_lo"],
        birth_year_hi=record["by_hi"],
        gender=record["gender"] or "",
        postcode=record["postcode"] or "",
        phone=record["phone"] or "",
        address=record["address"] or "",
        created_at=now,
        **extra,
    )


def _person_record(mention: Mention) -> linkage.Record:
    details = mention.details or {}
    try:
        dob = norm.date_of_birth(details.get("dob"))
    except ValueError:
        dob = None
    age = details.get("age")
    age_on = details.get("age_on")
    return linkage.prepare_person(
        mention.pk,
        first_name=details.get("first_name", ""),
        surname=details.get("surname", ""),
        dob=dob,
        age=int(age) if age not in (None, "") else None,
        age_on=date.fromisoformat(age_on) if age_on else mention.mentioned_at.date(),
        gender=details.get("gender", ""),
        postcode=details.get("postcode", ""),
        phone=details.get("phone", ""),
        address=details.get("address", ""),
    )


def _new_entity(mention: Mention, now: datetime) -> Entity:
    """A new entity made from the mention, each detail it holds marked as coming from it."""
    entity = entity_from_mention(mention, now)
    entity.sources = mention_sources(entity, mention)
    entity.save()
    return entity


def entity_from_mention(mention: Mention, now: datetime) -> Entity:
    """An unsaved entity holding what this one mention says (and nothing else): how a new
    entity starts, and what a reader's own record says when an entity's details are not
    theirs to see."""
    details = mention.details or {}
    if mention.kind == EntityKind.PERSON:
        return person_from_record(
            _person_record(mention),
            label=mention.raw_text,
            now=now,
            ethnicity=details.get("ethnicity", "")[:60],
            description=details.get("description", ""),
        )
    code = norm.postcode(details.get("postcode", ""))
    return Entity(
        kind=mention.kind,
        label=mention.raw_text[:200],
        identifier=mention.normalised[:200],
        identifier_ok=mention.normalised_ok,
        postcode=code.value if code.ok else "",
        premises_type=details.get("premises_type", ""),
        ward_id=details.get("ward_id"),
        latitude=_coordinate(details.get("latitude"), 90),
        longitude=_coordinate(details.get("longitude"), 180),
        make=details.get("make", "")[:60],
        model=details.get("model", "")[:60],
        colour=details.get("colour", "")[:30],
        platform=details.get("platform", "")[:60],
        created_at=now,
    )


def mention_sources(entity: Entity, mention: Mention) -> dict:
    """`Entity.sources` for each detail the entity holds, all from this mention."""
    mark = {
        "mention": mention.pk,
        "by": mention.created_by_id,
        "at": mention.mentioned_at.isoformat(),
    }
    return {name: dict(mark) for name in DETAIL_FIELDS if detail_held(entity, name)}


def detail_held(entity: Entity, name: str) -> bool:
    value = getattr(entity, "ward_id" if name == "ward" else name)
    return value not in (None, "")


def _coordinate(value: Any, limit: float) -> float | None:
    """A latitude (limit 90) or longitude (limit 180) as a float, or None if it is not one."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if -limit <= number <= limit else None


def _fill_place_from(mention: Mention, entity: Entity, actor: Any) -> None:
    """A known place with no ward (or no point) takes them from a mention that has them.

    A ward or point the place already has is never overwritten: an analyst edits those.
    """
    details = mention.details or {}
    fields = []
    if entity.ward_id is None and details.get("ward_id"):
        entity.ward_id = details["ward_id"]
        fields.append("ward")
    lat = _coordinate(details.get("latitude"), 90)
    lon = _coordinate(details.get("longitude"), 180)
    if entity.latitude is None and lat is not None and lon is not None:
        entity.latitude, entity.longitude = lat, lon
        fields += ["latitude", "longitude"]
    if fields:
        # Each filled detail's source is this mention, so it is seen only by its readers.
        entity.sources = {
            **(entity.sources or {}),
            **{
                name: source
                for name, source in mention_sources(entity, mention).items()
                if name in fields
            },
        }
        entity.version += 1
        entity.save(update_fields=[*fields, "sources", "version"])
        record_change(
            actor,
            entity,
            AuditAction.UPDATE,
            changes={name: ["", str(getattr(entity, name))] for name in fields},
            reason=f"from mention {mention.pk}",
        )


def _link(
    mention: Mention, entity: Entity, method: str, *, now: datetime, actor: Any = None
) -> Mention:
    if mention.kind == EntityKind.LOCATION:
        _fill_place_from(mention, entity, actor)
    mention.entity = entity
    mention.method = method
    mention.linked_at = now
    mention.linked_by = actor if getattr(actor, "is_authenticated", False) else None
    mention.save()
    record_change(
        actor,
        mention,
        AuditAction.UPDATE,
        changes={"entity": [None, entity.pk], "method": [LinkMethod.PENDING, method]},
    )
    return mention


def _suggest(mention, entity, *, probability, explanation, now, model_version=None) -> None:
    SuggestedMatch.objects.get_or_create(
        mention=mention,
        entity=entity,
        defaults={
            "probability": probability,
            "explanation": explanation,
            "model_version": model_version,
            "suggested_at": now,
        },
    )


def _rejected_entity_ids(mention: Mention) -> set[int]:
    return set(RejectedMatch.objects.filter(mention=mention).values_list("entity_id", flat=True))


# --- Analysts' decisions --------------------------------------------------------------------


def confirm_suggestion(suggestion: SuggestedMatch, *, actor: Any, now: datetime) -> Mention:
    """Link the mention to the suggested entity. Refuses a suggestion already decided."""
    with transaction.atomic():
        suggestion = SuggestedMatch.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.status != SuggestionStatus.OPEN:
            raise ResolutionRefused("This suggestion has already been decided.")
        entity = current_entity(suggestion.entity)
        mention = suggestion.mention
        mention.model_version = suggestion.model_version
        mention.probability = suggestion.probability
        mention.explanation = suggestion.explanation
        _link(mention, entity, LinkMethod.CONFIRMED, now=now, actor=actor)
        suggestion.status = SuggestionStatus.CONFIRMED
        suggestion.decided_by, suggestion.decided_at = actor, now
        suggestion.save(update_fields=["status", "decided_by", "decided_at"])
        mention.suggestions.filter(status=SuggestionStatus.OPEN).update(
            status=SuggestionStatus.SUPERSEDED, decided_by=actor, decided_at=now
        )
        record_change(
            actor, suggestion, AuditAction.UPDATE, changes={"status": ["open", "confirmed"]}
        )
    return mention


def reject_suggestion(
    suggestion: SuggestedMatch, *, actor: Any, now: datetime, reason: str = ""
) -> Mention:
    """Record that the mention is not this entity, so it is never suggested again. When no
    suggestion is left open the mention becomes a new entity of its own."""
    with transaction.atomic():
        suggestion = SuggestedMatch.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.status != SuggestionStatus.OPEN:
            raise ResolutionRefused("This suggestion has already been decided.")
        suggestion.status = SuggestionStatus.REJECTED
        suggestion.decided_by, suggestion.decided_at = actor, now
        suggestion.save(update_fields=["status", "decided_by", "decided_at"])
        RejectedMatch.objects.get_or_create(
            mention=suggestion.mention,
            entity=suggestion.entity,
            defaults={"reason": reason, "rejected_by": actor, "rejected_at": now},
        )
        record_change(
            actor,
            suggestion,
            AuditAction.UPDATE,
            changes={"status": ["open", "rejected"]},
            reason=reason,
        )
        mention = suggestion.mention
        if not mention.suggestions.filter(status=SuggestionStatus.OPEN).exists():
            _link(mention, _new_entity(mention, now), LinkMethod.NEW, now=now, actor=actor)
    return mention


def merge_entities(keep: Entity, absorb: Entity, *, actor: Any, reason: str, now: datetime):
    """Move every mention of `absorb` to `keep` and retire `absorb`, recording which mentions
    moved so a split can restore them exactly. Refuses without a reason, across kinds, or
    when either entity is already merged."""
    if not reason.strip():
        raise ResolutionRefused("Say why these are the same.")
    if keep.pk == absorb.pk:
        raise ResolutionRefused("An entity cannot be merged with itself.")
    if keep.kind != absorb.kind:
        raise ResolutionRefused("Only entities of the same kind can be merged.")
    with transaction.atomic():
        keep = Entity.objects.select_for_update().get(pk=keep.pk)
        absorb = Entity.objects.select_for_update().get(pk=absorb.pk)
        if not keep.is_active or not absorb.is_active:
            raise ResolutionRefused("One of these has already been merged into another entity.")
        moved = sorted(absorb.mentions.values_list("pk", flat=True))
        Mention.objects.filter(pk__in=moved).update(entity=keep)
        absorb.merged_into, absorb.is_active = keep, False
        absorb.save(update_fields=["merged_into", "is_active"])
        event = EntityEvent.objects.create(
            kind=EntityEvent.Kind.MERGE,
            entity=keep,
            other=absorb,
            moved_mentions=moved,
            reason=reason,
            actor=actor,
            at=now,
        )
        record_change(
            actor,
            keep,
            AuditAction.UPDATE,
            reason=reason,
            changes={"merged": [None, absorb.pk], "mentions": [None, moved]},
        )
    return event


def split_entity(merge: EntityEvent, *, actor: Any, reason: str, now: datetime) -> EntityEvent:
    """Undo a merge: the retired entity comes back with exactly the mentions it brought.
    Refuses without a reason, or when the merge was already undone."""
    if not reason.strip():
        raise ResolutionRefused("Say why these are not the same.")
    with transaction.atomic():
        merge = EntityEvent.objects.select_for_update().get(pk=merge.pk)
        if merge.kind != EntityEvent.Kind.MERGE or merge.undone_by_id:
            raise ResolutionRefused("This merge has already been undone.")
        restored = merge.other
        Mention.objects.filter(pk__in=merge.moved_mentions).update(entity=restored)
        restored.merged_into, restored.is_active = None, True
        restored.save(update_fields=["merged_into", "is_active"])
        split = EntityEvent.objects.create(
            kind=EntityEvent.Kind.SPLIT,
            entity=merge.entity,
            other=restored,
            moved_mentions=merge.moved_mentions,
            reason=reason,
            actor=actor,
            at=now,
        )
        merge.undone_by = split
        merge.save(update_fields=["undone_by"])
        record_change(
            actor,
            merge.entity,
            AuditAction.UPDATE,
            reason=reason,
            changes={"split": [None, restored.pk]},
        )
    return split


def current_entity(entity: Entity) -> Entity:
    """Follow merges to the entity that is active now."""
    while entity.merged_into_id:
        entity = entity.merged_into
    return entity


# --- The model ------------------------------------------------------------------------------


def current_model_version() -> ModelVersion:
    """The newest model version; the shipped default (trained on synthetic data) on a fresh
    installation."""
    latest = ModelVersion.objects.order_by("-number").first()
    if latest is not None:
        return latest
    splink_json = json.loads(DEFAULT_MODEL_PATH.read_text())
    from django.utils import timezone

    latest, _ = ModelVersion.objects.get_or_create(
        number=1,
        defaults={
            "splink_json": splink_json,
            "trained_at": timezone.now(),
            "trained_on": 0,
            "note": "Shipped default, trained on synthetic people",
        },
    )
    return latest


@lru_cache(maxsize=8)
def trained_model(number: int) -> linkage.TrainedModel:
    return linkage.TrainedModel(ModelVersion.objects.get(number=number).splink_json)


def retrain(*, now: datetime, note: str = "", backend: str = "duckdb") -> ModelVersion:
    """Train a new model version on every person mention recorded so far, with Splink on
    `backend` ("duckdb" or "spark"). Earlier links keep the version and score they were made
    with."""
    from lantern.entities import batch

    mentions = Mention.objects.filter(kind=EntityKind.PERSON).order_by("pk")
    records = [_person_record(m) for m in mentions.iterator()]
    if len(records) < 10:
        raise ResolutionRefused("At least 10 person mentions are needed to train a model.")
    splink_json = batch.train(records, backend=backend)
    with transaction.atomic():
        number = (ModelVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
        version = ModelVersion.objects.create(
            number=number,
            splink_json=splink_json,
            trained_at=now,
            trained_on=len(records),
            note=note,
        )
        record_change(None, version, AuditAction.CREATE)
    return version
