"""What the single point of entry does: receive, assign, grade, decide, conclude, feed back.

Every function here is one transaction. Each change to a submission is checked against the
lifecycle (`ALLOWED_FROM`), saved only if nobody else moved the submission on since the form
was opened (`version`), written to the submission's trace by `add_trace` and to the audit
trail by `record_change`, all in that one transaction. Refusals are `IntakeError`s.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from lantern.accounts.models import Agency
from lantern.audit.models import AuditAction
from lantern.audit.services import record_change
from lantern.core.errors import LanternError
from lantern.core.phones import e164 as phone_e164
from lantern.core.uploads import CheckedFile, UploadRefused, check_upload
from lantern.core.versioning import save_if_unchanged
from lantern.intake.entity_links import link_mentions
from lantern.intake.models import (
    Attachment,
    Decision,
    FeedbackKind,
    FeedbackMessage,
    HandlingCode,
    Outcome,
    ReferenceCounter,
    ReferredChild,
    Route,
    Status,
    Submission,
    SubmissionOnlineAccount,
    SubmissionPerson,
    SubmissionPhone,
    SubmissionVehicle,
    TraceEvent,
    TraceKind,
)

logger = logging.getLogger(__name__)

NARRATIVE_MAX = 5000
MAX_ATTACHMENTS = 5


class IntakeError(LanternError):
    """A refusal from the single point of entry."""


class TransitionRefused(IntakeError):
    """The submission is not at a stage where this can be done."""


class AttachmentRefused(IntakeError):
    """A file that is too big or is not a photo, screenshot or PDF."""


# Which statuses each step may start from. Assigning again (reassignment) is allowed until the
# submission is concluded; grading again is allowed until it is decided.
ALLOWED_FROM = {
    "assign": {Status.RECEIVED, Status.ASSIGNED, Status.GRADED, Status.DECIDED},
    "grade": {Status.ASSIGNED, Status.GRADED},
    "decide": {Status.GRADED},
    "conclude": {Status.DECIDED},
}
REFUSALS = {
    "assign": "This submission has been concluded, so it cannot be reassigned.",
    "grade": "Only a submission assigned to an officer and not yet decided can be graded.",
    "decide": "A submission must be graded, and not already decided, before a decision.",
    "conclude": "A submission can be concluded only after a decision has been recorded.",
}


# --- Receiving ------------------------------------------------------------------------------


@dataclass
class NewSubmission:
    """What a reporter gave us. Mentions are lists of dicts with the mention rows' fields."""

    token: uuid.UUID
    source: str
    route: str
    narrative: str
    occurred_on: date | None = None
    location: str = ""
    ward_id: int | None = None
    how_known: str = ""
    signs: list[str] = field(default_factory=list)
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    people: list[dict] = field(default_factory=list)
    vehicles: list[str | dict] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    online_accounts: list[dict] = field(default_factory=list)
    files: list[Any] = field(default_factory=list)
    # Who the child is, for a "specific child" report: ReferredChild's fields, blank if unknown.
    child: dict = field(default_factory=dict)


def receive_submission(actor: Any, new: NewSubmission, *, now: datetime) -> tuple[Submission, bool]:
    """Record a submission with its mentions and attachments; give it a reference.

    Returns (submission, created). A token seen before returns the submission it made, so a
    double click, refresh or retry makes one submission. Refuses (IntakeError) an empty or
    over-long narrative, a date in the future and a file that is not an allowed type or size;
    nothing is saved when it refuses.
    """
    existing = Submission.objects.filter(idempotency_token=new.token).first()
    if existing is not None:
        return existing, False
    _check_new(new, now)
    checked_files = [(f, check_attachment(f)) for f in new.files]
    user = _user_of(actor)
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                reference=next_reference(now),
                idempotency_token=new.token,
                source=new.source,
                route=new.route,
                urgent=new.route == Route.IMMEDIATE_DANGER,
                submitted_by=user,
                submitter_agency=getattr(user, "agency", None),
                contact_name=new.contact_name,
                contact_email=new.contact_email,
                contact_phone=new.contact_phone,
                narrative=new.narrative,
                occurred_on=new.occurred_on,
                location=new.location,
                ward_id=new.ward_id,
                how_known=new.how_known,
                signs=list(new.signs),
                received_at=now,
            )
            if submission.submitter_agency_id:
                submission.shared_with.add(submission.submitter_agency_id)
            _save_mentions(submission, new)
            if new.route == Route.SPECIFIC_CHILD and any(new.child.values()):
                _save_referred_child(submission, new.child)
            for upload, checked in checked_files:
                _save_attachment(submission, upload, checked, now)
            add_trace(
                submission, TraceKind.RECEIVED, actor, f"Received from {_source_label(new)}", at=now
            )
            add_trace(
                submission,
                TraceKind.ACKNOWLEDGED,
                actor,
                "Reference shown on screen with what happens next",
                at=now,
            )
            record_change(actor, submission, AuditAction.CREATE)
            link_mentions(submission, actor=actor, now=now)
    except IntegrityError:
        # Two requests with the same token raced: the other one won, and made the submission.
        existing = Submission.objects.filter(idempotency_token=new.token).first()
        if existing is None:
            raise
        return existing, False
    return submission, True


