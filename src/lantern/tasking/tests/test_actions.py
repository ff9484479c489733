"""Actions: creating with an owner in the agency, updates, due-date history, completion."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lantern.accounts.access import can, visible
from lantern.audit.services import entries_for
from lantern.core.errors import EditConflict
from lantern.tasking import services
from lantern.tasking.models import Action, ActionStatus, UpdateKind
from lantern.tasking.services import TaskingRefused
from lantern.tasking.tests.factories import MONDAY, an_action, at, tasking_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return tasking_world()


def test_an_action_with_a_due_date_in_the_past_is_refused(world):
    with pytest.raises(TaskingRefused, match="today or in the future"):
        an_action(world, due_on=MONDAY - timedelta(days=1), now=at(MONDAY))
    assert Action.objects.count() == 0


def test_an_owner_outside_the_owning_agency_is_refused(world):
    with pytest.raises(TaskingRefused, match="must work for"):
        services.create_action(
            world.chair,
            title="X",
            owning_agency=world.health,
            owner=world.social_worker,
            due_on=MONDAY,
            now=at(MONDAY),
            route="tasking_group",
        )
    assert Action.objects.count() == 0


def test_creating_an_action_is_audited(world):
    action = an_action(world)

    assert entries_for(action).filter(action="create").count() == 1


def test_completing_without_a_result_is_refused(world):
    action = an_action(world)

    with pytest.raises(TaskingRefused, match="result"):
        services.complete_action(
            world.nurse, action, expected_version=action.version, result=" ", now=at(MONDAY)
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_completing_records_the_result_and_the_day(world):
    action = an_action(world)

    services.complete_action(
        world.nurse,
        action,
        expected_version=action.version,
        result="Records checked",
        now=at(MONDAY + timedelta(days=3)),
    )

    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED
    assert action.completed_on == MONDAY + timedelta(days=3)
    assert action.updates.get().kind == UpdateKind.COMPLETED


def test_a_due_date_change_is_kept_with_its_reason(world):
    action = an_action(world)
    new_date = action.due_on + timedelta(days=7)

    services.change_due_date(
        world.nurse,
        action,
        expected_version=action.version,
        due_on=new_date,
        reason="Clinic closed for a week",
        now=at(MONDAY),
    )

    change = action.updates.get(kind=UpdateKind.DUE_DATE)
    assert (change.old_due_on, change.new_due_on) == (MONDAY + timedelta(days=7), new_date)
    assert change.note == "Clinic closed for a week"


def test_a_due_date_change_without_a_reason_is_refused(world):
    action = an_action(world)

    with pytest.raises(TaskingRefused, match="reason"):
        services.change_due_date(
            world.nurse,
            action,
            expected_version=action.version,
            due_on=action.due_on + timedelta(days=1),
            reason="",
            now=at(MONDAY),
        )


def test_a_stale_form_gets_a_conflict_not_an_overwrite(world):
    action = an_action(world)
    stale = action.version
    services.change_due_date(
        world.nurse,
        action,
        expected_version=stale,
        due_on=action.due_on + timedelta(days=1),
        reason="r",
        now=at(MONDAY),
    )

    with pytest.raises(EditConflict):
        services.complete_action(
            world.nurse,
            Action.objects.get(pk=action.pk),
            expected_version=stale,
            result="x",
            now=at(MONDAY),
        )


def test_partners_see_only_their_agencys_actions_police_and_chairs_see_all(world):
    health = an_action(world)
    social = an_action(world, owner=world.social_worker, title="Visit")

    assert list(visible(world.nurse, Action.objects.all())) == [health]
    assert list(visible(world.social_worker, Action.objects.all())) == [social]
    assert visible(world.analyst, Action.objects.all()).count() == 2
    assert not can(world.outsider, "view", health)
    assert can(world.nurse_manager, "update", health)
    assert not can(world.social_worker, "update", health)
