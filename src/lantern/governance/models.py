"""Retention decisions and disposals: who reviewed which record, who asked for its disposal,
who approved it, and the anonymised stub a disposed record leaves."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReviewDecision(models.TextChoices):
    RETAIN = "retain", "Keep for now"
    DISPOSE = "dispose", "Asked for disposal"


class RetentionReview(models.Model):
    """An owning team's review of one record: keep it until `next_review`, or ask to dispose."""

    record_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    decision = models.CharField(max_length=10, choices=ReviewDecision.choices)
    reason = models.TextField()
    next_review = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField()

    class Meta:
        ordering = ["-reviewed_at", "-id"]
        indexes = [models.Index(fields=["record_type", "object_id", "-reviewed_at"])]

    def __str__(self) -> str:
        return f"{self.record_type} {self.object_id}: {self.get_decision_display()}"


class DisposalStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for a second person"
    APPROVED = "approved", "Approved and disposed"
    REFUSED = "refused", "Refused"


class DisposalRequest(models.Model):
    """A request to dispose of one record's personal data, approved by a second person."""

    record_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    stub_label = models.CharField(max_length=200)
    reason = models.TextField()
    status = models.CharField(
        max_length=10, choices=DisposalStatus.choices, default=DisposalStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "object_id"],
                condition=models.Q(status="requested"),
                name="governance_one_open_disposal_per_record",
            )
        ]

    def __str__(self) -> str:
        return f"disposal of {self.stub_label}: {self.get_status_display()}"


class DisposedRecord(models.Model):
    """The stub a disposal leaves: what the record was (type, id, reference), when and by whose
    decision its personal data went, and which fields were emptied. The audit trail of the
    record stays as it was."""

    record_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    stub_label = models.CharField(max_length=200)
    request = models.OneToOneField(DisposalRequest, on_delete=models.PROTECT, related_name="stub")
    disposed_at = models.DateTimeField()
    fields_removed = models.JSONField(default=list)

    class Meta:
        ordering = ["-disposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "object_id"], name="governance_disposed_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stub_label} (disposed {self.disposed_at:%Y-%m-%d})"
