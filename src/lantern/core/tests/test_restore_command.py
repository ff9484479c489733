"""The operator guide's PostgreSQL restore works into an empty database and over an existing
one (issue 27: the old `pg_restore --clean` gave 655 errors and exit 1 into an empty one)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
        reason="the restore command is PostgreSQL's",
    ),
    pytest.mark.skipif(shutil.which("pg_restore") is None, reason="pg_restore is not installed"),
]

GUIDE = Path(settings.PROJECT_DIR) / "docs" / "operator-guide.md"
PSQL, PG_DUMP = shutil.which("psql") or "psql", shutil.which("pg_dump") or "pg_dump"


def guide_restore_command() -> list[str]:
    """The restore command exactly as docs/operator-guide.md gives it."""
    found = re.search(r"`(pg_restore [^`]+)`", GUIDE.read_text())
    assert found, "the operator guide gives no pg_restore command"
    return shlex.split(found.group(1))


def _env() -> dict:
    db = connection.settings_dict
    env = {**os.environ, "PGUSER": db["USER"] or "postgres", "PGHOST": db["HOST"] or "127.0.0.1"}
    env["PGPORT"] = str(db["PORT"] or 5432)
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _psql(sql: str, env: dict) -> None:
    subprocess.run(
        [PSQL, "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-c", sql],
        env=env,
        check=True,
        capture_output=True,
    )


def test_the_guides_restore_works_into_an_empty_and_into_an_existing_database(tmp_path):
    env = _env()
    source = connection.settings_dict["NAME"]
    target = f"{source}_restore"
    dump = tmp_path / "lantern.dump"
    with dump.open("wb") as out:
        subprocess.run([PG_DUMP, "--format=custom", source], env=env, check=True, stdout=out)
    command = guide_restore_command()
    command[0] = shutil.which(command[0]) or command[0]
    assert command[-1] == "FILE" and "--dbname" in command
    command[command.index("--dbname") + 1] = target
    command[-1] = str(dump)

    _psql(f'DROP DATABASE IF EXISTS "{target}"', env)
    _psql(f'CREATE DATABASE "{target}"', env)
    try:
        for where in ("an empty database", "an existing database"):
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            assert done.returncode == 0, f"into {where}: {done.stderr[:2000]}"
            assert done.stderr.count("error") == 0, done.stderr[:2000]
        tables = subprocess.run(
            [PSQL, "-At", "-d", target, "-c", "SELECT count(*) FROM django_migrations"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        assert int(tables) > 20  # every app's migrations came across
    finally:
        _psql(f'DROP DATABASE IF EXISTS "{target}"', env)
