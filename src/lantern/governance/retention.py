"""Retention review and two-person disposal.

`review_queue` lists the records of the types a user's team owns whose review date has come
(and that nobody has kept past today or already asked to dispose of). A reviewer keeps a record
until a later review (`retain`) or asks for its disposal (`request_disposal`); a second person
of the owning team (or an information governance officer) approves it (`approve_disposal`),
which removes the personal data in the same transaction, leaves a `DisposedRecord` stub and
keeps every audit entry. Each step is audited. The requester approving is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction

from lantern.accounts.access import Cap, has_capability
from lantern.audit.models import AuditAction
from lantern.audit.services import record
from lantern.core.errors import LanternError
from lantern.governance.models import (
    DisposalRequest,
    DisposalStatus,
    DisposedRecord,
    RetentionReview,
    ReviewDecision,
)
from lantern.governance.registry import RetainedType, retained_type, retained_types


class RetentionRefused(LanternError):
    """A review or disposal step that may not be taken; the message says why."""


@dataclass(frozen=True)
class DueRecord:
    retained: RetainedType
    object_id: str
    stub_label: str
    review_date: date


def owned_types(user) -> list[RetainedType]:
    """The record types this user's team reviews (an IG officer: every type)."""
    if has_capability(user, Cap.REVIEW_RETENTION):
        return retained_types()
    return [t for t in retained_types() if has_capability(user, t.owner_capability)]


def review_queue(user, today: date, limit: int = 200) -> list[DueRecord]:
    """Records of the user's types due for review on `today`, oldest review date first; not
    those kept past today, already disposed of, or with a disposal waiting for approval."""
    rows: list[DueRecord] = []
    for retained in owned_types(user):
        settled = _settled_ids(retained.label, today)
        for obj in retained.due(today)[: limit * 2]:
            if str(obj.pk) in settled or retained.is_disposed(obj):
                continue
            rows.append(
                DueRecord(
                    retained, str(obj.pk), retained.stub_label(obj), retained.review_date(obj)
                )
            )
    return sorted(rows, key=lambda row: (row.review_date, row.retained.label, row.object_id))[
        :limit
    ]


def waiting_disposals(user) -> list[DisposalRequest]:
    labels = [t.label for t in owned_types(user)]
    return list(
        DisposalRequest.objects.filter(status=DisposalStatus.REQUESTED, record_type__in=labels)
        .select_related("requested_by")
        .order_by("requested_at")
    )


def retain(*, actor, label: str, object_id: str, reason: str, until: date, now: datetime):
    """Keep a due record until `until` (after today), with the reviewer's reason. Audited."""
    retained, obj = _owned_record(actor, label, object_id)
    if not reason.strip():
        raise RetentionRefused("Give the reason for keeping the record.")
    if until <= now.date():
        raise RetentionRefused("The next review date must be after today.")
    with transaction.atomic():
        review = RetentionReview.objects.create(
            record_type=label,
            object_id=str(obj.pk),
            decision=ReviewDecision.RETAIN,
            reason=reason.strip(),
            next_review=until,
            reviewed_by=actor,
            reviewed_at=now,
        )
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=obj,
            object_repr=retained.stub_label(obj),
            reason=reason.strip(),
            details={"retention": "retained", "next_review": until.isoformat()},
        )
    return review


def request_disposal(*, actor, label: str, object_id: str, reason: str, now: datetime):
    """Ask for a record's personal data to be disposed of; a second person must approve.
    Refuses a record already disposed of or with a request waiting."""
    retained, obj = _owned_record(actor, label, object_id)
    if not reason.strip():
        raise RetentionRefused("Give the reason the record should be disposed of.")
    if retained.is_disposed(obj):
        raise RetentionRefused("This record has already been disposed of.")
    try:
        with transaction.atomic():
            request = DisposalRequest.objects.create(
                record_type=label,
                object_id=str(obj.pk),
                stub_label=retained.stub_label(obj),
                reason=reason.strip(),
                requested_by=actor,
                requested_at=now,
            )
            RetentionReview.objects.create(
                record_type=label,
                object_id=str(obj.pk),
                decision=ReviewDecision.DISPOSE,
                reason=reason.strip(),
                reviewed_by=actor,
                reviewed_at=now,
            )
            record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=obj,
                object_repr=request.stub_label,
                reason=reason.strip(),
                details={"retention": "disposal requested", "request": request.pk},
            )
    except IntegrityError:
        raise RetentionRefused(
            "A disposal of this record is already waiting for approval."
        ) from None
    return request


def approve_disposal(*, actor, request_id: int, note: str = "", now: datetime) -> DisposedRecord:
    """A second person approves: the record's personal data is removed, a stub is left and
    the disposal is audited, all in one transaction. The requester approving is refused."""
    with transaction.atomic():
        request = _open_request(actor, request_id)
        if request.requested_by_id == actor.pk:
            raise RetentionRefused(
                "You asked for this disposal, so you cannot approve it: a second person from "
                "the owning team or information governance must."
            )
        retained, obj = _owned_record(actor, request.record_type, request.object_id)
        removed = retained.dispose(obj)
        request.status = DisposalStatus.APPROVED
        request.decided_by, request.decided_at, request.decision_note = actor, now, note.strip()
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        stub = DisposedRecord.objects.create(
            record_type=request.record_type,
            object_id=request.object_id,
            stub_label=request.stub_label,
            request=request,
            disposed_at=now,
            fields_removed=removed,
        )
        record(
            actor=actor,
            action=AuditAction.DISPOSE,
            object_type=request.record_type,
            object_id=request.object_id,
            object_repr=request.stub_label,
            reason=request.reason,
            details={
                "request": request.pk,
                "requested_by": request.requested_by_id,
                "fields_removed": removed,
            },
        )
    return stub


def refuse_disposal(*, actor, request_id: int, note: str, now: datetime) -> DisposalRequest:
    """A second person refuses: the record stays as it is. Audited."""
    if not note.strip():
        raise RetentionRefused("Say why the disposal is refused.")
    with transaction.atomic():
        request = _open_request(actor, request_id)
        retained, obj = _owned_record(actor, request.record_type, request.object_id)
        request.status = DisposalStatus.REFUSED
        request.decided_by, request.decided_at, request.decision_note = actor, now, note.strip()
        request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=obj,
            object_repr=request.stub_label,
            reason=note.strip(),
            details={"retention": "disposal refused", "request": request.pk},
        )
    return request


def _owned_record(actor, label: str, object_id: str):
    retained = retained_type(label)
    if retained is None or retained not in owned_types(actor):
        raise RetentionRefused("You do not review records of this type.")
    model = retained.due(date.max).model
    obj = model._base_manager.filter(pk=object_id).first()
    if obj is None:
        raise RetentionRefused("There is no such record.")
    return retained, obj


def _open_request(actor, request_id: int) -> DisposalRequest:
    request = DisposalRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None or request.status != DisposalStatus.REQUESTED:
        raise RetentionRefused("This disposal is not waiting for approval.")
    return request


def _settled_ids(label: str, today: date) -> set[str]:
    """Records kept past today, or with a disposal waiting or done."""
    kept = RetentionReview.objects.filter(
        record_type=label, decision=ReviewDecision.RETAIN, next_review__gt=today
    ).values_list("object_id", flat=True)
    waiting = DisposalRequest.objects.filter(
        record_type=label, status__in=[DisposalStatus.REQUESTED, DisposalStatus.APPROVED]
    ).values_list("object_id", flat=True)
    return set(kept) | set(waiting)
