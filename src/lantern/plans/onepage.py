"""The plan on a page: governance first, then counts by BRAG per priority and objective, the
overdue actions and the recommendations no action answers yet. Aggregate: the only names are
lead officers' (business data). Shared by the HTML page, the PDF and the benchmarks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from lantern.plans.models import BRAG_ORDER, BRAG_SHORT, Brag, DeliveryAction, Strategy
from lantern.plans.services import live_actions

BAR_WIDTH = 300  # px of the widest bar in the server-side SVG
# Fill colours for the chart (GOV.UK palette), with white or black text that contrasts.
BRAG_FILL = {
    Brag.BLUE: ("#1d70b8", "#ffffff"),
    Brag.GREEN: ("#00703c", "#ffffff"),
    Brag.AMBER: ("#f47738", "#0b0c0c"),
    Brag.RED: ("#d4351c", "#ffffff"),
    Brag.NOT_RATED: ("#b1b4b6", "#0b0c0c"),
}


@dataclass
class BragCounts:
    counts: dict[str, int] = field(default_factory=lambda: {b.value: 0 for b in BRAG_ORDER})

    def add(self, brag: str) -> None:
        self.counts[brag] += 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def cells(self) -> list[dict]:
        """One cell per rating, in BRAG order, for tables."""
        return [
            {"brag": b.value, "label": BRAG_SHORT[b], "count": self.counts[b.value]}
            for b in BRAG_ORDER
        ]

    def bar(self, scale: float) -> list[dict]:
        """Stacked-bar segments (x, width) for the SVG, skipping empty ratings."""
        x, segments = 0.0, []
        for cell in self.cells():
            if cell["count"]:
                width = cell["count"] * scale
                fill, ink = BRAG_FILL[Brag(cell["brag"])]
                segments.append(
                    {
                        **cell,
                        "x": round(x, 1),
                        "width": round(width, 1),
                        "text_x": round(x + width / 2, 1),
                        "fill": fill,
                        "ink": ink,
                    }
                )
                x += width
        return segments


@dataclass
class ObjectiveRow:
    ref: str
    title: str
    counts: BragCounts


@dataclass
class PriorityRow:
    number: int
    name: str
    description: str
    counts: BragCounts
    objectives: list[ObjectiveRow]
    segments: list[dict] = field(default_factory=list)
    y: int = 0


@dataclass
class PlanOnAPage:
    strategy: Strategy
    today: date
    totals: BragCounts
    priorities: list[PriorityRow]
    overdue: list[DeliveryAction]
    uncovered: list
    lead_officers: list
    latest_version: object
    chart_height: int = 0
    brag_key: list[dict] = field(default_factory=list)


def plan_on_a_page(strategy: Strategy, today: date) -> PlanOnAPage:
    """Everything the plan on a page shows, computed in a handful of queries."""
    actions = list(live_actions(strategy))
    by_objective: dict[int, BragCounts] = {}
    by_priority: dict[int, BragCounts] = {}
    totals = BragCounts()
    for action in actions:
        by_objective.setdefault(action.objective_id, BragCounts()).add(action.brag)
        by_priority.setdefault(action.objective.priority_id, BragCounts()).add(action.brag)
        totals.add(action.brag)
    rows = []
    for number, priority in enumerate(strategy.priorities.prefetch_related("objectives"), 1):
        rows.append(
            PriorityRow(
                number=number,
                name=priority.name,
                description=priority.description,
                counts=by_priority.get(priority.pk, BragCounts()),
                objectives=[
                    ObjectiveRow(o.ref, o.title, by_objective.get(o.pk, BragCounts()))
                    for o in priority.objectives.all()
                ],
            )
        )
    _lay_out_chart(rows)
    overdue = [a for a in actions if a.is_overdue(today)]
    uncovered = list(uncovered_recommendations(strategy))
    return PlanOnAPage(
        strategy=strategy,
        today=today,
        totals=totals,
        priorities=rows,
        overdue=overdue,
        uncovered=uncovered,
        lead_officers=list(strategy.lead_officers.all()),
        latest_version=strategy.versions.order_by("-major", "-minor").first(),
        chart_height=len(rows) * 28 + 4,
        brag_key=[
            {"brag": b.value, "label": Brag(b).label} for b in BRAG_ORDER if b != Brag.NOT_RATED
        ],
    )


def uncovered_recommendations(strategy: Strategy):
    """Recommendations no live action answers (a withdrawn action no longer covers one)."""
    covered = DeliveryAction.recommendations.through.objects.filter(
        deliveryaction__withdrawn_at__isnull=True
    ).values("recommendation_id")
    return strategy.recommendations.exclude(pk__in=covered).order_by("source", "pk")


def _lay_out_chart(rows: list[PriorityRow]) -> None:
    widest = max((r.counts.total for r in rows), default=0) or 1
    scale = BAR_WIDTH / widest
    for index, row in enumerate(rows):
        row.segments = row.counts.bar(scale)
        row.y = index * 28 + 2
