"""What `/healthz` reports: the database answers, every migration is applied, `lantern tick`
ran recently and the audit checkpoint keeps up with the trail. Counts and times only: no
personal data, so a load balancer or monitor may read it without signing in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Max

_migrations_applied = False  # once true for this process's code, it stays true
# Checks later apps add (the audit trail's checkpoint age): (report, now) -> None, each adding
# its own keys to the report and its problems to report["problems"].
_CHECKS: dict[str, Callable[[dict, datetime], None]] = {}


def register_check(name: str, check: Callable[[dict, datetime], None]) -> None:
    _CHECKS[name] = check


def health_report(now: datetime) -> dict:
    """The health of this installation as at `now`: {"healthy": bool, "problems": [...], ...}.
    Never raises: a database that does not answer is reported as a problem."""
    report: dict = {"problems": [], "checked_at": now.isoformat(timespec="seconds")}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
    except DatabaseError as error:
        report["database"] = "unreachable"
        report["problems"].append(f"the database does not answer ({type(error).__name__})")
        report["healthy"] = False
        return report
    try:
        unapplied = unapplied_migrations()
        report["migrations"] = "ok" if not unapplied else f"{unapplied} not applied"
        if unapplied:
            report["problems"].append(f"{unapplied} migration(s) are not applied: lantern migrate")
        _tick_health(report, now)
        for check in _CHECKS.values():
            check(report, now)
    except DatabaseError as error:
        report["problems"].append(f"the database failed a health query ({type(error).__name__})")
    report["healthy"] = not report["problems"]
    return report


def unapplied_migrations() -> int:
    global _migrations_applied
    if _migrations_applied:
        return 0
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    _migrations_applied = not plan
    return len(plan)


def max_age() -> int:
    return settings.LANTERN_HEALTH_MAX_TICK_AGE


def _tick_health(report: dict, now: datetime) -> None:
    from lantern.core.models import JobRun

    last = JobRun.objects.aggregate(at=Max("last_finished_at"))["at"]
    failing = JobRun.objects.filter(failures_in_a_row__gt=0).count()
    report["last_tick"] = last.isoformat(timespec="seconds") if last else None
    report["last_tick_age_seconds"] = age_seconds(last, now)
    report["failing_jobs"] = failing
    if last is None:
        report["problems"].append("lantern tick has never finished a job")
    elif (age := age_seconds(last, now)) > max_age():
        report["problems"].append(f"lantern tick last finished {age} seconds ago")
    if failing:
        report["problems"].append(f"{failing} periodic job(s) failed on their last run")


def age_seconds(at: datetime | None, now: datetime) -> int | None:
    return None if at is None else max(int((now - at).total_seconds()), 0)
