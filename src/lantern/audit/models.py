"""The audit trail: an append-only, HMAC-chained record of every read and write of personal data.

An entry is written with an HMAC of its own content (`mac`, under the key `key_id`) in the
transaction of the change it describes, with no lock; a short separate step after commit gives it
its place in the chain (`AuditLink`, in commit order), so no transaction holds up another's
audit writes. Entries written before the HMAC chain (no `key_id`) keep their plain SHA-256 chain
(`prev_hash`, `entry_hash`), anchored by the genesis `AuditCheckpoint`.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    READ = "read", "Read"
    LIST = "list", "Listed"
    EXPORT = "export", "Exported"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    ARCHIVE = "archive", "Archived"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGN_OUT = "sign_out", "Signed out"
    SECOND_FACTOR = "second_factor", "Second factor"
    BREAK_GLASS = "break_glass", "Exceptional access"
    DISPOSE = "dispose", "Disposed of"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit trail is append-only: entries cannot be changed.")

    def delete(self):
        raise PermissionError("The audit trail is append-only: entries cannot be deleted.")


class AuditEntry(models.Model):
    """One thing that happened. Each entry carries the hash of the one before it."""

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    # The plain SHA-256 chain of entries written before the HMAC chain; blank on newer entries.
    prev_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, blank=True, db_index=True)
    key_id = models.CharField(max_length=20, blank=True)
    mac = models.CharField(max_length=64, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"], name="audit_object_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_idx"),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit trail is append-only: entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit trail is append-only: entries cannot be deleted.")

    def content(self) -> dict:
        """What the entry says, as signed."""
        return {
            "at": self.at.isoformat(timespec="microseconds"),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "reason": self.reason,
            "path": self.path,
            "ip_address": self.ip_address,
            "details": self.details,
        }

    def compute_mac(self, key: bytes) -> str:
        """The HMAC-SHA-256 of this entry's content under `key`."""
        return hmac.new(key, canonical(self.content()), hashlib.sha256).hexdigest()

    def compute_hash(self) -> str:
        """The plain SHA-256 of a legacy entry's content and the previous entry's hash."""
        content = self.content() | {"prev_hash": self.prev_hash}
        return hashlib.sha256(canonical(content)).hexdigest()


class AuditLink(models.Model):
    """An entry's place in the chain: position `seq` (1, 2, 3 ... with no gaps), the MAC of the
    link before it, and its own MAC over both, so removing, reordering or rewriting entries breaks
    the chain at the first one touched. Written in commit order by `services.chain_pending`."""

    seq = models.BigIntegerField(primary_key=True)
    entry = models.OneToOneField(AuditEntry, on_delete=models.PROTECT, related_name="link")
    key_id = models.CharField(max_length=20)
    prev_mac = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)
    chained_at = models.DateTimeField()

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"position {self.seq}: entry {self.entry_id}"

    def compute_mac(self, key: bytes, entry_mac: str) -> str:
        message = f"{self.seq}|{self.entry_id}|{entry_mac}|{self.prev_mac}".encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()


class AuditPending(models.Model):
    """An entry committed but not yet chained: the queue `chain_pending` empties. If a process
    dies between its commit and the chaining step, the next step (or `lantern tick`) chains it."""

    entry = models.OneToOneField(
        AuditEntry, on_delete=models.PROTECT, primary_key=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"entry {self.entry_id}, not yet chained"


class CheckpointKind(models.TextChoices):
    GENESIS = "genesis", "Genesis"
    TICK = "tick", "Tick"


class AuditCheckpoint(models.Model):
    """A signed statement of how far the chain reached: its last position, that link's MAC and
    the number of entries up to it. `lantern tick` also appends each to a file outside the
    database; the genesis checkpoint anchors the chain that existed before the HMAC chain."""

    kind = models.CharField(max_length=10, choices=CheckpointKind.choices)
    at = models.DateTimeField()
    seq = models.BigIntegerField()
    entry_id = models.BigIntegerField(null=True)
    head_mac = models.CharField(max_length=64)
    count = models.BigIntegerField()
    key_id = models.CharField(max_length=20)
    signature = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} checkpoint at position {self.seq} ({self.count} entries)"

    def payload(self) -> dict:
        return {
            "kind": self.kind,
            "at": self.at.isoformat(timespec="microseconds"),
            "seq": self.seq,
            "entry_id": self.entry_id,
            "head_mac": self.head_mac,
            "count": self.count,
            "key_id": self.key_id,
        }

    def compute_signature(self, key: bytes) -> str:
        return hmac.new(key, canonical(self.payload()), hashlib.sha256).hexdigest()


def canonical(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")
