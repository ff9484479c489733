"""`lantern measures import FILE.csv [--create]`: import figures, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lantern.performance.imports import ImportRefused, import_figures


class Command(BaseCommand):
    help = "Work with the measure catalogue. `import FILE.csv` imports figures from a CSV file."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        do_import = sub.add_parser(
            "import",
            help="Import figures (columns priority,section,measure,period,value,status,note).",
        )
        do_import.add_argument("file", help="the CSV file, UTF-8")
        do_import.add_argument(
            "--create",
            action="store_true",
            help="add measures not in the catalogue as imported measures",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            # Read as a stream: the importer refuses a file over its size before reading it.
            with path.open("rb") as data:
                result = import_figures(
                    data, actor=None, now=timezone.now(), create=options["create"]
                )
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        except ImportRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"Imported {path.name}: {result}")
