"""Ward boundaries from a GeoJSON file, for the hot-spot map (`lantern places import-boundaries`).

An installation loads its own wards' outlines (the ONS publishes ward boundaries as open data,
with the ward's name in a property such as `WD24NM` and its code in `WD24CD`). Each feature
becomes or updates one ward, matched by code, then by name. The whole file is checked before
anything is written: a file that is not GeoJSON, or a feature with no ward name or a geometry
that is not a polygon, is refused with the feature named, and no boundary is replaced.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from lantern.core.models import Ward

# Property names tried for a ward's name and code, in order: plain ones, then the ONS pattern
# (WDyyNM / WDyyCD for any boundary year).
NAME_KEYS = ("name", "ward", "ward_name", "WARD_NAME")
CODE_KEYS = ("code", "ward_code", "WARD_CODE")
ONS_NAME = re.compile(r"^WD\d{2}NM$", re.IGNORECASE)
ONS_CODE = re.compile(r"^WD\d{2}CD$", re.IGNORECASE)
MAX_BYTES = 50 * 1024 * 1024


class BoundaryFileRefused(Exception):
    """The file was refused as a whole; the message says where and why."""


@dataclass(frozen=True)
class ImportResult:
    updated: int
    created: int

    def __str__(self) -> str:
        return f"{self.updated} ward(s) updated, {self.created} added"


def _pick(properties: dict, keys: tuple[str, ...], pattern: re.Pattern) -> str:
    for key in keys:
        value = properties.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    for key, value in properties.items():
        if pattern.match(key) and isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _check_ring(ring, where: str) -> None:
    if not isinstance(ring, list) or len(ring) < 4:
        raise BoundaryFileRefused(f"{where}: a ring needs at least four positions")
    for position in ring:
        if (
            not isinstance(position, list)
            or len(position) < 2
            or not all(isinstance(v, (int, float)) for v in position[:2])
        ):
            raise BoundaryFileRefused(f"{where}: a position is not [longitude, latitude]")
        lon, lat = position[0], position[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise BoundaryFileRefused(
                f"{where}: {position[:2]} is not a longitude and latitude (is the file in "
                "British National Grid? Convert it to WGS 84, EPSG:4326, first)"
            )


def _check_geometry(geometry, where: str) -> dict:
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        kind = geometry.get("type") if isinstance(geometry, dict) else "none"
        raise BoundaryFileRefused(f"{where}: the geometry is {kind}; a ward needs a Polygon")
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        raise BoundaryFileRefused(f"{where}: the geometry has no coordinates")
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            raise BoundaryFileRefused(f"{where}: a polygon has no rings")
        for ring in polygon:
            _check_ring(ring, where)
    return {"type": geometry["type"], "coordinates": coordinates}


def read_boundaries(data: bytes) -> list[tuple[str, str, dict]]:
    """(name, code, geometry) for every feature, or BoundaryFileRefused naming the feature."""
    if len(data) > MAX_BYTES:
        raise BoundaryFileRefused(f"the file is over {MAX_BYTES // (1024 * 1024)} MB")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BoundaryFileRefused(f"the file is not GeoJSON: {error}") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise BoundaryFileRefused("the file is not a GeoJSON FeatureCollection")
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryFileRefused("the FeatureCollection has no features")
    wards, seen = [], set()
    for number, feature in enumerate(features, 1):
        where = f"feature {number}"
        if not isinstance(feature, dict):
            raise BoundaryFileRefused(f"{where}: is not a GeoJSON Feature")
        properties = feature.get("properties") or {}
        name = _pick(properties, NAME_KEYS, ONS_NAME)
        if not name:
            raise BoundaryFileRefused(
                f"{where}: has no ward name (a property called name, or WDyyNM as in ONS files)"
            )
        where = f"feature {number} ({name})"
        if name.casefold() in seen:
            raise BoundaryFileRefused(f"{where}: the ward appears twice in the file")
        seen.add(name.casefold())
        code = _pick(properties, CODE_KEYS, ONS_CODE)
        wards.append((name, code, _check_geometry(feature.get("geometry"), where)))
    return wards


def import_boundaries(path: Path) -> ImportResult:
    """Read the whole file, then set every ward's boundary in one transaction."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BoundaryFileRefused(f"cannot read {path}: {error.strerror}") from None
    wards = read_boundaries(data)
    updated = created = 0
    with transaction.atomic():
        for name, code, geometry in wards:
            ward = (Ward.objects.filter(code=code).first() if code else None) or (
                Ward.objects.filter(name__iexact=name).first()
            )
            if ward is None:
                Ward.objects.create(name=name, code=code or _free_code(name), boundary=geometry)
                created += 1
            else:
                ward.boundary = geometry
                ward.save(update_fields=["boundary"])
                updated += 1
    return ImportResult(updated=updated, created=created)


def _free_code(name: str) -> str:
    stem = re.sub(r"[^A-Z]", "", name.upper())[:6] or "WARD"
    code, n = stem, 1
    while Ward.objects.filter(code=code).exists():
        n += 1
        code = f"{stem}{n}"
    return code
