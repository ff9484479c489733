"""What tasking does: meetings and their agendas, recording items, actions and their history.

Plain functions with explicit arguments, one transaction each, each writing its audit entry in
that transaction. Refusals are `TaskingRefused` (a LanternError) with a message for the user.
Escalation lives in `escalation.py`, disruption plans and operations in `disruption.py`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max, Model

from lantern.accounts.models import Agency, User
from lantern.audit.models import AuditAction
from lantern.audit.services import record_change
from lantern.core.errors import LanternError
from lantern.core.versioning import save_if_unchanged
from lantern.tasking import hooks
from lantern.tasking.agenda import SECTION_KEYS, section_of, sources_for
from lantern.tasking.models import (
    DEFAULT_FREQUENCY_DAYS,
    Action,
    ActionStatus,
    ActionUpdate,
    AgendaItem,
    ClosureReason,
    EscalationRoute,
    HandlingCode,
    ItemStatus,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    MeetingType,
    Priority,
    UpdateKind,
)


class TaskingRefused(LanternError):
    """A tasking change that cannot be made, with the reason in plain words."""


# --- Meetings -------------------------------------------------------------------------------


def create_series(
    actor: Any,
    *,
    name: str,
    meeting_type: str,
    first_meeting_on: date,
    chair: User,
    member_agencies: list[Agency],
    members: list[User] | None = None,
    frequency_days: int | None = None,
    item_limit: int | None = None,
) -> MeetingSeries:
    """Set up a recurring meeting. MACE discusses 3 children per meeting unless told otherwise.

    Refuses a chair who is not active, a series with no member agencies, and a member who is
    not in one of the member agencies.
    """
    if not chair.is_active:
        raise TaskingRefused("The chair's account is deactivated: choose someone else")
    if not member_agencies:
        raise TaskingRefused("Choose at least one member agency")
    agency_ids = {agency.pk for agency in member_agencies}
    if any(member.agency_id not in agency_ids for member in members or []):
        raise TaskingRefused("Choose members from the member agencies")
    if item_limit is None and meeting_type == MeetingType.MACE:
        item_limit = 3
    with transaction.atomic():
        series = MeetingSeries.objects.create(
            name=name,
            meeting_type=meeting_type,
            first_meeting_on=first_meeting_on,
            frequency_days=frequency_days or DEFAULT_FREQUENCY_DAYS.get(meeting_type, 7),
            chair=chair,
            item_limit=item_limit,
        )
        series.member_agencies.set(member_agencies)
        series.members.set(members or [])
        record_change(actor, series, AuditAction.CREATE)
    return series


def generate_meetings(actor: Any, series: MeetingSeries, *, until: date) -> list[Meeting]:
    """Create the series' meetings from its first date up to `until`; existing ones are kept."""
    dates = []
    day = series.first_meeting_on
    while day <= until:
        dates.append(day)
        day += timedelta(days=series.frequency_days)
    with transaction.atomic():
        existing = set(series.meetings.values_list("held_on", flat=True))
        made = Meeting.objects.bulk_create(
            [Meeting(series=series, held_on=d) for d in dates if d not in existing]
        )
        if made:
            record_change(
                actor, series, AuditAction.UPDATE, changes={"meetings_added": [None, len(made)]}
            )
    return made


def next_meeting(series: MeetingSeries, today: date) -> Meeting | None:
    return series.meetings.filter(held_on__gte=today).order_by("held_on").first()


