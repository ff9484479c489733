"""Figures the performance framework reads from submissions: plain functions of a period.

Each takes the start (inclusive) and end (exclusive) of a period as aware datetimes and
counts what happened in it, from the records. Submissions are counted as pieces of information
(the review's "37 pieces of information from 17 documents"): each strand of a split document
counts, the document itself does not, nor does a strand merged into another item.
"""

from __future__ import annotations

import statistics
from datetime import datetime

from django.db.models import Count

from lantern.intake.models import (
    QUERY_STAGES,
    Decision,
    FeedbackMessage,
    MemberQuery,
    QueryAnswer,
    Source,
    Submission,
)


def _pieces():
    return Submission.objects.filter(is_piece=True)


def new_submissions_by_source(start: datetime, end: datetime) -> dict[str, int]:
    """How many pieces of information were received in the period, by source type (every
    type listed)."""
    counts = dict(
        _pieces()
        .filter(received_at__gte=start, received_at__lt=end)
        .values_list("source")
        .annotate(n=Count("id"))
        .values_list("source", "n")
    )
    return {source: counts.get(source, 0) for source in Source.values}


def median_hours_to_grade(start: datetime, end: datetime) -> float | None:
    """Median hours from receipt to grading, for pieces of information graded in the period."""
    pairs = (
        _pieces()
        .filter(graded_at__gte=start, graded_at__lt=end)
        .values_list("received_at", "graded_at")
    )
    hours = [(graded - received).total_seconds() / 3600 for received, graded in pairs]
    return round(statistics.median(hours), 1) if hours else None


def median_days_to_conclusion(start: datetime, end: datetime) -> float | None:
    """Median days from receipt to conclusion, per piece of information (strand) concluded in
    the period."""
    pairs = (
        _pieces()
        .filter(concluded_at__gte=start, concluded_at__lt=end)
        .values_list("received_at", "concluded_at")
    )
    days = [(done - received).total_seconds() / 86400 for received, done in pairs]
    return round(statistics.median(days), 1) if days else None


def share_to_tasking(start: datetime, end: datetime) -> float | None:
    """The share (0 to 1) of pieces of information decided in the period that went to the
    tasking group."""
    decided = _pieces().filter(decided_at__gte=start, decided_at__lt=end)
    total = decided.count()
    if not total:
        return None
    return round(decided.filter(decision=Decision.TASKING).count() / total, 3)


def feedback_sent(start: datetime, end: datetime) -> dict[str, int]:
    """How many feedback messages were sent in the period, by kind."""
    counts = dict(
        FeedbackMessage.objects.filter(sent_at__gte=start, sent_at__lt=end)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return counts


def pieces_received(start: datetime, end: datetime) -> int:
    """How many pieces of information (strands and unsplit submissions) were received in the
    period, from every source."""
    return _pieces().filter(received_at__gte=start, received_at__lt=end).count()


def queries_by_stage(start: datetime, end: datetime) -> dict[int, int]:
    """Reporters' queries raised in the period, by the furthest stage of the members'
    protocol each has reached (every stage listed)."""
    counts = dict(
        MemberQuery.objects.filter(raised_at__gte=start, raised_at__lt=end)
        .values_list("stage")
        .annotate(n=Count("id"))
        .values_list("stage", "n")
    )
    return {stage: counts.get(stage, 0) for stage in QUERY_STAGES}


def median_days_to_first_answer(start: datetime, end: datetime) -> float | None:
    """Median days from a reporter's query to its first answer, for queries first answered in
    the period."""
    first: dict[int, tuple] = {}
    for query_id, raised, at in QueryAnswer.objects.filter(at__lt=end).values_list(
        "query_id", "query__raised_at", "at"
    ):
        if query_id not in first or at < first[query_id][1]:
            first[query_id] = (raised, at)
    days = [(at - raised).total_seconds() / 86400 for raised, at in first.values() if at >= start]
    return round(statistics.median(days), 1) if days else None
