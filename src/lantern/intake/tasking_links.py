"""Submissions and the tasking group: a submission decided "to the tasking group" goes on the
next tasking agenda, and every action the tasking group sets for it, and its result, is written on
the submission's trace, so it can be followed from receipt to conclusion (motion points 4 and 5).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone

from lantern.intake import services
from lantern.intake.models import Decision, Submission, TraceKind
from lantern.tasking import hooks
from lantern.tasking.agenda import (
    AgendaCandidate,
    AgendaSource,
    register_source,
    register_source_url,
)
from lantern.tasking.models import MeetingType

FIRST_MEETING_LOOKBACK = timedelta(days=28)


def register_tasking_links() -> None:
    register_source(
        AgendaSource(
            key="intake.to_tasking",
            meeting_types={MeetingType.TASKING_GROUP},
            candidates=submissions_to_tasking,
            order=10,
            section="new",
        )
    )
    hooks.on_action_event(trace_tasking_action)
    register_source_url(Submission, lambda s: reverse("intake:detail", args=[s.reference]))


def submissions_to_tasking(meeting, since: date | None, until: date) -> list[AgendaCandidate]:
    """Submissions decided "to the tasking group" since the series' previous meeting."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(since or until - FIRST_MEETING_LOOKBACK, time.min, tz)
    end = datetime.combine(until, time.max, tz)
    submissions = (
        Submission.objects.filter(decision=Decision.TASKING, decided_at__range=(start, end))
        .prefetch_related("shared_with")
        .order_by("-urgent", "decided_at")
    )
    return [
        AgendaCandidate(
            source=submission,
            title=f"{submission.reference}: {submission.grade or 'ungraded'}",
            partner_summary=_partner_text(submission),
            full_summary=submission.narrative[:2000],
            reason=f"Decided to tasking on {timezone.localtime(submission.decided_at):%d %B %Y}",
            # The grade's handling travels with it: a C item is read only where it was shared.
            handling_code=submission.handling_code or "P",
            handling_conditions=submission.handling_conditions,
            cleared_agencies=tuple(submission.shared_with.all()),
        )
        for submission in submissions
    ]


def trace_tasking_action(event: str, action, actor, now: datetime) -> None:
    """Write a tasking action set for a submission, or its result, on the submission's trace."""
    submission = hooks.source_record(action)
    if not isinstance(submission, Submission):
        return
    if event == hooks.CREATED:
        summary = (
            f"Tasking action for {action.owning_agency}: {action.title} "
            f"(owner {action.owner}, due {action.due_on:%d %B %Y})"
        )
    else:
        summary = f"Tasking action completed: {action.title}. Result: {action.result}"
    services.note_on_trace(actor, submission, kind=TraceKind.ACTION, summary=summary, now=now)


def _partner_text(submission: Submission) -> str:
    text = submission.partner_summary or "No partner-safe summary has been written yet."
    return text
