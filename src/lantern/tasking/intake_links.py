"""Strands and the tasking group: a strand decided "to the tasking group" (or flagged as
significant intelligence) goes on the next tasking agenda, and everything the tasking group does
about it reaches the strand's trace through intake's trace service: each agenda item with the
meeting's decision and discussion (partner-safe text kept beside it), "kept on the schedule",
closure with its reason, each action and its result or cancellation (motion points 4 and 5).
Nothing is typed twice.

Tasking comes after intake (DESIGN.md), so this module imports intake; intake never imports
tasking. Intake learns of open work through its `open_work` registry, which this fills.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from lantern.intake import open_work
from lantern.intake import services as intake
from lantern.intake.models import Decision, Status, Submission, TraceKind
from lantern.tasking import hooks
from lantern.tasking.agenda import (
    AgendaCandidate,
    AgendaSource,
    register_source,
    register_source_url,
)
from lantern.tasking.models import Action, ActionStatus, AgendaItem, ItemStatus, MeetingType

FIRST_MEETING_LOOKBACK = timedelta(days=28)


def register_intake_links() -> None:
    register_source(
        AgendaSource(
            key="intake.to_tasking",
            meeting_types={MeetingType.TASKING_GROUP},
            candidates=submissions_to_tasking,
            order=10,
            section="new",
        )
    )
    register_source_url(Submission, lambda s: reverse("intake:detail", args=[s.reference]))
    hooks.on_action_event(trace_tasking_action)
    hooks.on_item_recorded(trace_agenda_item)
    open_work.register("tasking", open_tasking_work)


def submissions_to_tasking(meeting, since: date | None, until: date) -> list[AgendaCandidate]:
    """Strands decided "to the tasking group" since the series' previous meeting, and open
    strands flagged as significant intelligence since then (significant ones first)."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(since or until - FIRST_MEETING_LOOKBACK, time.min, tz)
    end = datetime.combine(until, time.max, tz)
    decided = Q(decision=Decision.TASKING, decided_at__range=(start, end))
    significant = Q(significant_at__range=(start, end)) & ~Q(status=Status.CONCLUDED)
    submissions = (
        Submission.objects.filter(is_piece=True)
        .filter(decided | significant)
        .prefetch_related("shared_with")
        .order_by("significant_at", "-urgent", "decided_at")
    )
    return [_candidate(s) for s in submissions]


def trace_tasking_action(event: str, action, actor, now: datetime) -> None:
    """Write a tasking action set for a strand, its result or its cancellation on the trace."""
    submission = hooks.source_record(action)
    if not isinstance(submission, Submission):
        return
    if event == hooks.CREATED:
        summary = (
            f"Tasking action for {action.owning_agency}: {action.title} "
            f"(owner {action.owner}, due {action.due_on:%d %B %Y})"
        )
        partner = f"Action for {action.owning_agency}, due {action.due_on:%d %B %Y}"
    elif event == hooks.CANCELLED:
        summary = f"Tasking action cancelled: {action.title}. Reason: {action.result}"
        partner = f"An action for {action.owning_agency} was cancelled"
    else:
        summary = f"Tasking action completed: {action.title}. Result: {action.result}"
        partner = f"An action for {action.owning_agency} was completed"
    intake.note_on_trace(
        actor,
        submission,
        kind=TraceKind.ACTION,
        summary=summary,
        details={"partner": partner, "action": action.pk, "event": event},
        now=now,
    )
    if event != hooks.CREATED:
        _note_if_work_finished(actor, submission, now)


def trace_agenda_item(item: AgendaItem, actor, now: datetime) -> None:
    """Write what the meeting said and decided about a strand's agenda item on its trace."""
    submission = item.source
    if not isinstance(submission, Submission):
        return
    meeting = item.meeting
    when = f"{meeting.series.name}, {meeting.held_on:%-d %B %Y}"
    if item.status == ItemStatus.CLOSED:
        outcome = f"closed ({item.get_closure_reason_display().lower()})"
    else:
        outcome = "kept on the schedule"
    parts = [f"Decision: {item.decisions}" if item.decisions else ""]
    parts.append(f"Discussion: {item.discussion}" if item.discussion else "")
    if item.rationale:
        parts.append(f"Why closed: {item.rationale}")
    intake.note_on_trace(
        actor,
        submission,
        kind=TraceKind.AGENDA,
        summary=f"{when}: {outcome}",
        reason="\n".join(p for p in parts if p),
        details={
            "partner": f"Discussed at {when}: {outcome}",
            "item": item.pk,
            "status": item.status,
        },
        now=now,
    )
    if item.status == ItemStatus.CLOSED:
        _note_if_work_finished(actor, submission, now)


def open_tasking_work(submission) -> list[str]:
    """The agenda items and actions on a strand still open, named for the refusal message."""
    if submission.pk is None:
        return []
    items = _items_of(submission)
    lines = [
        f"agenda item at {i.meeting.series.name} on {i.meeting.held_on:%-d %B %Y} "
        f"({i.get_status_display().lower()})"
        for i in items.filter(carried_to__isnull=True)
        .exclude(status=ItemStatus.CLOSED)
        .select_related("meeting__series")
    ]
    lines += [
        f"action for {a.owning_agency}: {a.title} (due {a.due_on:%-d %B %Y})"
        for a in _actions_of(submission, items).filter(status=ActionStatus.OPEN)
    ]
    return lines


def went_to_tasking(submission) -> bool:
    return _items_of(submission).exists()


# --- Helpers --------------------------------------------------------------------------------


def _candidate(submission: Submission) -> AgendaCandidate:
    if submission.significant_at and submission.decision != Decision.TASKING:
        reason = (
            "Flagged as significant intelligence on "
            f"{timezone.localtime(submission.significant_at):%d %B %Y}"
        )
    else:
        reason = f"Decided to tasking on {timezone.localtime(submission.decided_at):%d %B %Y}"
    return AgendaCandidate(
        source=submission,
        title=f"{submission.reference}: {submission.grade or 'ungraded'}",
        partner_summary=_partner_text(submission),
        full_summary=submission.narrative[:2000],
        reason=reason,
        # The grade's handling travels with it: a C item is read only where it was shared.
        handling_code=submission.handling_code or "P",
        handling_conditions=submission.handling_conditions,
        cleared_agencies=tuple(submission.shared_with.all()),
    )


def _items_of(submission):
    ct = ContentType.objects.get_for_model(Submission)
    return AgendaItem.objects.filter(source_type=ct, source_id=str(submission.pk))


def _actions_of(submission, items):
    submission_ct = ContentType.objects.get_for_model(Submission)
    item_ct = ContentType.objects.get_for_model(AgendaItem)
    item_ids = [str(pk) for pk in items.values_list("pk", flat=True)]
    return Action.objects.filter(
        Q(origin_type=submission_ct, origin_id=str(submission.pk))
        | Q(origin_type=item_ct, origin_id__in=item_ids)
    ).select_related("owning_agency")


def _note_if_work_finished(actor, submission: Submission, now: datetime) -> None:
    """When the last item closes and the last action is done, tell the officer on the trace:
    the strand is ready for them to confirm the outcome wording and conclude it."""
    if submission.status == Status.CONCLUDED or open_tasking_work(submission):
        return
    intake.note_on_trace(
        actor,
        submission,
        kind=TraceKind.NOTE,
        summary="All tasking work is finished: ready for the officer to confirm the outcome",
        details={"ready_to_conclude": True},
        now=now,
    )


def _partner_text(submission: Submission) -> str:
    return submission.partner_summary or "No partner-safe summary has been written yet."
