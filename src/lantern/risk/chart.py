"""Risk over time as a server-side SVG: points placed here, drawn by a template, so it prints
and needs no JavaScript. The table beside it carries the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lantern.risk.levels import LEVEL_ORDER, LEVEL_RANK, NOT_KNOWN, level_label

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
    is_not_known: bool = False


def risk_chart(points: list[tuple[date, str, str]]) -> dict:
    """The chart's geometry for (date, what, level) points, oldest first. A "not known"
    point sits on its own row below the levels, drawn hollow and off the line: it is not a
    level, and certainly not "no apparent risk"."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_h / len(LEVEL_ORDER)
    levels = [
        {"label": level.label, "y": round(TOP + plot_h - (rank + 1) * step, 1)}
        for rank, level in enumerate(LEVEL_ORDER)
    ]
    levels.append({"label": level_label(NOT_KNOWN), "y": round(TOP + plot_h, 1)})
    drawn: list[ChartPoint] = []
    if points:
        first, last = points[0][0], points[-1][0]
        span = max((last - first).days, 1)
        for index, (day, what, level) in enumerate(points):
            if first == last:
                x = LEFT + plot_w * (index + 1) / (len(points) + 1)
            else:
                x = LEFT + plot_w * (day - first).days / span
            rank = LEVEL_RANK.get(level)
            y = TOP + plot_h - (0 if rank is None else (rank + 1) * step)
            drawn.append(
                ChartPoint(
                    round(x, 1),
                    round(y, 1),
                    day,
                    what,
                    level,
                    level_label(level),
                    what == "MACE agreed level",
                    rank is None,
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
        "line": " ".join(f"{p.x},{p.y}" for p in drawn if not p.is_not_known),
        "first": drawn[0].day if drawn else None,
        "last": drawn[-1].day if drawn else None,
    }
