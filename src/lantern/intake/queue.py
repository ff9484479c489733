"""The intelligence unit's queue: what is open, in what order, and how long it has waited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet

from lantern.intake.models import Status, Submission

# Targets for each stage, in hours: urgent items graded within 1 hour, others within three
# working days (counted here as 72 hours). Override with settings.LANTERN_INTAKE_TARGETS.
DEFAULT_TARGETS = {"urgent_hours": 1, "routine_hours": 72}


@dataclass(frozen=True)
class Clock:
    waited: timedelta
    target: timedelta
    overdue: bool

    @property
    def label(self) -> str:
        hours = int(self.waited.total_seconds() // 3600)
        if hours < 1:
            waited = f"{int(self.waited.total_seconds() // 60)} minutes"
        elif hours < 48:
            waited = f"{hours} hours"
        else:
            waited = f"{hours // 24} days"
        return f"{waited} ({'overdue' if self.overdue else 'within target'})"


def targets() -> dict:
    return {**DEFAULT_TARGETS, **getattr(settings, "LANTERN_INTAKE_TARGETS", {})}


def clock_for(submission: Submission, now: datetime) -> Clock:
    """How long the submission has waited to be graded (or took), against its target."""
    t = targets()
    target = timedelta(hours=t["urgent_hours"] if submission.urgent else t["routine_hours"])
    end = submission.graded_at or now
    waited = end - submission.received_at
    return Clock(waited=waited, target=target, overdue=waited > target)


def queue_queryset(visible_qs: QuerySet, *, show: str, user) -> QuerySet:
    """Open submissions, urgent first then oldest first; `show` narrows to mine or unassigned."""
    qs = visible_qs.exclude(status=Status.CONCLUDED).select_related("assigned_to")
    if show == "mine":
        qs = qs.filter(assigned_to=user)
    elif show == "unassigned":
        qs = qs.filter(status=Status.RECEIVED)
    return qs.only(
        "reference",
        "status",
        "urgent",
        "received_at",
        "graded_at",
        "source",
        "route",
        "assigned_to__full_name",
        "assigned_to__username",
    ).order_by("-urgent", "received_at", "id")
