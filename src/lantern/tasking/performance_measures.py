"""Tasking's figures in the performance framework (Pursue: tasking and disruption)."""

from __future__ import annotations

from lantern.performance.registry import ComputedMeasure, register
from lantern.tasking import measures
from lantern.tasking.models import MeetingType

SECTION = "Tasking and disruption"


def register_tasking_measures() -> None:
    rows = [
        (
            "pursue-items-discussed",
            "Items discussed at tasking meetings",
            "flow",
            "neither",
            measures.items_discussed,
        ),
        ("pursue-actions-created", "Actions set", "flow", "neither", measures.actions_created),
        (
            "pursue-actions-on-time",
            "Actions completed by their due date",
            "flow",
            "up",
            lambda s, e: measures.actions_completed_on_time(s, e)["on_time"],
        ),
        (
            "pursue-actions-overdue",
            "Actions overdue at period end",
            "snapshot",
            "down",
            measures.actions_overdue_at_period_end,
        ),
        (
            "pursue-escalations",
            "Escalations of overdue actions",
            "flow",
            "down",
            lambda s, e: sum(measures.escalations_by_level(s, e).values()),
        ),
        (
            "pursue-abduction-notices",
            "Child abduction warning notices served",
            "flow",
            "neither",
            measures.abduction_notices_served,
        ),
    ]
    register(
        ComputedMeasure(
            code="protect-gap-meetings",
            name="GAP meetings held",
            priority="protect",
            section="GAP meetings",
            timing="flow",
            polarity="neither",
            definition=(
                "GAP (group assessment and progress) meetings marked held in the period: the "
                "fortnightly multi-agency meetings on tactics for high-risk cases."
            ),
            compute=_for_period(gap_meetings_held),
            order=160,
        )
    )
    for order, (code, name, timing, polarity, fn) in enumerate(rows):
        register(
            ComputedMeasure(
                code=code,
                name=name,
                priority="pursue",
                section=SECTION,
                timing=timing,
                polarity=polarity,
                definition=(getattr(fn, "__doc__", "") or name).strip(),
                compute=_for_period(fn),
                order=300 + order,
            )
        )


def gap_meetings_held(start, end) -> int:
    """GAP meetings held in the period."""
    return measures.meetings_held_by_type(start, end).get(MeetingType.GAP, 0)


def _for_period(fn):
    def compute(period):
        return fn(period.start, period.end)

    return compute
