"""Safeguarding reports about a specific child become contacts on the child's record.

A report made through the safeguarding route ("a specific child I am worried about", or one the
intelligence unit decided to refer to social care) waits in the social care queue. A member of
the CSE team chooses the child's record it is about; Lantern never matches the child itself
(people decide about people). The contact is recorded through the children app's own service,
carries the submission's reference, and the submission's trace says it was made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from lantern.children.models import Child, Contact, ContactRoute
from lantern.children.services import record_contact
from lantern.intake.models import Decision, Route, Source, Submission, TraceKind
from lantern.intake.services import IntakeError, note_on_trace


def is_safeguarding(submission: Submission) -> bool:
    """Whether the submission belongs with children's social care."""
    return submission.route == Route.SPECIFIC_CHILD or submission.decision == Decision.SOCIAL_CARE


def record_contact_from_submission(
    actor: Any, submission: Submission, child: Child, *, summary: str, now: datetime
) -> Contact:
    """Record a contact on `child`'s record from the submission, linked by its reference, and
    put it on the submission's trace, in one transaction. Refuses a submission that is not a
    safeguarding referral, an empty summary, and a second contact from the same submission on
    the same child (IntakeError)."""
    if not is_safeguarding(submission):
        raise IntakeError("Only reports about a specific child, or referred to social care, can be")
    summary = summary.strip()
    if not summary:
        raise IntakeError("Enter what the contact said")
    if Contact.objects.filter(child=child, intake_reference=submission.reference).exists():
        raise IntakeError(
            f"A contact from {submission.reference} is already on {child.reference}'s record"
        )
    with transaction.atomic():
        contact = record_contact(
            actor,
            child,
            today=timezone.localdate(now),
            received_on=timezone.localdate(submission.received_at),
            route=ContactRoute.INTAKE,
            source=_who_reported(submission),
            intake_reference=submission.reference,
            about_cse=True,
            summary=summary,
        )
        note_on_trace(
            actor,
            submission,
            kind=TraceKind.LINKED,
            summary=f"Contact recorded on child record {child.reference}",
            now=now,
        )
    return contact


def children_for(references: Iterable[str]) -> dict[str, list[str]]:
    """For each submission reference, the child records it is a contact on (references)."""
    found: dict[str, list[str]] = defaultdict(list)
    rows = (
        Contact.objects.filter(intake_reference__in=list(references))
        .order_by("pk")
        .values_list("intake_reference", "child__reference")
    )
    for reference, child in rows:
        found[reference].append(child)
    return dict(found)


def _who_reported(submission: Submission) -> str:
    """Who made the contact, without naming a member of the public."""
    label = Source(submission.source).label
    if submission.submitter_agency_id:
        label = f"{label}: {submission.submitter_agency.name}"
    return f"{label} (single point of entry)"[:200]
