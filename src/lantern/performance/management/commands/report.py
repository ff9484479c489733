"""`lantern report data-summary --period P --format F [--out FILE]` and
`lantern report publish --period P [--by USERNAME]`."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lantern.core.errors import LanternError
from lantern.core.periods import UnknownPeriod
from lantern.performance import exports, services, summary


class Command(BaseCommand):
    help = "Build the quarterly data summary, or publish it as an immutable snapshot."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        build = sub.add_parser("data-summary", help="Write the data summary for a quarter.")
        build.add_argument(
            "--period", required=True, help="a quarter (2014/15-Q2) or a year (2014/15)"
        )
        build.add_argument("--format", choices=services.FORMATS, default="csv")
        build.add_argument("--out", help="the file to write (standard output if not given)")
        build.add_argument(
            "--suppress",
            action="store_true",
            help="withhold small numbers, as for the board, scrutiny and the public",
        )
        publish = sub.add_parser("publish", help="Publish the data summary for a quarter.")
        publish.add_argument(
            "--period", required=True, help="a quarter (2014/15-Q2) or a year (2014/15)"
        )
        publish.add_argument(
            "--accept-gaps",
            action="store_true",
            help="publish even though figures are missing (the report records who accepted them)",
        )
        publish.add_argument(
            "--by", required=True, help="the username of the performance officer publishing"
        )

    def handle(self, *args, **options):
        try:
            period = services.parse_period(options["period"])
        except UnknownPeriod as error:
            raise CommandError(str(error)) from None
        if options["subcommand"] == "publish":
            return self._publish(period, options["by"], options["accept_gaps"])
        built = summary.build_summary(period)
        if options["suppress"]:
            summary.suppress_for_audience(built)
        data = exports.render(built, options["format"])
        if options["out"]:
            Path(options["out"]).write_bytes(data)
            self.stdout.write(f"Wrote the data summary for {period} to {options['out']}.")
        elif options["format"] in ("csv", "html"):
            self.stdout.write(data.decode(), ending="")
        else:
            sys.stdout.buffer.write(data)

    def _publish(self, period, username, accept_gaps=False):
        from lantern.accounts.access import Cap, has_capability
        from lantern.accounts.models import User

        user = User.objects.filter(username__iexact=username, is_active=True).first()
        if user is None or not has_capability(user, Cap.MANAGE_PERFORMANCE):
            raise CommandError(f"{username} is not an active performance officer")
        try:
            report = services.publish_report(
                user, period, now=timezone.now(), accept_gaps=accept_gaps
            )
        except LanternError as error:
            missing = "".join(f"\n  {g.text}" for g in services.publication_gaps(period))
            hint = "\nRun again with --accept-gaps to publish anyway." if missing else ""
            raise CommandError(f"{error}{missing}{hint}") from None
        self.stdout.write(
            f"Published the data summary for {report.period} (content hash {report.content_hash})."
        )
