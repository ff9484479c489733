"""Strands: the separate pieces of information one submission holds.

A councillor's document may hold five concerns; a police intelligence officer splits it into
strands, each graded, decided and concluded on its own (the review's "37 pieces of information
from 17 documents"). A strand is a submission of its own (`original` points at the document,
which is kept whole), so every page, the trace, the tasking agenda and the trace matrix work on
strands unchanged. The document stops being a piece of information itself (`is_piece`), and its
status rolls up from its strands. A strand that duplicates another item can be merged into it.

Every function here is one transaction; refusals are `StrandRefused` naming the field.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from lantern.audit.models import AuditAction
from lantern.audit.services import record_change
from lantern.core.versioning import save_if_unchanged
from lantern.intake.entity_links import link_mentions
from lantern.intake.models import (
    Outcome,
    Status,
    Submission,
    SubmissionOnlineAccount,
    SubmissionPerson,
    SubmissionPhone,
    SubmissionVehicle,
    TraceKind,
)
from lantern.intake.services import IntakeError, add_trace

MAX_STRANDS = 20
SPLITTABLE = {Status.RECEIVED, Status.ASSIGNED, Status.GRADED}
# How far along each status is: an original's status is that of its least advanced strand.
STATUS_ORDER = [Status.RECEIVED, Status.ASSIGNED, Status.GRADED, Status.DECIDED, Status.CONCLUDED]


class StrandRefused(IntakeError):
    """A split or merge that cannot be made; `field` names the form field to show it beside."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class NewStrand:
    """One strand of a split: its own text, partner-safe summary and the subjects it is about
    (ids of the original's mention rows, which are copied to the strand)."""

    summary: str
    partner_summary: str
    people: Sequence[int] = field(default_factory=list)
    vehicles: Sequence[int] = field(default_factory=list)
    phones: Sequence[int] = field(default_factory=list)
    online_accounts: Sequence[int] = field(default_factory=list)


def pieces_of_information(qs: QuerySet | None = None) -> QuerySet:
    """Submissions that count as pieces of information: strands and unsplit submissions, not a
    split document and not a strand merged into another item."""
    return (qs if qs is not None else Submission.objects.all()).filter(is_piece=True)


def split_submission(
    actor: Any,
    submission: Submission,
    *,
    strands: Sequence[NewStrand],
    expected_version: int,
    now: datetime,
) -> list[Submission]:
    """Split a submission into strands, in one transaction: either every strand is made, or
    none. Each strand copies the document's reporter, source, ward and dates, gets the text and
    subjects given, and starts assigned to the document's officer. The document is kept whole,
    stops being a piece of information and rolls up from its strands.

    Refuses fewer than two strands, a strand without its text or partner-safe summary, a subject
    the document does not mention, a document already split, a strand (split the document
    instead), a document already decided, and a stale form (EditConflict).
    """
    if submission.original_id:
        raise StrandRefused("This is already a strand: split the original document instead.")
    if not submission.is_piece:
        raise StrandRefused("This submission has already been split into strands.")
    if submission.status not in SPLITTABLE:
        raise StrandRefused(
            "Only a submission not yet decided can be split: this one already has a decision."
        )
    filled = [s for s in strands if s.summary.strip() or s.partner_summary.strip()]
    if len(filled) < 2:
        raise StrandRefused(
            "Add at least two strands: a submission with one piece of information is not split.",
            field="strands",
        )
    if len(filled) > MAX_STRANDS:
        raise StrandRefused(f"Split into {MAX_STRANDS} strands or fewer.", field="strands")
    for number, strand in enumerate(filled, 1):
        if not strand.summary.strip():
            raise StrandRefused(f"Write what strand {number} is about.", field=f"s{number}-summary")
        if not strand.partner_summary.strip():
            raise StrandRefused(
                f"Write strand {number}'s partner-safe summary: it is what partners will see.",
                field=f"s{number}-partner_summary",
            )
    mentions = _mentions_of(submission)
    for number, strand in enumerate(filled, 1):
        for kind in mentions:
            unknown = set(getattr(strand, kind)) - set(mentions[kind])
            if unknown:
                raise StrandRefused(
                    f"Strand {number} names a subject the submission does not mention.",
                    field=f"s{number}-{kind}",
                )
    with transaction.atomic():
        submission.is_piece = False
        save_if_unchanged(submission, expected_version, ["is_piece"])
        made = [
            _make_strand(actor, submission, number, strand, mentions, now)
            for number, strand in enumerate(filled, 1)
        ]
        refs = ", ".join(s.reference for s in made)
        add_trace(
            submission,
            TraceKind.SPLIT,
            actor,
            f"Split into {len(made)} strands: {refs}",
            details={"strands": [s.reference for s in made]},
            at=now,
        )
        record_change(
            actor,
            submission,
            AuditAction.UPDATE,
            changes={"strands": [[], [s.reference for s in made]]},
        )
        roll_up(submission, now=now)
    return made


