"""`lantern backup [FILE]`: a consistent copy of the database (SQLite online, PostgreSQL
`pg_dump --format=custom`), to restore with `lantern restore FILE`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lantern.core.backup import BackupRefused, backup_database, default_backup_path


class Command(BaseCommand):
    help = (
        "Back up the database: SQLite with its online backup, PostgreSQL with pg_dump "
        "--format=custom. Back up LANTERN_DATA_DIR/uploads and the audit checkpoint file too."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", default="", help="where to write it (default: DATA_DIR/backups/)"
        )

    def handle(self, *args, file, **options):
        path = Path(file) if file else default_backup_path()
        try:
            written = backup_database(path)
        except BackupRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"Backed up to {written} ({written.stat().st_size:,} bytes).")
