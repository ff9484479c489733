"""Risk tools as data, the assessments made with them, and nominals (suspects) to assess.

A tool (for example the CSE screening checklist) has numbered versions; a version holds its
indicator groups, weighted indicators, scoring bands and guidance. Only an active version takes
new assessments; a retired one stays so that every old assessment renders with the version it
was made with.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from lantern.core.demographics import Ethnicity, Gender
from lantern.risk.engine import Band
from lantern.risk.levels import NOT_KNOWN, RiskLevel, level_label


class ToolSubject(models.TextChoices):
    CHILD = "child", "Child"
    NOMINAL = "nominal", "Nominal (suspect)"


class RiskTool(models.Model):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    subject = models.CharField(max_length=20, choices=ToolSubject.choices)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["subject", "name"]

    def __str__(self) -> str:
        return self.name

    def active_version(self) -> RiskToolVersion | None:
        return self.versions.filter(status=VersionStatus.ACTIVE).first()


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    RETIRED = "retired", "Retired"


class RiskToolVersion(models.Model):
    tool = models.ForeignKey(RiskTool, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=VersionStatus.choices)
    guidance = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tool__name", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "number"], name="risk_version_unique"),
            models.UniqueConstraint(
                fields=["tool"],
                condition=models.Q(status="active"),
                name="risk_one_active_version_per_tool",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tool.name}, version {self.number}"

    def bands(self) -> list[Band]:
        return [Band(b.min_score, b.max_score, b.level) for b in self.scoring_bands.all()]


class IndicatorGroup(models.Model):
    version = models.ForeignKey(RiskToolVersion, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    group = models.ForeignKey(IndicatorGroup, on_delete=models.PROTECT, related_name="indicators")
    text = models.CharField(max_length=300)
    guidance = models.TextField(blank=True)
    weight = models.PositiveIntegerField(default=1)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class ScoringBand(models.Model):
    version = models.ForeignKey(
        RiskToolVersion, on_delete=models.PROTECT, related_name="scoring_bands"
    )
    min_score = models.PositiveIntegerField()
    max_score = models.PositiveIntegerField(null=True, blank=True)
    level = models.CharField(max_length=20, choices=RiskLevel.choices)

    class Meta:
        ordering = ["min_score"]

    def __str__(self) -> str:
        upper = "and above" if self.max_score is None else f"to {self.max_score}"
        return f"{self.min_score} {upper}: {self.get_level_display()}"


class Nominal(models.Model):
    """A person of interest (suspect). Its name and date of birth are cross-referenced with the
    entities app's people as a person mention (risk.services.link_nominal)."""

    name = models.CharField(max_length=200)
    alias = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    # As the police record them; the problem profile counts suspects by these.
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(max_length=40, choices=Ethnicity.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class OverrideStatus(models.TextChoices):
    NONE = "", "No override"
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class RiskAssessment(models.Model):
    """One assessment with one tool version, of a child or of a nominal.

    The computed level is what the ticked indicators total to; an override is the assessor's
    professional judgement, with its rationale and the approver they name. Both are kept. The
    override counts only once the approver has approved it: until then (and if declined) the
    computed level is the level that counts.
    """

    version = models.ForeignKey(RiskToolVersion, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        "children.Child",
        on_delete=models.PROTECT,
        related_name="risk_assessments",
        null=True,
        blank=True,
    )
    nominal = models.ForeignKey(
        Nominal, on_delete=models.PROTECT, related_name="assessments", null=True, blank=True
    )
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveIntegerField()
    computed_level = models.CharField(max_length=20, choices=RiskLevel.choices)
    # How many of the version's indicators the assessor recorded as not known. The score is then
    # a floor, and a floor of nothing is "not known", not "no apparent risk".
    not_known_count = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True)
    override_level = models.CharField(max_length=20, choices=RiskLevel.choices, blank=True)
    override_rationale = models.TextField(blank=True)
    override_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    # override_approved_by is the approver named by the assessor; they approve or decline.
    override_status = models.CharField(
        max_length=20, choices=OverrideStatus.choices, default=OverrideStatus.NONE, blank=True
    )
    override_decided_at = models.DateTimeField(null=True, blank=True)
    override_decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["child", "assessed_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(child__isnull=False, nominal__isnull=True)
                    | models.Q(child__isnull=True, nominal__isnull=False)
                ),
                name="risk_assessment_one_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(override_level="") | ~models.Q(override_rationale=""),
                name="risk_override_needs_rationale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version.tool.name} on {self.assessed_on:%d %B %Y}"

    @property
    def level(self) -> str:
        """The level that counts: the professional judgement once approved, else computed;
        NOT_KNOWN when nothing recorded was present and some indicators are not known."""
        if self.override_level and self.override_status == OverrideStatus.APPROVED:
            return self.override_level
        return self.shown_computed_level

    @property
    def shown_computed_level(self) -> str:
        """The computed level, or NOT_KNOWN where its "no apparent risk" rests on unknowns."""
        if self.computed_level == RiskLevel.NONE and self.not_known_count:
            return NOT_KNOWN
        return self.computed_level

    def get_shown_computed_level_display(self) -> str:
        return level_label(self.shown_computed_level)

    @property
    def override_pending(self) -> bool:
        return bool(self.override_level) and self.override_status == OverrideStatus.PENDING

    def get_level_display(self) -> str:
        return level_label(self.level)


class IndicatorAnswer(models.TextChoices):
    PRESENT = "present", "Present"
    ABSENT = "absent", "Absent"
    NOT_KNOWN = "not_known", "Not known"


class AssessedIndicator(models.Model):
    """What the assessor recorded for one indicator (present, absent or not known), with the
    evidence they gave. An indicator of the version with no row was not recorded: not known."""

    assessment = models.ForeignKey(RiskAssessment, on_delete=models.PROTECT, related_name="answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(
        max_length=20, choices=IndicatorAnswer.choices, default=IndicatorAnswer.PRESENT
    )
    evidence = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"], name="risk_indicator_once_per_assessment"
            )
        ]

    def __str__(self) -> str:
        return str(self.indicator)
