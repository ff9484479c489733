"""The audit trail's part of `/healthz`: how old the last checkpoint is while entries wait
after it (registered with `lantern.core.health`)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max

from lantern.audit.models import AuditCheckpoint, AuditLink, AuditPending
from lantern.core.health import age_seconds, max_age


def checkpoint_health(report: dict, now: datetime) -> None:
    """Entries chained or waiting since the last checkpoint, and that checkpoint's age: a
    problem when there are some and it is older than LANTERN_HEALTH_MAX_TICK_AGE."""
    last = AuditCheckpoint.objects.order_by("-id").first()
    head = AuditLink.objects.aggregate(seq=Max("seq"))["seq"] or 0
    waiting = max(head - (last.seq if last else 0), 0) + AuditPending.objects.count()
    age = age_seconds(last.at, now) if last else None
    report["last_checkpoint"] = last.at.isoformat(timespec="seconds") if last else None
    report["last_checkpoint_age_seconds"] = age
    report["audit_entries_since_checkpoint"] = waiting
    if waiting and (age is None or age > max_age()):
        said = "there is no checkpoint yet" if age is None else f"it is {age} seconds old"
        report["problems"].append(
            f"{waiting} audit entries are not covered by a checkpoint ({said}): run lantern tick"
        )


def verify_after_restore() -> str:
    """What `lantern restore` prints about the trail it brought back."""
    from lantern.audit.chain import verify_chain

    report = verify_chain()
    if report.ok:
        return (
            f"Audit trail intact: {report.entries_checked} entries checked against "
            f"{report.checkpoints_checked} checkpoints."
        )
    where = f"entry {report.first_broken_id}" if report.first_broken_id else "the start"
    return (
        f"Audit check after the restore: broken at {where}: {report.problem}. A backup older "
        "than the last checkpoint shows as truncated: note it and keep the checkpoint file "
        "(docs/operator-guide.md, Backups)."
    )
