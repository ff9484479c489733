"""`lantern people dedupe INPUT.csv --out OUTPUT.csv`: give every migrated record a person id."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lantern.core.progress import stages
from lantern.entities import batch, dedupe
from lantern.entities.models import ModelVersion
from lantern.entities.services import auto_link_probability
from lantern.entities.spark import SparkUnavailable


class Command(BaseCommand):
    help = "Work with person records in bulk. `dedupe` finds the records that are one person."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        run = sub.add_parser(
            "dedupe",
            help=f"Read a CSV with the columns {','.join(dedupe.INPUT_COLUMNS)} and write "
            "record_id,person_id, one row per input record.",
        )
        run.add_argument("input", type=Path)
        run.add_argument("--out", type=Path, required=True)
        run.add_argument(
            "--threshold",
            type=float,
            default=None,
            help="Match probability at which two records are one person "
            "(default: LANTERN_AUTO_LINK_PROBABILITY)",
        )
        run.add_argument(
            "--no-household-guard",
            action="store_true",
            help="Also merge records whose given names or dates of birth differ outright "
            "(only for data known to have no twins or siblings in it)",
        )
        run.add_argument(
            "--backend",
            choices=batch.BACKENDS,
            default="duckdb",
            help="Where Splink runs: DuckDB in this process (default), or Spark for national "
            "batches (needs the spark extra and Java 17; LANTERN_SPARK_MASTER says where)",
        )
        run.add_argument(
            "--train",
            action="store_true",
            help="Train on the input even when a trained model exists",
        )

    def handle(self, *args, **options):
        with stages(["reading", "matching", "writing"], desc="lantern people dedupe") as step:
            self._dedupe(step, options)

    def _dedupe(self, step, options):
        started = time.perf_counter()
        today = timezone.localdate()
        step(f"reading {options['input'].name}")
        try:
            records = dedupe.read_people_csv(options["input"], as_of=today)
        except dedupe.BadInputFile as error:
            raise CommandError(
                f"{options['input']} was not deduplicated and nothing was written:\n{error}"
            ) from error
        model = None if options["train"] else ModelVersion.objects.order_by("-number").first()
        threshold = options["threshold"] or auto_link_probability()
        step(f"matching {len(records)} records")
        try:
            result = dedupe.dedupe_records(
                records,
                model_json=model.splink_json if model else None,
                threshold=threshold,
                household_guard=not options["no_household_guard"],
                backend=options["backend"],
            )
        except SparkUnavailable as error:
            raise CommandError(f"Nothing was written: {error}") from error
        step(f"writing {options['out'].name}")
        dedupe.write_output(options["out"], result.person_ids)
        how = "a model trained on this file" if result.trained else f"model version {model.number}"
        self.stdout.write(
            f"{len(records)} records are {result.people} people (using {how} on "
            f"{options['backend']}, threshold {threshold}); written to {options['out']} in "
            f"{time.perf_counter() - started:.1f}s."
        )
