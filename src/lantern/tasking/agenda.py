"""Agenda sources: where the items of a meeting's agenda come from.

Tasking cannot import the apps that hold submissions, children or nominals, so each of them
registers a source here (from its AppConfig.ready):

    from lantern.tasking.agenda import AgendaCandidate, AgendaSource, register_source

    register_source(AgendaSource(
        key="intake.to_tasking",
        meeting_types={"tasking_group"},
        candidates=submissions_to_tasking,   # (meeting, since, until) -> list[AgendaCandidate]
    ))

`since` is the date of the series' previous meeting (None for its first), `until` the date of
this meeting. Tasking provides the sources it owns: items still open on the schedule and
actions due or overdue. See docs/tasking.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from lantern.tasking.models import (
    Action,
    ActionStatus,
    AgendaItem,
    ItemStatus,
    Meeting,
    MeetingType,
)


@dataclass(frozen=True)
class AgendaCandidate:
    """Something a source proposes for the agenda, pointing back at the record it came from."""

    source: Model  # the record: an item links to it by content type and id
    title: str
    partner_summary: str  # safe for every member agency to read
    full_summary: str  # police and chairs, and only if access.can(user, "view", source)
    reason: str  # "Decided to tasking on 3 May 2026", "Missing episode since last meeting"
    # The grade's handling: under "C" only police and `cleared_agencies` read the item.
    handling_code: str = "P"
    handling_conditions: str = ""
    cleared_agencies: tuple = ()


@dataclass(frozen=True)
class AgendaSource:
    key: str
    meeting_types: frozenset[str] | set[str]
    candidates: Callable[[Meeting, date | None, date], Iterable[AgendaCandidate]]
    order: int = 100
    section: str = "other"  # a key of SECTIONS: where its items sit on the agenda


@dataclass(frozen=True)
class AgendaSection:
    """A part of the agenda, in the order the meeting takes them, with the minutes a chair
    might allow for each item still to discuss (a suggestion printed beside the count)."""

    key: str
    title: str
    minutes_per_item: int


# The order a tasking meeting takes its business in.
SECTIONS = (
    AgendaSection("new", "New intelligence", 5),
    AgendaSection("kept", "Kept on the schedule", 3),
    AgendaSection("reviews", "Reviews due", 10),
    AgendaSection("missing", "Missing episodes since the last meeting", 2),
    AgendaSection("nominals", "High-risk nominals", 3),
    AgendaSection("actions", "Actions due and overdue, by agency and owner", 2),
    AgendaSection("other", "Other business", 5),
)
SECTION_KEYS = tuple(section.key for section in SECTIONS)


def section_of(item: AgendaItem) -> str:
    """The section an item sits in: carried items are "kept on the schedule" whatever first
    put them there; items added by hand are "other business"."""
    if item.carried_from_id:
        return "kept"
    source = _SOURCES.get(item.source_key)
    return source.section if source and source.section in SECTION_KEYS else "other"


@dataclass
class SectionOfAgenda:
    section: AgendaSection
    rows: list  # (item, anything the caller pairs with it), in agenda order

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def to_discuss(self) -> list:
        return [row for row in self.rows if row[0].status == ItemStatus.TO_DISCUSS]

    @property
    def done(self) -> list:
        return [row for row in self.rows if row[0].status != ItemStatus.TO_DISCUSS]

    @property
    def suggested_minutes(self) -> int:
        return len(self.to_discuss) * self.section.minutes_per_item


def in_sections(rows: Iterable[tuple]) -> list[SectionOfAgenda]:
    """Rows `(item, ...)` grouped into the agenda's sections, in meeting order; empty
    sections left out. Within a section rows keep their agenda order."""
    grouped: dict[str, list] = {key: [] for key in SECTION_KEYS}
    for row in sorted(rows, key=lambda r: (r[0].position, r[0].pk)):
        grouped[section_of(row[0])].append(row)
    return [SectionOfAgenda(s, grouped[s.key]) for s in SECTIONS if grouped[s.key]]


_SOURCES: dict[str, AgendaSource] = {}


def register_source(source: AgendaSource) -> None:
    """Add (or replace, by key) a source of agenda items."""
    _SOURCES[source.key] = source


def sources_for(meeting_type: str) -> list[AgendaSource]:
    return sorted(
        (s for s in _SOURCES.values() if meeting_type in s.meeting_types),
        key=lambda s: (s.order, s.key),
    )


_SOURCE_URLS: dict[str, Callable[[Model], str]] = {}


def register_source_url(model: type[Model], url: Callable[[Model], str]) -> None:
    """Say where a record that puts items on agendas is opened (a submission, a child), so an
    item can link to it; the app that owns the record registers it."""
    _SOURCE_URLS[model._meta.label_lower] = url


def source_url(obj: Model) -> str:
    url = _SOURCE_URLS.get(obj._meta.label_lower)
    return url(obj) if url else ""


def source_reference(obj: Model) -> tuple[ContentType, str]:
    return ContentType.objects.get_for_model(obj), str(obj.pk)


# --- Sources tasking owns -------------------------------------------------------------------

ALL_MEETING_TYPES = frozenset(
    {
        MeetingType.TASKING_GROUP,
        MeetingType.MACE,
        MeetingType.GAP,
        MeetingType.OPERATIONAL_MANAGERS,
    }
)


def open_items(meeting: Meeting, since: date | None, until: date) -> list[AgendaCandidate]:
    """Items of earlier meetings of the series kept on the schedule or deferred, not yet carried."""
    items = (
        AgendaItem.objects.filter(
            meeting__series=meeting.series,
            meeting__held_on__lt=meeting.held_on,
            status__in=[ItemStatus.KEPT_ON, ItemStatus.DEFERRED],
            carried_to__isnull=True,
        )
        .select_related("meeting")
        .prefetch_related("cleared_agencies")
        .order_by("meeting__held_on", "position", "pk")
    )
    return [
        AgendaCandidate(
            source=item,
            title=item.title,
            partner_summary=item.partner_summary,
            full_summary=item.full_summary,
            reason=(
                f"Kept on the schedule on {item.meeting.held_on:%-d %B %Y}"
                if item.status == ItemStatus.KEPT_ON
                else f"Deferred from {item.meeting.held_on:%-d %B %Y}"
            ),
            handling_code=item.handling_code,
            handling_conditions=item.handling_conditions,
            cleared_agencies=tuple(item.cleared_agencies.all()),
        )
        for item in items
    ]


ACTIONS_DUE_ON_AGENDA = 50


def actions_due(meeting: Meeting, since: date | None, until: date) -> list[AgendaCandidate]:
    """Open actions of this series due by the meeting (or within two days after it), as one
    item per agency and owner (the longest overdue owner first), so the meeting asks each owner
    once. At most 50 actions are listed; the action schedule lists the rest."""
    actions = list(
        Action.objects.filter(
            meeting__series=meeting.series,
            status=ActionStatus.OPEN,
            due_on__lte=until + timedelta(days=2),
        )
        .select_related("owning_agency", "owner")
        .order_by("due_on", "pk")[:ACTIONS_DUE_ON_AGENDA]
    )
    groups: dict[tuple[int, int], list[Action]] = {}
    for action in actions:
        groups.setdefault((action.owning_agency_id, action.owner_id), []).append(action)
    candidates = []
    for group in groups.values():
        first = group[0]
        overdue = sum(1 for a in group if a.due_on < until)
        restricted = [a for a in group if a.handling_code == "C"]
        counts = f"{len(group)} action{'s' if len(group) != 1 else ''}"
        candidates.append(
            AgendaCandidate(
                source=first.owner,
                title=f"Actions: {first.owning_agency}, {first.owner} ({counts})",
                partner_summary="; ".join(
                    f"A{a.pk} {a.title}: "
                    + ("overdue since" if a.due_on < until else "due")
                    + f" {a.due_on:%-d %B %Y}"
                    for a in group
                ),
                full_summary="",
                reason=(f"{overdue} overdue" if overdue else "Due")
                + f"; the oldest due on {first.due_on:%-d %B %Y}",
                handling_code="C" if restricted else "P",
                handling_conditions="; ".join(
                    dict.fromkeys(
                        a.handling_conditions for a in restricted if a.handling_conditions
                    )
                ),
                cleared_agencies=(first.owning_agency,),
            )
        )
    return candidates


register_source(
    AgendaSource("tasking.open_items", ALL_MEETING_TYPES, open_items, order=10, section="kept")
)
register_source(
    AgendaSource("tasking.actions_due", ALL_MEETING_TYPES, actions_due, order=90, section="actions")
)
