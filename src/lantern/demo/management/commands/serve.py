"""`lantern serve`: serve the site with gunicorn (and, for the demo, run periodic work)."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Lantern with gunicorn on ADDR (default 127.0.0.1:8000)."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--tick",
            action="store_true",
            help="Also run `lantern tick` every minute (the demo does)",
        )

    def handle(self, *args, addr, workers, tick, **options):
        static_manifest = settings.STATIC_ROOT / "staticfiles.json"
        if not static_manifest.exists() and settings.LANTERN_ENV != "test":
            self.stdout.write("Collecting static files...")
            from django.core.management import call_command

            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Serving Lantern on http://{addr}/ (Ctrl+C to stop)")
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "lantern.wsgi",
            "--bind",
            addr,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
        ]
        ticker = None
        if tick and "tick" in _commands():
            ticker = subprocess.Popen(  # noqa: S603 - our own interpreter and command
                [sys.executable, "-m", "lantern.cli", "tick", "--every", "60"], env=os.environ
            )
        try:
            subprocess.run(command, check=False, env=os.environ)  # noqa: S603
        except KeyboardInterrupt:
            pass
        finally:
            if ticker is not None:
                ticker.terminate()


def _commands() -> set[str]:
    from django.core.management import get_commands

    return set(get_commands())