def _save_referred_child(submission: Submission, child: dict) -> ReferredChild:
    """Who the child is, as the reporter knows them; blank answers were not known."""
    fields = {
        key: (value if key == "date_of_birth" else (value or "").strip())
        for key, value in child.items()
    }
    return ReferredChild.objects.create(submission=submission, **fields)


def next_reference(now: datetime) -> str:
    """The next reference for the year, e.g. LAN-2026-000123. Call inside a transaction.

    The counter row is bumped with an UPDATE, which holds the row lock until commit on
    PostgreSQL (and SQLite's IMMEDIATE transactions hold the database lock), so two
    submissions never get the same number.
    """
    year = timezone.localtime(now).year
    if not ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1):
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(year=year, last=0)
        except IntegrityError:
            pass  # someone else created this year's row first
        ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1)
    number = ReferenceCounter.objects.get(year=year).last
    return f"LAN-{year}-{number:06d}"


def normalise_registration(raw: str) -> tuple[str, bool, str]:
    """(registration, is_partial, warning). Upper case without spaces; "?" marks unseen
    characters. A partial or unusual registration is kept, with a warning."""
    registration = re.sub(r"[\s-]+", "", raw).upper()
    if not registration:
        return "", False, ""
    partial = "?" in registration or "*" in registration
    registration = registration.replace("*", "?")
    if partial:
        return registration, True, f"{raw} is a partial registration: it has been kept as seen."
    if not re.fullmatch(r"[A-Z0-9]{2,8}", registration):
        return registration, False, f"{raw} does not look like a registration: kept as written."
    return registration, False, ""


def normalise_phone(raw: str) -> tuple[str, bool, str]:
    """(E.164 number, is_valid, warning), reading numbers as UK ones unless they start with +.

    Only a valid number is rewritten (`lantern.core.phones`); anything else, a partial number
    above all, is kept exactly as written, with a warning, and matched only exactly."""
    number = phone_e164(raw)
    if number:
        return number, True, ""
    if not re.search(r"\d", raw or ""):
        return "", False, f"{raw} does not look like a phone number: kept as written."
    return "", False, f"{raw} is not a complete, valid phone number: kept as written."


def mention_warnings(vehicles: Iterable[str], phones: Iterable[str]) -> list[str]:
    """The warnings a reporter should see about registrations and phone numbers they gave."""
    warnings = [normalise_registration(v)[2] for v in vehicles]
    warnings += [normalise_phone(p)[2] for p in phones]
    return [w for w in warnings if w]


def check_attachment(upload: Any) -> CheckedFile:
    """What to store of an upload, found by parsing it (never by its name, the type the
    browser claims or its first bytes alone): a picture re-encoded without its metadata, or a
    PDF that parses. Refuses (AttachmentRefused) files over the size limit and anything else:
    HTML, SVG and programs are refused whatever their name or first bytes."""
    try:
        return check_upload(upload, max_bytes=max_attachment_bytes())
    except UploadRefused as error:
        raise AttachmentRefused(str(error)) from error


