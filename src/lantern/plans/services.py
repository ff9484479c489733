"""What the delivery plan does: build a strategy, record progress and BRAG changes, remind leads
of overdue actions. Each function is one transaction and writes its audit entry inside it.

Versions and comparisons live in `versions.py`; spreadsheet import and export in `spreadsheets.py`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from lantern.audit.models import AuditAction
from lantern.audit.services import record_change
from lantern.core.errors import LanternError
from lantern.core.versioning import save_if_unchanged
from lantern.plans.models import (
    DEFAULT_PRIORITIES,
    Brag,
    BragChange,
    DeliveryAction,
    EvidenceEntry,
    LeadOfficer,
    Objective,
    OverdueReminder,
    Priority,
    Recommendation,
    Strategy,
    month_end,
)


class PlanRefused(LanternError):
    """A change to the delivery plan that cannot be made as asked; `field` names the form
    field it is about, where there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# A change to these ratings must say why (red, amber) or show the work is done (blue).
EVIDENCE_NEEDED = {
    Brag.RED: "Enter the evidence saying why this action is red (off target)",
    Brag.AMBER: "Enter the evidence saying why this action is amber (at risk)",
    Brag.BLUE: "Enter the evidence that this action is complete",
}


def evidence_needed(old_brag: str, new_brag: str, evidence: str) -> str:
    """The message refusing a change to red, amber or blue without evidence, or ""."""
    if new_brag != old_brag and new_brag in EVIDENCE_NEEDED and not evidence.strip():
        return EVIDENCE_NEEDED[Brag(new_brag)]
    return ""


# --- Strategy, priorities, objectives ------------------------------------------------------


def create_strategy(
    actor: Any,
    *,
    name: str,
    start_year: int,
    end_year: int,
    governance: str = "",
    vision: str = "",
) -> Strategy:
    """Create a strategy with the six default priorities (Leadership first, then the 5Ps).

    Refuses a name already used or an end year before the start year.
    """
    name = name.strip()
    if end_year < start_year:
        raise PlanRefused("The end year must be the same as or after the start year.")
    with transaction.atomic():
        if Strategy.objects.filter(name__iexact=name).exists():
            raise PlanRefused(f"There is already a strategy called {name}.")
        strategy = Strategy.objects.create(
            name=name,
            start_year=start_year,
            end_year=end_year,
            governance=governance,
            vision=vision,
        )
        Priority.objects.bulk_create(
            Priority(strategy=strategy, name=p, description=d, position=i)
            for i, (p, d) in enumerate(DEFAULT_PRIORITIES, 1)
        )
        record_change(actor, strategy, AuditAction.CREATE)
    return strategy


def update_strategy(
    actor: Any, strategy: Strategy, *, expected_version: int, **fields: Any
) -> Strategy:
    """Change a strategy's name, years, governance or vision. Refuses a stale form."""
    if fields["end_year"] < fields["start_year"]:
        raise PlanRefused("The end year must be the same as or after the start year.")
    with transaction.atomic():
        clash = Strategy.objects.filter(name__iexact=fields["name"]).exclude(pk=strategy.pk)
        if clash.exists():
            raise PlanRefused(f"There is already a strategy called {fields['name']}.")
        changes = _apply(strategy, fields)
        save_if_unchanged(strategy, expected_version, list(fields))
        record_change(actor, strategy, AuditAction.UPDATE, changes=changes)
    return strategy


def save_priority(
    actor: Any,
    strategy: Strategy,
    *,
    priority: Priority | None = None,
    expected_version: int = 0,
    name: str,
    description: str,
    position: int,
) -> Priority:
    """Add a priority, or rename and reorder one. Refuses a name the strategy already uses."""
    name = name.strip()
    with transaction.atomic():
        others = strategy.priorities.filter(name__iexact=name)
        if priority is not None:
            others = others.exclude(pk=priority.pk)
        if others.exists():
            raise PlanRefused(f"This plan already has a priority called {name}.")
        if priority is None:
            priority = Priority.objects.create(
                strategy=strategy, name=name, description=description, position=position
            )
            record_change(actor, priority, AuditAction.CREATE)
            return priority
        fields = {"name": name, "description": description, "position": position}
        changes = _apply(priority, fields)
        save_if_unchanged(priority, expected_version, list(fields))
        record_change(actor, priority, AuditAction.UPDATE, changes=changes)
    return priority


