"""Figures for the performance framework, computed from tasking's records.

Each function takes a period as two dates, `start` and `end`, both included (a quarter
2014/15-Q2 is 1 July 2014 to 30 September 2014), and returns plain numbers or dicts.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, F, Q

from lantern.tasking.models import (
    Action,
    ActionStatus,
    AgendaItem,
    EscalationStep,
    ItemStatus,
    Meeting,
    MeetingStatus,
    PlanTactic,
)

ABDUCTION_NOTICE = "Child abduction warning notice"


def meetings_held_by_type(start: date, end: date) -> dict[str, int]:
    """How many meetings of each type were held in the period."""
    rows = (
        Meeting.objects.filter(status=MeetingStatus.HELD, held_on__range=(start, end))
        .values("series__meeting_type")
        .annotate(n=Count("pk"))
    )
    return {row["series__meeting_type"]: row["n"] for row in rows}


def items_discussed(start: date, end: date) -> int:
    """Agenda items discussed (kept on or closed) at meetings held in the period."""
    return AgendaItem.objects.filter(
        meeting__held_on__range=(start, end),
        status__in=[ItemStatus.KEPT_ON, ItemStatus.CLOSED],
    ).count()


def actions_created(start: date, end: date) -> int:
    """Actions created in the period, from any origin."""
    return Action.objects.filter(created_at__date__range=(start, end)).count()


def actions_completed_on_time(start: date, end: date) -> dict[str, int]:
    """Actions completed in the period: how many, and how many by their due date."""
    done = Action.objects.filter(status=ActionStatus.COMPLETED, completed_on__range=(start, end))
    return {
        "completed": done.count(),
        "on_time": done.filter(completed_on__lte=F("due_on")).count(),
    }


def actions_overdue_at_period_end(start: date, end: date) -> int:
    """Actions that, at the end of the period, were past their due date and not completed."""
    return (
        Action.objects.filter(created_at__date__lte=end, due_on__lt=end)
        .exclude(status=ActionStatus.CANCELLED)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=end))
        .count()
    )


def escalations_by_level(start: date, end: date) -> dict[int, int]:
    """Escalation steps taken in the period, by level (1 owner, 2 manager, 3 chair)."""
    rows = (
        EscalationStep.objects.filter(at__date__range=(start, end))
        .values("level")
        .annotate(n=Count("pk"))
    )
    return {row["level"]: row["n"] for row in rows}


def disruption_tactics_by_type_and_agency(start: date, end: date) -> list[dict]:
    """Tactics added to disruption plans in the period: tactic, agency and how many."""
    rows = (
        PlanTactic.objects.filter(action__created_at__date__range=(start, end))
        .values("tactic__name", "action__owning_agency__name")
        .annotate(n=Count("pk"))
        .order_by("tactic__name", "action__owning_agency__name")
    )
    return [
        {"tactic": r["tactic__name"], "agency": r["action__owning_agency__name"], "count": r["n"]}
        for r in rows
    ]


def abduction_notices_served(start: date, end: date) -> int:
    """Child abduction warning notices served: those tactics' actions completed in the period."""
    return PlanTactic.objects.filter(
        tactic__name=ABDUCTION_NOTICE,
        action__status=ActionStatus.COMPLETED,
        action__completed_on__range=(start, end),
    ).count()
