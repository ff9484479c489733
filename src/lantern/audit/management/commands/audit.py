"""`lantern audit verify`: check the audit trail end to end; `lantern audit checkpoint`: sign
where the chain has reached now (what `lantern tick` does every run)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lantern.audit.chain import checkpoint_path, write_checkpoint
from lantern.audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "Work with the audit trail. `verify` checks every entry, the chain and the checkpoints "
        "and names the first entry that differs; `checkpoint` chains what waits and signs a "
        "checkpoint."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        verify = sub.add_parser("verify", help="Check every entry, link and checkpoint.")
        verify.add_argument(
            "--checkpoints",
            default="",
            help="the checkpoint file to check against (default: the configured one)",
        )
        sub.add_parser("checkpoint", help="Chain waiting entries and write a signed checkpoint.")

    def handle(self, *args, subcommand, **options):
        if subcommand == "checkpoint":
            written = write_checkpoint()
            if written is None:
                self.stdout.write("The chain has not moved since the last checkpoint.")
            else:
                self.stdout.write(
                    f"Checkpoint written to {checkpoint_path()}: position {written.seq}, "
                    f"{written.count} entries."
                )
            return
        path = Path(options["checkpoints"]) if options["checkpoints"] else None
        report = verify_chain(checkpoint_file=path)
        if report.ok:
            self.stdout.write(
                f"Audit trail intact: {report.entries_checked} entries checked "
                f"({report.unchained} not yet chained), "
                f"against {report.checkpoints_checked} checkpoints."
            )
            return
        where = f"entry {report.first_broken_id}" if report.first_broken_id else "the first entry"
        raise CommandError(
            f"Audit trail broken at {where}: {report.problem}. "
            f"{report.entries_checked} entries before it are intact."
        )
