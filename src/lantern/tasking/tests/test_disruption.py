"""Disruption plans: each tactic becomes an action for the agency holding the power."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lantern.accounts.access import can, visible
from lantern.tasking import disruption
from lantern.tasking.models import Action, DisruptionPlan, PlanStatus, Tactic
from lantern.tasking.services import TaskingRefused
from lantern.tasking.tests.factories import MONDAY, a_plan, at, tasking_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return tasking_world()


def test_a_tactic_becomes_an_action_for_the_agency_with_the_power(world):
    plan = a_plan(world)
    review = Tactic.objects.get(name="Premises licence review")

    action = disruption.add_tactic(
        world.analyst,
        plan,
        tactic=review,
        owning_agency=world.licensing,
        owner=world.licensing_officer,
        due_on=MONDAY + timedelta(days=14),
        detail="Review the licence",
        now=at(MONDAY),
    )

    assert action.origin == plan
    assert action.route == "disruption"
    assert action.escalation_contact == world.chair
    assert action.owning_agency == world.licensing


def test_a_tactic_given_to_an_agency_without_the_power_is_refused(world):
    plan = a_plan(world)
    review = Tactic.objects.get(name="Premises licence review")

    with pytest.raises(TaskingRefused, match="licensing"):
        disruption.add_tactic(
            world.analyst,
            plan,
            tactic=review,
            owning_agency=world.health,
            owner=world.nurse,
            due_on=MONDAY,
            detail="",
            now=at(MONDAY),
        )
    assert Action.objects.count() == 0


def test_a_partner_sees_a_plan_only_once_it_has_an_action_for_their_agency(world):
    plan = a_plan(world)
    assert not visible(world.licensing_officer, DisruptionPlan.objects.all()).exists()

    disruption.add_tactic(
        world.analyst,
        plan,
        tactic=Tactic.objects.get(name="Taxi and private hire licence check"),
        owning_agency=world.licensing,
        owner=world.licensing_officer,
        due_on=MONDAY,
        detail="",
        now=at(MONDAY),
    )

    assert list(visible(world.licensing_officer, DisruptionPlan.objects.all())) == [plan]
    assert not can(world.licensing_officer, "change", plan)
    assert can(world.analyst, "change", plan)


def test_closing_a_plan_needs_an_outcome(world):
    plan = a_plan(world)

    with pytest.raises(TaskingRefused, match="outcome"):
        disruption.update_plan(
            world.analyst,
            plan,
            expected_version=plan.version,
            status=PlanStatus.CLOSED,
            review_on=plan.review_on,
            outcome="",
        )


def test_the_catalogue_is_editable_and_names_are_unique(world):
    disruption.ensure_default_tactics()
    tactic = disruption.save_tactic(
        world.chair, name="Hotel guest register check", agency_kind="council", power="Byelaw"
    )

    assert tactic.is_active
    with pytest.raises(TaskingRefused):
        disruption.save_tactic(
            world.chair, name="hotel guest register check", agency_kind="council", power=""
        )
