"""`lantern plan import FILE --strategy NAME` and `lantern plan export --strategy NAME --format
xlsx|docx|csv --out FILE`: the delivery plan to and from spreadsheets, from the command line."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from lantern.plans import services, spreadsheets
from lantern.plans.models import Strategy

EXPORTERS = {
    "csv": spreadsheets.export_csv,
    "xlsx": spreadsheets.export_xlsx,
    "docx": spreadsheets.export_docx,
}
ACTOR = "lantern plan (command line)"


class Command(BaseCommand):
    help = "Import a delivery plan from CSV or XLSX, or export one to XLSX, DOCX or CSV."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        importer = commands.add_parser("import", help="Import a CSV or XLSX file into a strategy")
        importer.add_argument("file", help="The CSV or XLSX file")
        importer.add_argument("--strategy", required=True, help="The strategy's name")
        importer.add_argument(
            "--years",
            default="",
            help="Create the strategy if it does not exist, for these years (like 2025-2028)",
        )
        exporter = commands.add_parser("export", help="Export a strategy's delivery plan")
        exporter.add_argument("--strategy", required=True, help="The strategy's name")
        exporter.add_argument("--format", required=True, choices=sorted(EXPORTERS))
        exporter.add_argument("--out", required=True, help="Where to write the file")

    def handle(self, *args, subcommand, **options):
        if subcommand == "import":
            self._import(Path(options["file"]), options["strategy"], options["years"])
        else:
            self._export(options["strategy"], options["format"], Path(options["out"]))

    def _import(self, path: Path, name: str, years: str) -> None:
        if not path.is_file():
            raise CommandError(f"There is no file at {path}")
        content = path.read_bytes()
        try:
            # All or nothing, the strategy included: a refused file leaves no new strategy.
            with transaction.atomic():
                strategy = self._strategy(name, years)
                result = spreadsheets.import_plan(ACTOR, strategy, content, path.name)
        except spreadsheets.ImportProblems as problems:
            for row, message in problems.problems:
                self.stderr.write(f"row {row}: {message}" if row else message)
            raise CommandError(f"{problems}: nothing was imported.") from problems
        self.stdout.write(result.summary)

    def _export(self, name: str, fmt: str, out: Path) -> None:
        strategy = Strategy.objects.filter(name__iexact=name).first()
        if strategy is None:
            raise CommandError(f"There is no strategy called {name}")
        out.write_bytes(EXPORTERS[fmt](strategy))
        spreadsheets.record_export(ACTOR, strategy, fmt)
        self.stdout.write(f"Wrote {strategy.name} as {fmt.upper()} to {out}")

    def _strategy(self, name: str, years: str) -> Strategy:
        strategy = Strategy.objects.filter(name__iexact=name).first()
        if strategy is not None:
            return strategy
        match = re.fullmatch(r"(\d{4})\s*-\s*(\d{4})", years.strip())
        if not match:
            raise CommandError(
                f"There is no strategy called {name}. Create it on the delivery plan pages, or "
                "pass --years 2025-2028 to create it now."
            )
        try:
            return services.create_strategy(
                ACTOR, name=name, start_year=int(match[1]), end_year=int(match[2])
            )
        except services.PlanRefused as error:
            raise CommandError(str(error)) from error
