"""The measure catalogue, the figures for each period, requests to partners, published reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Priority(models.TextChoices):
    """The 5P structure, under Leadership, in the order reports show it."""

    LEADERSHIP = "leadership", "Leadership"
    PREVENT = "prevent", "Prevent"
    PROTECT = "protect", "Protect"
    PURSUE = "pursue", "Pursue"
    PROVIDE = "provide", "Provide"
    PARTICIPATION = "participation", "Participation"


PRIORITY_ORDER = {code: i for i, code in enumerate(Priority.values)}


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENTAGE = "percentage", "Percentage"


class Kind(models.TextChoices):
    COMPUTED = "computed", "Computed from Lantern's records"
    ENTERED = "entered", "Entered by a partner"
    IMPORTED = "imported", "Imported"


class Timing(models.TextChoices):
    FLOW = "flow", "During the period"
    SNAPSHOT = "snapshot", "As at the end of the period"


class Polarity(models.TextChoices):
    UP = "up", "Higher is better"
    DOWN = "down", "Lower is better"
    NEITHER = "neither", "Neither"


class Status(models.TextChoices):
    REPORTED = "reported", "Reported"
    NOT_COLLECTED = "not_collected", "Not collected"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    NOT_AVAILABLE = "not_available", "Not available"


# How a status reads in a report cell.
STATUS_WORDS = {
    Status.NOT_COLLECTED: "Not collected",
    Status.NOT_APPLICABLE: "n/a",
    Status.NOT_AVAILABLE: "Not available",
}


class Measure(models.Model):
    """One line of the data summary. Computed measures are synced from the registry."""

    code = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=300)
    priority = models.CharField(max_length=20, choices=Priority.choices)
    section = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.COUNT)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ENTERED)
    timing = models.CharField(max_length=20, choices=Timing.choices, default=Timing.FLOW)
    polarity = models.CharField(max_length=20, choices=Polarity.choices, default=Polarity.NEITHER)
    owner = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    source_name = models.CharField(
        "Source of the figures",
        max_length=200,
        blank=True,
        help_text="Where a partner's figures come from, e.g. the police missing persons system",
    )
    caveat = models.TextField(
        blank=True,
        help_text="A caution that goes with every figure, e.g. a change in recording",
    )
    components = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="totals",
        help_text="When set, this measure is the total of these measures.",
    )
    order = models.PositiveIntegerField(default=100)
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["priority", "section", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "section", "name"], name="measure_name_unique_in_section"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_count(self) -> bool:
        return self.unit == Unit.COUNT


class MeasureValue(models.Model):
    """A measure's figure for one period, with its status. Edits are audited with old and new."""

    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="values")
    period = models.CharField(max_length=12)
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REPORTED)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ENTERED)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["measure", "period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="one_value_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.period}"


class FiguresRequest(models.Model):
    """The performance officer's request to an agency for its manual figures for a period."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=12)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    due_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "period"], name="one_request_per_period")
        ]

    def __str__(self) -> str:
        return f"Figures for {self.period} from {self.agency}"


class PublishedReport(models.Model):
    """A data summary frozen at publication. Never changed after it is made."""

    period = models.CharField(max_length=12)
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return f"Data summary {self.period}, published {self.published_at:%d %B %Y %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A published report cannot be changed.")
        super().save(*args, **kwargs)


class PublishedFile(models.Model):
    """One rendering of a published report, kept byte for byte as it was published."""

    report = models.ForeignKey(PublishedReport, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=8)
    data = models.BinaryField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "format"], name="one_file_per_format")
        ]

    def __str__(self) -> str:
        return f"{self.report} ({self.format})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A published file cannot be changed.")
        super().save(*args, **kwargs)


class ObjectiveUpdate(models.Model):
    """A lead's account of one strategic objective of the delivery plan for a quarter:
    achievements and next steps. `priority` is the objective's priority in the data summary's
    terms, so the Cabinet report can put the words beside that priority's figures.

    Updates written before objectives were linked to the plan keep their objective's name in
    `unmatched_objective` (and no `objective`) when no plan objective had that name.
    """

    period = models.CharField(max_length=12)
    objective = models.ForeignKey(
        "plans.Objective",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cabinet_updates",
    )
    unmatched_objective = models.CharField(max_length=300, blank=True)
    priority = models.CharField(max_length=20, choices=Priority.choices)
    achievements = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["period", "priority", "objective__position", "unmatched_objective"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "objective"],
                condition=models.Q(objective__isnull=False),
                name="one_update_per_plan_objective_and_period",
            ),
            models.CheckConstraint(
                condition=models.Q(objective__isnull=False) | ~models.Q(unmatched_objective=""),
                name="objective_update_names_its_objective",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.objective_title} ({self.period})"

    @property
    def objective_title(self) -> str:
        return str(self.objective) if self.objective_id else self.unmatched_objective


class FinanceKind(models.TextChoices):
    DIRECT = "direct", "Direct cost of a service"
    INDIRECT = "indirect", "Indirect contribution"
    AWARD = "award", "Funding award"


class FinanceLine(models.Model):
    """One line of the annual report's finance table for a financial year (seed 000 section 8):
    a partner's direct cost of a service (actual for the year before, proposed for the year),
    an indirect contribution that cannot be costed exactly, or a funding award."""

    year = models.CharField(max_length=12)  # a financial year, "2014/15"
    kind = models.CharField(max_length=20, choices=FinanceKind.choices)
    partner = models.CharField(max_length=200, help_text="The agency paying or awarding")
    item = models.CharField(max_length=300, help_text="The service, contribution or award")
    actual = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    proposed = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["year", "kind", "partner", "item", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(actual__isnull=True) | models.Q(actual__gte=0))
                & (models.Q(proposed__isnull=True) | models.Q(proposed__gte=0)),
                name="finance_line_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.item} ({self.year})"


class StoryKind(models.TextChoices):
    CASE_STUDY = "case_study", "Case study"
    GOOD_NEWS = "good_news", "Good news story"


class CaseStudy(models.Model):
    """An anonymised case study or good-news story for a report. It can be chosen into a
    report only with a consent record and the partnership manager's approval."""

    kind = models.CharField(max_length=20, choices=StoryKind.choices, default=StoryKind.CASE_STUDY)
    title = models.CharField(max_length=200)
    text = models.TextField()
    consent_from = models.CharField(
        max_length=200, blank=True, help_text="Who consented, e.g. the young person and a parent"
    )
    consent_on = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    report_period = models.CharField(
        max_length=12, blank=True, help_text="The quarter or year whose report it is chosen into"
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-written_at", "-pk"]
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.title

    @property
    def has_consent(self) -> bool:
        return bool(self.consent_from.strip()) and self.consent_on is not None

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class ScrutinyItem(models.Model):
    """A line of the scrutiny forward plan kept by the partnership manager: a topic, the
    meeting it goes to and the report due for it."""

    topic = models.CharField(max_length=300)
    meeting_on = models.DateField()
    report = models.CharField(max_length=300, blank=True, help_text="The report or update due")
    report_due_on = models.DateField(null=True, blank=True)
    lead = models.CharField(max_length=200, blank=True, help_text="Who presents it")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["meeting_on", "topic", "pk"]

    def __str__(self) -> str:
        return f"{self.topic} ({self.meeting_on:%d %B %Y})"
