"""Meetings (tasking group, MACE, GAP, operational managers), their agendas and records, the one
action model with its escalation state, disruption plans and the operations register."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from lantern.accounts.models import Agency, AgencyKind


class MeetingType(models.TextChoices):
    TASKING_GROUP = "tasking_group", "Tasking group"
    MACE = "mace", "MACE"
    GAP = "gap", "GAP meeting"
    OPERATIONAL_MANAGERS = "operational_managers", "Operational managers group"
    DISRUPTION = "disruption", "Disruption plans"


# Meeting types a series can be; DISRUPTION is only an escalation route for plan actions.
SERIES_TYPES = [c for c in MeetingType.choices if c[0] != MeetingType.DISRUPTION]
DEFAULT_FREQUENCY_DAYS = {
    MeetingType.TASKING_GROUP: 7,
    MeetingType.MACE: 7,
    MeetingType.GAP: 14,
    MeetingType.OPERATIONAL_MANAGERS: 28,
}


class MeetingSeries(models.Model):
    """A recurring meeting of one type, with its chair, member agencies and people."""

    name = models.CharField(max_length=200, unique=True)
    meeting_type = models.CharField(max_length=30, choices=SERIES_TYPES)
    frequency_days = models.PositiveSmallIntegerField(default=7)
    first_meeting_on = models.DateField()
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_series"
    )
    member_agencies = models.ManyToManyField(Agency, related_name="meeting_series")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="meeting_series", blank=True
    )
    item_limit = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Most children or items discussed at one meeting"
    )
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "meeting series"

    def __str__(self) -> str:
        return self.name


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(models.Model):
    """One meeting of a series, on one date."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    agenda_built_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-held_on"]
        constraints = [
            models.UniqueConstraint(fields=["series", "held_on"], name="meeting_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.series.name}, {self.held_on:%-d %B %Y}"


class ItemStatus(models.TextChoices):
    TO_DISCUSS = "to_discuss", "To discuss"
    DEFERRED = "deferred", "Deferred to the next meeting"
    KEPT_ON = "kept_on", "Kept on the schedule"
    CLOSED = "closed", "Closed"


class ClosureReason(models.TextChoices):
    ELIMINATED = "eliminated", "Risk eliminated"
    NO_FURTHER_OPPORTUNITY = "no_further_opportunity", "No further opportunity"
    TRANSFERRED = "transferred", "Transferred"


class HandlingCode(models.TextChoices):
    P = "P", "P: lawful sharing permitted"
    C = "C", "C: share only under the conditions given"


class AgendaItem(models.Model):
    """One item on a meeting's agenda, linked to the record that put it there.

    An item kept on the schedule or deferred is carried to the next meeting as a new item whose
    `carried_from` is this one, so the history of a case across meetings is a chain of items.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    partner_summary = models.TextField(blank=True)
    full_summary = models.TextField(blank=True)
    reason = models.CharField(max_length=200, blank=True)
    source_key = models.CharField(max_length=60, blank=True)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.CharField(max_length=40, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    carried_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="carried_to"
    )
    status = models.CharField(
        max_length=20, choices=ItemStatus.choices, default=ItemStatus.TO_DISCUSS
    )
    discussion = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    closure_reason = models.CharField(max_length=30, choices=ClosureReason.choices, blank=True)
    rationale = models.TextField(blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The grade's handling travels with the item: under code C only police and the agencies
    # its conditions name read it; a chair outside them sees that it exists, others nothing.
    handling_code = models.CharField(
        max_length=1, choices=HandlingCode.choices, default=HandlingCode.P
    )
    handling_conditions = models.TextField(blank=True)
    cleared_agencies = models.ManyToManyField(
        Agency, blank=True, related_name="cleared_agenda_items"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        indexes = [
            models.Index(fields=["source_type", "source_id"]),
            models.Index(fields=["status"]),
        ]

    def __str__(self) -> str:
        return self.title


class Priority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class ActionQuerySet(models.QuerySet):
    def with_escalation_level(self) -> ActionQuerySet:
        """Each action with `escalation_level`: the highest level it has reached (0: none)."""
        highest = (
            EscalationStep.objects.filter(action=OuterRef("pk"))
            .order_by("-level")
            .values("level")[:1]
        )
        return self.annotate(escalation_level=Coalesce(Subquery(highest), 0))


class Action(models.Model):
    """One action for an agency, whether it came from a meeting, a disruption plan or MACE.

    `origin` says where it came from; `route` is the escalation route it follows; `meeting` is
    kept for actions from a meeting so the schedule can be filtered by meeting.
    """

    origin_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    origin_id = models.CharField(max_length=40, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    route = models.CharField(max_length=30, choices=MeetingType.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_actions"
    )
    escalation_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The chair or police supervisor at the last level of the route",
    )
    due_on = models.DateField()
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    result = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    # Copied from the item it came from: a C action is read in full by police and its owning
    # agency (which must be inside the item's conditions) only.
    handling_code = models.CharField(
        max_length=1, choices=HandlingCode.choices, default=HandlingCode.P
    )
    handling_conditions = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["due_on", "id"]),
            models.Index(fields=["status", "route", "due_on"]),
            models.Index(fields=["owner", "status", "due_on"]),
            models.Index(fields=["owning_agency", "status", "due_on"]),
            models.Index(fields=["origin_type", "origin_id"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN


class UpdateKind(models.TextChoices):
    NOTE = "note", "Update"
    DUE_DATE = "due_date", "Due date changed"
    COMPLETED = "completed", "Completed"


class ActionUpdate(models.Model):
    """The history of an action: update notes, due-date changes with their reason, completion."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    kind = models.CharField(max_length=20, choices=UpdateKind.choices)
    note = models.TextField()
    old_due_on = models.DateField(null=True, blank=True)
    new_due_on = models.DateField(null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on action {self.action_id}"


class EscalationRoute(models.Model):
    """How overdue actions of one meeting type escalate: one level per `interval_days`.

    Level 1: the owner is told the action is overdue. Level 2: the owner's manager (or the
    escalation contact when the owner has no manager). Level 3: the meeting's chair or the police
    supervisor named on the action.
    """

    meeting_type = models.CharField(max_length=30, choices=MeetingType.choices, unique=True)
    interval_days = models.PositiveSmallIntegerField(default=7)
    reminder_days_before = models.PositiveSmallIntegerField(default=2)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.get_meeting_type_display()}: every {self.interval_days} days"


ESCALATION_LEVELS = {1: "Owner", 2: "Owner's manager", 3: "Chair or police supervisor"}


class EscalationStep(models.Model):
    """One level an overdue action reached: when, and whom it notified. One row per level."""

    # No index of its own: the unique (action, level) constraint's index starts with it.
    action = models.ForeignKey(
        Action, on_delete=models.PROTECT, related_name="escalations", db_index=False
    )
    level = models.PositiveSmallIntegerField()
    at = models.DateTimeField()
    notified = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    tick = models.CharField(max_length=32, help_text="The run of `lantern tick` that took it")

    class Meta:
        ordering = ["action", "level"]
        constraints = [
            models.UniqueConstraint(fields=["action", "level"], name="escalation_once_per_level")
        ]
        indexes = [models.Index(fields=["tick"])]

    def __str__(self) -> str:
        return f"Action {self.action_id} escalated to level {self.level}"

    @property
    def level_label(self) -> str:
        return ESCALATION_LEVELS.get(self.level, str(self.level))


class Notification(models.Model):
    """An in-app message: an action is due, overdue or escalated to you."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasking_notifications"
    )
    action = models.ForeignKey(Action, on_delete=models.PROTECT, null=True, related_name="+")
    message = models.CharField(max_length=300)
    at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message


class Tactic(models.Model):
    """A disruption tactic in the editable catalogue, with the kind of agency holding the power."""

    name = models.CharField(max_length=120, unique=True)
    agency_kind = models.CharField(max_length=40, choices=AgencyKind.choices)
    power = models.CharField(max_length=200, blank=True, help_text="The power it uses")
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SubjectKind(models.TextChoices):
    NOMINAL = "nominal", "Nominal"
    LOCATION = "location", "Location"
    VEHICLE = "vehicle", "Vehicle"


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    UNDER_REVIEW = "under_review", "Under review"
    CLOSED = "closed", "Closed"


class DisruptionPlan(models.Model):
    """A plan to disrupt a nominal, location or vehicle using partners' powers."""

    subject_kind = models.CharField(max_length=20, choices=SubjectKind.choices)
    subject_description = models.CharField(max_length=200)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.CharField(max_length=40, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    aim = models.TextField()
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    review_on = models.DateField()
    outcome = models.TextField(blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_plans"
    )
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["review_on", "pk"]

    def __str__(self) -> str:
        return f"Disruption plan: {self.subject_description}"


class PlanTactic(models.Model):
    """A tactic chosen for a plan, and the action it became."""

    plan = models.ForeignKey(DisruptionPlan, on_delete=models.PROTECT, related_name="tactics")
    tactic = models.ForeignKey(Tactic, on_delete=models.PROTECT, related_name="uses")
    action = models.OneToOneField(Action, on_delete=models.PROTECT, related_name="plan_tactic")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "tactic"], name="tactic_once_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.tactic} in plan {self.plan_id}"


class OperationStatus(models.TextChoices):
    LIVE = "live", "Live"
    SUSPENDED = "suspended", "Suspended"
    CLOSED = "closed", "Closed"


class Operation(models.Model):
    """A named police operation. Only police roles know it exists."""

    name = models.CharField(max_length=120, unique=True)
    summary = models.TextField()
    status = models.CharField(
        max_length=20, choices=OperationStatus.choices, default=OperationStatus.LIVE
    )
    started_on = models.DateField()
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OperationLink(models.Model):
    """A nominal or location linked to an operation (free text until entities lands)."""

    operation = models.ForeignKey(Operation, on_delete=models.PROTECT, related_name="links")
    subject_kind = models.CharField(max_length=20, choices=SubjectKind.choices)
    description = models.CharField(max_length=200)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.CharField(max_length=40, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")

    def __str__(self) -> str:
        return self.description


class Charge(models.Model):
    """A nominal charged with an offence: what the problem profile's "time from referral to
    charge" is measured to. Police only, like the operations register."""

    nominal = models.ForeignKey("risk.Nominal", on_delete=models.PROTECT, related_name="charges")
    operation = models.ForeignKey(
        Operation, on_delete=models.PROTECT, null=True, blank=True, related_name="charges"
    )
    child = models.ForeignKey(
        "children.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="charges",
        help_text="The victim, when the charge relates to a child Lantern holds a record for",
    )
    charged_on = models.DateField()
    offence = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-charged_on", "-pk"]
        indexes = [models.Index(fields=["charged_on"], name="tasking_charge_on")]

    def __str__(self) -> str:
        return f"{self.nominal}: {self.offence} ({self.charged_on:%d %b %Y})"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Being prepared"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Failed"


class ExportJob(models.Model):
    """A large export built outside the request by `lantern tick` (so it never stalls the
    site); the person who asked for it is told, downloads it when ready, and the download is
    audited. The file is built for its requester's access, with the filters they chose."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=40, default="action_schedule")
    fmt = models.CharField(max_length=10)
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows = models.PositiveIntegerField(default=0)
    body = models.BinaryField(blank=True, default=b"")
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.fmt})"

    @property
    def filename(self) -> str:
        return f"actions-{self.pk}.{self.fmt}"