def save_objective(
    actor: Any,
    strategy: Strategy,
    *,
    objective: Objective | None = None,
    expected_version: int = 0,
    priority: Priority,
    ref: str,
    title: str,
) -> Objective:
    """Add a numbered objective, or change one. Refuses a number the plan already uses."""
    ref = normalise_ref(ref)
    if priority.strategy_id != strategy.pk:
        raise PlanRefused("Choose a priority of this plan.")
    with transaction.atomic():
        clash = strategy.objectives.filter(ref=ref)
        if objective is not None:
            clash = clash.exclude(pk=objective.pk)
        if clash.exists():
            raise PlanRefused(
                f"Objective {ref} already exists in this plan: choose another number."
            )
        if objective is None:
            objective = Objective.objects.create(
                strategy=strategy,
                priority=priority,
                ref=ref,
                title=title.strip(),
                position=ref_position(ref),
            )
            record_change(actor, objective, AuditAction.CREATE)
            return objective
        fields = {
            "priority": priority,
            "ref": ref,
            "title": title.strip(),
            "position": ref_position(ref),
        }
        changes = _apply(objective, fields)
        save_if_unchanged(objective, expected_version, list(fields))
        record_change(actor, objective, AuditAction.UPDATE, changes=changes)
    return objective


def save_lead_officer(
    actor: Any,
    strategy: Strategy,
    *,
    lead: LeadOfficer | None = None,
    expected_version: int = 0,
    name: str,
    job_title: str = "",
    agency: str = "",
    email: str = "",
    user: Any = None,
) -> LeadOfficer:
    """Add a lead officer or change one; linking a user lets them update their own actions.

    Refuses a name the plan already has for another lead officer.
    """
    name = name.strip()
    with transaction.atomic():
        clash = strategy.lead_officers.filter(name__iexact=name)
        if lead is not None:
            clash = clash.exclude(pk=lead.pk)
        if clash.exists():
            raise PlanRefused(f"This plan already has a lead officer called {name}.")
        fields = {
            "name": name,
            "job_title": job_title.strip(),
            "agency": agency.strip(),
            "email": email.strip(),
            "user": user,
        }
        if lead is None:
            lead = LeadOfficer.objects.create(strategy=strategy, **fields)
            record_change(actor, lead, AuditAction.CREATE)
            return lead
        changes = _apply(lead, fields)
        save_if_unchanged(lead, expected_version, list(fields))
        record_change(actor, lead, AuditAction.UPDATE, changes=changes)
    return lead


def save_recommendation(
    actor: Any,
    strategy: Strategy,
    *,
    recommendation: Recommendation | None = None,
    expected_version: int = 0,
    source: str,
    reference: str,
    text: str,
) -> Recommendation:
    """Add a recommendation or motion point the plan answers, or change one.

    Refuses a source and reference the plan already holds.
    """
    source, reference = source.strip(), reference.strip()
    with transaction.atomic():
        clash = strategy.recommendations.filter(source__iexact=source, reference__iexact=reference)
        if recommendation is not None:
            clash = clash.exclude(pk=recommendation.pk)
        if clash.exists():
            raise PlanRefused(f"{source}, {reference} is already on the list.")
        fields = {"source": source, "reference": reference, "text": text.strip()}
        if recommendation is None:
            recommendation = Recommendation.objects.create(strategy=strategy, **fields)
            record_change(actor, recommendation, AuditAction.CREATE)
            return recommendation
        changes = _apply(recommendation, fields)
        save_if_unchanged(recommendation, expected_version, list(fields))
        record_change(actor, recommendation, AuditAction.UPDATE, changes=changes)
    return recommendation


# --- Actions -----------------------------------------------------------------------------------


def create_action(
    actor: Any,
    objective: Objective,
    *,
    text: str,
    lead: LeadOfficer | None,
    due: date | None,
    recommendations: list[Recommendation] | tuple = (),
    now: datetime | None = None,
) -> DeliveryAction:
    """Add an action under an objective, not yet rated. Refuses a lead or recommendation from
    another plan."""
    _check_same_plan(objective.strategy_id, lead, recommendations)
    with transaction.atomic():
        position = objective.actions.count() + 1
        action = DeliveryAction.objects.create(
            objective=objective,
            text=text.strip(),
            lead=lead,
            due=_first_of_month(due),
            position=position,
        )
        action.recommendations.set(recommendations)
        record_change(actor, action, AuditAction.CREATE)
    return action