def build_agenda(actor: Any, meeting: Meeting, *, now: datetime) -> int:
    """Add to the meeting's agenda every candidate its sources propose that is not on it yet.

    Sources are asked for what happened between the series' previous meeting and this one.
    Items kept on or deferred at an earlier meeting are carried as new items linked to the old
    one. A series with an item limit (MACE: 3 children) gets at most that many items. Returns how
    many items were added. Refuses a meeting that has been held or cancelled.
    """
    if meeting.status != MeetingStatus.SCHEDULED:
        raise TaskingRefused("The agenda of a meeting that has been held cannot be rebuilt")
    previous = (
        Meeting.objects.filter(series=meeting.series, held_on__lt=meeting.held_on)
        .order_by("-held_on")
        .first()
    )
    since = previous.held_on if previous else None
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        on_agenda = set(meeting.items.values_list("source_type_id", "source_id"))
        position = meeting.items.aggregate(m=Max("position"))["m"] or 0
        room = _room_on_agenda(meeting)
        added: list[AgendaItem] = []
        cleared: list[tuple] = []
        for source in sources_for(meeting.series.meeting_type):
            for candidate in source.candidates(meeting, since, meeting.held_on):
                if room is not None and len(added) >= room:
                    break
                item = _item_from_candidate(meeting, source.key, candidate, actor)
                key = (item.source_type_id, item.source_id)
                if key in on_agenda:
                    continue
                on_agenda.add(key)
                position += 1
                item.position = position
                added.append(item)
                cleared.append(candidate.cleared_agencies)
        AgendaItem.objects.bulk_create(added)
        _clear_agencies(added, cleared)
        meeting.agenda_built_at = now
        meeting.save(update_fields=["agenda_built_at"])
        record_change(
            actor, meeting, AuditAction.UPDATE, changes={"agenda_items_added": [None, len(added)]}
        )
    return len(added)


def add_item(
    actor: Any,
    meeting: Meeting,
    *,
    title: str,
    partner_summary: str,
    full_summary: str = "",
) -> AgendaItem:
    """The chair adds an item by hand, at the end of the agenda. Refuses a held meeting."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise TaskingRefused("Items cannot be added to a cancelled meeting")
    with transaction.atomic():
        position = meeting.items.aggregate(m=Max("position"))["m"] or 0
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=position + 1,
            title=title,
            partner_summary=partner_summary,
            full_summary=full_summary,
            reason="Added by the chair",
            source_key="tasking.chair",
            added_by=_user(actor),
        )
        record_change(actor, item, AuditAction.CREATE)
    return item


def move_item(actor: Any, item: AgendaItem, direction: str) -> None:
    """Swap the item with its neighbour above ("up") or below ("down") in its section of the
    agenda; at either end of the section, nothing."""
    with transaction.atomic():
        items = _in_meeting_order(item.meeting.items.select_for_update())
        section, open_ = section_of(item), item.status == ItemStatus.TO_DISCUSS
        places = [
            i
            for i, it in enumerate(items)
            if section_of(it) == section and (it.status == ItemStatus.TO_DISCUSS) == open_
        ]
        here = next(n for n, i in enumerate(places) if items[i].pk == item.pk)
        there = here - 1 if direction == "up" else here + 1
        if not 0 <= there < len(places):
            return
        a, b = places[here], places[there]
        items[a], items[b] = items[b], items[a]
        _renumber(items)
        record_change(actor, item, AuditAction.UPDATE, changes={"moved": [None, direction]})


def reorder_items(actor: Any, meeting: Meeting, positions: dict[int, int]) -> None:
    """Put the items of each section in the order of the numbers given ({item id: number},
    numbered within the section); ties keep their order. Sections keep the meeting's order.

    Refuses numbers for items that are not on this meeting's agenda.
    """
    with transaction.atomic():
        items = _in_meeting_order(meeting.items.select_for_update())
        ids = {it.pk for it in items}
        if set(positions) - ids:
            raise TaskingRefused("Some of those items are not on this agenda")
        current = {it.pk: n for n, it in enumerate(items)}
        items.sort(
            key=lambda it: (
                SECTION_KEYS.index(section_of(it)),
                positions.get(it.pk, current[it.pk] + 1),
                current[it.pk],
            )
        )
        _renumber(items)
        record_change(actor, meeting, AuditAction.UPDATE, changes={"agenda_reordered": [None, 1]})


def defer_item(actor: Any, item: AgendaItem, *, now: datetime) -> None:
    """Put off an item not yet discussed: it goes on the next meeting's agenda. Refuses others."""
    if item.status != ItemStatus.TO_DISCUSS:
        raise TaskingRefused("Only an item still to discuss can be deferred")
    with transaction.atomic():
        item.status = ItemStatus.DEFERRED
        item.recorded_at = now
        item.recorded_by = _user(actor)
        save_if_unchanged(item, item.version, ["status", "recorded_at", "recorded_by"])
        record_change(
            actor, item, AuditAction.UPDATE, changes={"status": ["to_discuss", "deferred"]}
        )


