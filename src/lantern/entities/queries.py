"""What an entity page and the hot-spot table show, built only from records the user may see.

Every count, co-mention and network node here starts from `visible(user, Mention...)`, which
asks each source record type's own rule: a record the user may not see adds nothing, so its
existence cannot be inferred.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.paginator import Page, Paginator
from django.db.models import CharField, Count, Q, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone

from lantern.accounts.access import visible
from lantern.entities import normalise as norm
from lantern.entities.models import Entity, EntityKind, Mention

NETWORK_LIMIT = 25
CO_MENTIONED_LIMIT = 50
TIMELINE_LIMIT = 50
SOURCE_LIMIT = 2000


def visible_mentions(user):
    return visible(user, Mention.objects.all())


def linked_mentions(user, entity: Entity, page_number=None) -> Page:
    """One page of the entity's mentions from records the user may see, newest first (the
    timeline). A page number that is not a number gives the first page; one past the end,
    the last."""
    mentions = (
        visible_mentions(user)
        .filter(entity=entity)
        .select_related("content_type", "created_by", "model_version")
        .order_by("-mentioned_at", "-pk")
    )
    page = Paginator(mentions, TIMELINE_LIMIT).get_page(page_number)
    # One query per source type for the records themselves, not one per mention.
    page.object_list = list(page.object_list.prefetch_related("source"))
    return page


def reported_ages(user, entity: Entity, limit: int = 5) -> list[dict]:
    """How records the user may see described the person's age, in their words, newest first.

    An estimated age becomes a range of birth years on the entity; this is what it came from.
    """
    mentions = (
        visible_mentions(user)
        .filter(entity=entity, kind=EntityKind.PERSON)
        .select_related("content_type")
        .prefetch_related("source")
        .order_by("-mentioned_at", "-pk")
    )
    found = []
    for mention in mentions[:200]:  # the newest few are enough to show
        details = mention.details or {}
        words = str(details.get("age_reported") or "").strip()
        if not words and details.get("age") not in (None, ""):
            words = f"about {details['age']}"
        if words:
            found.append(
                {
                    "reported": words,
                    "on": mention.mentioned_at,
                    "label": source_label(mention),
                    "url": source_url(mention),
                }
            )
        if len(found) == limit:
            break
    return found


def source_label(mention: Mention) -> str:
    source = mention.source
    return str(source) if source is not None else "A record"


def source_url(mention: Mention) -> str:
    """The page of the record that made the mention, for the record types that can mention."""
    from lantern.entities.record_links import record_url

    source = mention.source
    if source is None:
        return ""
    getter = getattr(source, "get_absolute_url", None)
    return getter() if getter else record_url(source)


SEARCH_LIMIT = 100
SEARCH_CANDIDATES = 1000


def search(user, text: str, *, kind: str = "") -> list[Entity]:
    """Entities the user may see that match `text` on a detail the user may see, or through
    the user's own record's mention of them (as written or normalised), as each reader's copy
    (`seen.seen_by`): a detail only police may read finds nothing for a partner, so a search
    cannot confirm what it says."""
    from lantern.entities import seen

    entities = visible(user, Entity.objects.filter(is_active=True))
    mentions = visible_mentions(user).filter(entity__is_active=True)
    if kind:
        entities, mentions = entities.filter(kind=kind), mentions.filter(kind=kind)
    by_details = entities.filter(_search_q(text)).order_by("label", "pk")[:SEARCH_CANDIDATES]
    said = Q(raw_text__icontains=text) | Q(normalised=norm.name(text))
    for value in _identifiers(text):
        said |= Q(normalised=value) | Q(normalised=f"|{value}")
    by_own_records = set(
        mentions.filter(said).values_list("entity_id", flat=True)[:SEARCH_CANDIDATES]
    )
    candidates = Entity.objects.in_bulk([*by_details.values_list("pk", flat=True), *by_own_records])
    copies = seen.seen_by(user, candidates.values())
    found = [c for c in copies.values() if c.pk in by_own_records or _matches(c, text)]
    found.sort(key=lambda c: (c.label, c.pk))
    return found[:SEARCH_LIMIT]


def _search_q(text: str) -> Q:
    words = norm.name(text).split()
    q = Q(label__icontains=text) | Q(identifier__icontains=norm.registration(text).value)
    for value in _identifiers(text):
        q |= Q(identifier=value) | Q(phone=value) | Q(postcode=value)
    if words:
        q |= Q(surname_norm__in=words) | Q(first_norm__in=words)
    return q


def _identifiers(text: str) -> list[str]:
    values = (norm.phone(text), norm.email(text), norm.postcode(text))
    return [value.value for value in values if value.ok]


def _matches(entity: Entity, text: str) -> bool:
    """`_search_q` asked of a reader's copy, whose withheld details are blank."""
    words = set(norm.name(text).split())
    plate = norm.registration(text).value
    identifiers = set(_identifiers(text))
    return bool(
        text.lower() in entity.label.lower()
        or (plate and plate in entity.identifier)
        or identifiers & {entity.identifier, entity.phone, entity.postcode}
        or words & {entity.surname_norm, entity.first_norm}
    )


