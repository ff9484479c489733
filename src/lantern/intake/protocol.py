"""The members' protocol: a reporter's query or concern about how one of their items is handled.

The review describes "a three-stage protocol for members if they have concerns about how an
issue is being responded to": stage 1 the intelligence unit answers; stage 2 the police
supervisor and the partnership manager; stage 3 the partnership's independent chair or the
scrutiny chair. Each stage has a deadline (working days, `LANTERN_QUERY_STAGE_DAYS`). A query
not answered by its deadline moves to the next stage when `lantern tick` runs
(`escalate_overdue_queries`); a reporter not satisfied with an answer may take it to the next
stage themselves. Every step is on the item's trace; the reporter reads the answers in plain
words (answers are written for them; nothing operational is shown beside them).

Every function here is one transaction; refusals are `QueryRefused` naming the field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from lantern.audit.models import AuditAction
from lantern.audit.services import record_change
from lantern.core.versioning import save_if_unchanged
from lantern.intake.models import (
    QUERY_STAGES,
    MemberQuery,
    QueryAnswer,
    QueryStatus,
    Submission,
    TraceKind,
)
from lantern.intake.services import IntakeError, add_trace
from lantern.intake.working_days import add_working_days

LAST_STAGE = max(QUERY_STAGES)
DEFAULT_STAGE_DAYS = {1: 5, 2: 10, 3: 20}
QUERY_MAX = 3000


class QueryRefused(IntakeError):
    """A query step that cannot be taken; `field` names the form field to show it beside."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def stage_days(stage: int) -> int:
    """Working days allowed to answer at a stage."""
    days = {**DEFAULT_STAGE_DAYS, **getattr(settings, "LANTERN_QUERY_STAGE_DAYS", {})}
    return int(days[stage])


def stage_deadline(stage: int, start: datetime) -> datetime:
    return add_working_days(start, stage_days(stage))


def raise_query(actor: Any, submission: Submission, *, text: str, now: datetime) -> MemberQuery:
    """A reporter raises a query about one of their items: it starts at stage 1 with its
    deadline. Refuses empty or over-long text, an item the actor did not report, and a second
    query on the item while one is still waiting for an answer."""
    user = getattr(actor, "user", actor)
    text = text.strip()
    if not text:
        raise QueryRefused("Say what your query or concern is", field="text")
    if len(text) > QUERY_MAX:
        raise QueryRefused(f"Your query must be {QUERY_MAX} characters or fewer", field="text")
    if submission.submitted_by_id is None or submission.submitted_by_id != user.pk:
        raise QueryRefused("You can raise a query only about an item you reported.")
    if submission.queries.filter(status=QueryStatus.OPEN).exists():
        raise QueryRefused(
            "You already have a query about this item waiting for an answer.", field="text"
        )
    with transaction.atomic():
        query = MemberQuery.objects.create(
            submission=submission,
            raised_by=user,
            text=text,
            raised_at=now,
            stage=1,
            stage_due_at=stage_deadline(1, now),
        )
        add_trace(
            submission,
            TraceKind.QUERY,
            actor,
            f"Query raised by the reporter: stage 1, {QUERY_STAGES[1].lower()} to answer by "
            f"{query.stage_due_at:%d %B %Y}",
            reason=text,
            details={"query": query.pk, "stage": 1, "event": "raised"},
            at=now,
        )
        record_change(actor, query, AuditAction.CREATE)
    return query


def answer_query(
    actor: Any, query: MemberQuery, *, text: str, expected_version: int, now: datetime
) -> QueryAnswer:
    """Answer a query at its current stage, in plain words for the reporter. Refuses empty
    text, a closed query, a query already answered at this stage, and a stale form (someone
    answered or it moved to the next stage after the form was opened: EditConflict)."""
    text = text.strip()
    if not text:
        raise QueryRefused("Write the answer the reporter will read", field="text")
    if len(text) > QUERY_MAX:
        raise QueryRefused(f"The answer must be {QUERY_MAX} characters or fewer", field="text")
    if query.status == QueryStatus.CLOSED:
        raise QueryRefused("This query is closed.")
    if query.status == QueryStatus.ANSWERED:
        raise QueryRefused(f"This query has already been answered at stage {query.stage}.")
    with transaction.atomic():
        query.status = QueryStatus.ANSWERED
        save_if_unchanged(query, expected_version, ["status"])
        user = getattr(actor, "user", actor)
        answer = QueryAnswer.objects.create(
            query=query, stage=query.stage, text=text, answered_by=user, at=now
        )
        add_trace(
            query.submission,
            TraceKind.QUERY,
            actor,
            f"Query answered at stage {query.stage} ({QUERY_STAGES[query.stage].lower()})",
            reason=text,
            details={"query": query.pk, "stage": query.stage, "event": "answered"},
            at=now,
        )
        record_change(
            actor, query, AuditAction.UPDATE, changes={"answer": ["", f"stage {query.stage}"]}
        )
    return answer


