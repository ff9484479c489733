"""What the risk app does: assessments with a tool version, professional judgement overrides,
the life of a tool version (draft, active, retired), and nominals.

Every function is one transaction with its audit entry. Refusals are `AssessmentRefused`,
carrying the form field they are about.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max

from lantern.accounts.access import Cap, has_capability
from lantern.audit.models import AuditAction
from lantern.audit.services import record_change
from lantern.children.services import refresh_current_level
from lantern.core.errors import LanternError
from lantern.risk import engine
from lantern.risk.models import (
    AssessedIndicator,
    Indicator,
    IndicatorAnswer,
    IndicatorGroup,
    Nominal,
    OverrideStatus,
    RiskAssessment,
    RiskTool,
    RiskToolVersion,
    ScoringBand,
    ToolSubject,
    VersionStatus,
)

log = logging.getLogger(__name__)


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
    absent: dict[int, str] | None = None,
    not_known: dict[int, str] | None = None,
    notes: str = "",
    now: datetime,
) -> RiskAssessment:
    """Assess a child or a nominal with a tool version. `ticked` maps the indicators recorded as
    present to their evidence, `absent` and `not_known` map the others to any note; an indicator
    of the version in none of them is not known, never absent. The score (of the present
    indicators) and computed level come from the engine. Refuses an assessment with nothing
    recorded as present or absent, a version that is not active (retired or draft), a tool for
    the other kind of subject, indicators from another version or answered twice, and an
    assessment dated in the future."""
    absent, not_known = absent or {}, not_known or {}
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
    if not ticked and not absent:
        raise AssessmentRefused(
            "Record each indicator as present, absent or not known: nothing has been recorded "
            "as present or absent, so this would not be an assessment",
            "indicators",
        )
    answers = _answers(ticked, absent, not_known)
    indicators = {i.pk: i for i in Indicator.objects.filter(group__version=version)}
    if not set(answers) <= set(indicators):
        raise AssessmentRefused("Some indicators are not part of this tool version", "indicators")
    for pk in set(indicators) - set(answers):
        answers[pk] = (IndicatorAnswer.NOT_KNOWN, "")
    present = [
        indicators[pk] for pk, (answer, _) in answers.items() if answer == IndicatorAnswer.PRESENT
    ]
    score = engine.total_score(i.weight for i in present)
    level = engine.level_for(score, version.bands())
    unknown = sum(1 for answer, _ in answers.values() if answer == IndicatorAnswer.NOT_KNOWN)
    with transaction.atomic():
        assessment = RiskAssessment.objects.create(
            version=version,
            child=child,
            nominal=nominal,
            assessed_on=assessed_on,
            assessed_by=_user(actor),
            score=score,
            computed_level=level,
            not_known_count=unknown,
            notes=notes,
            created_at=now,
        )
        AssessedIndicator.objects.bulk_create(
            AssessedIndicator(assessment=assessment, indicator_id=pk, answer=answer, evidence=text)
            for pk, (answer, text) in sorted(answers.items())
        )
        record_change(
            actor,
            assessment,
            AuditAction.CREATE,
            changes={"level": [None, assessment.shown_computed_level]},
        )
        if child is not None:
            refresh_current_level(child)
    return assessment


def _answers(
    ticked: dict[int, str], absent: dict[int, str], not_known: dict[int, str]
) -> dict[int, tuple[str, str]]:
    answers: dict[int, tuple[str, str]] = {}
    for answer, given in (
        (IndicatorAnswer.PRESENT, ticked),
        (IndicatorAnswer.ABSENT, absent),
        (IndicatorAnswer.NOT_KNOWN, not_known),
    ):
        for pk, text in given.items():
            if pk in answers:
                raise AssessmentRefused("An indicator can have only one answer", "indicators")
            answers[pk] = (answer, text)
    return answers


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
    if assessment.override_level and assessment.override_status != OverrideStatus.DECLINED:
        raise AssessmentRefused("This assessment already has an override", "level")
    if not rationale.strip():
        raise AssessmentRefused("Enter the rationale for your professional judgement", "rationale")
    if level == assessment.computed_level:
        raise AssessmentRefused(
            "Choose a level different from the computed level, or leave the assessment as it is",
            "level",
        )
    if approver is None:
        raise AssessmentRefused("Choose who must approve the override", "approver")
    if approver.pk == assessment.assessed_by_id:
        raise AssessmentRefused("The approver must be someone other than the assessor", "approver")
    if not may_approve(approver, assessment):
        raise AssessmentRefused(f"{approver} may not approve overrides of this tool", "approver")
    with transaction.atomic():
        before = [assessment.override_level, assessment.override_status]
        assessment.override_level = level
        assessment.override_rationale = rationale
        assessment.override_approved_by = approver
        assessment.overridden_at = now
        assessment.override_status = OverrideStatus.PENDING
        assessment.override_decided_at = None
        assessment.override_decision_note = ""
        assessment.save(update_fields=OVERRIDE_FIELDS)
        record_change(
            actor,
            assessment,
            AuditAction.UPDATE,
            changes={
                "override_level": [before[0], level],
                "override_status": [before[1], OverrideStatus.PENDING],
                "approver": [None, str(approver)],
            },
            reason=rationale,
        )
    return assessment


OVERRIDE_FIELDS = [
    "override_level",
    "override_rationale",
    "override_approved_by",
    "overridden_at",
    "override_status",
    "override_decided_at",
    "override_decision_note",
]


def decide_override(
    actor: Any, assessment: RiskAssessment, *, approve: bool, note: str, now: datetime
) -> RiskAssessment:
    """The named approver approves or declines a pending override. Approved, the professional
    judgement becomes the level that counts; declined, the computed level stands and the
    override stays on the record with the approver's note. Refuses anyone but the named
    approver, an override that is not pending, and a decline without a note."""
    user = _user(actor)
    if not assessment.override_pending:
        raise AssessmentRefused("This override is not waiting for approval", "decision")
    if assessment.override_approved_by_id != user.pk or not may_approve(user, assessment):
        raise AssessmentRefused("Only the approver named on the override may decide", "decision")
    if not approve and not note.strip():
        raise AssessmentRefused("Enter why you are declining the override", "note")
    status = OverrideStatus.APPROVED if approve else OverrideStatus.DECLINED
    with transaction.atomic():
        locked = RiskAssessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.override_status != OverrideStatus.PENDING:
            raise AssessmentRefused("This override has already been decided", "decision")
        assessment.override_status = status
        assessment.override_decided_at = now
        assessment.override_decision_note = note.strip()
        assessment.save(
            update_fields=["override_status", "override_decided_at", "override_decision_note"]
        )
        record_change(
            actor,
            assessment,
            AuditAction.UPDATE,
            changes={"override_status": [OverrideStatus.PENDING, status]},
            reason=note.strip(),
        )
        if assessment.child_id is not None:
            refresh_current_level(assessment.child)
    return assessment


def overrides_waiting_for(user: Any):
    """The overrides this user was named to approve and has not yet decided."""
    return RiskAssessment.objects.filter(
        override_approved_by=user, override_status=OverrideStatus.PENDING
    ).select_related("version__tool", "child", "nominal", "assessed_by")


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


# --- Authoring tool versions ------------------------------------------------------------------


def new_draft_version(actor: Any, tool: RiskTool) -> RiskToolVersion:
    """Start a new draft version of a tool as a copy of its active (or latest) version: its
    guidance, indicator groups, indicators and scoring bands. Refuses a second draft."""
    if tool.versions.filter(status=VersionStatus.DRAFT).exists():
        raise AssessmentRefused(f"{tool} already has a draft version: edit that one", "tool")
    source = tool.active_version() or tool.versions.order_by("-number").first()
    with transaction.atomic():
        latest = tool.versions.aggregate(n=Max("number"))["n"] or 0
        draft = RiskToolVersion.objects.create(
            tool=tool,
            number=latest + 1,
            status=VersionStatus.DRAFT,
            guidance=source.guidance if source else "",
        )
        if source is not None:
            for group in source.groups.prefetch_related("indicators"):
                copy = IndicatorGroup.objects.create(
                    version=draft, name=group.name, guidance=group.guidance, order=group.order
                )
                Indicator.objects.bulk_create(
                    Indicator(
                        group=copy,
                        text=i.text,
                        guidance=i.guidance,
                        weight=i.weight,
                        order=i.order,
                    )
                    for i in group.indicators.all()
                )
            ScoringBand.objects.bulk_create(
                ScoringBand(
                    version=draft, min_score=b.min_score, max_score=b.max_score, level=b.level
                )
                for b in source.scoring_bands.all()
            )
        record_change(
            actor,
            draft,
            AuditAction.CREATE,
            changes={"copied_from": [None, source.number if source else None]},
        )
    return draft


def check_draft(version: RiskToolVersion) -> None:
    """A published (active or retired) version is immutable: only a draft can change."""
    if version.status != VersionStatus.DRAFT:
        raise AssessmentRefused(
            f"{version} is {version.get_status_display().lower()} and cannot be changed: "
            "start a new draft version instead",
            "version",
        )


def update_version_guidance(actor: Any, version: RiskToolVersion, *, guidance: str) -> None:
    check_draft(version)
    with transaction.atomic():
        old = version.guidance
        version.guidance = guidance
        version.save(update_fields=["guidance"])
        record_change(actor, version, AuditAction.UPDATE, changes={"guidance": [old, guidance]})


def save_group(
    actor: Any,
    version: RiskToolVersion,
    *,
    group: IndicatorGroup | None = None,
    name: str,
    guidance: str,
    order: int,
) -> IndicatorGroup:
    """Add an indicator group to a draft version, or change one of its groups."""
    check_draft(version)
    if group is not None and group.version_id != version.pk:
        raise AssessmentRefused("That group is not part of this version", "name")
    with transaction.atomic():
        if group is None:
            group = IndicatorGroup.objects.create(
                version=version, name=name, guidance=guidance, order=order
            )
            record_change(actor, version, AuditAction.UPDATE, changes={"group added": [None, name]})
        else:
            changes = _changes(group, {"name": name, "guidance": guidance, "order": order})
            group.save()
            record_change(actor, version, AuditAction.UPDATE, changes=changes)
    return group


def save_indicator(
    actor: Any,
    group: IndicatorGroup,
    *,
    indicator: Indicator | None = None,
    text: str,
    guidance: str,
    weight: int,
    order: int,
) -> Indicator:
    """Add an indicator (with its weight) to a draft version's group, or change one."""
    check_draft(group.version)
    if indicator is not None and indicator.group.version_id != group.version_id:
        raise AssessmentRefused("That indicator is not part of this version", "text")
    with transaction.atomic():
        if indicator is None:
            indicator = Indicator.objects.create(
                group=group, text=text, guidance=guidance, weight=weight, order=order
            )
            changes = {"indicator added": [None, f"{text} ({weight})"]}
        else:
            fields = {
                "group": group,
                "text": text,
                "guidance": guidance,
                "weight": weight,
                "order": order,
            }
            changes = _changes(indicator, fields)
            indicator.save()
        record_change(actor, group.version, AuditAction.UPDATE, changes=changes)
    return indicator


