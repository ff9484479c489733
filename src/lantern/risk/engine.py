"""The one risk-tool engine: totals ticked indicators and maps the total to a level.

Pure functions over plain numbers, so every tool (screening checklist, full CSE assessment,
suspect tool) is scored the same way and the rules can be tested without a database. The
engine never decides on its own: its level is the practitioner's ticks added up, and a
professional judgement override can always replace it (DESIGN rule 6).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    """Scores from `low` to `high` inclusive map to `level`; `high` None means no upper limit."""

    low: int
    high: int | None
    level: str


class BandingError(ValueError):
    """The bands do not cover every score from nought upwards exactly once."""


def total_score(weights: Iterable[int]) -> int:
    """The score of an assessment: the sum of the weights of the indicators ticked."""
    return sum(weights)


def level_for(score: int, bands: Sequence[Band]) -> str:
    """The level whose band holds `score`. Refuses (BandingError) a score no band holds."""
    for band in bands:
        if score >= band.low and (band.high is None or score <= band.high):
            return band.level
    raise BandingError(f"No band holds the score {score}")


def banding_problems(bands: Sequence[Band]) -> list[str]:
    """What is wrong with a set of bands: they must start at 0, leave no gap, never overlap,
    and the last must be open-ended, so every possible score has exactly one level."""
    if not bands:
        return ["A tool version needs at least one scoring band"]
    problems = []
    ordered = sorted(bands, key=lambda b: b.low)
    if ordered[0].low != 0:
        problems.append("The first band must start at 0")
    for before, after in zip(ordered, ordered[1:], strict=False):
        if before.high is None:
            problems.append(f"The band from {before.low} has no upper limit but is not the last")
        elif after.low <= before.high:
            problems.append(f"The bands from {before.low} and {after.low} overlap")
        elif after.low != before.high + 1:
            problems.append(f"Scores {before.high + 1} to {after.low - 1} have no band")
    for band in ordered:
        if band.high is not None and band.high < band.low:
            problems.append(f"The band from {band.low} ends before it starts")
    if ordered[-1].high is not None:
        problems.append("The last band must have no upper limit")
    return problems
