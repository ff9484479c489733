"""Children at risk: the child's record and everything linked to it.

A child has episodes of involvement with the CSE team (open and closed), allocated workers,
contacts (some of which become referrals for assessment), MACE discussions, missing episodes
with return home interviews, referrals to services and, at closure, an exit interview. Risk
assessments live in the risk app and point here. Nothing is deleted: records are closed or
ended, never removed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models

from lantern.core.demographics import Ethnicity, Gender
from lantern.risk.levels import NOT_KNOWN, NOT_KNOWN_LABEL, RiskLevel

User = settings.AUTH_USER_MODEL


class Send(models.TextChoices):
    NONE = "none", "No special educational needs"
    SUPPORT = "sen_support", "SEN support"
    EHC_PLAN = "ehc_plan", "Education, health and care plan"
    NOT_KNOWN = "not_known", "Not known"


class Child(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    known_as = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    gender = models.CharField(max_length=20, choices=Gender.choices)
    ethnicity = models.CharField(max_length=40, choices=Ethnicity.choices)
    send = models.CharField(
        "Special educational needs", max_length=20, choices=Send.choices, default=Send.NOT_KNOWN
    )
    looked_after = models.BooleanField(default=False)
    placement = models.CharField(max_length=200, blank=True)
    placed_out_of_area = models.BooleanField(default=False)
    school = models.CharField(max_length=200, blank=True)
    ward = models.ForeignKey("core.Ward", on_delete=models.PROTECT, null=True, blank=True)
    # The latest level from the records (assessments and MACE), kept for the caseload list;
    # children.services.refresh_current_level is the only writer.
    # "Not known" when the latest assessment recorded nothing present and some indicators not
    # known (risk.levels.NOT_KNOWN): never shown as "no apparent risk".
    current_level = models.CharField(
        max_length=20, choices=[*RiskLevel.choices, (NOT_KNOWN, NOT_KNOWN_LABEL)], blank=True
    )
    current_level_on = models.DateField(null=True, blank=True)
    # Whether the child has an open episode, kept for the caseload list; open_episode and
    # close_episode in children.services are the only writers.
    is_open = models.BooleanField(default=False)
    # A restricted record (for example a staff member's own family) is opened in full only by
    # its allocated workers; anyone else in the CSE team must break glass with a reason.
    restricted = models.BooleanField(
        "Restricted record",
        default=False,
        help_text="Only allocated workers see it in full; others must give a reason, "
        "for a limited time, and the allocated workers are told",
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name_plural = "children"
        indexes = [
            models.Index(fields=["is_open", "last_name", "first_name", "id"]),
            models.Index(fields=["is_open", "current_level", "last_name", "first_name", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.reference})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int:
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    def eighteenth_birthday(self) -> date:
        dob = self.date_of_birth
        try:
            return dob.replace(year=dob.year + 18)
        except ValueError:  # born 29 February
            return date(dob.year + 18, 3, 1)


class CseRole(models.TextChoices):
    LEAD = "lead", "CSE team leads"
    SUPPORT = "support", "CSE team supports another team (co-worked)"


class Episode(models.Model):
    """A period of involvement of the CSE team with a child."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="episodes")
    opened_on = models.DateField()
    cse_role = models.CharField(max_length=20, choices=CseRole.choices)
    lead_team = models.CharField(
        max_length=200, blank=True, help_text="The team that leads, when the CSE team supports"
    )
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.TextField(blank=True)
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(closed_on__isnull=True),
                name="children_one_open_episode",
            )
        ]
        indexes = [models.Index(fields=["opened_on", "closed_on"])]

    def __str__(self) -> str:
        return f"Episode from {self.opened_on:%d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class ExitInterviewOutcome(models.TextChoices):
    DONE = "done", "Held"
    DECLINED = "declined", "Declined by the child"
    NOT_POSSIBLE = "not_possible", "Not possible"


class ExitInterview(models.Model):
    episode = models.OneToOneField(Episode, on_delete=models.PROTECT, related_name="exit_interview")
    outcome = models.CharField(max_length=20, choices=ExitInterviewOutcome.choices)
    held_on = models.DateField(null=True, blank=True)
    child_views = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Exit interview: {self.get_outcome_display()}"