def record_item(
    actor: Any,
    item: AgendaItem,
    *,
    expected_version: int,
    discussion: str,
    decisions: str,
    outcome: str,
    closure_reason: str = "",
    rationale: str = "",
    now: datetime,
) -> AgendaItem:
    """Record what the meeting said and decided about an item, and whether it stays on.

    `outcome` is "kept_on" (carried to the next meeting) or "closed", which needs a closure
    reason (eliminated, no further opportunity, transferred) and a rationale. Refuses a closed
    item, a closure without reason or rationale, and a stale form (EditConflict).
    """
    if item.status == ItemStatus.CLOSED:
        raise TaskingRefused("This item is closed: it cannot be changed")
    if outcome not in (ItemStatus.KEPT_ON, ItemStatus.CLOSED):
        raise TaskingRefused("Say whether the item stays on the schedule or is closed")
    if outcome == ItemStatus.CLOSED:
        if closure_reason not in ClosureReason.values:
            raise TaskingRefused("Choose why the item is being closed")
        if not rationale.strip():
            raise TaskingRefused("Give the rationale for closing the item")
    else:
        closure_reason = ""
    before = item.status
    with transaction.atomic():
        item.discussion = discussion
        item.decisions = decisions
        item.status = outcome
        item.closure_reason = closure_reason
        item.rationale = rationale
        item.recorded_at = now
        item.recorded_by = _user(actor)
        fields = ["discussion", "decisions", "status", "closure_reason", "rationale"]
        save_if_unchanged(item, expected_version, [*fields, "recorded_at", "recorded_by"])
        record_change(
            actor,
            item,
            AuditAction.UPDATE,
            changes={"status": [before, outcome], "closure_reason": ["", closure_reason]},
            reason=rationale,
        )
        Meeting.objects.filter(pk=item.meeting_id, status=MeetingStatus.SCHEDULED).update(
            status=MeetingStatus.HELD
        )
        hooks.item_recorded(item, actor, now)
    return item


# --- Actions --------------------------------------------------------------------------------


def create_action(
    actor: Any,
    *,
    title: str,
    owning_agency: Agency,
    owner: User,
    due_on: date,
    now: datetime,
    route: str,
    description: str = "",
    priority: str = Priority.MEDIUM,
    origin: Model | None = None,
    meeting: Meeting | None = None,
    escalation_contact: User | None = None,
) -> Action:
    """Give an agency an action with a named owner and a due date.

    Refuses a due date in the past, an owner who is not in the owning agency or is deactivated,
    an inactive agency, and an agency outside the conditions of a handling code C item (the
    action carries the item's handling). Nothing is saved when it refuses.
    """
    check_new_action(owning_agency=owning_agency, owner=owner, due_on=due_on, now=now)
    handling_code, handling_conditions = _handling_for_action(origin, owning_agency)
    with transaction.atomic():
        action = Action.objects.create(
            handling_code=handling_code,
            handling_conditions=handling_conditions,
            title=title,
            description=description,
            owning_agency=owning_agency,
            owner=owner,
            due_on=due_on,
            priority=priority,
            route=route,
            meeting=meeting,
            origin_type=ContentType.objects.get_for_model(origin) if origin else None,
            origin_id=str(origin.pk) if origin else "",
            escalation_contact=escalation_contact,
            created_by=_user(actor),
            created_at=now,
        )
        record_change(
            actor,
            action,
            AuditAction.CREATE,
            changes={"owner": [None, str(owner)], "due_on": [None, due_on.isoformat()]},
        )
        hooks.action_event(hooks.CREATED, action, actor, now)
    return action


