"""A small fictional plan for the tests, built through the services."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

from lantern.plans import services

ACTOR = "test setup"
NOW = datetime(2026, 5, 10, 9, 0, tzinfo=UTC)


def build_plan(*, name: str = "Test plan 2025-28", lead_user=None) -> SimpleNamespace:
    """A strategy with two objectives under Prevent and Protect and three actions."""
    strategy = services.create_strategy(ACTOR, name=name, start_year=2025, end_year=2028)
    prevent = strategy.priorities.get(name="Prevent")
    protect = strategy.priorities.get(name="Protect")
    first = services.save_objective(
        ACTOR, strategy, priority=prevent, ref="2.1", title="People spot the signs"
    )
    second = services.save_objective(
        ACTOR, strategy, priority=protect, ref="3.1", title="Children at risk are protected"
    )
    lead = services.save_lead_officer(
        ACTOR, strategy, name="Robin Ashdown", agency="Northmere Housing", user=lead_user
    )
    other_lead = services.save_lead_officer(
        ACTOR, strategy, name="Kit Penhallow", email="kit@northmere.example"
    )
    campaign = services.create_action(
        ACTOR, first, text="Run an awareness campaign", lead=lead, due=date(2026, 3, 1)
    )
    schools = services.create_action(
        ACTOR, first, text="Brief every school", lead=other_lead, due=date(2030, 9, 1)
    )
    mace = services.create_action(ACTOR, second, text="Review MACE thresholds", lead=None, due=None)
    return SimpleNamespace(
        strategy=strategy,
        prevent=prevent,
        protect=protect,
        first=first,
        second=second,
        lead=lead,
        other_lead=other_lead,
        campaign=campaign,
        schools=schools,
        mace=mace,
    )
