"""Writing the audit trail.

Every read of a page or export holding personal data and every write goes through `record`
(or its helpers `record_read` and `record_change`), in the same transaction as the change it
describes. The entry is signed (HMAC) and queued there without any lock; once that transaction
commits, `chain.chain_pending` gives it its place in the chain in a short transaction of its
own, so a long import never holds up other requests' audit writes. `verify_chain` checks the
whole trail (see `lantern.audit.chain`).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from lantern.audit.chain import (  # noqa: F401 - the trail's public interface
    GENESIS_HASH,
    ChainReport,
    chain_pending,
    verify_chain,
)
from lantern.audit.keys import current_key
from lantern.audit.models import AuditAction, AuditEntry, AuditPending

logger = logging.getLogger("lantern.audit")


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
    """Append one entry to the audit trail, signed with the current audit key; it is chained
    to the entries before it as soon as the transaction it is written in commits.

    Call it inside the transaction of the change it describes: if the change rolls back, so
    does the entry. Refuses nothing; an unknown action is still recorded as given.
    `actor_label` overrides how the actor is named (for example an anonymous sign-in attempt).
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    user = actor if getattr(actor, "is_authenticated", False) else None
    key_id, key = current_key()
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
        key_id=key_id,
    )
    # The JSON round trip the database makes, so the MAC is of what is stored.
    entry.details = json_roundtrip(entry.details)
    entry.mac = entry.compute_mac(key)
    with transaction.atomic():
        entry.save(force_insert=True)
        AuditPending.objects.create(entry=entry)
        _chain_after_commit()
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


def _chain_after_commit() -> None:
    """Chain this transaction's entries once it commits: one step per transaction, however many
    entries it wrote (a 5,000-row import chains them in batches after its commit)."""
    if any(func is _chain_committed for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(_chain_committed, robust=True)


def _chain_committed() -> None:
    try:
        chain_pending()
    except DatabaseError:
        # The entries stay queued, signed; the next commit or `lantern tick` chains them.
        logger.warning("audit: could not chain the entries just written", exc_info=True)


def json_roundtrip(details: dict) -> dict:
    return json.loads(json.dumps(details, default=str))


def _actor_label(actor: Any) -> str:
    if getattr(actor, "is_authenticated", False):
        return f"{actor.get_username()} ({actor})"[:200]
    if isinstance(actor, str):
        return actor[:200]
    return "anonymous"


def _client_ip(request: Any) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