def max_attachment_bytes() -> int:
    return settings.LANTERN_INTAKE_MAX_ATTACHMENT_BYTES


# --- Working a submission -------------------------------------------------------------------


def assign_submission(
    actor: Any, submission: Submission, *, officer: Any, expected_version: int, now: datetime
) -> Submission:
    """Assign the submission to an officer who works intake. Refuses a concluded submission,
    an officer without the intake capability and a stale form (EditConflict)."""
    from lantern.accounts.access import Cap, has_capability

    _check_step(submission, "assign")
    if not has_capability(officer, Cap.WORK_INTAKE):
        raise IntakeError(f"{officer} does not work the intelligence queue.")
    with transaction.atomic():
        old = submission.assigned_to
        submission.assigned_to = officer
        submission.assigned_at = now
        if submission.status == Status.RECEIVED:
            submission.status = Status.ASSIGNED
        save_if_unchanged(submission, expected_version, ["assigned_to", "assigned_at", "status"])
        add_trace(submission, TraceKind.ASSIGNED, actor, f"Assigned to {officer}", at=now)
        _roll_up_original(submission, now)
        record_change(
            actor,
            submission,
            AuditAction.UPDATE,
            changes={"assigned_to": [str(old or ""), str(officer)]},
        )
    return submission


def grade_submission(
    actor: Any,
    submission: Submission,
    *,
    expected_version: int,
    source_evaluation: str,
    intelligence_assessment: str,
    handling_code: str,
    handling_conditions: str,
    partner_summary: str,
    research_notes: str,
    now: datetime,
) -> Submission:
    """Grade with 3x5x2 and write the partner-safe summary and research notes. Refuses a
    submission not yet assigned or already decided, handling code C without its conditions,
    an empty partner summary, and a stale form."""
    _check_step(submission, "grade")
    if handling_code == HandlingCode.C and not handling_conditions.strip():
        raise IntakeError("Handling code C needs its conditions: say what they are.")
    if not partner_summary.strip():
        raise IntakeError("Write the partner-safe summary: it is what partners will see.")
    with transaction.atomic():
        before = submission.grade
        submission.source_evaluation = source_evaluation
        submission.intelligence_assessment = intelligence_assessment
        submission.handling_code = handling_code
        submission.handling_conditions = (
            handling_conditions.strip() if handling_code == HandlingCode.C else ""
        )
        submission.partner_summary = partner_summary.strip()
        submission.research_notes = research_notes.strip()
        submission.graded_at = now
        submission.status = Status.GRADED
        save_if_unchanged(
            submission,
            expected_version,
            [
                "source_evaluation",
                "intelligence_assessment",
                "handling_code",
                "handling_conditions",
                "partner_summary",
                "research_notes",
                "graded_at",
                "status",
            ],
        )
        verb = "Regraded" if before else "Graded"
        add_trace(submission, TraceKind.GRADED, actor, f"{verb} {submission.grade}", at=now)
        _roll_up_original(submission, now)
        record_change(
            actor, submission, AuditAction.UPDATE, changes={"grade": [before, submission.grade]}
        )
    return submission


def decide_submission(
    actor: Any,
    submission: Submission,
    *,
    expected_version: int,
    decision: str,
    rationale: str,
    referred_to: str = "",
    share_with: Sequence[Agency] = (),
    now: datetime,
) -> Submission:
    """Record the decision and share the partner-safe summary with the chosen agencies.
    Refuses a submission not graded (or already decided), record only without a rationale,
    a referral without who it went to, and a stale form."""
    _check_step(submission, "decide")
    rationale = rationale.strip()
    if decision == Decision.RECORD_ONLY and not rationale:
        raise IntakeError("Say why no further action is needed: the rationale cannot be empty.")
    if decision == Decision.REFER_ELSEWHERE and not referred_to.strip():
        raise IntakeError("Say which force or agency it was referred to.")
    with transaction.atomic():
        submission.decision = decision
        submission.decision_rationale = rationale
        submission.referred_to = referred_to.strip() if decision == Decision.REFER_ELSEWHERE else ""
        submission.decided_at = now
        submission.status = Status.DECIDED
        save_if_unchanged(
            submission,
            expected_version,
            ["decision", "decision_rationale", "referred_to", "decided_at", "status"],
        )
        label = Decision(decision).label
        if submission.referred_to:
            label += f": {submission.referred_to}"
        add_trace(submission, TraceKind.DECIDED, actor, label, reason=rationale, at=now)
        _roll_up_original(submission, now)
        changes: dict[str, list] = {"decision": ["", decision]}
        before = sorted(submission.shared_with.values_list("name", flat=True))
        submission.shared_with.add(*share_with)
        after = sorted(submission.shared_with.values_list("name", flat=True))
        if after != before:
            # Recorded whole, old and new: a list of only the added names once read as
            # "first agency → second agency" in the history.
            changes["shared_with"] = [before, after]
            add_trace(
                submission,
                TraceKind.SHARED,
                actor,
                f"Summary shared with {_names(after)}",
                reason=f"Before: {_names(before) or 'no agency'}",
                at=now,
            )
        record_change(actor, submission, AuditAction.UPDATE, changes=changes, reason=rationale)
    return submission