def set_bands(actor: Any, version: RiskToolVersion, bands: list[engine.Band]) -> None:
    """Replace a draft version's scoring bands. Refuses bands that leave a gap, overlap, do not
    start at 0 or do not end open-ended: every score must have exactly one level."""
    check_draft(version)
    problems = engine.banding_problems(bands)
    if problems:
        raise AssessmentRefused("; ".join(problems), "bands")
    with transaction.atomic():
        before = [str(b) for b in version.scoring_bands.all()]
        # A draft's bands belong to no assessment yet, so replacing them loses nothing; the
        # audit entry keeps what they were.
        version.scoring_bands.all().delete()
        made = ScoringBand.objects.bulk_create(
            ScoringBand(version=version, min_score=b.low, max_score=b.high, level=b.level)
            for b in sorted(bands, key=lambda b: b.low)
        )
        record_change(
            actor,
            version,
            AuditAction.UPDATE,
            changes={"bands": [before, [str(b) for b in made]]},
        )


def publish_version(actor: Any, version: RiskToolVersion) -> RiskToolVersion:
    """Publish a draft: it becomes the active version and the one it replaces is retired.
    Assessments made with the retired version keep rendering with it. Refuses a draft with no
    indicators."""
    if (
        version.status == VersionStatus.DRAFT
        and not Indicator.objects.filter(group__version=version).exists()
    ):
        raise AssessmentRefused("Add at least one indicator before publishing", "version")
    return activate_version(actor, version)


