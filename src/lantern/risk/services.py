"""What the risk app does: assessments with a tool version, professional judgement overrides,
the life of a tool version (draft, active, retired), and nominals.

Every function is one transaction with its audit entry. Refusals are `AssessmentRefused`,
carrying the form field they are about.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction

from lantern.accounts.access import Cap, has_capability
from lantern.audit.models import AuditAction
from lantern.audit.services import record_change
from lantern.children.services import refresh_current_level
from lantern.core.errors import LanternError
from lantern.risk import engine
from lantern.risk.models import (
    AssessedIndicator,
    Indicator,
    Nominal,
    RiskAssessment,
    RiskToolVersion,
    ToolSubject,
    VersionStatus,
)


class AssessmentRefused(LanternError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def record_assessment(
    actor: Any,
    version: RiskToolVersion,
    *,
    child: Any = None,
    nominal: Nominal | None = None,
    assessed_on: date,
    ticked: dict[int, str],
    notes: str = "",
    now: datetime,
) -> RiskAssessment:
    """Assess a child or a nominal with a tool version: `ticked` maps indicator ids to the
    evidence for each. The score and computed level come from the engine. Refuses a version
    that is not active (retired or draft), a tool for the other kind of subject, indicators
    from another version, and an assessment dated in the future."""
    if version.status != VersionStatus.ACTIVE:
        raise AssessmentRefused(
            f"{version} is {version.get_status_display().lower()}: assess with the active "
            "version of the tool",
            "version",
        )
    subject = ToolSubject.CHILD if child is not None else ToolSubject.NOMINAL
    if (child is None) == (nominal is None) or version.tool.subject != subject:
        raise AssessmentRefused(f"{version.tool} is not a tool for this person", "version")
    if assessed_on > now.date():
        raise AssessmentRefused("The assessment date must be today or in the past", "assessed_on")
    indicators = {
        i.pk: i for i in Indicator.objects.filter(group__version=version, pk__in=list(ticked))
    }
    if len(indicators) != len(ticked):
        raise AssessmentRefused("Some indicators are not part of this tool version", "indicators")
    score = engine.total_score(i.weight for i in indicators.values())
    level = engine.level_for(score, version.bands())
    with transaction.atomic():
        assessment = RiskAssessment.objects.create(
            version=version,
            child=child,
            nominal=nominal,
            assessed_on=assessed_on,
            assessed_by=_user(actor),
            score=score,
            computed_level=level,
            notes=notes,
            created_at=now,
        )
        AssessedIndicator.objects.bulk_create(
            AssessedIndicator(assessment=assessment, indicator_id=pk, evidence=evidence)
            for pk, evidence in ticked.items()
        )
        record_change(actor, assessment, AuditAction.CREATE, changes={"level": [None, level]})
        if child is not None:
            refresh_current_level(child)
    return assessment


def override_level(
    actor: Any,
    assessment: RiskAssessment,
    *,
    level: str,
    rationale: str,
    approver: Any,
    now: datetime,
) -> RiskAssessment:
    """Record a professional judgement override of the computed level. Both levels are kept.
    Refuses an empty rationale, the same level as computed, an approver who is the assessor or
    lacks the approving role (a MACE chair for a child, a police supervisor for a nominal),
    and an assessment already overridden."""
    if assessment.override_level:
        raise AssessmentRefused("This assessment already has an override", "level")
    if not rationale.strip():
        raise AssessmentRefused("Enter the rationale for your professional judgement", "rationale")
    if level == assessment.computed_level:
        raise AssessmentRefused(
            "Choose a level different from the computed level, or leave the assessment as it is",
            "level",
        )
    if approver is None:
        raise AssessmentRefused("Choose who approved the override", "approver")
    if approver.pk == assessment.assessed_by_id:
        raise AssessmentRefused("The approver must be someone other than the assessor", "approver")
    if not may_approve(approver, assessment):
        raise AssessmentRefused(f"{approver} may not approve overrides of this tool", "approver")
    with transaction.atomic():
        assessment.override_level = level
        assessment.override_rationale = rationale
        assessment.override_approved_by = approver
        assessment.overridden_at = now
        assessment.save(
            update_fields=[
                "override_level",
                "override_rationale",
                "override_approved_by",
                "overridden_at",
            ]
        )
        record_change(
            actor,
            assessment,
            AuditAction.UPDATE,
            changes={"level": [assessment.computed_level, level]},
            reason=rationale,
        )
        if assessment.child_id is not None:
            refresh_current_level(assessment.child)
    return assessment


def may_approve(user: Any, assessment: RiskAssessment) -> bool:
    """Who may approve an override: a MACE chair for a child, a police supervisor (tasking
    chair with suspect assessment) for a nominal."""
    if assessment.child_id is not None:
        return has_capability(user, Cap.CHAIR_MACE)
    return has_capability(user, Cap.CHAIR_TASKING) and has_capability(user, Cap.ASSESS_SUSPECTS)


def activate_version(actor: Any, version: RiskToolVersion) -> RiskToolVersion:
    """Make a draft version the tool's active one, retiring the version it replaces. Refuses a
    version that is not a draft, or whose bands leave a score without a level."""
    if version.status != VersionStatus.DRAFT:
        raise AssessmentRefused("Only a draft version can be made active", "version")
    problems = engine.banding_problems(version.bands())
    if problems:
        raise AssessmentRefused("; ".join(problems), "version")
    with transaction.atomic():
        for old in RiskToolVersion.objects.filter(tool=version.tool, status=VersionStatus.ACTIVE):
            old.status = VersionStatus.RETIRED
            old.save(update_fields=["status"])
            record_change(actor, old, AuditAction.UPDATE, changes={"status": ["active", "retired"]})
        version.status = VersionStatus.ACTIVE
        version.save(update_fields=["status"])
        record_change(actor, version, AuditAction.UPDATE, changes={"status": ["draft", "active"]})
    return version


def create_nominal(
    actor: Any, *, name: str, alias: str, date_of_birth: date | None, now: datetime
) -> Nominal:
    """Add a nominal (suspect). Refuses a date of birth in the future."""
    if date_of_birth is not None and date_of_birth > now.date():
        raise AssessmentRefused("Date of birth must be in the past", "date_of_birth")
    with transaction.atomic():
        nominal = Nominal.objects.create(
            name=name,
            alias=alias,
            date_of_birth=date_of_birth,
            created_by=_user(actor),
            created_at=now,
        )
        record_change(actor, nominal, AuditAction.CREATE)
    return nominal


def _user(actor: Any):
    return actor.user if hasattr(actor, "user") else actor