def conclude_submission(
    actor: Any, submission: Submission, *, expected_version: int, notes: str, now: datetime
) -> Submission:
    """Conclude with the outcome wording the officer confirms: the outcome is "acted on"
    unless the decision was record only. Refuses a submission without a decision (or already
    concluded), empty outcome wording, a stale form, and "acted on" while an agenda item or
    action on it is still open (the refusal names them): a reporter must never be told "acted
    on" while the work is open."""
    from lantern.intake.open_work import open_work_for

    _check_step(submission, "conclude")
    if submission.decision != Decision.RECORD_ONLY:
        still_open = open_work_for(submission)
        if still_open:
            raise TransitionRefused(
                "This cannot be concluded as acted on while work on it is open: "
                + "; ".join(still_open)
                + "."
            )
    if not notes.strip():
        raise IntakeError("Confirm the outcome wording: say what was done, in a sentence or two.")
    with transaction.atomic():
        submission.outcome = (
            Outcome.RECORDED if submission.decision == Decision.RECORD_ONLY else Outcome.ACTED_ON
        )
        submission.outcome_notes = notes.strip()
        submission.concluded_at = now
        submission.status = Status.CONCLUDED
        save_if_unchanged(
            submission, expected_version, ["outcome", "outcome_notes", "concluded_at", "status"]
        )
        add_trace(
            submission,
            TraceKind.CONCLUDED,
            actor,
            f"Concluded: {Outcome(submission.outcome).label.lower()}",
            reason=submission.outcome_notes,
            at=now,
        )
        record_change(actor, submission, AuditAction.UPDATE, changes={"status": ["", "concluded"]})
        _roll_up_original(submission, now)
    return submission


def note_on_trace(
    actor: Any,
    submission: Submission,
    *,
    kind: str,
    summary: str,
    reason: str = "",
    details: dict | None = None,
    now: datetime,
) -> TraceEvent:
    """Put something that happened elsewhere on a submission's trace: a record linked to it
    (entities), a tasking action and its outcome (tasking). Refuses kinds that only the
    lifecycle writes, so the trace cannot claim a grade or decision that was never made."""
    if kind not in (TraceKind.LINKED, TraceKind.ACTION, TraceKind.AGENDA, TraceKind.NOTE):
        raise IntakeError("Only linked records, tasking items and actions, and notes can be added.")
    if not summary.strip():
        raise IntakeError("Say what happened.")
    with transaction.atomic():
        event = add_trace(
            submission, kind, actor, summary.strip(), reason=reason, details=details, at=now
        )
        record_change(
            actor, submission, AuditAction.UPDATE, changes={"trace": ["", summary.strip()]}
        )
    return event


# What a partner reads of a trace: the step, never the rationale, notes or who did it.
PARTNER_KINDS = {
    TraceKind.RECEIVED,
    TraceKind.SPLIT,
    TraceKind.DECIDED,
    TraceKind.AGENDA,
    TraceKind.ACTION,
    TraceKind.MERGED,
    TraceKind.CONCLUDED,
    TraceKind.FEEDBACK,
}


