"""Keep the demo honest about conclusions: intake's demo concludes old submissions before
tasking's demo puts them on agendas, so after tasking's history is made, a submission concluded
"acted on" while an agenda item or action on it is still open goes back to "decided" (its
conclusion had not happened yet). Demo data only: this never runs on real records."""

from __future__ import annotations

from django.db import transaction

from lantern.intake.models import (
    Decision,
    FeedbackKind,
    FeedbackMessage,
    Outcome,
    Status,
    Submission,
    TraceEvent,
    TraceKind,
)
from lantern.tasking.intake_links import open_tasking_work


def reopen_concluded_with_open_work() -> int:
    """Undo the demo's conclusion of submissions whose tasking work is still open."""
    reopened = []
    candidates = Submission.objects.filter(
        status=Status.CONCLUDED, outcome=Outcome.ACTED_ON, decision=Decision.TASKING
    ).only("pk", "status", "outcome")
    for submission in candidates.iterator():
        if open_tasking_work(submission):
            reopened.append(submission.pk)
    with transaction.atomic():
        Submission.objects.filter(pk__in=reopened).update(
            status=Status.DECIDED, outcome="", outcome_notes="", concluded_at=None
        )
        TraceEvent.objects.filter(
            submission_id__in=reopened, kind__in=[TraceKind.CONCLUDED, TraceKind.FEEDBACK]
        ).delete()
        FeedbackMessage.objects.filter(
            submission_id__in=reopened, kind=FeedbackKind.CONCLUSION
        ).delete()
    return len(reopened)
