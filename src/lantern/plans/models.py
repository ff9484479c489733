"""The delivery plan: a strategy, its priorities, numbered objectives and the actions under them.

An action has a lead officer (a user, or a name and agency for someone without an account), a
due month, dated evidence-of-progress entries and a BRAG rating whose every change is kept.
Published versions freeze the whole plan as a JSON snapshot, like the version control table at
the front of a paper delivery plan.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings
from django.db import models


class Brag(models.TextChoices):
    """BRAG: blue complete, green on target, amber at risk, red off target; blank: not yet rated."""

    NOT_RATED = "", "Not yet rated"
    BLUE = "blue", "Blue: complete"
    GREEN = "green", "Green: on target"
    AMBER = "amber", "Amber: at risk"
    RED = "red", "Red: off target"


BRAG_ORDER = [Brag.BLUE, Brag.GREEN, Brag.AMBER, Brag.RED, Brag.NOT_RATED]
BRAG_SHORT = {
    Brag.BLUE: "Blue",
    Brag.GREEN: "Green",
    Brag.AMBER: "Amber",
    Brag.RED: "Red",
    Brag.NOT_RATED: "Not rated",
}
# GOV.UK tag colours for each rating (amber shows as the orange tag).
BRAG_TAG = {
    Brag.BLUE: "govuk-tag--blue",
    Brag.GREEN: "govuk-tag--green",
    Brag.AMBER: "govuk-tag--orange",
    Brag.RED: "govuk-tag--red",
    Brag.NOT_RATED: "govuk-tag--grey",
}

DEFAULT_PRIORITIES = [
    ("Leadership", "Clear governance and ownership of the strategy across the partnership."),
    ("Prevent", "Prevent children and young people from being exploited."),
    ("Protect", "Protect children at risk and those being exploited."),
    ("Pursue", "Pursue and disrupt perpetrators and bring them to justice."),
    ("Provide", "Provide support to victims and survivors, recent and historical."),
    ("Participation", "Hear the voices of children, young people and survivors."),
]


class Strategy(models.Model):
    """A partnership strategy and its delivery plan, for example "CSE delivery plan 2025-28"."""

    name = models.CharField(max_length=200, unique=True)
    start_year = models.PositiveIntegerField()
    end_year = models.PositiveIntegerField()
    governance = models.TextField(
        blank=True, help_text="Who owns the plan and how its delivery is overseen"
    )
    vision = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-start_year", "name"]
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> str:
        return f"{self.start_year}-{str(self.end_year)[-2:]}"


class Priority(models.Model):
    """A heading of the plan: Leadership and the 5Ps (Prevent, Protect, Pursue, Provide,
    Participation). Names are editable; the position sets the order and the number."""

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="priorities")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["strategy", "position", "pk"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["strategy", "name"], name="priority_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Objective(models.Model):
    """A numbered strategic objective ("2.3") under a priority."""

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="objectives")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="objectives")
    ref = models.CharField("Number", max_length=20)
    title = models.TextField()
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["priority__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "ref"], name="objective_ref_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"


class LeadOfficer(models.Model):
    """Someone who leads actions: a user of Lantern, or a name, job title and agency."""

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="lead_officers")
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    agency = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True, help_text="For reminders when they have no account")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_lead_roles",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "name"], name="lead_officer_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name with the agency, as the import and export columns write it."""
        return f"{self.name} ({self.agency})" if self.agency else self.name

    @property
    def reminder_email(self) -> str:
        if self.user_id and self.user.is_active and self.user.email:
            return self.user.email
        return self.email


class Recommendation(models.Model):
    """A recommendation or motion point the plan answers, e.g. "Independent inquiry,
    recommendation 3" or "Council motion, motion point 4"."""

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="recommendations")
    source = models.CharField(max_length=200, help_text="For example, Independent inquiry 2024")
    reference = models.CharField(max_length=60, help_text="For example, recommendation 3")
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["source", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "source", "reference"], name="recommendation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}, {self.reference}"


class DeliveryAction(models.Model):
    """One action of the plan, with its lead officer, due month and BRAG rating."""

    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="actions")
    text = models.TextField()
    lead = models.ForeignKey(
        LeadOfficer, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    due = models.DateField(null=True, blank=True, help_text="The first day of the due month")
    brag = models.CharField(max_length=10, choices=Brag.choices, blank=True, default="")
    position = models.PositiveIntegerField(default=0)
    recommendations = models.ManyToManyField(Recommendation, blank=True, related_name="actions")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["objective__priority__position", "objective__position", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def due_label(self) -> str:
        return self.due.strftime("%b %Y") if self.due else ""

    def is_overdue(self, today: date) -> bool:
        """Past the end of its due month and not blue (complete)."""
        if self.due is None or self.brag == Brag.BLUE or self.withdrawn_at:
            return False
        return today > month_end(self.due)

    @property
    def brag_short(self) -> str:
        return BRAG_SHORT[Brag(self.brag)]

    @property
    def brag_tag(self) -> str:
        return BRAG_TAG[Brag(self.brag)]


class EvidenceEntry(models.Model):
    """A dated note of progress on an action. Entries are added, never edited."""

    action = models.ForeignKey(DeliveryAction, on_delete=models.PROTECT, related_name="evidence")
    on = models.DateField()
    text = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by_label = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name_plural = "evidence entries"

    def __str__(self) -> str:
        return f"{self.on:%d %b %Y}: {self.text[:60]}"


class BragChange(models.Model):
    """One change of an action's BRAG rating: from, to, who, when and how."""

    action = models.ForeignKey(
        DeliveryAction, on_delete=models.PROTECT, related_name="brag_changes"
    )
    from_brag = models.CharField(max_length=10, choices=Brag.choices, blank=True)
    to_brag = models.CharField(max_length=10, choices=Brag.choices, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_by_label = models.CharField(max_length=200)
    changed_at = models.DateTimeField()
    via = models.CharField(max_length=20, default="page")  # page, import, demo

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_brag or 'not rated'} -> {self.to_brag or 'not rated'}"

    @property
    def from_label(self) -> str:
        return BRAG_SHORT[Brag(self.from_brag)]

    @property
    def to_label(self) -> str:
        return BRAG_SHORT[Brag(self.to_brag)]


class OverdueReminder(models.Model):
    """One reminder sent to an overdue action's lead, at most once per action per due month."""

    action = models.ForeignKey(DeliveryAction, on_delete=models.PROTECT, related_name="reminders")
    due = models.DateField()
    sent_to = models.EmailField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "due"], name="one_reminder_per_due_month")
        ]

    def __str__(self) -> str:
        return f"Reminder for {self.action_id} due {self.due:%b %Y} to {self.sent_to}"


class PlanVersion(models.Model):
    """A published version of the plan: number, date, author, comment and a frozen snapshot."""

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="versions")
    major = models.PositiveIntegerField()
    minor = models.PositiveIntegerField()
    published_on = models.DateField()
    published_at = models.DateTimeField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author_label = models.CharField(max_length=200)
    comment = models.TextField()
    snapshot = models.JSONField()

    class Meta:
        ordering = ["strategy", "-major", "-minor"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "major", "minor"], name="plan_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.strategy} version {self.number}"

    @property
    def number(self) -> str:
        return f"{self.major}.{self.minor}"


def month_end(first: date) -> date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])
