"""The performance framework's tasking measures, computed from records."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lantern.tasking import disruption, measures, services
from lantern.tasking.escalation import run_tick
from lantern.tasking.models import ItemStatus, Tactic
from lantern.tasking.tests.factories import MONDAY, a_plan, an_action, at, tasking_world

pytestmark = pytest.mark.django_db
START, END = MONDAY, MONDAY + timedelta(days=27)


@pytest.fixture
def world():
    return tasking_world()


def test_meetings_held_and_items_discussed(world):
    item = services.add_item(world.chair, world.meetings[0], title="A", partner_summary="x")
    services.add_item(world.chair, world.meetings[0], title="B", partner_summary="x")
    services.record_item(
        world.chair,
        item,
        expected_version=item.version,
        discussion="",
        decisions="",
        outcome=ItemStatus.KEPT_ON,
        now=at(MONDAY),
    )

    assert measures.meetings_held_by_type(START, END) == {"tasking_group": 1}
    assert measures.items_discussed(START, END) == 1


def test_actions_created_completed_on_time_and_overdue_at_period_end(world):
    on_time = an_action(world, due_on=MONDAY + timedelta(days=5))
    late = an_action(world, due_on=MONDAY + timedelta(days=5))
    an_action(world, due_on=MONDAY + timedelta(days=5))  # never completed
    services.complete_action(
        world.nurse, on_time, expected_version=on_time.version, result="ok", now=at(MONDAY)
    )
    services.complete_action(
        world.nurse,
        late,
        expected_version=late.version,
        result="late",
        now=at(MONDAY + timedelta(days=9)),
    )

    assert measures.actions_created(START, END) == 3
    assert measures.actions_completed_on_time(START, END) == {"completed": 2, "on_time": 1}
    assert measures.actions_overdue_at_period_end(START, MONDAY + timedelta(days=7)) == 2
    assert measures.actions_overdue_at_period_end(START, END) == 1


def test_escalations_by_level(world):
    an_action(world, due_on=MONDAY + timedelta(days=1))

    run_tick(at(MONDAY + timedelta(days=9)))

    assert measures.escalations_by_level(START, END) == {1: 1, 2: 1}


def test_disruption_tactics_by_type_and_agency_and_abduction_notices_served(world):
    plan = a_plan(world)
    cawn = Tactic.objects.get(name=measures.ABDUCTION_NOTICE)
    review = Tactic.objects.get(name="Premises licence review")
    notice = disruption.add_tactic(
        world.analyst,
        plan,
        tactic=cawn,
        owning_agency=world.police,
        owner=world.analyst,
        due_on=MONDAY + timedelta(days=3),
        detail="",
        now=at(MONDAY),
    )
    disruption.add_tactic(
        world.analyst,
        plan,
        tactic=review,
        owning_agency=world.licensing,
        owner=world.licensing_officer,
        due_on=MONDAY + timedelta(days=3),
        detail="",
        now=at(MONDAY),
    )
    services.complete_action(
        world.analyst,
        notice,
        expected_version=notice.version,
        result="Served",
        now=at(MONDAY + timedelta(days=1)),
    )

    assert measures.disruption_tactics_by_type_and_agency(START, END) == [
        {"tactic": measures.ABDUCTION_NOTICE, "agency": "Test police", "count": 1},
        {"tactic": "Premises licence review", "agency": "Test licensing", "count": 1},
    ]
    assert measures.abduction_notices_served(START, END) == 1
    assert measures.abduction_notices_served(END + timedelta(days=1), END + timedelta(days=9)) == 0