def _handling_for_action(origin: Model | None, owning_agency: Agency) -> tuple[str, str]:
    if not isinstance(origin, AgendaItem) or origin.handling_code != HandlingCode.C:
        return HandlingCode.P, ""
    if not (
        owning_agency.is_police or origin.cleared_agencies.filter(pk=owning_agency.pk).exists()
    ):
        raise TaskingRefused(
            f"This item is handling code C ({origin.handling_conditions or 'no conditions given'})"
            f": {owning_agency} is outside its conditions, so cannot be given an action on it"
        )
    return HandlingCode.C, origin.handling_conditions


def check_new_action(*, owning_agency: Agency, owner: User, due_on: date, now: datetime) -> None:
    """The refusals of create_action, so a form can show them before anything is saved."""
    if due_on < _today(now):
        raise TaskingRefused("The due date must be today or in the future")
    if not owning_agency.is_active:
        raise TaskingRefused(f"{owning_agency} is archived: choose another agency")
    if owner.agency_id != owning_agency.pk:
        raise TaskingRefused(f"The owner must work for {owning_agency}")
    if not owner.is_active:
        raise TaskingRefused("The owner's account is deactivated: choose someone else")


def add_update(actor: Any, action: Action, *, note: str, now: datetime) -> ActionUpdate:
    """Add an update note to an action. Refuses an empty note."""
    if not note.strip():
        raise TaskingRefused("Enter the update")
    with transaction.atomic():
        update = ActionUpdate.objects.create(
            action=action, kind=UpdateKind.NOTE, note=note, author=_user(actor), at=now
        )
        record_change(actor, action, AuditAction.UPDATE, changes={"update": [None, note[:200]]})
    return update


def change_due_date(
    actor: Any,
    action: Action,
    *,
    expected_version: int,
    due_on: date,
    reason: str,
    now: datetime,
) -> Action:
    """Move an open action's due date, recording the old and new dates and why.

    The action keeps the escalation level it has reached; a new reminder is sent before the new
    date. Refuses a completed action, a date in
    the past, an unchanged date, a missing reason and a stale form.
    """
    if not action.is_open:
        raise TaskingRefused("Only an open action's due date can be changed")
    if due_on < _today(now):
        raise TaskingRefused("The new due date must be today or in the future")
    if due_on == action.due_on:
        raise TaskingRefused("The new due date is the same as the current one")
    if not reason.strip():
        raise TaskingRefused("Give the reason for changing the due date")
    old = action.due_on
    with transaction.atomic():
        action.due_on = due_on
        action.reminded_at = None
        save_if_unchanged(action, expected_version, ["due_on", "reminded_at"])
        ActionUpdate.objects.create(
            action=action,
            kind=UpdateKind.DUE_DATE,
            note=reason,
            old_due_on=old,
            new_due_on=due_on,
            author=_user(actor),
            at=now,
        )
        record_change(
            actor,
            action,
            AuditAction.UPDATE,
            changes={"due_on": [old.isoformat(), due_on.isoformat()]},
            reason=reason,
        )
    return action


def complete_action(
    actor: Any, action: Action, *, expected_version: int, result: str, now: datetime
) -> Action:
    """Complete an action with its result; it stops escalating. Refuses a missing result,
    an action that is not open and a stale form."""
    if not action.is_open:
        raise TaskingRefused("This action is already completed")
    if not result.strip():
        raise TaskingRefused("Enter the result of the action")
    with transaction.atomic():
        action.status = ActionStatus.COMPLETED
        action.result = result
        action.completed_on = _today(now)
        action.completed_by = _user(actor)
        save_if_unchanged(
            action, expected_version, ["status", "result", "completed_on", "completed_by"]
        )
        ActionUpdate.objects.create(
            action=action, kind=UpdateKind.COMPLETED, note=result, author=_user(actor), at=now
        )
        record_change(actor, action, AuditAction.UPDATE, changes={"status": ["open", "completed"]})
        hooks.action_event(hooks.COMPLETED, action, actor, now)
    return action


