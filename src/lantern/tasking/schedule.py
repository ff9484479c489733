"""The action schedule a user may see, filtered: one query for the page, its exports and the
export jobs built outside the request (`lantern tick`), so a file holds what the page showed."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from lantern.accounts.access import visible
from lantern.tasking.forms import ScheduleFilterForm
from lantern.tasking.models import Action, ActionStatus, Meeting


def schedule_for(user: Any, params: dict) -> tuple[QuerySet, ScheduleFilterForm]:
    """The user's visible actions under these filters (query-string values), due date first.
    Bad filters give no actions and a form carrying the errors."""
    form = ScheduleFilterForm(params or None)
    # Only what the user may see can be filtered by: another meeting is "not one you can".
    form.fields["meeting"].queryset = visible(user, Meeting.objects.all())
    actions = visible(
        user,
        Action.objects.with_escalation_level().select_related(
            "owning_agency", "owner", "meeting", "meeting__series"
        ),
    ).order_by("due_on", "pk")
    if params and not form.is_valid():
        return actions.none(), form
    data = form.cleaned_data if params else {}
    if data.get("meeting"):
        actions = actions.filter(meeting=data["meeting"])
    if data.get("agency"):
        actions = actions.filter(owning_agency=data["agency"])
    if data.get("owner"):
        actions = actions.filter(owner=data["owner"])
    if data.get("status"):
        actions = actions.filter(status=data["status"])
    if data.get("overdue") == "yes":
        actions = actions.filter(status=ActionStatus.OPEN, due_on__lt=timezone.localdate())
    return actions, form
