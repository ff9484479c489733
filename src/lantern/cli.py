"""The `lantern` console command: Django's management commands with Lantern's settings.

`lantern migrate`, `lantern demo`, `lantern serve`, `lantern audit verify` and the commands that
each app adds all run through here.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lantern", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