class AllocationRole(models.TextChoices):
    SPECIALIST = "specialist", "Specialist CSE social worker"
    LOCALITY = "locality", "Locality social worker"
    KEY_WORKER = "key_worker", "Key worker (partner agency)"


class Allocation(models.Model):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="allocations")
    worker = models.ForeignKey(User, on_delete=models.PROTECT, related_name="child_allocations")
    role = models.CharField(max_length=20, choices=AllocationRole.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    allocated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    mace_discussion = models.ForeignKey(
        "MaceDiscussion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.worker} ({self.get_role_display()})"


class ChildShare(models.Model):
    """A child's record shared with a partner agency, with the lawful basis for sharing."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="shares")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    lawful_basis = models.TextField()
    shared_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    shared_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Shared with {self.agency}"


class BreakGlass(models.Model):
    """Exceptional, time-limited access to a restricted child's record, with its reason."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="break_glass")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"Exceptional access by {self.user} until {self.expires_at:%d %B %Y %H:%M}"


class Threshold(models.TextChoices):
    """The continuum of need the multi-agency threshold descriptors map to."""

    UNIVERSAL = "1_universal", "Level 1: universal services"
    EARLY_HELP = "2_early_help", "Level 2: early help"
    TARGETED = "3_targeted", "Level 3: targeted support (child in need)"
    SPECIALIST = "4_specialist", "Level 4: specialist (child protection)"


class ContactDecision(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    REFERRAL = "referral", "Referral for assessment"
    EARLY_HELP = "early_help", "Early help (youth support service)"
    NO_FURTHER_ACTION = "nfa", "No further action"


class ContactRoute(models.TextChoices):
    DIRECT = "direct", "Directly to children's social care"
    INTAKE = "intake", "From the single point of entry (safeguarding route)"


class Contact(models.Model):
    """A contact to children's social care about a child, counted against that child only."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="contacts")
    received_on = models.DateField()
    route = models.CharField(max_length=20, choices=ContactRoute.choices)
    source = models.CharField(max_length=200, help_text="Who made the contact")
    intake_reference = models.CharField(max_length=40, blank=True)
    about_cse = models.BooleanField(default=True)
    summary = models.TextField()
    threshold = models.CharField(max_length=20, choices=Threshold.choices, blank=True)
    decision = models.CharField(
        max_length=20, choices=ContactDecision.choices, default=ContactDecision.PENDING
    )
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["received_on"])]

    def __str__(self) -> str:
        return f"Contact of {self.received_on:%d %B %Y}"


class Referral(models.Model):
    """A contact that became a referral for a social care assessment."""

    contact = models.OneToOneField(Contact, on_delete=models.PROTECT, related_name="referral")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="referrals")
    referred_on = models.DateField()
    threshold = models.CharField(max_length=20, choices=Threshold.choices)
    assessment_completed_on = models.DateField(null=True, blank=True)
    assessment_outcome = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-referred_on", "-pk"]

    def __str__(self) -> str:
        return f"Referral of {self.referred_on:%d %B %Y}"


class MaceOutcome(models.TextChoices):
    ALLOCATE_SPECIALIST = "allocate_specialist", "Allocate a specialist CSE social worker"
    SEXUAL_HEALTH = "sexual_health", "Refer to the sexual health service"
    DRUGS_ALCOHOL = "drugs_alcohol", "Refer to the drugs and alcohol service"
    CAMHS = "camhs", "Refer to child and adolescent mental health services (CAMHS)"
    YOUTH_STEP_DOWN = "youth_step_down", "Step down to the youth support service"
    EXIT_INTERVIEW = "exit_interview", "Plan an exit interview"


class MaceDiscussion(models.Model):
    """A child's discussion at MACE: each attendee's opinion, the agreed level, the outcomes."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="mace_discussions")
    held_on = models.DateField()
    chair = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    agreed_level = models.CharField(max_length=20, choices=RiskLevel.choices)
    summary = models.TextField(blank=True)
    review_on = models.DateField()
    chosen_outcomes = models.JSONField(default=list, blank=True)
    outcomes_recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    # The MACE meeting it was discussed at (when recorded from its agenda): who attended, from
    # the series' members, and any guests by name.
    meeting = models.ForeignKey(
        "tasking.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mace_discussions",
    )
    attendees = models.ManyToManyField(User, blank=True, related_name="+")
    guests = models.TextField(blank=True, help_text="Guests at the meeting, one a line")

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["review_on"])]

    def __str__(self) -> str:
        return f"MACE discussion of {self.held_on:%d %B %Y}"

    def chosen_outcome_labels(self) -> list[str]:
        return [MaceOutcome(code).label for code in self.chosen_outcomes]


class MaceOpinion(models.Model):
    discussion = models.ForeignKey(
        MaceDiscussion, on_delete=models.PROTECT, related_name="opinions"
    )
    attendee = models.CharField(max_length=200)
    agency = models.CharField(max_length=200)
    level = models.CharField(max_length=20, choices=RiskLevel.choices)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.attendee} ({self.agency}): {self.get_level_display()}"