def update_action(
    actor: Any,
    action: DeliveryAction,
    *,
    expected_version: int,
    objective: Objective,
    text: str,
    lead: LeadOfficer | None,
    due: date | None,
    recommendations: list[Recommendation] | tuple = (),
) -> DeliveryAction:
    """Change an action's objective, wording, lead, due month and the recommendations it answers.

    The BRAG rating changes only through `record_progress`. Refuses a stale form and a lead,
    objective or recommendation from another plan.
    """
    strategy_id = action.objective.strategy_id
    if objective.strategy_id != strategy_id:
        raise PlanRefused("Choose an objective of this plan.")
    _check_same_plan(strategy_id, lead, recommendations)
    with transaction.atomic():
        fields = {"objective": objective, "text": text.strip(), "lead": lead}
        fields["due"] = _first_of_month(due)
        changes = _apply(action, fields)
        save_if_unchanged(action, expected_version, list(fields))
        before = set(action.recommendations.values_list("pk", flat=True))
        after = {r.pk for r in recommendations}
        if before != after:
            action.recommendations.set(recommendations)
            changes["recommendations"] = [sorted(before), sorted(after)]
        record_change(actor, action, AuditAction.UPDATE, changes=changes)
    return action


def record_progress(
    actor: Any,
    action: DeliveryAction,
    *,
    expected_version: int,
    brag: str,
    evidence: str = "",
    on: date | None = None,
    now: datetime | None = None,
    via: str = "page",
) -> DeliveryAction:
    """Add an evidence-of-progress entry and/or change the BRAG rating, keeping who and when.

    Refuses a stale form, an unknown rating, a withdrawn action, an update that changes
    nothing (no new evidence and the same rating), and a change to red or amber without
    evidence saying why or to blue without the evidence of completion.
    """
    now = now or timezone.now()
    evidence = evidence.strip()
    if brag not in Brag.values:
        raise PlanRefused("Choose a BRAG rating: blue, green, amber or red.")
    if action.withdrawn_at:
        raise PlanRefused("This action has been withdrawn: its progress can no longer change.")
    if brag == action.brag and not evidence:
        raise PlanRefused("Add evidence of progress or choose a different BRAG rating.")
    missing = evidence_needed(action.brag, brag, evidence)
    if missing:
        raise PlanRefused(missing, "evidence")
    with transaction.atomic():
        changes: dict = {}
        if evidence:
            write_evidence_entry(actor, action, evidence, on or timezone.localdate(now), now)
            changes["evidence"] = [None, evidence]
        if brag != action.brag:
            write_brag_change(actor, action, brag, now, via)
            changes["brag"] = [action.brag, brag]
            action.brag = brag
        save_if_unchanged(action, expected_version, ["brag"])
        record_change(actor, action, AuditAction.UPDATE, changes=changes)
    return action


def withdraw_action(
    actor: Any, action: DeliveryAction, *, reason: str, now: datetime | None = None
) -> DeliveryAction:
    """Take an action out of the plan, keeping it and its history. Refuses an empty reason."""
    if not reason.strip():
        raise PlanRefused("Say why the action is being withdrawn.")
    if action.withdrawn_at:
        raise PlanRefused("This action has already been withdrawn.")
    with transaction.atomic():
        action.withdrawn_at = now or timezone.now()
        action.withdrawn_reason = reason.strip()
        action.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        record_change(actor, action, AuditAction.ARCHIVE, reason=action.withdrawn_reason)
    return action


# --- Overdue actions and reminders --------------------------------------------------------------


def live_actions(strategy: Strategy) -> QuerySet[DeliveryAction]:
    """The plan's actions that have not been withdrawn, in plan order."""
    return DeliveryAction.objects.filter(
        objective__strategy=strategy, withdrawn_at__isnull=True
    ).select_related("objective__priority", "lead__user")


def overdue_actions(queryset: QuerySet[DeliveryAction], today: date) -> QuerySet[DeliveryAction]:
    """Actions whose due month has ended before `today` and that are not blue (complete)."""
    this_month = today.replace(day=1)
    return queryset.filter(due__lt=this_month, withdrawn_at__isnull=True).exclude(brag=Brag.BLUE)