def merge_strand(
    actor: Any,
    strand: Submission,
    *,
    into: Submission,
    reason: str,
    expected_version: int,
    now: datetime,
) -> Submission:
    """Merge a strand that duplicates another item: the strand is concluded as merged (it no
    longer counts as a piece of information) and both traces say so. Refuses merging into
    itself, into a split document or another merged item, a concluded strand, an empty reason
    and a stale form."""
    if not reason.strip():
        raise StrandRefused("Say why the two are the same piece of information.", field="reason")
    if into.pk == strand.pk:
        raise StrandRefused("Choose another item: a strand cannot be merged into itself.", "into")
    if not into.is_piece:
        raise StrandRefused(
            f"{into.reference} is not a piece of information of its own (it was split or "
            "merged): choose one of its strands or the item it was merged into.",
            field="into",
        )
    if strand.status == Status.CONCLUDED:
        raise StrandRefused("This item is concluded: it cannot be merged.")
    with transaction.atomic():
        strand.is_piece = False
        strand.duplicate_of = into
        strand.status = Status.CONCLUDED
        strand.outcome = Outcome.MERGED
        strand.outcome_notes = reason.strip()
        strand.concluded_at = now
        save_if_unchanged(
            strand,
            expected_version,
            ["is_piece", "duplicate_of", "status", "outcome", "outcome_notes", "concluded_at"],
        )
        add_trace(
            strand, TraceKind.MERGED, actor, f"Merged into {into.reference}", reason=reason, at=now
        )
        add_trace(
            into,
            TraceKind.MERGED,
            actor,
            f"{strand.reference} merged into this",
            reason=reason,
            at=now,
        )
        record_change(
            actor, strand, AuditAction.UPDATE, changes={"duplicate_of": ["", into.reference]}
        )
        if strand.original_id:
            roll_up(strand.original, now=now)
    return strand


def roll_up(original: Submission, *, now: datetime) -> None:
    """Set a split document's status from its strands: concluded once every strand is (acted
    on if any strand was), otherwise the status of its least advanced open strand. Call inside
    the transaction that changed a strand. Bumps the document's version, so a form opened on it
    before the change is stale."""
    strands = list(original.strands.values_list("status", "outcome", "concluded_at"))
    if not strands:
        return
    open_statuses = [Status(s) for s, _, _ in strands if s != Status.CONCLUDED]
    if open_statuses:
        status = min(open_statuses, key=STATUS_ORDER.index)
        outcome, concluded_at = "", None
    else:
        status = Status.CONCLUDED
        outcomes = {o for _, o, _ in strands}
        outcome = Outcome.ACTED_ON if Outcome.ACTED_ON in outcomes else Outcome.RECORDED
        concluded_at = max(c for _, _, c in strands if c)
    was = original.status
    from django.db.models import F

    Submission.objects.filter(pk=original.pk).update(
        status=status, outcome=outcome, concluded_at=concluded_at, version=F("version") + 1
    )
    original.refresh_from_db(fields=["status", "outcome", "concluded_at", "version"])
    if status == Status.CONCLUDED and was != Status.CONCLUDED:
        add_trace(
            original,
            TraceKind.CONCLUDED,
            "Lantern",
            f"Every strand concluded: {Outcome(outcome).label.lower()}",
            at=now,
        )


def strands_of(submission: Submission) -> QuerySet:
    return submission.strands.order_by("strand_number")


def merge_candidates(strand: Submission) -> QuerySet:
    """Items a strand could be merged into: other pieces of information, newest first."""
    return (
        pieces_of_information()
        .exclude(pk=strand.pk)
        .exclude(Q(status=Status.CONCLUDED) & Q(outcome=Outcome.MERGED))
    )


# --- Helpers --------------------------------------------------------------------------------


def _mentions_of(submission: Submission) -> dict[str, dict[int, Any]]:
    return {
        "people": {p.pk: p for p in submission.people.all()},
        "vehicles": {v.pk: v for v in submission.vehicles.all()},
        "phones": {p.pk: p for p in submission.phones.all()},
        "online_accounts": {a.pk: a for a in submission.online_accounts.all()},
    }