@dataclass(frozen=True)
class NetworkNode:
    entity: Entity
    x: float
    y: float
    together: int  # records in which it appears with the centre entity
    is_centre: bool = False


@dataclass(frozen=True)
class NetworkEdge:
    a: NetworkNode
    b: NetworkNode
    records: int


def co_mentioned(user, entity: Entity, limit: int | None = CO_MENTIONED_LIMIT, *, together=None):
    """Entities mentioned in the same visible records as this one, with how many records,
    most first (the `limit` busiest): counted in the database, so a place named in thousands
    of records costs one grouped query, not thousands of rows."""
    together = alongside(user, entity) if together is None else together
    rows = (
        together.exclude(entity=entity)
        .values("entity")
        .annotate(records=Count(_source_key(), distinct=True))
        .order_by("-records", "entity")
    )
    if limit is not None:
        rows = rows[:limit]
    rows = list(rows)
    entities = Entity.objects.in_bulk([r["entity"] for r in rows])
    return [(entities[r["entity"]], r["records"]) for r in rows if r["entity"] in entities]


def network(
    user, entity: Entity, size: int = 420, *, co_mentions: list | None = None, together=None
) -> tuple[list[NetworkNode], list[NetworkEdge]]:
    """The entity and the busiest of those seen with it in visible records, laid out on a
    circle around it, with an edge for every pair that appears together in a visible record
    that mentions the entity. `co_mentions` and `together`: `co_mentioned`'s and `alongside`'s
    answers, if already asked."""
    together = alongside(user, entity) if together is None else together
    if co_mentions is None:
        co_mentions = co_mentioned(user, entity, limit=NETWORK_LIMIT - 1, together=together)
    neighbours = co_mentions[: NETWORK_LIMIT - 1]
    centre = size / 2
    radius = size / 2 - 60
    nodes = {entity.pk: NetworkNode(entity, centre, centre, 0, is_centre=True)}
    for index, (other, count) in enumerate(neighbours):
        angle = 2 * math.pi * index / max(1, len(neighbours)) - math.pi / 2
        nodes[other.pk] = NetworkNode(
            other,
            round(centre + radius * math.cos(angle), 1),
            round(centre + radius * math.sin(angle), 1),
            count,
        )
    by_source = defaultdict(set)
    sources = together.filter(entity__in=list(nodes))
    for content_type, object_id, pk in sources.values_list("content_type", "object_id", "entity"):
        by_source[(content_type, object_id)].add(pk)
    weights: Counter = Counter()
    for members in by_source.values():
        ordered = sorted(members)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                weights[(a, b)] += 1
    edges = [NetworkEdge(nodes[a], nodes[b], n) for (a, b), n in sorted(weights.items())]
    return list(nodes.values()), edges


def network_data(nodes: list[NetworkNode], edges: list[NetworkEdge]) -> dict:
    """The network as plain data for the browser's chart: built from `network`, so it holds
    exactly what the server-drawn chart and the table hold, and nothing the user may not see."""
    from django.urls import reverse

    return {
        "nodes": [
            {
                "id": node.entity.pk,
                "label": node.entity.label,
                "kind": node.entity.kind,
                "kind_label": node.entity.get_kind_display(),
                "together": node.together,
                "centre": node.is_centre,
                "url": reverse("entities:detail", kwargs={"pk": node.entity.pk}),
            }
            for node in nodes
        ],
        "edges": [
            {"source": edge.a.entity.pk, "target": edge.b.entity.pk, "records": edge.records}
            for edge in edges
        ],
    }