# --- Nominals ------------------------------------------------------------------------------------


def create_nominal(
    actor: Any,
    *,
    name: str,
    alias: str,
    date_of_birth: date | None,
    now: datetime,
    gender: str = "",
    ethnicity: str = "",
) -> Nominal:
    """Add a nominal (suspect), cross-referenced with the people the entities app knows.
    Refuses a date of birth in the future."""
    if date_of_birth is not None and date_of_birth > now.date():
        raise AssessmentRefused("Date of birth must be in the past", "date_of_birth")
    with transaction.atomic():
        nominal = Nominal.objects.create(
            name=name,
            alias=alias,
            date_of_birth=date_of_birth,
            gender=gender,
            ethnicity=ethnicity,
            created_by=_user(actor),
            created_at=now,
        )
        record_change(actor, nominal, AuditAction.CREATE)
        link_nominal(nominal, actor=actor, now=now)
    return nominal


def update_nominal(
    actor: Any,
    nominal: Nominal,
    *,
    expected_version: int,
    name: str,
    alias: str,
    date_of_birth: date | None,
    now: datetime,
    gender: str = "",
    ethnicity: str = "",
) -> Nominal:
    """Change a nominal's details; a changed name or date of birth is cross-referenced again.
    Refuses an edit made over someone else's (a conflict) and a date of birth in the future."""
    if date_of_birth is not None and date_of_birth > now.date():
        raise AssessmentRefused("Date of birth must be in the past", "date_of_birth")
    with transaction.atomic():
        current = Nominal.objects.select_for_update().get(pk=nominal.pk)
        if current.version != expected_version:
            raise AssessmentRefused(
                "Someone else changed this nominal while you were editing: check their "
                "changes and make yours again",
                None,
            )
        relink = (current.name, current.date_of_birth, current.gender) != (
            name,
            date_of_birth,
            gender,
        )
        changes = _changes(
            current,
            {
                "name": name,
                "alias": alias,
                "date_of_birth": date_of_birth,
                "gender": gender,
                "ethnicity": ethnicity,
            },
        )
        current.version += 1
        current.save()
        record_change(actor, current, AuditAction.UPDATE, changes=changes)
        if relink:
            link_nominal(current, actor=actor, now=now)
    return current


