"""Home panels: the delivery plans at a glance for plan viewers, and the actions a lead officer
leads, with how many are overdue."""

from __future__ import annotations

from django.utils import timezone

from lantern.plans.models import DeliveryAction, Strategy
from lantern.plans.services import live_actions, overdue_actions


def my_actions_panel(request) -> dict:
    """Counts of the live actions the user leads; the template shows nothing when there are none."""
    mine = DeliveryAction.objects.filter(lead__user=request.user, withdrawn_at__isnull=True)
    return {
        "plan_actions_led": mine.count(),
        "plan_actions_overdue": overdue_actions(mine, timezone.localdate()).count(),
    }


def plans_panel(request) -> dict:
    """For plan viewers: each strategy with its number of overdue actions."""
    today = timezone.localdate()
    strategies = []
    for strategy in Strategy.objects.order_by("-start_year", "name")[:5]:
        overdue = overdue_actions(live_actions(strategy), today).count()
        strategies.append({"strategy": strategy, "overdue": overdue})
    return {"plan_strategies": strategies}