def send_overdue_reminders(now: datetime) -> str:
    """Email the lead of each overdue action once per due month (the periodic job).

    Idempotent: a unique row per action and due month means a second run sends nothing. A lead
    with no email address (no account and none recorded) is skipped and counted.
    """
    if timezone.is_naive(now):  # `lantern tick --now 2026-11-22T09:00` gives local time
        now = timezone.make_aware(now)
    today = timezone.localdate(now)
    candidates = overdue_actions(DeliveryAction.objects.all(), today).select_related(
        "lead__user", "objective__strategy"
    )
    # Already reminded for this due month: the unique row says so.
    candidates = candidates.exclude(lead__isnull=True).exclude(reminders__due=F("due"))
    sent = skipped = 0
    for action in candidates:
        address = action.lead.reminder_email
        if not address:
            skipped += 1
            continue
        if _remind(action, address, now):
            sent += 1
    return f"{sent} overdue reminder{'s' if sent != 1 else ''} sent, {skipped} without an address"


# --- Helpers ---------------------------------------------------------------------------------


def normalise_ref(ref: str) -> str:
    """Objective numbers as people write them: "1.1." and " 1.1" are both "1.1"."""
    return ref.strip().rstrip(".").strip()


def _remind(action: DeliveryAction, address: str, now: datetime) -> bool:
    try:
        with transaction.atomic():
            OverdueReminder.objects.create(
                action=action, due=action.due, sent_to=address, sent_at=now
            )
            send_mail(
                subject=f"Delivery plan action overdue: {action.objective.ref}",
                message=_reminder_text(action),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[address],
            )
            record_change(
                "lantern tick",
                action,
                AuditAction.UPDATE,
                changes={"reminder": [None, f"overdue reminder to {address}"]},
            )
    except IntegrityError:
        return False  # another tick sent it first
    return True


def _reminder_text(action: DeliveryAction) -> str:
    return (
        f"Hello {action.lead.name},\n\n"
        f"This action in {action.objective.strategy.name} was due by the end of "
        f"{month_end(action.due):%d %B %Y} and is not yet complete (BRAG: {action.brag_short}):\n\n"
        f"{action.objective.ref}  {action.text}\n\n"
        "Please sign in to Lantern to add evidence of progress and update its BRAG rating, or "
        "tell the partnership manager if the due date needs to change.\n"
    )


def write_evidence_entry(
    actor: Any, action: DeliveryAction, text: str, on: date, now: datetime
) -> None:
    """Add an evidence entry (call inside the caller's transaction, which audits it)."""
    actor = _person(actor)
    user = actor if getattr(actor, "is_authenticated", False) else None
    EvidenceEntry.objects.create(
        action=action,
        on=on,
        text=text,
        recorded_by=user,
        recorded_by_label=_label(actor),
        recorded_at=now,
    )


def write_brag_change(
    actor: Any, action: DeliveryAction, brag: str, now: datetime, via: str
) -> None:
    """Keep one BRAG change (call inside the caller's transaction, before setting action.brag)."""
    actor = _person(actor)
    user = actor if getattr(actor, "is_authenticated", False) else None
    BragChange.objects.create(
        action=action,
        from_brag=action.brag,
        to_brag=brag,
        changed_by=user,
        changed_by_label=_label(actor),
        changed_at=now,
        via=via,
    )


def _person(actor: Any) -> Any:
    """The user behind a request, or the actor itself (a user or a label like "lantern tick")."""
    return actor.user if hasattr(actor, "user") and hasattr(actor, "META") else actor


def _label(actor: Any) -> str:
    if getattr(actor, "is_authenticated", False):
        return str(actor)[:200]
    return str(actor)[:200] if isinstance(actor, str) else "Lantern"


def _apply(obj: Any, fields: dict) -> dict:
    """Set the fields on obj; return {field: [old, new]} for those that changed."""
    changes = {}
    for name, value in fields.items():
        old = getattr(obj, name)
        if old != value:
            changes[name] = [_plain(old), _plain(value)]
            setattr(obj, name, value)
    return changes


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)


def _first_of_month(value: date | None) -> date | None:
    return value.replace(day=1) if value else None


def ref_position(ref: str) -> int:
    """Sort "1.10" after "1.9": the last number of the reference, or 0."""
    tail = ref.rsplit(".", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _check_same_plan(strategy_id: int, lead: LeadOfficer | None, recommendations) -> None:
    if lead is not None and lead.strategy_id != strategy_id:
        raise PlanRefused("Choose a lead officer of this plan.")
    if any(r.strategy_id != strategy_id for r in recommendations):
        raise PlanRefused("Choose recommendations of this plan.")
