"""`make bench`: run every bench/bench_*.py in a throwaway database; figures go to results/.

`python -m bench [NAME ...]` runs only the named benchmarks (for example `foundation`).
Set DATABASE_URL to measure on PostgreSQL.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path


def main(names: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    os.environ.setdefault("LANTERN_ENV", "test")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    modules = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    chosen = [m for m in modules if not names or m.removeprefix("bench_") in names]
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        for name in chosen:
            importlib.import_module(f"bench.{name}").run()
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    main(sys.argv[1:])
