"""Periodic work: escalations, reminders and feedback messages that `lantern tick` runs.

Each app registers its jobs here. A job must be idempotent: running `lantern tick` twice in a
row does nothing the second time. Jobs get the time to act as at, so tests control the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    run: Callable[[datetime], str]  # (now) -> a one-line summary of what it did
    order: int = 100


_JOBS: dict[str, PeriodicJob] = {}


def register(job: PeriodicJob) -> None:
    _JOBS[job.name] = job


def jobs() -> list[PeriodicJob]:
    return sorted(_JOBS.values(), key=lambda j: (j.order, j.name))


def run_all(now: datetime) -> list[tuple[str, str]]:
    """Run every registered job once as at `now`; return (name, summary) pairs."""
    return [(job.name, job.run(now)) for job in jobs()]