def cancel_action(
    actor: Any, action: Action, *, expected_version: int, reason: str, now: datetime
) -> Action:
    """Cancel an action that is no longer needed, with the reason; it stops escalating.
    Refuses a missing reason, an action that is not open and a stale form."""
    if not action.is_open:
        raise TaskingRefused("This action is not open: it cannot be cancelled")
    if not reason.strip():
        raise TaskingRefused("Say why the action is no longer needed")
    with transaction.atomic():
        action.status = ActionStatus.CANCELLED
        action.result = reason.strip()
        action.completed_on = _today(now)
        action.completed_by = _user(actor)
        save_if_unchanged(
            action, expected_version, ["status", "result", "completed_on", "completed_by"]
        )
        ActionUpdate.objects.create(
            action=action,
            kind=UpdateKind.NOTE,
            note=f"Cancelled: {reason.strip()}",
            author=_user(actor),
            at=now,
        )
        record_change(
            actor,
            action,
            AuditAction.UPDATE,
            changes={"status": ["open", "cancelled"]},
            reason=reason.strip(),
        )
        hooks.action_event(hooks.CANCELLED, action, actor, now)
    return action


def set_route(
    actor: Any,
    route: EscalationRoute,
    *,
    expected_version: int,
    interval_days: int,
    reminder_days_before: int,
) -> EscalationRoute:
    """Change how fast a meeting type's overdue actions escalate. Refuses an interval under a
    day and a stale form."""
    if interval_days < 1:
        raise TaskingRefused("Escalation needs at least 1 day between levels")
    before = route.interval_days
    with transaction.atomic():
        route.interval_days, route.reminder_days_before = interval_days, reminder_days_before
        save_if_unchanged(route, expected_version, ["interval_days", "reminder_days_before"])
        record_change(
            actor, route, AuditAction.UPDATE, changes={"interval_days": [before, interval_days]}
        )
    return route


# --- Helpers --------------------------------------------------------------------------------


def _item_from_candidate(meeting, source_key, candidate, actor) -> AgendaItem:
    source = candidate.source
    item = AgendaItem(
        meeting=meeting,
        title=candidate.title[:200],
        partner_summary=candidate.partner_summary,
        full_summary=candidate.full_summary,
        reason=candidate.reason[:200],
        source_key=source_key,
        added_by=_user(actor),
        handling_code=candidate.handling_code,
        handling_conditions=candidate.handling_conditions,
    )
    if isinstance(source, AgendaItem):
        # Carried on: keep pointing at the record that first put the case on the schedule.
        item.carried_from = source
        item.source_key = source.source_key
        if source.source_type_id:
            item.source_type_id, item.source_id = source.source_type_id, source.source_id
        else:
            item.source_type_id = ContentType.objects.get_for_model(AgendaItem).pk
            item.source_id = str(_first_in_chain(source).pk)
    else:
        item.source_type_id = ContentType.objects.get_for_model(source).pk
        item.source_id = str(source.pk)
    return item


def _clear_agencies(items: list[AgendaItem], cleared: list[tuple]) -> None:
    """Name, for each C item, the agencies its conditions share it with."""
    through = AgendaItem.cleared_agencies.through
    through.objects.bulk_create(
        through(agendaitem_id=item.pk, agency_id=agency.pk)
        for item, agencies in zip(items, cleared, strict=True)
        if item.handling_code == HandlingCode.C
        for agency in agencies
    )


def _first_in_chain(item: AgendaItem) -> AgendaItem:
    while item.carried_from_id:
        item = item.carried_from
    return item


def _room_on_agenda(meeting: Meeting) -> int | None:
    limit = meeting.series.item_limit
    if limit is None:
        return None
    return max(0, limit - meeting.items.count())


def _in_meeting_order(items) -> list[AgendaItem]:
    """The items section by section (as the meeting takes them), in agenda order within each."""
    ordered = sorted(items, key=lambda it: (it.position, it.pk))
    return sorted(ordered, key=lambda it: SECTION_KEYS.index(section_of(it)))


def _renumber(items: list[AgendaItem]) -> None:
    for number, it in enumerate(items, 1):
        it.position = number
    AgendaItem.objects.bulk_update(items, ["position"])


def _today(now: datetime) -> date:
    from django.utils import timezone

    return timezone.localdate(now)


def _user(actor: Any) -> User | None:
    user = getattr(actor, "user", actor)
    return user if getattr(user, "is_authenticated", False) else None
