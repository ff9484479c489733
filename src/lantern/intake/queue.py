"""The intelligence unit's queue: what is open, in what order, and how long it has waited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from lantern.intake.models import Status, Submission
from lantern.intake.working_days import add_working_days, working_days_before

# Targets for grading: urgent items within 1 hour, others within three working days
# (weekends and bank holidays not counted; see working_days). Override with
# settings.LANTERN_INTAKE_TARGETS; "routine_hours" instead of "routine_working_days" sets a
# target in plain hours.
DEFAULT_TARGETS = {"urgent_hours": 1, "routine_working_days": 3}


@dataclass(frozen=True)
class Clock:
    waited: timedelta
    due: datetime
    overdue: bool
    target_label: str = ""

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

    @property
    def due_label(self) -> str:
        return f"{timezone.localtime(self.due):%a %d %b %H:%M}"


def targets() -> dict:
    configured = settings.LANTERN_INTAKE_TARGETS
    t = {**DEFAULT_TARGETS, **configured}
    if "routine_hours" in configured and "routine_working_days" not in configured:
        t.pop("routine_working_days")
    return t


def due_at(submission: Submission) -> tuple[datetime, str]:
    """When the submission should be graded by, and the target in words."""
    t = targets()
    if submission.urgent:
        hours = t["urgent_hours"]
        return submission.received_at + timedelta(hours=hours), f"{hours} hours"
    if "routine_working_days" in t:
        days = t["routine_working_days"]
        return add_working_days(submission.received_at, days), f"{days} working days"
    hours = t["routine_hours"]
    return submission.received_at + timedelta(hours=hours), f"{hours} hours"


def overdue_q(now: datetime) -> Q:
    """Not yet graded and past its target, as a query (for counts)."""
    t = targets()
    urgent = Q(urgent=True, received_at__lt=now - timedelta(hours=t["urgent_hours"]))
    if "routine_working_days" in t:
        cutoff = working_days_before(now, t["routine_working_days"])
    else:
        cutoff = now - timedelta(hours=t["routine_hours"])
    routine = Q(urgent=False, received_at__lt=cutoff)
    return Q(graded_at__isnull=True) & (urgent | routine)


def clock_for(submission: Submission, now: datetime) -> Clock:
    """How long the submission has waited to be graded (or took), against its target."""
    due, label = due_at(submission)
    end = submission.graded_at or now
    return Clock(
        waited=end - submission.received_at, due=due, overdue=end > due, target_label=label
    )


def queue_queryset(visible_qs: QuerySet, *, show: str, user) -> QuerySet:
    """Open submissions, urgent first then oldest first; `show` narrows to mine or unassigned."""
    # A split document is worked through its strands, so only pieces of information queue.
    qs = (
        visible_qs.exclude(status=Status.CONCLUDED)
        .filter(is_piece=True)
        .select_related("assigned_to")
    )
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
