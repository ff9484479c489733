"""Audit trail under load (issue 27): a page's p95 with no import, then while a 5,000-row
`lantern plan import` and a 4,000-figure `lantern measures import` run in another process, all
in one run; and audit appends per second from 20 concurrent writers.

The imports run as `lantern` commands in their own process against the same database, as an
operator would run them, while this process times the audit trail's search page (it records an
audit entry on every view) and the public report form. Meaningful on PostgreSQL (set
DATABASE_URL); on SQLite one writer at a time is the engine's own rule.
"""

from __future__ import annotations

import csv
import io
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.db import connection, connections
from django.test import Client

from bench import common
from lantern.accounts.roles import Role
from lantern.audit.models import AuditAction, AuditEntry
from lantern.audit.services import record, verify_chain
from lantern.core.testing import make_user, sign_in

PLAN_ROWS = 5000
FIGURES = 4000
WRITERS = 20
APPENDS_EACH = 100
INTERVAL = 0.1  # seconds between visits to each page
PRIORITIES = ["Leadership", "Prevent", "Protect", "Pursue"]


def run() -> None:
    admin = make_user(Role.ADMINISTRATOR)
    client = Client()
    sign_in(client, admin)
    pages = {"audit_search": "/audit/", "public_report_form": "/intake/report/"}
    for url in pages.values():
        assert client.get(url).status_code == 200, url
    folder = Path(tempfile.mkdtemp(prefix="lantern-bench-audit-"))
    plan_file = folder / "plan.csv"
    plan_file.write_bytes(_plan_csv(PLAN_ROWS))
    measures_file = folder / "measures.csv"
    measures_file.write_bytes(_measures_csv(FIGURES))
    figures: dict = {}
    figures["no_import"] = _during(client, pages, ["check", "--database", "default"], 20.0)
    plan = ["plan", "import", str(plan_file), "--strategy", "Bench plan", "--years", "2025-2028"]
    figures["during_plan_import"] = _during(client, pages, plan)
    figures["during_measures_import"] = _during(
        client, pages, ["measures", "import", str(measures_file), "--create"]
    )
    figures["audit_appends_per_second_20_writers"] = _concurrent_appends(admin)
    started = time.perf_counter()
    report = verify_chain()
    figures["audit_verify"] = {
        "ok": report.ok,
        "problem": report.problem,
        "entries": report.entries_checked,
        "seconds": round(time.perf_counter() - started, 2),
    }
    common.write(
        "audit-load",
        figures,
        {
            "plan_rows": PLAN_ROWS,
            "figures": FIGURES,
            "writers": WRITERS,
            "appends_per_writer": APPENDS_EACH,
            "audit_entries": AuditEntry.objects.count(),
        },
    )


def _during(
    client: Client, pages: dict[str, str], command: list[str], at_least: float = 0.0
) -> dict:
    """Visit the pages in turn for as long as the command runs (and at least `at_least`
    seconds): how long each visit took from when it was due."""
    env = {**os.environ, "DATABASE_URL": _database_url()}
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-m", "lantern.cli", *command],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    samples: dict[str, list[float]] = {name: [] for name in pages}
    # A user opens each page every INTERVAL seconds. A page that is still loading when the next
    # visit is due makes that visitor wait too: each visit's time counts from when it was due,
    # so one 30-second freeze weighs as the 300 visits it held up, not as one slow request.
    due = time.perf_counter()
    until = due + at_least
    while process.poll() is None or time.perf_counter() < until:
        for name, url in pages.items():
            client.get(url)
            done = time.perf_counter()
            while due <= done:
                samples[name].append((done - due) * 1000)
                due += INTERVAL / len(pages)
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
    out, err = process.communicate()
    result = {
        "command": "lantern " + " ".join(command[:2]),
        "exit_status": process.returncode,
        "import_seconds": round(time.perf_counter() - started, 2),
        "output": (out.strip() or err.strip())[-300:],
        "slowest_page_ms": round(max((max(v) for v in samples.values() if v), default=0), 1),
    }
    for name, taken in samples.items():
        result[name] = _summary(taken)
    return result


def _concurrent_appends(actor) -> dict:
    barrier = threading.Barrier(WRITERS)
    errors: list[str] = []

    def writer() -> None:
        try:
            barrier.wait()
            for n in range(APPENDS_EACH):
                record(actor=actor, action=AuditAction.READ, obj=actor, details={"n": n})
        except Exception as error:  # noqa: BLE001 - counted and reported
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    total = WRITERS * APPENDS_EACH - len(errors) * APPENDS_EACH
    return {
        "appends": total,
        "seconds": round(seconds, 2),
        "per_second": round(total / seconds),
        "errors": errors[:5],
    }


def _summary(samples: list[float]) -> dict:
    if not samples:
        return {"requests": 0}
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {
        "requests": len(ordered),
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(p95, 2),
        "max_ms": round(ordered[-1], 2),
    }


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{settings['PORT'] or 5432}/{settings['NAME']}"


def _plan_csv(rows: int) -> bytes:
    from lantern.plans.spreadsheets import COLUMNS

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for n in range(rows):
        priority = PRIORITIES[n % len(PRIORITIES)]
        objective = n // 50
        writer.writerow(
            [
                priority,
                f"{PRIORITIES.index(priority) + 1}.{objective}",
                f"Objective {objective}",
                f"Bench action {n}",
                "",
                "2026-03",
                "",
                "Green",
            ]
        )
    return buffer.getvalue().encode()


def _measures_csv(figures: int) -> bytes:
    years = [f"{2014 + y}/{(15 + y) % 100:02d}" for y in range(10)]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["priority", "section", "measure", "period", "value", "status", "note"])
    for n in range(figures):
        measure, year = divmod(n, len(years))
        writer.writerow(
            ["Prevent", "Bench figures", f"Bench measure {measure}", years[year], n % 97, "", ""]
        )
    return buffer.getvalue().encode()
