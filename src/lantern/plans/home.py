"""The home panel for anyone who leads delivery plan actions: how many, and how many overdue."""

from __future__ import annotations

from django.utils import timezone

from lantern.plans.models import DeliveryAction
from lantern.plans.services import overdue_actions


def my_actions_panel(request) -> dict:
    """Counts of the live actions the user leads; the template shows nothing when there are none."""
    mine = DeliveryAction.objects.filter(lead__user=request.user, withdrawn_at__isnull=True)
    return {
        "plan_actions_led": mine.count(),
        "plan_actions_overdue": overdue_actions(mine, timezone.localdate()).count(),
    }
