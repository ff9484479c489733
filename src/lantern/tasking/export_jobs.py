"""Large exports run outside the request: the schedule export asks for a job, `lantern tick`
builds it (under its own lock, so two ticks never build the same file), the requester sees it
on "Your exports" and downloads it there; each download is audited. Small exports (up to
`LANTERN_EXPORT_SYNC_ROWS` rows) are still served at once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from lantern.audit.models import AuditAction
from lantern.audit.services import record, record_change
from lantern.tasking import exports
from lantern.tasking.models import ExportJob, ExportStatus
from lantern.tasking.schedule import schedule_for

FORMATS = ("csv", "xlsx", "pdf")
BUILD_AT_MOST = 5  # jobs per tick, so one tick never runs for long


def sync_rows() -> int:
    """Exports with more rows than this are built by `lantern tick`, not in the request."""
    return getattr(settings, "LANTERN_EXPORT_SYNC_ROWS", 2000)


def request_export(actor: Any, *, fmt: str, filters: dict, now: datetime) -> ExportJob:
    """Queue an export of the schedule as the requester sees it. Refuses an unknown format."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}")
    user = actor.user if hasattr(actor, "user") else actor
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=user, fmt=fmt, filters=filters, requested_at=now
        )
        record_change(actor, job, AuditAction.CREATE, changes={"filters": [None, filters]})
    return job


def build_queued_exports(now: datetime) -> str:
    """Build the oldest queued exports (at most BUILD_AT_MOST); the `lantern tick` job."""
    built = failed = 0
    for job in ExportJob.objects.filter(status=ExportStatus.QUEUED).order_by("requested_at")[
        :BUILD_AT_MOST
    ]:
        try:
            build_export(job, now=now)
            built += 1
        except Exception as error:  # noqa: BLE001 - a bad job is marked failed, the rest go on
            ExportJob.objects.filter(pk=job.pk).update(
                status=ExportStatus.FAILED, error=str(error)[:2000], finished_at=now
            )
            failed += 1
    return f"{built} export{'s' if built != 1 else ''} built, {failed} failed"


def build_export(job: ExportJob, *, now: datetime) -> ExportJob:
    """Build the file with the requester's access and filters as they are now."""
    actions, _ = schedule_for(job.requested_by, job.filters)
    rows = exports.schedule_rows(actions.iterator(chunk_size=2000), reader=job.requested_by)
    job.body = render(rows, job.fmt)
    job.rows = len(rows)
    job.status = ExportStatus.READY
    job.finished_at = now
    job.save(update_fields=["body", "rows", "status", "finished_at"])
    return job


def render(rows: list[list[str]], fmt: str) -> bytes:
    if fmt == "csv":
        return exports.schedule_csv(rows)
    if fmt == "xlsx":
        return exports.schedule_xlsx(rows)
    return exports.schedule_pdf(rows, "Action schedule")


def mark_downloaded(request: Any, job: ExportJob, *, now: datetime) -> None:
    """Audit the download (who, when, how many rows, which filters)."""
    record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="tasking.action",
        object_repr=f"{job.rows} actions",
        request=request,
        details={"format": job.fmt, "count": job.rows, "filters": job.filters, "job": job.pk},
    )
    ExportJob.objects.filter(pk=job.pk).update(downloaded_at=now)
