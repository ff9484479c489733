"""Home page panels: a reporter's recent submissions; the intelligence unit's queue size."""

from __future__ import annotations

from django.utils import timezone

from lantern.intake.models import Status, Submission
from lantern.intake.queue import overdue_q


def mine(request) -> dict:
    recent = Submission.objects.filter(submitted_by=request.user).order_by("-received_at")[:5]
    return {"recent_submissions": list(recent)}


def queue(request) -> dict:
    open_items = Submission.objects.exclude(status=Status.CONCLUDED)
    return {
        "open_count": open_items.count(),
        "unassigned_count": open_items.filter(status=Status.RECEIVED).count(),
        "urgent_count": open_items.filter(urgent=True).count(),
        "overdue_count": open_items.filter(overdue_q(timezone.now())).count(),
    }
