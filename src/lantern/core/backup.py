"""Backing up and restoring the database: `lantern backup` and `lantern restore`.

SQLite: an online copy through sqlite3's backup API (consistent while Lantern runs), restored
the same way over the live database. PostgreSQL: `pg_dump --format=custom`, restored with
`pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error` (the operator
guide's command), with Lantern stopped.

A restore first reads which migrations the backup had applied: a backup from a newer Lantern
(migrations this installation does not know) is refused, since its tables would not match the
code. An older backup is restored, and `lantern migrate` brings it up to date.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from lantern.core.errors import LanternError

# What later apps check once a restore is done (the audit trail verifies itself): each returns
# a line for the operator. Registered from their AppConfig.ready, so core imports none of them.
_AFTER_RESTORE: dict[str, Callable[[], str]] = {}


def register_after_restore(name: str, check: Callable[[], str]) -> None:
    _AFTER_RESTORE[name] = check


def after_restore_checks() -> list[str]:
    """Run every registered after-restore check; their lines, in registration order."""
    return [check() for check in _AFTER_RESTORE.values()]


class BackupRefused(LanternError):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class RestoreCheck:
    applied: int
    newer: list[tuple[str, str]]
    missing: list[tuple[str, str]]  # known here, not applied in the backup: `lantern migrate`


def engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def default_backup_path(now: datetime | None = None) -> Path:
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    suffix = "dump" if engine() == "postgresql" else "sqlite3"
    return Path(settings.DATA_DIR) / "backups" / f"lantern-{stamp}.{suffix}"


def backup_database(path: Path) -> Path:
    """Write a consistent copy of the database to `path` (written beside it, then moved in, so
    a failed backup never leaves a half-written file under the name). Refuses to overwrite."""
    path = Path(path)
    if path.exists():
        raise BackupRefused(f"{path} already exists: choose another file name.")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    if engine() == "postgresql":
        _pg_dump(partial)
    else:
        _sqlite_backup(partial)
    partial.rename(path)
    return path


def check_backup(path: Path) -> RestoreCheck:
    """Which migrations the backup had applied, against the ones this installation knows.
    Refuses a file that is not a backup of the current engine's kind."""
    path = Path(path)
    if not path.is_file():
        raise BackupRefused(f"{path} does not exist or is not a file.")
    applied = _pg_applied(path) if engine() == "postgresql" else _sqlite_applied(path)
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return RestoreCheck(
        applied=len(applied),
        newer=sorted(applied - known),
        missing=sorted(known - applied),
    )


def restore_database(path: Path) -> RestoreCheck:
    """Replace the database's contents with the backup at `path`. Refuses a backup from a newer
    schema (migrations this installation does not know), naming them."""
    check = check_backup(path)
    if check.newer:
        names = ", ".join(f"{app}.{name}" for app, name in check.newer[:5])
        more = f" and {len(check.newer) - 5} more" if len(check.newer) > 5 else ""
        raise BackupRefused(
            f"This backup comes from a newer version of Lantern: it has {len(check.newer)} "
            f"migration(s) this installation does not know ({names}{more}). Nothing was "
            "restored. Install the Lantern release the backup was made with (or a later one), "
            "then restore again."
        )
    if engine() == "postgresql":
        _pg_restore(Path(path))
    else:
        _sqlite_restore(Path(path))
    return check


# SQLite


def _sqlite_backup(target: Path) -> None:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()


def _sqlite_restore(source_path: Path) -> None:
    source = _sqlite_open(source_path)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _sqlite_applied(path: Path) -> set[tuple[str, str]]:
    source = _sqlite_open(path)
    try:
        rows = source.execute("SELECT app, name FROM django_migrations").fetchall()
    except sqlite3.DatabaseError as error:
        raise BackupRefused(
            f"{path} is not a Lantern SQLite backup ({error}); a PostgreSQL dump is restored on "
            "PostgreSQL."
        ) from None
    finally:
        source.close()
    return {(app, name) for app, name in rows}


def _sqlite_open(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)


# PostgreSQL


def restore_command(path: Path, dbname: str) -> list[str]:
    """The operator guide's restore: into an empty database or over an existing one."""
    return [
        _tool("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        "--exit-on-error",
        "--dbname",
        dbname,
        str(path),
    ]


def _pg_dump(target: Path) -> None:
    db = connection.settings_dict
    command = [_tool("pg_dump"), "--format=custom", "--file", str(target), db["NAME"]]
    _run(command, "pg_dump")


def _pg_restore(path: Path) -> None:
    # Every connection of this process lets go, so the drops are not held up by our own locks.
    connections.close_all()
    _run(restore_command(path, connection.settings_dict["NAME"]), "pg_restore")


def _pg_applied(path: Path) -> set[tuple[str, str]]:
    command = [_tool("pg_restore"), "--data-only", "--table=django_migrations", "--file=-"]
    done = subprocess.run(  # noqa: S603 - fixed program, arguments not from a shell
        [*command, str(path)], env=pg_env(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupRefused(
            f"{path} is not a PostgreSQL custom-format dump ({done.stderr.strip()[:300]}); make "
            "one with `lantern backup`."
        )
    applied, copying = set(), False
    for line in done.stdout.splitlines():
        if line.startswith("COPY ") and "django_migrations" in line:
            columns = line[line.index("(") + 1 : line.index(")")].replace(" ", "").split(",")
            app_at, name_at = columns.index("app"), columns.index("name")
            copying = True
        elif copying and line == "\\.":
            copying = False
        elif copying:
            fields = line.split("\t")
            applied.add((fields[app_at], fields[name_at]))
    return applied


def pg_env() -> dict[str, str]:
    """The environment pg_dump and pg_restore need to reach Lantern's database."""
    db = connection.settings_dict
    env = {**os.environ, "PGUSER": db.get("USER") or "postgres"}
    env["PGHOST"] = db.get("HOST") or "127.0.0.1"
    env["PGPORT"] = str(db.get("PORT") or 5432)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupRefused(f"{name} is not installed: install the PostgreSQL client tools.")
    return found


def _run(command: list[str], name: str) -> None:
    done = subprocess.run(  # noqa: S603 - fixed program, arguments not from a shell
        command, env=pg_env(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupRefused(f"{name} failed (exit {done.returncode}): {done.stderr.strip()[:2000]}")