def _make_strand(actor, original, number, new: NewStrand, mentions, now) -> Submission:
    strand = Submission.objects.create(
        reference=f"{original.reference}-S{number}",
        idempotency_token=uuid.uuid4(),
        source=original.source,
        route=original.route,
        urgent=original.urgent,
        status=Status.ASSIGNED if original.assigned_to_id else Status.RECEIVED,
        submitted_by=original.submitted_by,
        submitter_agency=original.submitter_agency,
        contact_name=original.contact_name,
        contact_email=original.contact_email,
        contact_phone=original.contact_phone,
        narrative=new.summary.strip(),
        partner_summary=new.partner_summary.strip(),
        occurred_on=original.occurred_on,
        location=original.location,
        ward=original.ward,
        how_known=original.how_known,
        signs=list(original.signs),
        received_at=original.received_at,
        assigned_to=original.assigned_to,
        assigned_at=now if original.assigned_to_id else None,
        original=original,
        strand_number=number,
    )
    strand.shared_with.set(original.shared_with.all())
    _copy_mentions(strand, new, mentions)
    add_trace(
        strand,
        TraceKind.RECEIVED,
        actor,
        f"Strand {number} of {original.reference}, received {original.received_at:%d %B %Y}",
        at=now,
    )
    record_change(actor, strand, AuditAction.CREATE)
    link_mentions(strand, actor=actor, now=now)
    return strand


def _copy_mentions(strand: Submission, new: NewStrand, mentions) -> None:
    SubmissionPerson.objects.bulk_create(
        SubmissionPerson(
            submission=strand,
            name=p.name,
            approximate_age=p.approximate_age,
            description=p.description,
            role=p.role,
        )
        for p in (mentions["people"][i] for i in new.people)
    )
    SubmissionVehicle.objects.bulk_create(
        SubmissionVehicle(
            submission=strand,
            raw=v.raw,
            registration=v.registration,
            is_partial=v.is_partial,
            make=v.make,
            model=v.model,
            colour=v.colour,
        )
        for v in (mentions["vehicles"][i] for i in new.vehicles)
    )
    SubmissionPhone.objects.bulk_create(
        SubmissionPhone(submission=strand, raw=p.raw, e164=p.e164, is_valid=p.is_valid)
        for p in (mentions["phones"][i] for i in new.phones)
    )
    SubmissionOnlineAccount.objects.bulk_create(
        SubmissionOnlineAccount(submission=strand, platform=a.platform, raw=a.raw, handle=a.handle)
        for a in (mentions["online_accounts"][i] for i in new.online_accounts)
    )


SIGNIFICANT_TARGET_HOURS = 24


def flag_significant(
    actor: Any, strand: Submission, *, reason: str, expected_version: int, now: datetime
) -> Submission:
    """Flag a piece of information as significant intelligence (motion point 4: the pathway to
    the Detective Inspector): it goes to the police supervisor's queue with a clock and onto the
    next tasking agenda. Refuses an empty reason, a split document, a concluded item, one
    already flagged and a stale form."""
    if not reason.strip():
        raise StrandRefused("Say why this is significant intelligence.", field="reason")
    if not strand.is_piece:
        raise StrandRefused("Flag one of its strands: a split document is not worked itself.")
    if strand.status == Status.CONCLUDED:
        raise StrandRefused("This item is concluded: it cannot be flagged.")
    if strand.significant_at:
        raise StrandRefused("This item is already flagged as significant.")
    with transaction.atomic():
        strand.significant_reason = reason.strip()
        strand.significant_at = now
        user = getattr(actor, "user", actor)
        strand.significant_by = user if getattr(user, "is_authenticated", False) else None
        save_if_unchanged(
            strand, expected_version, ["significant_reason", "significant_at", "significant_by"]
        )
        add_trace(
            strand,
            TraceKind.SIGNIFICANT,
            actor,
            "Flagged as significant intelligence for the police supervisor",
            reason=reason.strip(),
            at=now,
        )
        record_change(
            actor,
            strand,
            AuditAction.UPDATE,
            changes={"significant": ["", "flagged"]},
            reason=reason.strip(),
        )
    return strand


def significant_queue() -> QuerySet:
    """Open items flagged as significant, oldest flag first."""
    return (
        pieces_of_information()
        .filter(significant_at__isnull=False)
        .exclude(status=Status.CONCLUDED)
        .select_related("significant_by")
        .order_by("significant_at", "pk")
    )
