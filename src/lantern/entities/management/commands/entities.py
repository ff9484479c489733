"""`lantern entities retrain`: train a new people-matching model version."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lantern.entities import batch, services
from lantern.entities.spark import SparkUnavailable


class Command(BaseCommand):
    help = (
        "Cross-referencing. `retrain` trains a new model version; "
        "`resolve` resolves waiting mentions."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        retrain = sub.add_parser("retrain", help="Train a new model on every person mention.")
        retrain.add_argument("--note", default="", help="Why it was retrained")
        retrain.add_argument(
            "--backend",
            choices=batch.BACKENDS,
            default="duckdb",
            help="Where Splink trains: DuckDB in this process (default) or Spark",
        )
        sub.add_parser("resolve", help="Resolve every mention still waiting to be matched.")

    def handle(self, *args, **options):
        now = timezone.now()
        if options["subcommand"] == "resolve":
            count = services.resolve_pending(now)
            self.stdout.write(f"{count} waiting mentions resolved.")
            return
        try:
            version = services.retrain(now=now, note=options["note"], backend=options["backend"])
        except (services.ResolutionRefused, SparkUnavailable) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Model version {version.number} trained on {version.trained_on} person mentions. "
            "Earlier links keep the version and score they were made with."
        )
