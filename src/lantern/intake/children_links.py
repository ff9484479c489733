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
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from lantern.accounts.access import existence_only_q, visible
from lantern.children.models import Child, Contact, ContactRoute
from lantern.children.services import record_contact
from lantern.intake.models import (
    Decision,
    ReferredChild,
    Route,
    Source,
    Status,
    Submission,
    TraceEvent,
    TraceKind,
)
from lantern.intake.queue import Clock
from lantern.intake.services import IntakeError, note_on_trace
from lantern.intake.working_days import add_working_days

# What the social care queue shows: work still to do by default, the rest on request.
QUEUE_SHOWS = {
    "to_do": "Still to do",
    "recorded": "Recorded as a contact",
    "concluded": "Concluded without a contact",
    "all": "All referrals",
}
CANDIDATES_MAX = 20


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


def social_care_queue(user: Any, show: str = "to_do") -> QuerySet:
    """Safeguarding referrals the user may see, urgent first then oldest first. `show` is one of
    QUEUE_SHOWS: "to_do" (no contact recorded yet and not concluded), "recorded" (a contact is
    on a child's record), "concluded" (concluded with no contact) or "all". Refuses any other
    value (ValueError), so a caller can say so by its filter."""
    if show not in QUEUE_SHOWS:
        raise ValueError(show)
    recorded = Exists(Contact.objects.filter(intake_reference=OuterRef("reference")))
    qs = (
        visible(user, Submission.objects.all())
        .filter(Q(route=Route.SPECIFIC_CHILD) | Q(decision=Decision.SOCIAL_CARE))
        .annotate(contact_recorded=recorded)
        .select_related("referred_child")
    )
    if show == "to_do":
        qs = qs.filter(contact_recorded=False).exclude(status=Status.CONCLUDED)
    elif show == "recorded":
        qs = qs.filter(contact_recorded=True)
    elif show == "concluded":
        qs = qs.filter(contact_recorded=False, status=Status.CONCLUDED)
    return qs.order_by("-urgent", "received_at", "id")


def social_care_targets() -> dict:
    """How soon a referral should be recorded as a contact: settings.LANTERN_SOCIAL_CARE_TARGETS
    over the default (urgent within 1 hour; others within 1 working day, the time Working
    Together gives children's social care to decide what a contact needs)."""
    return {"urgent_hours": 1, "routine_working_days": 1, **settings.LANTERN_SOCIAL_CARE_TARGETS}


def social_care_clock(submission: Submission, now: datetime, recorded_at=None) -> Clock:
    """How long the referral has waited for a contact to be recorded (or took), against its
    target; weekends and bank holidays are not working days."""
    t = social_care_targets()
    if submission.urgent:
        due = submission.received_at + timedelta(hours=t["urgent_hours"])
        hours = t["urgent_hours"]
        label = f"{hours} hour{'s' if hours != 1 else ''}"
    else:
        due = add_working_days(submission.received_at, t["routine_working_days"])
        days = t["routine_working_days"]
        label = f"{days} working day{'s' if days != 1 else ''}"
    end = recorded_at or (
        submission.concluded_at if submission.status == Status.CONCLUDED else None
    )
    end = end or now
    return Clock(
        waited=end - submission.received_at, due=due, overdue=end > due, target_label=label
    )


def contacts_recorded_at(submissions: Iterable[Submission]) -> dict[int, datetime]:
    """When each submission was first recorded as a contact (from its trace)."""
    found: dict[int, datetime] = {}
    rows = TraceEvent.objects.filter(
        submission__in=[s.pk for s in submissions],
        kind=TraceKind.LINKED,
        summary__startswith="Contact recorded on child record",
    ).values_list("submission_id", "at")
    for pk, at in rows:
        found[pk] = min(at, found.get(pk, at))
    return found


def referred_child_of(submission: Submission) -> ReferredChild | None:
    try:
        return submission.referred_child
    except ReferredChild.DoesNotExist:
        return None


def candidate_children(user: Any, referred: ReferredChild | None, words: str = "") -> QuerySet:
    """Child records a social care worker might link the referral to: those the user may see in
    full whose name holds a word of `words` (or, without words, of the name the reporter gave),
    or whose date of birth is the one given. A person chooses among them; nothing is linked
    here. Restricted records outside the user's circle are never offered."""
    words = (words or "").strip()[:100]
    terms = [w for w in (words or (referred.name if referred else "")).split() if len(w) > 1]
    condition = Q(pk__in=[])
    for term in terms[:5]:
        condition |= (
            Q(first_name__icontains=term)
            | Q(last_name__icontains=term)
            | Q(known_as__icontains=term)
            | Q(reference__iexact=term)
        )
    if not words and referred is not None and referred.date_of_birth:
        condition |= Q(date_of_birth=referred.date_of_birth)
    return (
        visible(user, Child.objects.all())
        .exclude(existence_only_q(user))
        .filter(condition)
        .order_by("last_name", "first_name", "pk")[:CANDIDATES_MAX]
    )


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
