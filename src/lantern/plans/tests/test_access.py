"""The delivery plan's object rules: plan viewers see every action; a lead officer who is a user
sees and updates only the actions they lead; only the partnership manager changes the plan."""

from __future__ import annotations

import pytest

from lantern.accounts import access
from lantern.accounts.roles import Role
from lantern.core.testing import make_user
from lantern.plans.models import DeliveryAction
from lantern.plans.tests.plan_data import build_plan

pytestmark = pytest.mark.django_db


def test_a_lead_officer_sees_only_the_actions_they_lead_in_the_query():
    lead_user = make_user(Role.PARTNER_PRACTITIONER)
    plan = build_plan(lead_user=lead_user)

    seen = access.visible(lead_user, DeliveryAction.objects.all())

    assert list(seen) == [plan.campaign]


def test_plan_viewers_see_every_action_and_others_none():
    plan = build_plan()
    board = make_user(Role.BOARD_MEMBER)
    analyst = make_user(Role.POLICE_INTELLIGENCE)

    assert access.visible(board, DeliveryAction.objects.all()).count() == 3
    assert access.visible(analyst, DeliveryAction.objects.all()).count() == 0
    assert not access.can(analyst, "view", plan.campaign)


def test_only_the_lead_and_the_partnership_manager_update_progress():
    lead_user = make_user(Role.PARTNER_PRACTITIONER)
    plan = build_plan(lead_user=lead_user)
    manager = make_user(Role.PARTNERSHIP_MANAGER)
    scrutiny = make_user(Role.SCRUTINY_MEMBER)

    assert access.can(lead_user, "update_progress", plan.campaign)
    assert not access.can(lead_user, "update_progress", plan.schools)
    assert not access.can(lead_user, "change", plan.campaign)
    assert access.can(manager, "update_progress", plan.schools)
    assert access.can(manager, "change", plan.schools)
    assert not access.can(scrutiny, "update_progress", plan.campaign)
    assert access.can(scrutiny, "view", plan.campaign)


def test_a_deactivated_lead_officer_can_no_longer_update():
    lead_user = make_user(Role.PARTNER_PRACTITIONER)
    plan = build_plan(lead_user=lead_user)
    lead_user.is_active = False
    lead_user.save()

    assert not access.can(lead_user, "update_progress", plan.campaign)


def test_strategies_are_seen_by_plan_viewers_and_changed_by_the_manager():
    plan = build_plan()
    performance = make_user(Role.PERFORMANCE_OFFICER)
    manager = make_user(Role.PARTNERSHIP_MANAGER)

    assert access.can(performance, "view", plan.strategy)
    assert not access.can(performance, "change", plan.strategy)
    assert access.can(manager, "change", plan.strategy)
