"""The published plan on a page for anyone, signed in or not.

Built only from a published version's frozen snapshot, never from the plan as it stands, so the
public sees what the partnership published and nothing being drafted. It shows governance, the
counts of actions by BRAG rating per priority and objective, and the actions overdue at
publication; lead officers appear by job title and agency only, and evidence of progress (free
text that may mention people) is left out.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from lantern.plans.models import BRAG_ORDER, BRAG_SHORT, Brag, PlanVersion, Strategy
from lantern.plans.onepage import BragCounts, ObjectiveRow, PriorityRow, _lay_out_chart


@dataclass
class PublicPlan:
    strategy: dict
    version: PlanVersion
    content_hash: str
    totals: BragCounts
    priorities: list[PriorityRow]
    overdue: list[dict]
    leads: list[dict]
    chart_height: int = 0
    brag_key: list[dict] = field(default_factory=list)


def latest_version(strategy: Strategy) -> PlanVersion | None:
    return strategy.versions.order_by("-major", "-minor").first()


def published_strategies() -> list[tuple[Strategy, PlanVersion]]:
    """Every strategy with a published version, with its latest version, newest plan first."""
    found = []
    for strategy in (
        Strategy.objects.filter(versions__isnull=False).distinct().order_by("-start_year", "name")
    ):
        found.append((strategy, latest_version(strategy)))
    return found


def snapshot_hash(snapshot: dict) -> str:
    """SHA-256 of the snapshot as canonical JSON: anyone can check a copy against it."""
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def public_plan(version: PlanVersion) -> PublicPlan:
    """The plan on a page as the version froze it (see the module's docstring)."""
    snapshot = version.snapshot
    totals = BragCounts()
    rows, overdue = [], []
    for number, priority in enumerate(snapshot.get("priorities", []), 1):
        counts = BragCounts()
        objectives = []
        for objective in priority["objectives"]:
            own = BragCounts()
            for action in objective["actions"]:
                brag = action.get("brag") or Brag.NOT_RATED
                for tally in (own, counts, totals):
                    tally.add(brag)
                if _overdue(action, version.published_on):
                    overdue.append(
                        {
                            "ref": objective["ref"],
                            "text": action["text"],
                            "due": _month_label(action["due"]),
                            "brag": BRAG_SHORT[Brag(brag)],
                        }
                    )
            objectives.append(ObjectiveRow(objective["ref"], objective["title"], own))
        rows.append(
            PriorityRow(
                number=number,
                name=priority["name"],
                description=priority.get("description", ""),
                counts=counts,
                objectives=objectives,
            )
        )
    _lay_out_chart(rows)
    leads = sorted(
        {(lead.get("job_title", ""), lead.get("agency", "")) for lead in snapshot["lead_officers"]}
    )
    return PublicPlan(
        strategy=snapshot["strategy"],
        version=version,
        content_hash=snapshot_hash(snapshot),
        totals=totals,
        priorities=rows,
        overdue=overdue,
        leads=[{"job_title": j, "agency": a} for j, a in leads if j or a],
        chart_height=len(rows) * 28 + 4,
        brag_key=[
            {"brag": b.value, "label": Brag(b).label} for b in BRAG_ORDER if b != Brag.NOT_RATED
        ],
    )


def _overdue(action: dict, on: date) -> bool:
    """Past the end of its due month on the day of publication, and not blue."""
    if not action.get("due") or action.get("brag") == Brag.BLUE:
        return False
    year, month = (int(p) for p in action["due"].split("-"))
    end_of_month = date(year + month // 12, month % 12 + 1, 1)
    return on >= end_of_month


def _month_label(due: str) -> str:
    if not due:
        return ""
    year, month = (int(p) for p in due.split("-"))
    return date(year, month, 1).strftime("%b %Y")
