"""Figures the performance framework reads from submissions: plain functions of a period.

Each takes the start (inclusive) and end (exclusive) of a period as aware datetimes and
counts what happened in it, from the records.
"""

from __future__ import annotations

import statistics
from datetime import datetime

from django.db.models import Count

from lantern.intake.models import Decision, FeedbackMessage, Source, Submission


def new_submissions_by_source(start: datetime, end: datetime) -> dict[str, int]:
    """How many submissions were received in the period, by source type (every type listed)."""
    counts = dict(
        Submission.objects.filter(received_at__gte=start, received_at__lt=end)
        .values_list("source")
        .annotate(n=Count("id"))
        .values_list("source", "n")
    )
    return {source: counts.get(source, 0) for source in Source.values}


def median_hours_to_grade(start: datetime, end: datetime) -> float | None:
    """Median hours from receipt to grading, for submissions graded in the period."""
    pairs = Submission.objects.filter(graded_at__gte=start, graded_at__lt=end).values_list(
        "received_at", "graded_at"
    )
    hours = [(graded - received).total_seconds() / 3600 for received, graded in pairs]
    return round(statistics.median(hours), 1) if hours else None


def median_days_to_conclusion(start: datetime, end: datetime) -> float | None:
    """Median days from receipt to conclusion, for submissions concluded in the period."""
    pairs = Submission.objects.filter(concluded_at__gte=start, concluded_at__lt=end).values_list(
        "received_at", "concluded_at"
    )
    days = [(done - received).total_seconds() / 86400 for received, done in pairs]
    return round(statistics.median(days), 1) if days else None


def share_to_tasking(start: datetime, end: datetime) -> float | None:
    """The share (0 to 1) of submissions decided in the period that went to the tasking group."""
    decided = Submission.objects.filter(decided_at__gte=start, decided_at__lt=end)
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