def link_nominal(nominal: Nominal, *, actor: Any, now: datetime) -> list:
    """Record the nominal as a person mention with the entities app, which resolves it against
    the people already known (from submissions and notes). Runs in a savepoint: if matching
    fails the nominal is still saved, and the failure is logged. Returns the mentions made."""
    from lantern.entities.models import EntityKind
    from lantern.entities.services import MentionInput, add_mentions

    parts = nominal.name.split()
    first, surname = (parts[0], " ".join(parts[1:])) if len(parts) > 1 else (nominal.name, "")
    details = {"first_name": first, "surname": surname}
    if nominal.gender in ("female", "male"):
        details["gender"] = nominal.gender
    if nominal.ethnicity:
        details["ethnicity"] = nominal.get_ethnicity_display()
    if nominal.date_of_birth:
        details["dob"] = nominal.date_of_birth.isoformat()
    try:
        with transaction.atomic():
            return add_mentions(
                nominal,
                [MentionInput(EntityKind.PERSON, nominal.name, details)],
                actor=actor,
                now=now,
            )
    except Exception:
        log.exception("Cross-referencing nominal %s failed; the nominal is saved", nominal.pk)
        return []


def linked_entities(nominal: Nominal) -> list:
    """The people (entities) the nominal's mentions are linked to, newest mention first."""
    from django.contrib.contenttypes.models import ContentType

    from lantern.entities.models import Mention

    mentions = Mention.objects.filter(
        content_type=ContentType.objects.get_for_model(Nominal),
        object_id=nominal.pk,
        entity__isnull=False,
    ).select_related("entity")
    seen, entities = set(), []
    for mention in mentions.order_by("-mentioned_at", "-pk"):
        if mention.entity_id not in seen:
            seen.add(mention.entity_id)
            entities.append((mention.entity, mention))
    return entities


def _changes(obj: Any, fields: dict) -> dict:
    changes = {}
    for name, value in fields.items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = [str(old), str(value)]
            setattr(obj, name, value)
    return changes


def _user(actor: Any):
    return actor.user if hasattr(actor, "user") else actor