def take_to_next_stage(
    actor: Any, query: MemberQuery, *, reason: str, expected_version: int, now: datetime
) -> MemberQuery:
    """The reporter is not satisfied with the answer: the query moves to the next stage with
    a new deadline. Refuses an empty reason, a query at the last stage, one not yet answered
    (it moves on by itself if its deadline passes), a closed one and a stale form."""
    reason = reason.strip()
    if not reason:
        raise QueryRefused("Say why the answer does not settle your concern", field="reason")
    if query.status == QueryStatus.CLOSED:
        raise QueryRefused("This query is closed.")
    if query.status != QueryStatus.ANSWERED:
        raise QueryRefused(
            "This query is still waiting for an answer at this stage. If it is not answered "
            "by its deadline it goes to the next stage by itself."
        )
    if query.stage >= LAST_STAGE:
        raise QueryRefused("This query has been answered at the last stage of the protocol.")
    return _move_on(actor, query, expected_version, now, reason=reason, by_reporter=True)


def close_query(actor: Any, query: MemberQuery, *, expected_version: int, now: datetime):
    """The reporter is satisfied: the query is closed. Refuses a closed query, one not yet
    answered and a stale form."""
    if query.status != QueryStatus.ANSWERED:
        raise QueryRefused("Only an answered query can be closed.")
    with transaction.atomic():
        query.status = QueryStatus.CLOSED
        save_if_unchanged(query, expected_version, ["status"])
        add_trace(
            query.submission,
            TraceKind.QUERY,
            actor,
            f"Query closed by the reporter at stage {query.stage}",
            details={"query": query.pk, "stage": query.stage, "event": "closed"},
            at=now,
        )
        record_change(actor, query, AuditAction.UPDATE, changes={"status": ["answered", "closed"]})
    return query


def escalate_overdue_queries(now: datetime) -> str:
    """The periodic job: every query still waiting for an answer after its stage's deadline
    moves to the next stage, with a new deadline, on the item's trace. Idempotent: a moved
    query's deadline lies ahead. A query overdue at the last stage stays there (the job says
    how many)."""
    moved = 0
    overdue = MemberQuery.objects.filter(status=QueryStatus.OPEN, stage_due_at__lt=now)
    for query in overdue.filter(stage__lt=LAST_STAGE).select_related("submission"):
        try:
            _move_on("Lantern", query, query.version, now, reason="", by_reporter=False)
        except IntakeError:
            continue  # answered or moved by someone else meanwhile
        moved += 1
    stuck = overdue.filter(stage=LAST_STAGE).count()
    return f"{moved} queries moved to the next stage; {stuck} overdue at the last stage"


def queries_to_answer(user: Any) -> QuerySet:
    """Open queries this user may answer now, oldest deadline first."""
    from lantern.accounts.access import QUERY_STAGE_CAPS, has_capability, visible

    stages = [s for s, cap in QUERY_STAGE_CAPS.items() if has_capability(user, cap)]
    return (
        visible(user, MemberQuery.objects.all())
        .filter(status=QueryStatus.OPEN, stage__in=stages)
        .select_related("submission", "raised_by")
        .order_by("stage_due_at", "pk")
    )


def is_overdue(query: MemberQuery, now: datetime) -> bool:
    return query.status == QueryStatus.OPEN and query.stage_due_at < now


# --- Helpers --------------------------------------------------------------------------------


def _move_on(actor, query: MemberQuery, expected_version: int, now, *, reason, by_reporter):
    was = query.stage
    with transaction.atomic():
        query.stage = was + 1
        query.stage_due_at = stage_deadline(query.stage, now)
        query.status = QueryStatus.OPEN
        save_if_unchanged(query, expected_version, ["stage", "stage_due_at", "status"])
        why = (
            "the reporter asked for the next stage"
            if by_reporter
            else f"not answered by the stage {was} deadline"
        )
        add_trace(
            query.submission,
            TraceKind.QUERY,
            actor,
            f"Query moved to stage {query.stage} ({QUERY_STAGES[query.stage].lower()}): {why}; "
            f"answer due by {query.stage_due_at:%d %B %Y}",
            reason=reason,
            details={
                "query": query.pk,
                "stage": query.stage,
                "event": "escalated_by_reporter" if by_reporter else "escalated_overdue",
            },
            at=now,
        )
        record_change(
            actor, query, AuditAction.UPDATE, changes={"stage": [was, query.stage]}, reason=reason
        )
    return query