def partner_timeline(submission: Submission) -> list[tuple[datetime, str]]:
    """The trace as a partner agency may read it: each step in partner-safe words. Tasking
    lines are the partner text tasking wrote beside them (meeting, "kept on the schedule" or
    closed, an action for an agency due on a date), never the discussion or an action's
    detail; a tasking line without partner text is left out rather than shown whole."""
    lines = []
    events = submission.trace.filter(kind__in=PARTNER_KINDS).only(
        "at", "kind", "summary", "details"
    )
    for event in events:
        if event.kind in (TraceKind.AGENDA, TraceKind.ACTION):
            text = (event.details or {}).get("partner", "")
        elif event.kind == TraceKind.DECIDED:
            text = "Decision: " + event.summary.split(":")[0]
        elif event.kind == TraceKind.RECEIVED:
            text = "Received"
        else:
            text = event.summary
        if text:
            lines.append((event.at, text))
    return lines


def add_trace(
    submission: Submission,
    kind: str,
    actor: Any,
    summary: str,
    *,
    reason: str = "",
    details: dict | None = None,
    at: datetime | None = None,
) -> TraceEvent:
    """Write one timeline entry. The only place TraceEvents are made; call it inside the
    transaction of the change it describes."""
    user = _user_of(actor)
    return TraceEvent.objects.create(
        submission=submission,
        at=at or timezone.now(),
        kind=kind,
        actor=user,
        actor_label=str(user) if user else (actor if isinstance(actor, str) else "Reporter"),
        summary=summary[:300],
        reason=reason,
        details=details or {},
    )


# --- Feedback -------------------------------------------------------------------------------

ACK_SUBJECT = "We have received your report {reference}"
ACK_BODY = (
    "Thank you. We have received your report and given it the reference {reference}.\n\n"
    "To check its progress, go to the start page and use your reference with this status "
    "code: {code}. Keep the code private: with the reference it shows the report's status.\n\n"
    "What happens next: trained staff will read it and decide what to do. If you think a child "
    "is in immediate danger, call 999.\n\nPlease keep the reference if you contact us about it."
)
CONCLUSION_SUBJECT = "Update on your report {reference}"
CONCLUSION_BODY = {
    Outcome.ACTED_ON: (
        "Your report {reference} has been assessed and acted on. Thank you for telling us. "
        "We cannot share details of what was done, to protect the people involved."
    ),
    Outcome.RECORDED: (
        "Your report {reference} has been assessed and recorded. It will be used alongside "
        "other information we hold. Thank you for telling us."
    ),
    Outcome.MERGED: (
        "Part of your report, {reference}, was about the same thing as another report we "
        "already hold. It has been joined with it and is followed up there. Thank you."
    ),
}


# Messages are worth sending only while they are news: an acknowledgement within a week of
# receipt, a conclusion message within a month of conclusion (so records loaded from an older
# system, or the demo's history, do not set off a flood of stale messages).
FEEDBACK_WINDOW = {"ack": timedelta(days=7), "conclusion": timedelta(days=30)}


def send_due_feedback(now: datetime, *, batch: int = 500) -> str:
    """Send the acknowledgement and conclusion messages not yet sent to reporters who gave a
    way to contact them, up to `batch` of each per run. Idempotent: one FeedbackMessage per
    submission and kind."""
    acks = _send_batch(
        # A strand was acknowledged as part of its document: one acknowledgement per report.
        Submission.objects.filter(
            received_at__gte=now - FEEDBACK_WINDOW["ack"], original__isnull=True
        ).exclude(feedback__kind=FeedbackKind.ACKNOWLEDGEMENT),
        FeedbackKind.ACKNOWLEDGEMENT,
        now,
        batch,
    )
    conclusions = _send_batch(
        # Each strand is fed back as it concludes; a split document is not fed back again.
        Submission.objects.filter(
            Q(is_piece=True) | Q(duplicate_of__isnull=False),
            status=Status.CONCLUDED,
            concluded_at__gte=now - FEEDBACK_WINDOW["conclusion"],
        ).exclude(feedback__kind=FeedbackKind.CONCLUSION),
        FeedbackKind.CONCLUSION,
        now,
        batch,
    )
    return f"{acks} acknowledgements and {conclusions} conclusion messages sent"


