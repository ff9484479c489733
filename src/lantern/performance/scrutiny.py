"""Scrutiny made digestible: a one-page summary per quarter and the scrutiny forward plan.

The independent review (seed 003, R2 and motion point 10) found reports "too detailed making
it hard for some members to quickly digest". The one-page summary gives, for one quarter, the
headline figures with their direction of travel, the exceptions against targets, the overdue
delivery actions and survivors' feedback when a source of it is registered.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from lantern.audit.models import AuditAction
from lantern.audit.services import record_change
from lantern.core.errors import LanternError
from lantern.core.periods import Period
from lantern.performance import reports, services, summary
from lantern.performance.models import ScrutinyItem

HEADLINES_PER_PRIORITY = 3
OVERDUE_SHOWN = 8
# Parts of the one-page summary only another app can fill (no app records survivors'
# feedback yet: the page says so rather than inventing it).
SCRUTINY_PARTS = {"scrutiny.survivor_feedback": "Survivors' feedback"}


class ForwardPlanRefused(LanternError):
    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


def one_page_summary(quarter: Period, audience: str) -> dict:
    """The quarter's one-page scrutiny summary (see the module's docstring). Figures come from
    the report published for the quarter when there is one, suppressed for scrutiny."""
    published = services.latest_published(str(quarter))
    built = reports.for_audience(
        summary.from_content(published.content) if published else summary.build_summary(quarter),
        audience,
    )
    headlines, exceptions = [], []
    counted: dict[str, int] = {}
    for row in built.rows:
        if row.target_status == "Off target":
            exceptions.append(row)
        preferred = row.polarity in ("up", "down") or row.target is not None
        if (
            preferred
            and row.current.value is not None
            and counted.get(row.priority, 0) < (HEADLINES_PER_PRIORITY)
        ):
            counted[row.priority] = counted.get(row.priority, 0) + 1
            headlines.append(row)
    overdue = overdue_actions(quarter)
    return {
        "quarter": quarter,
        "published": published,
        "summary": built,
        "headlines": [
            {
                "row": row,
                "direction": summary.DIRECTION_WORDS[row.direction],
                "arrow": summary.DIRECTION_ARROWS[row.direction],
            }
            for row in headlines
        ],
        "exceptions": exceptions,
        "overdue": overdue[:OVERDUE_SHOWN],
        "overdue_total": len(overdue),
        "parts": reports.restricted_parts(SCRUTINY_PARTS, quarter, audience),
    }


def overdue_actions(quarter: Period) -> list:
    """Delivery actions of the plan in force that were overdue at the quarter's end."""
    from lantern.plans.services import live_actions

    strategy = reports.strategy_for(quarter)
    if strategy is None:
        return []
    return [a for a in live_actions(strategy) if a.is_overdue(quarter.end)]


@transaction.atomic
def add_forward_plan_item(
    actor, *, topic: str, meeting_on: date, report: str, report_due_on, lead: str, now
) -> ScrutinyItem:
    """Add a topic to the scrutiny forward plan. Refuses an empty topic and a report due
    after the meeting it is for."""
    if not topic.strip():
        raise ForwardPlanRefused("Enter the topic", "topic")
    if report_due_on is not None and report_due_on > meeting_on:
        raise ForwardPlanRefused(
            "The report must be due on or before the meeting it is for", "report_due_on"
        )
    item = ScrutinyItem.objects.create(
        topic=topic.strip(),
        meeting_on=meeting_on,
        report=report.strip(),
        report_due_on=report_due_on,
        lead=lead.strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    record_change(actor, item, AuditAction.CREATE)
    return item


def forward_plan(today: date) -> dict:
    """The forward plan: meetings from today on, and the past ones."""
    items = list(ScrutinyItem.objects.all())
    return {
        "coming": [i for i in items if i.meeting_on >= today],
        "past": [i for i in items if i.meeting_on < today][::-1],
    }
