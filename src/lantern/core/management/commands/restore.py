"""`lantern restore FILE --yes`: replace the database with a backup made by `lantern backup`,
then check the audit trail against the checkpoint file (`lantern audit verify`).

A backup from a newer Lantern (migrations this installation does not know) is refused. On
PostgreSQL, stop the site and `lantern tick` first: the restore drops and recreates every table.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lantern.core.backup import (
    BackupRefused,
    after_restore_checks,
    check_backup,
    restore_database,
)


class Command(BaseCommand):
    help = "Restore the database from a `lantern backup` file, then verify the audit trail."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file")
        parser.add_argument(
            "--yes", action="store_true", help="replace the database's contents (required)"
        )
        parser.add_argument(
            "--check", action="store_true", help="only say whether the backup can be restored"
        )

    def handle(self, *args, file, yes, check, **options):
        path = Path(file)
        try:
            if check:
                result = check_backup(path)
                if result.newer:
                    raise BackupRefused(
                        f"{len(result.newer)} migration(s) in the backup are unknown here: it "
                        "comes from a newer version of Lantern."
                    )
                self.stdout.write(f"{path} can be restored ({result.applied} migrations).")
                return
            if not yes:
                raise CommandError(
                    "This replaces everything in the database with the backup. Run again with "
                    "--yes to go ahead (stop the site and `lantern tick` first)."
                )
            result = restore_database(path)
        except BackupRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"Restored {path} ({result.applied} migrations applied in it).")
        if result.missing:
            self.stdout.write(
                f"{len(result.missing)} newer migration(s) are not applied in it: run "
                "`lantern migrate`, then `lantern audit verify`."
            )
            return
        for line in after_restore_checks():
            self.stdout.write(line)
