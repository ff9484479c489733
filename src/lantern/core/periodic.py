"""Periodic work: escalations, reminders and feedback messages that `lantern tick` runs.

Each app registers its jobs here. A job must be idempotent: running `lantern tick` twice in a
row does nothing the second time. Jobs get the time to act as at, so tests control the clock.

Cron and the demo server's timer can start a tick while another is still running, so each job
runs under a lock of its own: an advisory lock on PostgreSQL (let go when the tick's connection
ends, however it ends), a lock row on SQLite (`JobRun.held_until`, which lapses after
`LANTERN_TICK_LOCK_SECONDS` if a tick dies holding it). A job another tick is running is
skipped and logged; a job that fails is logged and recorded for the health page. Either way the
other jobs still run.
"""

from __future__ import annotations

import logging
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import F, Q
from django.utils import timezone

from lantern.core.models import JobRun

logger = logging.getLogger("lantern.tick")

# The first key of every Lantern advisory lock ("LANT"), so ours never meet another program's.
ADVISORY_NAMESPACE = 0x4C414E54
SKIPPED = "skipped: another tick is running this job"


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    run: Callable[[datetime], str]  # (now) -> a one-line summary of what it did
    order: int = 100


_JOBS: dict[str, PeriodicJob] = {}


def register(job: PeriodicJob) -> None:
    _JOBS[job.name] = job


def unregister(name: str) -> None:
    """Remove a job (for tests that register one of their own)."""
    _JOBS.pop(name, None)


def jobs() -> list[PeriodicJob]:
    return sorted(_JOBS.values(), key=lambda j: (j.order, j.name))


def run_all(now: datetime) -> list[tuple[str, str]]:
    """Run every registered job once as at `now`; return (name, summary) pairs. A job that
    another tick is running is skipped; a job that raises is recorded as failed; neither
    stops the jobs after it."""
    return [(job.name, run_job(job, now)) for job in jobs()]


def run_job(job: PeriodicJob, now: datetime) -> str:
    """Run one job under its lock and record how it ended; return its summary, SKIPPED if
    another tick holds the lock, or "failed: ..." if it raised."""
    with job_lock(job.name) as held:
        if not held:
            logger.warning("tick: %s skipped: another tick is running it", job.name)
            _record(job.name, last_skipped_at=timezone.now())
            return SKIPPED
        _record(job.name, last_started_at=timezone.now())
        try:
            summary = job.run(now)
        except Exception as error:  # noqa: BLE001 - one job's failure must not stop the rest
            logger.exception("tick: %s failed", job.name)
            problem = f"{type(error).__name__}: {error}"
            _record(
                job.name,
                last_failed_at=timezone.now(),
                last_error=problem[:2000],
                last_summary=f"failed: {problem}"[:500],
                failures_in_a_row=F("failures_in_a_row") + 1,
            )
            return f"failed: {problem}"
        _record(
            job.name,
            last_finished_at=timezone.now(),
            last_summary=str(summary)[:500],
            failures_in_a_row=0,
        )
        return summary


def job_health() -> list[dict]:
    """Every registered job (and any recorded job no longer registered) with its last run,
    last failure and a state: "failed" (its last run raised), "ok", or "not run"."""
    recorded = {run.name: run for run in JobRun.objects.all()}
    names = [job.name for job in jobs()] + sorted(set(recorded) - set(_JOBS))
    rows = []
    for name in names:
        run = recorded.get(name)
        if run is None or run.last_started_at is None:
            state = "not run"
        else:
            state = "failed" if run.failing else "ok"
        rows.append({"name": name, "run": run, "state": state, "registered": name in _JOBS})
    return rows


@contextmanager
def job_lock(name: str) -> Iterator[bool]:
    """Hold the job's lock for the block if no other tick holds it; yield whether it is held.
    Never waits: a job that is running elsewhere is the other tick's to finish."""
    if connection.vendor == "postgresql":
        with _advisory_lock(name) as held:
            yield held
    else:
        with _lock_row(name) as held:
            yield held


def advisory_key(name: str) -> tuple[int, int]:
    """The two keys of the job's PostgreSQL advisory lock (a signed 32-bit hash of its name)."""
    crc = zlib.crc32(name.encode("utf-8"))
    return ADVISORY_NAMESPACE, crc - 2**32 if crc >= 2**31 else crc


def lock_seconds() -> int:
    return settings.LANTERN_TICK_LOCK_SECONDS


@contextmanager
def _advisory_lock(name: str) -> Iterator[bool]:
    keys = advisory_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", keys)
        held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", keys)
            except DatabaseError:
                # The connection is gone or broken, and the lock with it when it closes.
                logger.warning("tick: could not let go of the lock on %s", name, exc_info=True)


@contextmanager
def _lock_row(name: str) -> Iterator[bool]:
    JobRun.objects.get_or_create(name=name)
    holder = uuid.uuid4().hex
    now = timezone.now()
    # One UPDATE, so two ticks cannot both see the row free: SQLite runs writes one at a time.
    held = bool(
        JobRun.objects.filter(name=name)
        .filter(Q(held_until__isnull=True) | Q(held_until__lte=now))
        .update(holder=holder, held_until=now + timedelta(seconds=lock_seconds()))
    )
    try:
        yield held
    finally:
        if held:
            try:
                JobRun.objects.filter(name=name, holder=holder).update(holder="", held_until=None)
            except DatabaseError:
                # Left held: it lapses at held_until and the next tick takes the job again.
                logger.warning("tick: could not let go of the lock on %s", name, exc_info=True)


def _record(name: str, **fields) -> None:
    """Write how the job went; never the reason a tick stops."""
    try:
        if not JobRun.objects.filter(name=name).update(**fields):
            JobRun.objects.get_or_create(name=name)
            JobRun.objects.filter(name=name).update(**fields)
    except DatabaseError:
        logger.warning("tick: could not record how %s went", name, exc_info=True)
