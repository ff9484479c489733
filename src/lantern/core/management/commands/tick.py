"""`lantern tick`: run escalations, reminders and other periodic work once (or every N seconds).

Idempotent: run it from cron every few minutes, or from the demo server's timer. Runs that
overlap take turns job by job (see `lantern.core.periodic`); a job that fails is reported on
stderr and the health page, the others still run, and a single run then exits with status 1.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from lantern.core.periodic import jobs, run_all


class Command(BaseCommand):
    help = "Run every periodic job once (escalations, reminders, feedback)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every", type=int, default=0, help="Keep running, once every this many seconds"
        )
        parser.add_argument(
            "--now", default="", help="Act as at this ISO date-time (for testing and catching up)"
        )

    def handle(self, *args, every, now, **options):
        at = parse_datetime(now) if now else None
        if now and at is None:
            self.stderr.write(f"--now: {now!r} is not a date-time like 2026-11-22T09:00")
            raise SystemExit(2)
        if at is not None and timezone.is_naive(at):
            at = timezone.make_aware(at)  # a time without a zone is local (Europe/London)
        while True:
            when = at or timezone.now()
            if not jobs():
                self.stdout.write("No periodic jobs are registered.")
            failed = []
            for name, summary in run_all(when):
                if summary.startswith("failed: "):
                    failed.append(name)
                    self.stderr.write(f"{name}: {summary}")
                else:
                    self.stdout.write(f"{name}: {summary}")
            if not every:
                if failed:
                    # Every other job has run; the exit status tells cron something failed.
                    raise SystemExit(1)
                return
            time.sleep(every)
