"""`lantern places import-boundaries FILE.geojson`: the wards' outlines for the hot-spot map.

It lives with the hot spots (entities) because it is audited; the reading is core's, beside Ward.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lantern.audit.models import AuditAction
from lantern.audit.services import record
from lantern.core.boundaries import BoundaryFileRefused, import_boundaries


class Command(BaseCommand):
    help = "Places on the map. `import-boundaries FILE` loads ward boundaries from GeoJSON."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        boundaries = sub.add_parser(
            "import-boundaries",
            help="Load ward outlines from a GeoJSON FeatureCollection in WGS 84 (each feature "
            "with a ward name, as `name` or ONS's WDyyNM, and optionally a code, WDyyCD)",
        )
        boundaries.add_argument("file", type=Path)

    def handle(self, *args, subcommand, file, **options):
        try:
            result = import_boundaries(file)
        except BoundaryFileRefused as refused:
            raise CommandError(f"{file}: {refused}. No boundary was changed.") from None
        record(
            actor="lantern places import-boundaries",
            action=AuditAction.UPDATE,
            object_type="core.ward",
            object_repr=f"Ward boundaries from {file.name}: {result}",
        )
        self.stdout.write(f"{file.name}: {result}.")