def send_councillor_digests(now: datetime) -> str:
    """Once a month, send each councillor who has reported anything the plain status of
    everything they reported. Idempotent: one digest per councillor per month."""
    from lantern.accounts.models import User
    from lantern.accounts.roles import Role

    period = timezone.localtime(now).strftime("%Y-%m")
    councillors = (
        User.objects.filter(role_assignments__role=Role.COUNCILLOR, is_active=True)
        .exclude(email="")
        .filter(intake_submissions__isnull=False)
        .exclude(
            pk__in=FeedbackMessage.objects.filter(kind=FeedbackKind.DIGEST, period=period).values(
                "recipient_id"
            )
        )
        .distinct()
    )
    sent = 0
    for councillor in councillors:
        items = councillor.intake_submissions.order_by("received_at")
        lines = [
            f"{s.reference} (received {s.received_at:%d %B %Y}): {s.plain_status}" for s in items
        ]
        body = (
            f"The status of the reports you have made, as at {timezone.localtime(now):%d %B %Y}:"
            "\n\n" + "\n".join(lines)
        )
        with transaction.atomic():
            FeedbackMessage.objects.create(
                kind=FeedbackKind.DIGEST,
                recipient=councillor,
                period=period,
                to_address=councillor.email,
                subject=f"Your reports: status in {timezone.localtime(now):%B %Y}",
                body=body,
                sent_at=now,
            )
            EmailMessage(
                f"Your reports: status in {timezone.localtime(now):%B %Y}",
                body,
                None,
                [councillor.email],
            ).send(using="default")
        sent += 1
    return f"{sent} councillor digests sent for {period}"


def status_code_for(submission: Submission) -> str:
    """The status code given to the reporter at submission (on the confirmation page and in the
    acknowledgement): with the reference, it shows the plain status. Derived with a keyed hash
    from the submission's private token, so it is never stored and a reference alone, or the
    database alone, gives nothing away."""
    key = (settings.LANTERN_STATUS_CODE_KEY or settings.SECRET_KEY).encode()
    message = f"status:{submission.reference}:{submission.idempotency_token}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    code = base64.b32encode(digest).decode()[:STATUS_CODE_LENGTH].translate(_READABLE)
    return "-".join(code[i : i + 4] for i in range(0, STATUS_CODE_LENGTH, 4))


def submission_for_lookup(reference: str, code: str) -> Submission | None:
    """The submission with this reference, if `code` is its status code; None otherwise, the
    same whether the reference exists or not. Callers show its plain status only."""
    submission = Submission.objects.filter(reference__iexact=reference.strip()).first()
    given = _normalised_code(code)
    expected = _normalised_code(status_code_for(submission)) if submission else "0" * 12
    if not hmac.compare_digest(given.encode(), expected.encode()) or submission is None:
        return None
    return submission


STATUS_CODE_LENGTH = 12
# Base32 without the letters people confuse with digits: O reads as 0, I and L as 1.
_READABLE = str.maketrans({"O": "8", "I": "9", "L": "7"})


def _normalised_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def contact_address(submission: Submission) -> str:
    """Where to send feedback: the contact email given, or the signed-in reporter's email."""
    if submission.contact_email:
        return submission.contact_email
    if submission.submitted_by_id and submission.submitted_by.email:
        return submission.submitted_by.email
    return ""


# --- Helpers --------------------------------------------------------------------------------


