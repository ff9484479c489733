"""Entities as one reader may see them: only the details whose source they may open.

Every page, chart, list and export that shows an entity's details shows `seen_by`'s copy of it,
never the entity itself. `accounts.access.entity_details_seen` decides which details a reader
may see (from `Entity.sources`); here a detail they may not see is taken from the reader's own
earliest record that mentions the entity instead, or left blank, and the label is never blank.
The copies cannot be saved.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Min

from lantern.accounts.access import entity_details_in_figures, entity_details_seen, visible
from lantern.entities.models import DETAIL_FIELDS, DetailHandling, Entity, Mention

# Values a hidden detail is blanked to (the rest are text, blanked to "").
EMPTY = {
    "dob": None,
    "birth_year_lo": None,
    "birth_year_hi": None,
    "ward": None,
    "latitude": None,
    "longitude": None,
}
# Columns that only follow from a detail: hidden with it, taken with it.
FOLLOWS = {
    "first_name": ("first_norm", "first_canon", "first_key"),
    "surname": ("surname_norm", "surname_key"),
    "identifier": ("identifier_ok",),
}
LABELS = {
    "label": "Name shown",
    "identifier": "Identifier",
    "first_name": "Given name",
    "surname": "Surname",
    "aliases": "Aliases",
    "dob": "Date of birth",
    "birth_year_lo": "Born from (estimated)",
    "birth_year_hi": "Born by (estimated)",
    "gender": "Gender",
    "ethnicity": "Ethnicity",
    "description": "Description",
    "address": "Address",
    "postcode": "Postcode",
    "phone": "Phone",
    "premises_type": "Premises type",
    "ward": "Ward",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "make": "Make",
    "model": "Model",
    "colour": "Colour",
    "platform": "Platform",
}


class SeenEntityIsReadOnly(Exception):
    """A reader's copy of an entity was about to be saved: save the entity itself."""


def seen_by(user, entities) -> dict[int, Entity]:
    """{pk: copy} of each entity holding only what `user` may see of it. The copy's
    `seen_sources` says where each detail it holds came from ({"mention": id, ...} or
    {"correction": id, "handling": ..., ...}); `withheld` names the details it does not show."""
    entities = [e for e in entities if e is not None]
    if not entities:
        return {}
    allowed = entity_details_seen(user, entities)
    copies = {entity.pk: _restricted(entity, allowed[entity.pk]) for entity in entities}
    _fill_from_own_records(user, [c for c in copies.values() if c.withheld])
    for seen in copies.values():
        if not seen.label:
            seen.label = f"{seen.get_kind_display()} E-{seen.pk}"
    return copies


def seen_one(user, entity: Entity) -> Entity:
    return seen_by(user, [entity])[entity.pk]


def in_figures(entity: Entity) -> Entity:
    """A copy holding only the details the partnership's figures may count (no police-only
    correction): what the problem profile reads."""
    return _restricted(entity, entity_details_in_figures(entity))


@dataclass(frozen=True)
class Provenance:
    """One detail on an entity page and where it came from."""

    detail: str
    source: str
    url: str
    by: str
    at: datetime | None
    handling: str


def provenance(seen: Entity) -> list[Provenance]:
    """Where each detail a reader's copy shows came from, in the order of DETAIL_FIELDS: the
    record (which the reader may open) or the correction, by whom, when, with what handling."""
    from lantern.accounts.models import User
    from lantern.entities import queries

    held = {name: s for name, s in seen.seen_sources.items() if _held(seen, name)}
    mentions = Mention.objects.prefetch_related("source").in_bulk(
        [s["mention"] for s in held.values() if s.get("mention")]
    )
    people = User.objects.in_bulk([s["by"] for s in held.values() if s.get("by")])
    handling = dict(DetailHandling.choices)
    rows = []
    for name in DETAIL_FIELDS:
        source = held.get(name)
        if source is None:
            continue
        by = people.get(source.get("by"))
        at = datetime.fromisoformat(source["at"]) if source.get("at") else None
        mention = mentions.get(source.get("mention"))
        if mention is not None:
            text, url = queries.source_label(mention), queries.source_url(mention)
            how = "Those who may see the record"
        elif source.get("correction"):
            text, url = f"Correction {source['correction']}", ""
            how = handling.get(source.get("handling"), "Police only")
        else:
            text, url, how = "Not recorded (held before sources were kept)", "", "Police only"
        rows.append(Provenance(LABELS[name], text, url, str(by) if by else "", at, how))
    return rows


# --- helpers ------------------------------------------------------------------------------


def _restricted(entity: Entity, allowed: frozenset[str]) -> Entity:
    seen = copy.copy(entity)
    withheld = set()
    for name in DETAIL_FIELDS:
        if name in allowed or not _held(entity, name):
            continue
        withheld.add(name)
        _blank(seen, name)
    seen.withheld = withheld
    seen.seen_sources = {n: s for n, s in (entity.sources or {}).items() if n in allowed}
    seen.save = _refuse_save
    return seen


def _fill_from_own_records(user, copies: list[Entity]) -> None:
    """Fill each withheld detail from the reader's own first record that mentions the entity
    (the record is theirs to open, so what it says is too)."""
    if not copies:
        return
    from django.utils import timezone

    from lantern.entities.services import entity_from_mention

    firsts = (
        visible(user, Mention.objects.filter(entity__in=[c.pk for c in copies]))
        .values("entity")
        .annotate(first=Min("pk"))
    )
    first_of = {row["entity"]: row["first"] for row in firsts}
    mentions = Mention.objects.in_bulk(list(first_of.values()))
    for seen in copies:
        mention = mentions.get(first_of.get(seen.pk))
        if mention is None:
            continue
        own = entity_from_mention(mention, timezone.now())
        mark = {
            "mention": mention.pk,
            "by": mention.created_by_id,
            "at": mention.mentioned_at.isoformat(),
        }
        for name in sorted(seen.withheld):
            if not _held(own, name):
                continue
            _take(seen, own, name)
            seen.seen_sources[name] = dict(mark)


def _held(entity: Entity, name: str) -> bool:
    value = getattr(entity, "ward_id" if name == "ward" else name)
    return value not in (None, "")


def _blank(seen: Entity, name: str) -> None:
    setattr(seen, name, EMPTY.get(name, ""))
    for column in FOLLOWS.get(name, ()):
        setattr(seen, column, True if column == "identifier_ok" else "")


def _take(seen: Entity, own: Entity, name: str) -> None:
    if name == "ward":
        seen.ward_id = own.ward_id
    else:
        setattr(seen, name, getattr(own, name))
    for column in FOLLOWS.get(name, ()):
        setattr(seen, column, getattr(own, column))


def _refuse_save(*args, **kwargs):
    raise SeenEntityIsReadOnly("This is a reader's copy of an entity: save the entity itself")
