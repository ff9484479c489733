"""Published versions of a delivery plan, and what changed between two of them.

Publishing freezes the whole plan as JSON (like the version control table at the front of a
paper plan, but with the plan itself kept), so a later edit never changes what was published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from lantern.audit.models import AuditAction
from lantern.audit.services import record_change
from lantern.plans.models import BRAG_SHORT, Brag, DeliveryAction, PlanVersion, Strategy
from lantern.plans.onepage import uncovered_recommendations
from lantern.plans.services import PlanRefused, live_actions

SNAPSHOT_FORMAT = 1
# The fields of an action compared between versions, with the words shown for each.
COMPARED_FIELDS = {
    "objective_ref": "objective",
    "text": "wording",
    "lead": "lead officer",
    "due": "due month",
    "evidence": "evidence of progress",
    "recommendations": "recommendations answered",
}


def publish_version(
    actor: Any,
    strategy: Strategy,
    *,
    comment: str,
    major: bool = False,
    now: datetime | None = None,
) -> PlanVersion:
    """Publish the plan as it stands as the next version (1.0, 1.1, ... or 2.0 for a major one).

    Refuses an empty comment: the version control table says what each version changed.
    """
    now = now or timezone.now()
    person = actor.user if hasattr(actor, "META") else actor
    if not comment.strip():
        raise PlanRefused("Say what this version changes, for example “BRAG updates from leads”.")
    with transaction.atomic():
        # Lock the strategy row so two people publishing at once get different numbers.
        Strategy.objects.select_for_update().get(pk=strategy.pk)
        last = strategy.versions.order_by("-major", "-minor").first()
        if last is None:
            number = (1, 0)
        elif major:
            number = (last.major + 1, 0)
        else:
            number = (last.major, last.minor + 1)
        version = PlanVersion.objects.create(
            strategy=strategy,
            major=number[0],
            minor=number[1],
            published_on=timezone.localdate(now),
            published_at=now,
            author=person if getattr(person, "is_authenticated", False) else None,
            author_label=str(person)[:200],
            comment=comment.strip(),
            snapshot=plan_snapshot(strategy),
        )
        record_change(
            actor, version, AuditAction.CREATE, changes={"number": [None, version.number]}
        )
    return version


def plan_snapshot(strategy: Strategy) -> dict:
    """The whole plan as plain JSON: priorities, objectives, actions with their evidence."""
    actions = live_actions(strategy).prefetch_related("evidence", "recommendations")
    by_objective: dict[int, list[dict]] = {}
    for action in actions:
        by_objective.setdefault(action.objective_id, []).append(_action_snapshot(action))
    priorities = []
    for priority in strategy.priorities.prefetch_related("objectives"):
        priorities.append(
            {
                "name": priority.name,
                "description": priority.description,
                "objectives": [
                    {
                        "ref": o.ref,
                        "title": o.title,
                        "actions": by_objective.get(o.pk, []),
                    }
                    for o in priority.objectives.all()
                ],
            }
        )
    uncovered = set(uncovered_recommendations(strategy).values_list("pk", flat=True))
    return {
        "format": SNAPSHOT_FORMAT,
        "strategy": {
            "name": strategy.name,
            "years": strategy.years,
            "governance": strategy.governance,
            "vision": strategy.vision,
        },
        "priorities": priorities,
        "lead_officers": [
            {"name": lead.name, "job_title": lead.job_title, "agency": lead.agency}
            for lead in strategy.lead_officers.all()
        ],
        "recommendations": [
            {"label": str(r), "text": r.text, "covered": r.pk not in uncovered}
            for r in strategy.recommendations.all()
        ],
    }


@dataclass
class ActionChange:
    ref: str
    text: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (what, before, after)


@dataclass
class Comparison:
    older: str
    newer: str
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[ActionChange] = field(default_factory=list)
    brag_changes: list[dict] = field(default_factory=list)  # ref, text, before, after

    @property
    def nothing_changed(self) -> bool:
        return not (self.added or self.removed or self.changed or self.brag_changes)


def compare_snapshots(
    older: dict, newer: dict, *, older_label: str, newer_label: str
) -> Comparison:
    """What changed from one snapshot to another: actions added, removed and changed (each
    field before and after), and BRAG ratings that moved."""
    before, after = _actions_by_id(older), _actions_by_id(newer)
    result = Comparison(older=older_label, newer=newer_label)
    for key in after.keys() - before.keys():
        result.added.append(after[key])
    for key in before.keys() - after.keys():
        result.removed.append(before[key])
    for key in sorted(before.keys() & after.keys(), key=lambda k: _sort_key(after[k])):
        old, new = before[key], after[key]
        diffs = [
            _difference(label, old.get(name), new.get(name), name)
            for name, label in COMPARED_FIELDS.items()
            if old.get(name) != new.get(name)
        ]
        if diffs:
            result.changed.append(ActionChange(new["objective_ref"], new["text"], diffs))
        if old.get("brag") != new.get("brag"):
            result.brag_changes.append(
                {
                    "ref": new["objective_ref"],
                    "text": new["text"],
                    "before": BRAG_SHORT[Brag(old.get("brag", ""))],
                    "after": BRAG_SHORT[Brag(new.get("brag", ""))],
                    "after_brag": new.get("brag", ""),
                }
            )
    result.added.sort(key=_sort_key)
    result.removed.sort(key=_sort_key)
    return result


def compare_versions(older: PlanVersion, newer: PlanVersion | None) -> Comparison:
    """Compare two published versions, or a version with the plan as it stands (newer=None)."""
    if newer is None:
        return compare_snapshots(
            older.snapshot,
            plan_snapshot(older.strategy),
            older_label=f"version {older.number}",
            newer_label="the plan as it stands",
        )
    return compare_snapshots(
        older.snapshot,
        newer.snapshot,
        older_label=f"version {older.number}",
        newer_label=f"version {newer.number}",
    )


def _action_snapshot(action: DeliveryAction) -> dict:
    evidence = list(action.evidence.all())
    return {
        "id": action.pk,
        "objective_ref": action.objective.ref,
        "text": action.text,
        "lead": action.lead.label if action.lead else "",
        "due": action.due.strftime("%Y-%m") if action.due else "",
        "brag": action.brag,
        "evidence": [f"{e.on:%Y-%m-%d}: {e.text}" for e in evidence],
        "recommendations": sorted(str(r) for r in action.recommendations.all()),
    }


def _actions_by_id(snapshot: dict) -> dict[int, dict]:
    found = {}
    for priority in snapshot.get("priorities", []):
        for objective in priority["objectives"]:
            for action in objective["actions"]:
                found[action["id"]] = action
    return found


def _sort_key(action: dict) -> tuple:
    parts = action["objective_ref"].split(".")
    return (tuple(int(p) if p.isdigit() else 0 for p in parts), action["id"])


def _difference(label: str, old: Any, new: Any, name: str) -> tuple[str, str, str]:
    if name == "evidence":  # entries are only ever added: show the new ones
        added = [entry for entry in new or [] if entry not in (old or [])]
        return (label, f"{len(old or [])} entries", "added: " + _shown(added))
    return (label, _shown(old), _shown(new))


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(value) if value else "none"
    return value or "none"
