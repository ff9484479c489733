"""Writing and checking the audit trail.

Every read of a page or export holding personal data and every write goes through `record`
(or its helpers `record_read` and `record_change`), in the same transaction as the change it
describes. `verify_chain` recomputes the hash chain and names the first entry that does not fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from lantern.audit.models import AuditAction, AuditEntry

GENESIS_HASH = "0" * 64
# Any fixed number: the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 7_273_001


def record(
    *,
    actor: Any,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    reason: str = "",
    request: Any = None,
    details: dict | None = None,
    actor_label: str = "",
) -> AuditEntry:
    """Append one entry to the audit trail, chained to the entry before it.

    Call it inside the transaction of the change it describes: if the change rolls back, so
    does the entry. Refuses nothing; an unknown action is still recorded as given.
    `actor_label` overrides how the actor is named (for example an anonymous sign-in attempt).
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        _lock_chain()
        last = AuditEntry.objects.order_by("-id").only("entry_hash").first()
        entry = AuditEntry(
            at=timezone.now(),
            actor=user,
            actor_label=(actor_label or _actor_label(actor))[:200],
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr[:200],
            reason=reason,
            path=(request.get_full_path()[:500] if request is not None else ""),
            ip_address=(_client_ip(request) if request is not None else None),
            details=details or {},
            prev_hash=last.entry_hash if last else GENESIS_HASH,
        )
        entry.entry_hash = entry.compute_hash()
        entry.save(force_insert=True)
    return entry


def record_read(request: Any, obj: Model, *, reason: str = "") -> AuditEntry:
    """Record that the signed-in user opened a page showing this record."""
    return record(
        actor=request.user, action=AuditAction.READ, obj=obj, request=request, reason=reason
    )


def record_list(request: Any, model: type[Model], count: int, **details: Any) -> AuditEntry:
    """Record that the user saw a list of records of this type (how many, with which filters)."""
    return record(
        actor=request.user,
        action=AuditAction.LIST,
        object_type=model._meta.label_lower,
        object_repr=f"{count} {model._meta.verbose_name_plural}",
        request=request,
        details={"count": count, **details},
    )


def record_change(
    request_or_actor: Any,
    obj: Model,
    action: str,
    *,
    changes: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    """Record a write to a record, with the fields that changed as {field: [old, new]}."""
    request = request_or_actor if hasattr(request_or_actor, "user") else None
    actor = request.user if request is not None else request_or_actor
    return record(
        actor=actor,
        action=action,
        obj=obj,
        request=request,
        reason=reason,
        details={"changes": changes} if changes else {},
    )


def entries_for(obj: Model) -> QuerySet[AuditEntry]:
    """Everything the trail holds about one record, newest first."""
    return (
        AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("actor")
        .order_by("-at", "-id")
    )


@dataclass(frozen=True)
class ChainReport:
    entries_checked: int
    first_broken_id: int | None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Recompute every entry's hash in order; report the first entry that does not fit."""
    previous = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        batch = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch_size])
        if not batch:
            return ChainReport(checked, None)
        for entry in batch:
            if entry.prev_hash != previous:
                return ChainReport(checked, entry.id, "its link to the previous entry is broken")
            if entry.compute_hash() != entry.entry_hash:
                return ChainReport(checked, entry.id, "its content does not match its hash")
            previous = entry.entry_hash
            checked += 1
            last_id = entry.id


def _lock_chain() -> None:
    # SQLite: transactions are IMMEDIATE (settings), so the write lock is already held.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def _actor_label(actor: Any) -> str:
    if getattr(actor, "is_authenticated", False):
        return f"{actor.get_username()} ({actor})"[:200]
    if isinstance(actor, str):
        return actor[:200]
    return "anonymous"


def _client_ip(request: Any) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
