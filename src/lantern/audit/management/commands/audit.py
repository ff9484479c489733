"""`lantern audit verify`: check the audit trail's hash chain end to end."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from lantern.audit.services import verify_chain


class Command(BaseCommand):
    help = "Work with the audit trail. `verify` checks the hash chain and names the first break."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Recompute every entry's hash and check the chain.")

    def handle(self, *args, **options):
        report = verify_chain()
        if report.ok:
            self.stdout.write(f"Audit trail intact: {report.entries_checked} entries checked.")
            return
        raise CommandError(
            f"Audit trail broken at entry {report.first_broken_id}: {report.problem}. "
            f"{report.entries_checked} entries before it are intact."
        )
