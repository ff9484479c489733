"""Risk over time as a server-side SVG: points placed here, drawn by a template, so it prints
and needs no JavaScript. The table beside it carries the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lantern.risk.levels import LEVEL_ORDER, LEVEL_RANK, RiskLevel

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 130, 20, 20, 40


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    day: date
    what: str
    level: str
    label: str
    is_mace: bool


def risk_chart(points: list[tuple[date, str, str]]) -> dict:
    """The chart's geometry for (date, what, level) points, oldest first."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_h / (len(LEVEL_ORDER) - 1)
    levels = [
        {"label": level.label, "y": round(TOP + plot_h - rank * step, 1)}
        for rank, level in enumerate(LEVEL_ORDER)
    ]
    drawn: list[ChartPoint] = []
    if points:
        first, last = points[0][0], points[-1][0]
        span = max((last - first).days, 1)
        for index, (day, what, level) in enumerate(points):
            if first == last:
                x = LEFT + plot_w * (index + 1) / (len(points) + 1)
            else:
                x = LEFT + plot_w * (day - first).days / span
            y = TOP + plot_h - LEVEL_RANK[level] * step
            drawn.append(
                ChartPoint(
                    round(x, 1),
                    round(y, 1),
                    day,
                    what,
                    level,
                    RiskLevel(level).label,
                    what == "MACE agreed level",
                )
            )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "levels": levels,
        "points": drawn,
        "line": " ".join(f"{p.x},{p.y}" for p in drawn),
        "first": drawn[0].day if drawn else None,
        "last": drawn[-1].day if drawn else None,
    }