def _send_batch(queryset, kind: str, now: datetime, batch: int) -> int:
    candidates = (
        queryset.filter(Q(submitted_by__email__gt="") | Q(contact_email__gt=""))
        .select_related("submitted_by")
        .order_by("received_at")[:batch]
    )
    sent = 0
    for submission in candidates:
        address = contact_address(submission)
        if kind == FeedbackKind.ACKNOWLEDGEMENT:
            subject = ACK_SUBJECT.format(reference=submission.reference)
            body = ACK_BODY.format(reference=submission.reference, code=status_code_for(submission))
            summary = "Acknowledgement sent"
        else:
            subject = CONCLUSION_SUBJECT.format(reference=submission.reference)
            body = CONCLUSION_BODY[Outcome(submission.outcome)].format(
                reference=submission.reference
            )
            summary = "Feedback sent: " + Outcome(submission.outcome).label.lower()
        try:
            with transaction.atomic():
                FeedbackMessage.objects.create(
                    kind=kind,
                    submission=submission,
                    recipient=submission.submitted_by,
                    to_address=address,
                    subject=subject,
                    body=body,
                    sent_at=now,
                )
                trace_kind = (
                    TraceKind.ACKNOWLEDGED
                    if kind == FeedbackKind.ACKNOWLEDGEMENT
                    else TraceKind.FEEDBACK
                )
                add_trace(submission, trace_kind, "Lantern", summary, at=now)
                EmailMessage(subject, body, None, [address]).send(using="default")
        except IntegrityError:
            continue  # another run sent it first
        except Exception:  # noqa: BLE001 - one failed message must not stop the others
            # Nothing was recorded, so the next run tries this message again.
            logger.warning("Could not send %s for %s", kind, submission.reference, exc_info=True)
            continue
        sent += 1
    return sent


def _check_new(new: NewSubmission, now: datetime) -> None:
    if not new.narrative.strip():
        raise IntakeError("Tell us what you saw or heard.")
    if len(new.narrative) > NARRATIVE_MAX:
        raise IntakeError(f"What you saw or heard must be {NARRATIVE_MAX} characters or fewer.")
    if new.occurred_on and new.occurred_on > timezone.localdate(now):
        raise IntakeError("The date it happened must be today or in the past.")
    if len(new.files) > MAX_ATTACHMENTS:
        raise AttachmentRefused(f"Attach {MAX_ATTACHMENTS} files or fewer.")


def _save_mentions(submission: Submission, new: NewSubmission) -> None:
    SubmissionPerson.objects.bulk_create(
        SubmissionPerson(submission=submission, **person) for person in new.people
    )
    vehicles = []
    for vehicle in new.vehicles:
        row = {"raw": vehicle} if isinstance(vehicle, str) else dict(vehicle)
        registration, partial, _ = normalise_registration(row.get("raw", ""))
        vehicles.append(
            SubmissionVehicle(
                submission=submission, registration=registration, is_partial=partial, **row
            )
        )
    SubmissionVehicle.objects.bulk_create(vehicles)
    phones = []
    for raw in new.phones:
        e164, valid, _ = normalise_phone(raw)
        phones.append(SubmissionPhone(submission=submission, raw=raw, e164=e164, is_valid=valid))
    SubmissionPhone.objects.bulk_create(phones)
    SubmissionOnlineAccount.objects.bulk_create(
        SubmissionOnlineAccount(
            submission=submission,
            platform=account.get("platform", ""),
            raw=account["raw"],
            handle=account["raw"].strip().lstrip("@").lower(),
        )
        for account in new.online_accounts
    )


def _save_attachment(submission: Submission, upload: Any, checked: CheckedFile, now: datetime):
    data = checked.data
    # The stored name is ours, never the reporter's: nothing they type reaches the file system.
    stored = ContentFile(data, name=f"{uuid.uuid4().hex}.{checked.extension}")
    Attachment.objects.create(
        submission=submission,
        file=stored,
        original_name=(upload.name or "attachment")[:200],
        content_type=checked.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_at=now,
    )


def _roll_up_original(submission: Submission, now: datetime) -> None:
    """A strand moved on: its document's status follows (intake.strands.roll_up)."""
    if submission.original_id:
        from lantern.intake.strands import roll_up

        roll_up(submission.original, now=now)


def _check_step(submission: Submission, step: str) -> None:
    if submission.is_split:
        raise TransitionRefused(
            "This submission has been split into strands: work each strand instead."
        )
    if submission.status not in ALLOWED_FROM[step]:
        raise TransitionRefused(REFUSALS[step])


def _user_of(actor: Any) -> Any:
    user = getattr(actor, "user", actor)
    return user if getattr(user, "is_authenticated", False) else None


def _source_label(new: NewSubmission) -> str:
    from lantern.intake.models import Source

    return Source(new.source).label.lower()


def _names(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    names = list(names)
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)