def alongside(user, entity: Entity):
    """Mentions in the visible records that mention `entity` (of each record type, its newest
    SOURCE_LIMIT records: for a place named in tens of thousands, what is seen with it lately).
    A mention is visible exactly when its record is, so the records are filtered once, through
    the entity's own mentions, and their mentions found by the (content type, object id) index."""
    own = visible_mentions(user).filter(entity=entity)
    q = Q(pk__in=[])
    for content_type in own.values_list("content_type", flat=True).order_by().distinct():
        newest = (
            own.filter(content_type=content_type)
            .order_by("-mentioned_at")
            .values("object_id")[:SOURCE_LIMIT]
        )
        q |= Q(content_type=content_type, object_id__in=Subquery(newest))
    # A merged entity has no mentions left (they move to the one it joined).
    return Mention.objects.filter(q, entity__isnull=False)


def _source_key():
    return Concat("content_type_id", Value("-"), "object_id", output_field=CharField())


@dataclass(frozen=True)
class HotSpot:
    location: Entity
    mentions: int
    previous: int

    @property
    def change(self) -> int:
        return self.mentions - self.previous

    @property
    def trend(self) -> str:
        if self.change > 0:
            return "Up"
        if self.change < 0:
            return "Down"
        return "Same"


def hot_spots(
    user,
    *,
    start: date,
    end: date,
    previous: tuple[date, date] | None = None,
    ward=None,
    premises_type: str = "",
    limit: int = 50,
) -> list[HotSpot]:
    """Locations ranked by mentions in visible records from `start` to `end` (inclusive), with
    the count in `previous` (by default the same number of days just before), each as the
    user's copy (`seen.seen_by`): its name, ward, type and coordinates only from sources the
    user may see, and the ward and premises filters asked of those, not of the entity."""
    from lantern.entities import seen

    if previous is None:
        length = (end - start).days + 1
        previous = (start - timedelta(days=length), start - timedelta(days=1))
    # A mention's kind is its entity's kind, and a merged entity has no mentions left, so the
    # (kind, mentioned_at) index finds the rows without joining entities.
    mentions = visible_mentions(user).filter(kind=EntityKind.LOCATION, entity__isnull=False)
    if ward is not None:
        mentions = mentions.filter(entity__ward=ward)
    if premises_type:
        mentions = mentions.filter(entity__premises_type=premises_type)
    in_period = _between(start, end)
    before = _between(*previous)
    rows = (
        mentions.filter(in_period | before)
        .values("entity")
        .annotate(now=Count("pk", filter=in_period), then=Count("pk", filter=before))
        .filter(now__gt=0)
        .order_by("-now", "entity")
    )
    filtered = ward is not None or bool(premises_type)
    # Filtered, every place is read: one whose ward the user may not see must not be counted.
    rows = list(rows if filtered else rows[:limit])
    locations = Entity.objects.select_related("ward").in_bulk([r["entity"] for r in rows])
    shown = seen.seen_by(user, locations.values())
    spots = [HotSpot(shown[r["entity"]], r["now"], r["then"]) for r in rows]
    if ward is not None:
        spots = [s for s in spots if s.location.ward_id == ward.pk]
    if premises_type:
        spots = [s for s in spots if s.location.premises_type == premises_type]
    return spots[:limit]


def hot_spot_map_data(rows: list[HotSpot]) -> list[dict]:
    """The hot spots that have coordinates, as plain data for the browser's map."""
    from django.urls import reverse

    return [
        {
            "id": row.location.pk,
            "label": row.location.label,
            "lat": row.location.latitude,
            "lng": row.location.longitude,
            "mentions": row.mentions,
            "previous": row.previous,
            "url": reverse("entities:detail", kwargs={"pk": row.location.pk}),
        }
        for row in rows
        if row.location.latitude is not None and row.location.longitude is not None
    ]


def ward_map_data(rows: list[HotSpot]) -> dict:
    """Every ward that has a boundary, as a GeoJSON FeatureCollection for the map, each with
    the mentions of the hot spots in it (so the map shows the wards with no tile server)."""
    from lantern.core.models import Ward

    mentions: dict[int, int] = {}
    for row in rows:
        if row.location.ward_id is not None:
            mentions[row.location.ward_id] = mentions.get(row.location.ward_id, 0) + row.mentions
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": ward.name, "mentions": mentions.get(ward.pk, 0)},
                "geometry": ward.boundary,
            }
            for ward in Ward.objects.exclude(boundary__isnull=True).order_by("name")
        ],
    }


def _between(first: date, last: date) -> Q:
    """Mentions made on the days `first` to `last` in local time, as a range the index uses."""
    zone = timezone.get_current_timezone()
    since = datetime.combine(first, time.min, tzinfo=zone)
    until = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    return Q(mentioned_at__gte=since, mentioned_at__lt=until)