class MissingEpisode(models.Model):
    """A child reported missing from home or care: one incident, counted against the child."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="missing_episodes")
    reported_at = models.DateTimeField()
    found_at = models.DateTimeField(null=True, blank=True)
    where_found = models.CharField(max_length=300, blank=True)
    risk_level = models.CharField("Risk at the time", max_length=20, choices=RiskLevel.choices)
    cse_related = models.BooleanField("CSE concern", default=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-reported_at", "-pk"]
        indexes = [models.Index(fields=["reported_at"])]

    def __str__(self) -> str:
        return f"Missing episode reported {self.reported_at:%d %B %Y %H:%M}"

    @property
    def duration(self) -> timedelta | None:
        return None if self.found_at is None else self.found_at - self.reported_at

    @property
    def duration_text(self) -> str:
        if self.duration is None:
            return "Still missing"
        hours = int(self.duration.total_seconds() // 3600)
        return f"{hours // 24} days {hours % 24} hours" if hours >= 24 else f"{hours} hours"

    @property
    def interview_due_by(self) -> datetime | None:
        """A return home interview is offered within 72 hours of the child's return."""
        return None if self.found_at is None else self.found_at + timedelta(hours=72)


class InterviewOutcome(models.TextChoices):
    DONE = "done", "Held"
    DECLINED = "declined", "Declined by the child"
    NOT_POSSIBLE = "not_possible", "Not possible"


class ReturnInterview(models.Model):
    episode = models.OneToOneField(
        MissingEpisode, on_delete=models.PROTECT, related_name="return_interview"
    )
    offered_at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=InterviewOutcome.choices)
    held_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Return home interview: {self.get_outcome_display()}"

    @property
    def offered_in_time(self) -> bool:
        due = self.episode.interview_due_by
        return due is not None and self.offered_at <= due


class AlertKind(models.TextChoices):
    HIGH_RISK_MISSING = "high_risk_missing", "High-risk CSE missing episode"
    INTERVIEW_OVERDUE = "interview_overdue", "Return home interview overdue"
    BREAK_GLASS = "break_glass", "Restricted record opened"


class Alert(models.Model):
    """An alert to the people who must act: the on-call roles for a high-risk CSE missing
    episode, the allocated workers for an overdue interview or a restricted record opened."""

    kind = models.CharField(max_length=30, choices=AlertKind.choices)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="alerts")
    missing_episode = models.ForeignKey(
        MissingEpisode, on_delete=models.PROTECT, null=True, blank=True, related_name="alerts"
    )
    message = models.CharField(max_length=300)
    raised_at = models.DateTimeField()
    emailed_to = models.JSONField(default=list)

    class Meta:
        ordering = ["-raised_at", "-pk"]

    def __str__(self) -> str:
        return self.message


class ServiceKind(models.TextChoices):
    STATUTORY = "statutory", "Statutory"
    VOLUNTARY = "voluntary", "Voluntary sector"


class Service(models.Model):
    """A service children (and adult survivors) can be referred to."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    provider = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=ServiceKind.choices)
    commissioned = models.BooleanField(default=False)
    for_adult_survivors = models.BooleanField(default=False)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceReferralStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    ACCEPTED = "accepted", "Accepted"
    ENGAGED = "engaged", "Engaged"
    DECLINED = "declined", "Declined"
    CLOSED = "closed", "Closed"


class ServiceReferral(models.Model):
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="service_referrals")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    referred_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ServiceReferralStatus.choices, default=ServiceReferralStatus.REFERRED
    )
    notes = models.TextField(blank=True)
    referred_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    mace_discussion = models.ForeignKey(
        MaceDiscussion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-referred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.service} ({self.get_status_display()})"
