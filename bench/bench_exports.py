"""Exports that never stall the site (issue 26): the unfiltered action schedule at 100,000
actions, asked for in the request (which only queues it) and built as `lantern tick` builds it,
as PDF and XLSX. `python -m bench exports`; set DATABASE_URL to measure on PostgreSQL."""

from __future__ import annotations

import io
import time
from datetime import timedelta

from django.db import transaction
from django.test import Client
from django.utils import timezone

from bench import common
from lantern.core.testing import sign_in
from lantern.tasking import export_jobs, exports
from lantern.tasking.models import Action, ActionStatus, ExportJob, Priority

ACTIONS = 100_000
TITLES = [
    "Visit the premises and speak with the manager about the concerns raised",
    "Check the sexual health clinic's records for the named young person",
    "Share the school's attendance record with the social worker",
    "Licensing visit to the late-night takeaway after the reports of men waiting outside",
]


def run() -> None:
    from lantern.tasking.tests.factories import tasking_world

    world = tasking_world()
    started = time.perf_counter()
    _bulk_actions(world, ACTIONS)
    load_seconds = round(time.perf_counter() - started, 1)

    client = Client()
    sign_in(client, world.chair)
    figures: dict = {}
    for fmt in ("pdf", "xlsx"):
        started = time.perf_counter()
        response = client.get(f"/tasking/actions/export.{fmt}")
        request_ms = round((time.perf_counter() - started) * 1000, 1)
        assert response.status_code == 302, response.status_code
        job = ExportJob.objects.filter(fmt=fmt).latest("pk")
        started = time.perf_counter()
        export_jobs.build_export(job, now=timezone.now())
        build_seconds = round(time.perf_counter() - started, 1)
        job.refresh_from_db()
        figures[fmt] = {
            "request_ms": request_ms,
            "build_seconds": build_seconds,
            "rows": job.rows,
            "megabytes": round(len(job.body) / 1024 / 1024, 1),
            "us_per_row": round(build_seconds * 1e6 / job.rows, 1),
        }
        if fmt == "pdf":
            figures[fmt]["pages"] = _pages(bytes(job.body))
    # The HTML layout the plain table replaced, at a size it can manage, for comparison.
    rows = exports.schedule_rows(
        Action.objects.with_escalation_level().select_related(
            "owning_agency", "owner", "meeting__series"
        )[:200],
        reader=world.chair,
    )
    started = time.perf_counter()
    exports._pdf(
        exports.render_to_string(
            "tasking/export_schedule.html",
            {"rows": rows, "headers": exports.SCHEDULE_HEADERS, "title": "x", "note": ""},
        )
    )
    figures["html_pdf_200_rows_ms_per_row"] = round(
        (time.perf_counter() - started) * 1000 / len(rows), 1
    )
    common.write(
        "exports",
        figures,
        {"actions": Action.objects.count(), "load_seconds": load_seconds},
    )


def _bulk_actions(world, count: int) -> None:
    """Open actions over the series' meetings and the world's partner owners; one in twenty
    under handling code C, as the minutes' C items make them."""
    owners = [world.nurse, world.nurse_manager, world.social_worker, world.licensing_officer]
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        made = 0
        while made < count:
            batch = []
            for n in range(made, min(made + 5000, count)):
                owner = owners[n % len(owners)]
                coded = n % 20 == 0
                batch.append(
                    Action(
                        title=TITLES[n % len(TITLES)],
                        owning_agency_id=owner.agency_id,
                        owner=owner,
                        due_on=today + timedelta(days=(n % 90) - 60),
                        priority=Priority.values[n % len(Priority.values)],
                        status=ActionStatus.OPEN,
                        route=world.series.meeting_type,
                        meeting=world.meetings[n % len(world.meetings)],
                        escalation_contact=world.chair,
                        created_at=now,
                        handling_code="C" if coded else "P",
                        handling_conditions="Share with CSC and Health only" if coded else "",
                    )
                )
            Action.objects.bulk_create(batch, batch_size=5000)
            made += len(batch)


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)
