"""Disruption plans (tactics from partners' powers, each an action) and the operations register."""

from __future__ import annotations

from datetime import date, datetime
from importlib import import_module
from typing import Any

from django.db import transaction

from lantern.accounts.models import Agency, AgencyKind, User
from lantern.audit.models import AuditAction
from lantern.audit.services import record_change
from lantern.core.versioning import save_if_unchanged
from lantern.tasking.models import (
    Action,
    DisruptionPlan,
    MeetingType,
    Operation,
    OperationLink,
    PlanStatus,
    PlanTactic,
    Priority,
    Tactic,
)
from lantern.tasking.services import TaskingRefused, _today, create_action

# The catalogue a new installation starts with is added by migration 0002; chairs edit it.
DEFAULT_CATALOGUE_MIGRATION = "lantern.tasking.migrations.0002_default_tactics_and_routes"


def default_tactics() -> list[tuple[str, str, str]]:
    """(name, agency kind, power) of the starting catalogue, as migration 0002 adds them."""
    return import_module(DEFAULT_CATALOGUE_MIGRATION).TACTICS


def ensure_default_tactics() -> int:
    """Add the default tactics that are missing from the catalogue; returns how many."""
    existing = set(Tactic.objects.values_list("name", flat=True))
    made = Tactic.objects.bulk_create(
        Tactic(name=name, agency_kind=kind, power=power)
        for name, kind, power in default_tactics()
        if name not in existing
    )
    return len(made)


def save_tactic(
    actor: Any,
    *,
    name: str,
    agency_kind: str,
    power: str,
    is_active: bool = True,
    tactic: Tactic | None = None,
    expected_version: int | None = None,
) -> Tactic:
    """Add a tactic to the catalogue or change one. Refuses a name already in the catalogue."""
    clash = Tactic.objects.filter(name__iexact=name)
    if tactic is not None:
        clash = clash.exclude(pk=tactic.pk)
    if clash.exists():
        raise TaskingRefused("The catalogue already has a tactic with that name")
    with transaction.atomic():
        if tactic is None:
            tactic = Tactic.objects.create(
                name=name, agency_kind=agency_kind, power=power, is_active=is_active
            )
            record_change(actor, tactic, AuditAction.CREATE)
        else:
            tactic.name, tactic.agency_kind, tactic.power = name, agency_kind, power
            tactic.is_active = is_active
            fields = ["name", "agency_kind", "power", "is_active"]
            save_if_unchanged(tactic, expected_version or 0, fields)
            record_change(actor, tactic, AuditAction.UPDATE)
    return tactic


def create_plan(
    actor: Any,
    *,
    subject_kind: str,
    subject_description: str,
    aim: str,
    review_on: date,
    lead: User,
    now: datetime,
    subject: Any = None,
) -> DisruptionPlan:
    """Open a disruption plan for a nominal, location or vehicle. Refuses a past review date."""
    from django.contrib.contenttypes.models import ContentType

    if review_on < _today(now):
        raise TaskingRefused("The review date must be today or in the future")
    with transaction.atomic():
        plan = DisruptionPlan.objects.create(
            subject_kind=subject_kind,
            subject_description=subject_description,
            subject_type=ContentType.objects.get_for_model(subject) if subject else None,
            subject_id=str(subject.pk) if subject else "",
            aim=aim,
            review_on=review_on,
            lead=lead,
            created_at=now,
        )
        record_change(actor, plan, AuditAction.CREATE)
    return plan


def add_tactic(
    actor: Any,
    plan: DisruptionPlan,
    *,
    tactic: Tactic,
    owning_agency: Agency,
    owner: User,
    due_on: date,
    detail: str,
    now: datetime,
    priority: str = Priority.HIGH,
) -> Action:
    """Add a tactic to a plan: it becomes an action for the agency that holds the power.

    Refuses an agency of the wrong kind for the tactic, a tactic already in the plan, a closed
    plan, an inactive tactic, and everything create_action refuses.
    """
    if plan.status == PlanStatus.CLOSED:
        raise TaskingRefused("This plan is closed")
    if not tactic.is_active:
        raise TaskingRefused("That tactic has been withdrawn from the catalogue")
    if owning_agency.kind != tactic.agency_kind:
        raise TaskingRefused(
            f"{tactic.name} is a power of a {AgencyKind(tactic.agency_kind).label.lower()} "
            f"agency: {owning_agency} is not one"
        )
    if PlanTactic.objects.filter(plan=plan, tactic=tactic).exists():
        raise TaskingRefused("This plan already uses that tactic")
    with transaction.atomic():
        action = create_action(
            actor,
            title=f"{tactic.name}: {plan.subject_description}"[:200],
            description=detail,
            owning_agency=owning_agency,
            owner=owner,
            due_on=due_on,
            priority=priority,
            route=MeetingType.DISRUPTION,
            origin=plan,
            escalation_contact=plan.lead,
            now=now,
        )
        PlanTactic.objects.create(plan=plan, tactic=tactic, action=action)
        record_change(actor, plan, AuditAction.UPDATE, changes={"tactic": [None, tactic.name]})
    return action


def update_plan(
    actor: Any,
    plan: DisruptionPlan,
    *,
    expected_version: int,
    status: str,
    review_on: date,
    outcome: str,
) -> DisruptionPlan:
    """Change a plan's status, review date and outcome. Refuses closing without an outcome."""
    if status == PlanStatus.CLOSED and not outcome.strip():
        raise TaskingRefused("Record the outcome before closing the plan")
    before = plan.status
    with transaction.atomic():
        plan.status, plan.review_on, plan.outcome = status, review_on, outcome
        save_if_unchanged(plan, expected_version, ["status", "review_on", "outcome"])
        record_change(actor, plan, AuditAction.UPDATE, changes={"status": [before, status]})
    return plan


def create_operation(
    actor: Any, *, name: str, summary: str, started_on: date, lead: User
) -> Operation:
    """Add a named police operation. Refuses a name already in the register."""
    if Operation.objects.filter(name__iexact=name).exists():
        raise TaskingRefused("The register already has an operation with that name")
    with transaction.atomic():
        operation = Operation.objects.create(
            name=name, summary=summary, started_on=started_on, lead=lead
        )
        record_change(actor, operation, AuditAction.CREATE)
    return operation


def update_operation(
    actor: Any, operation: Operation, *, expected_version: int, status: str, summary: str
) -> Operation:
    """Change an operation's status and summary (with a conflict on a stale form)."""
    before = operation.status
    with transaction.atomic():
        operation.status, operation.summary = status, summary
        save_if_unchanged(operation, expected_version, ["status", "summary"])
        record_change(actor, operation, AuditAction.UPDATE, changes={"status": [before, status]})
    return operation


def link_to_operation(
    actor: Any, operation: Operation, *, subject_kind: str, description: str
) -> OperationLink:
    """Link a nominal or location (free text until the entities app lands) to an operation."""
    with transaction.atomic():
        link = OperationLink.objects.create(
            operation=operation, subject_kind=subject_kind, description=description
        )
        record_change(actor, operation, AuditAction.UPDATE, changes={"linked": [None, description]})
    return link
