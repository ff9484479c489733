"""Building the agenda from registered sources, carrying items on, and the chair's controls."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lantern.accounts.access import can
from lantern.tasking import agenda, services
from lantern.tasking.agenda import AgendaCandidate, AgendaSource
from lantern.tasking.models import ActionStatus, ItemStatus, MeetingType
from lantern.tasking.services import TaskingRefused
from lantern.tasking.tests.factories import MONDAY, an_action, at, tasking_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return tasking_world()


@pytest.fixture
def fake_source(world):
    """A source standing in for intake: proposes one record (a user, as any model would do)."""
    calls = []

    def candidates(meeting, since, until):
        calls.append((since, until))
        return [
            AgendaCandidate(
                source=world.outsider,
                title="Submission S-1: vehicle seen outside school",
                partner_summary="A vehicle seen near a school",
                full_summary="Graded B2P: registration NM12 ABC seen three times",
                reason="Decided to tasking on 1 November 2026",
            )
        ]

    agenda.register_source(
        AgendaSource("test.submissions", {MeetingType.TASKING_GROUP}, candidates)
    )
    yield calls
    agenda._SOURCES.pop("test.submissions")


def test_agenda_brings_in_registered_sources_with_the_window_since_the_last_meeting(
    world, fake_source
):
    second = world.meetings[1]

    added = services.build_agenda(world.chair, second, now=at(second.held_on - timedelta(days=1)))

    assert added == 1
    assert fake_source == [(world.meetings[0].held_on, second.held_on)]
    item = second.items.get()
    assert item.source == world.outsider
    assert item.reason == "Decided to tasking on 1 November 2026"


def test_building_the_agenda_twice_adds_nothing_the_second_time(world, fake_source):
    meeting = world.meetings[0]
    services.build_agenda(world.chair, meeting, now=at(MONDAY))

    assert services.build_agenda(world.chair, meeting, now=at(MONDAY)) == 0
    assert meeting.items.count() == 1


def test_items_kept_on_are_carried_to_the_next_meeting_until_closed(world):
    first, second, third = world.meetings[:3]
    item = services.add_item(world.chair, first, title="Park", partner_summary="Gatherings")
    services.record_item(
        world.chair,
        item,
        expected_version=item.version,
        discussion="Seen twice",
        decisions="Patrols",
        outcome=ItemStatus.KEPT_ON,
        now=at(MONDAY),
    )

    services.build_agenda(world.chair, second, now=at(second.held_on))

    carried = second.items.get()
    assert carried.carried_from == item
    assert carried.title == "Park"
    carried.refresh_from_db()
    services.record_item(
        world.chair,
        carried,
        expected_version=carried.version,
        discussion="",
        decisions="",
        outcome=ItemStatus.CLOSED,
        closure_reason="eliminated",
        rationale="Venue closed",
        now=at(second.held_on),
    )
    assert services.build_agenda(world.chair, third, now=at(third.held_on)) == 0


def test_deferred_items_go_to_the_next_meeting(world):
    first, second = world.meetings[:2]
    item = services.add_item(world.chair, first, title="Hotel", partner_summary="Check-ins")

    services.defer_item(world.chair, item, now=at(MONDAY))
    services.build_agenda(world.chair, second, now=at(second.held_on))

    assert second.items.get().reason.startswith("Deferred from")


def test_actions_due_by_the_meeting_are_on_its_agenda(world):
    first, second = world.meetings[:2]
    due = an_action(world, due_on=second.held_on, meeting=first)
    an_action(world, due_on=second.held_on + timedelta(days=20), meeting=first, title="Later")

    services.build_agenda(world.chair, second, now=at(MONDAY))

    item = second.items.get()
    assert item.source == due.owner  # one item per agency and owner
    assert item.reason.startswith("Due; the oldest due on")
    assert f"A{due.pk} {due.title}: due" in item.partner_summary
    assert "Later" not in item.partner_summary


def test_completed_actions_are_not_on_the_agenda(world):
    first, second = world.meetings[:2]
    action = an_action(world, due_on=second.held_on, meeting=first)
    services.complete_action(
        world.nurse, action, expected_version=action.version, result="Done", now=at(MONDAY)
    )

    assert services.build_agenda(world.chair, second, now=at(MONDAY)) == 0
    assert action.status == ActionStatus.COMPLETED


def test_mace_takes_three_children_by_default(world):
    mace = services.create_series(
        world.chair,
        name="MACE",
        meeting_type=MeetingType.MACE,
        first_meeting_on=MONDAY,
        chair=world.chair,
        member_agencies=[world.social_care],
    )
    assert mace.item_limit == 3
    services.generate_meetings(world.chair, mace, until=MONDAY)
    meeting = mace.meetings.get()

    def five_children(meeting, since, until):
        return [
            AgendaCandidate(u, f"Child {n}", "", "", "Missing episode since last meeting")
            for n, u in enumerate(
                [world.nurse, world.chair, world.analyst, world.outsider, world.social_worker]
            )
        ]

    agenda.register_source(AgendaSource("test.children", {MeetingType.MACE}, five_children))
    try:
        assert services.build_agenda(world.chair, meeting, now=at(MONDAY)) == 3
    finally:
        agenda._SOURCES.pop("test.children")


def test_the_chair_reorders_by_numbers_and_by_moving(world):
    meeting = world.meetings[0]
    a, b, c = (services.add_item(world.chair, meeting, title=t, partner_summary="x") for t in "ABC")

    services.reorder_items(world.chair, meeting, {c.pk: 1, a.pk: 2, b.pk: 3})
    assert list(meeting.items.values_list("title", flat=True)) == ["C", "A", "B"]

    services.move_item(world.chair, b, "up")
    assert list(meeting.items.values_list("title", flat=True)) == ["C", "B", "A"]


def test_reordering_refuses_items_from_another_meeting(world):
    other = services.add_item(world.chair, world.meetings[1], title="X", partner_summary="x")

    with pytest.raises(TaskingRefused):
        services.reorder_items(world.chair, world.meetings[0], {other.pk: 1})


def test_closing_an_item_without_a_rationale_is_refused_and_nothing_is_saved(world):
    item = services.add_item(world.chair, world.meetings[0], title="Park", partner_summary="x")

    with pytest.raises(TaskingRefused, match="rationale"):
        services.record_item(
            world.chair,
            item,
            expected_version=item.version,
            discussion="Said things",
            decisions="",
            outcome=ItemStatus.CLOSED,
            closure_reason="eliminated",
            rationale="  ",
            now=at(MONDAY),
        )
    item.refresh_from_db()
    assert item.status == ItemStatus.TO_DISCUSS
    assert item.discussion == ""


def test_full_text_needs_police_or_chair_and_the_sources_own_rule(world, fake_source):
    meeting = world.meetings[0]
    services.build_agenda(world.chair, meeting, now=at(MONDAY))
    from_source = meeting.items.get()
    by_hand = services.add_item(
        world.chair, meeting, title="Hand", partner_summary="safe", full_summary="secret"
    )

    assert can(world.analyst, "view_full", by_hand)
    assert not can(world.nurse, "view_full", by_hand)
    # The source is a user record: only administrators may view those, so nobody here may read
    # the full text of an item it put on the agenda, police included.
    assert not can(world.analyst, "view_full", from_source)
