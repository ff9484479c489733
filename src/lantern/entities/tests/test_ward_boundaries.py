"""Ward boundaries for the hot-spot map: the demo's fictional ones, and an installation's own
loaded from GeoJSON with `lantern places import-boundaries`, all or nothing."""

from __future__ import annotations

import io
import json
import re
from random import Random

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.audit.models import AuditEntry
from lantern.core.models import Ward
from lantern.core.testing import make_user, sign_in
from lantern.demo.borough import WARD_NAMES, point_in_ward, ward_area, ward_boundary

pytestmark = pytest.mark.django_db

SQUARE = [[[-2.0, 54.3], [-1.99, 54.3], [-1.99, 54.31], [-2.0, 54.31], [-2.0, 54.3]]]


def feature(properties, geometry=None):
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": geometry or {"type": "Polygon", "coordinates": SQUARE},
    }


def write(tmp_path, document, name="wards.geojson"):
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def run(path):
    call_command("places", "import-boundaries", str(path), stdout=io.StringIO())


def _inside(point, polygon) -> bool:
    """Ray casting: is (lon, lat) inside the ring?"""
    lon, lat = point
    ring = polygon["coordinates"][0]
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def test_every_demo_point_falls_inside_its_wards_outline_and_neighbours_share_corners():
    rng = Random(5)
    for name in WARD_NAMES:
        outline = ward_boundary(name)
        for _ in range(50):
            lat, lon = point_in_ward(name, rng)
            assert _inside((lon, lat), outline), f"a point of {name} lies outside its outline"
    # The first ward's east edge is its neighbour's west edge: no gaps or overlaps.
    first, second = ward_boundary(WARD_NAMES[0]), ward_boundary(WARD_NAMES[1])
    east_edge = {tuple(first["coordinates"][0][1]), tuple(first["coordinates"][0][2])}
    west_edge = {tuple(second["coordinates"][0][0]), tuple(second["coordinates"][0][3])}
    assert east_edge == west_edge
    south, west, _, _ = ward_area(WARD_NAMES[0])
    assert first["coordinates"][0][0] == [round(west, 5), round(south, 5)]  # outer corner fixed


def test_an_ons_file_updates_wards_by_code_then_name_and_adds_new_ones(tmp_path):
    by_code = Ward.objects.create(name="Old Name", code="E05000001")
    by_name = Ward.objects.create(name="Riverside", code="NM17")
    path = write(
        tmp_path,
        {
            "type": "FeatureCollection",
            "features": [
                feature({"WD24CD": "E05000001", "WD24NM": "Abbeyfield"}),
                feature({"WD24CD": "E05000002", "WD24NM": "riverside"}),
                feature({"WD24CD": "E05000003", "WD24NM": "Westmoor"}),
            ],
        },
    )
    run(path)
    by_code.refresh_from_db()
    by_name.refresh_from_db()
    assert by_code.boundary == {"type": "Polygon", "coordinates": SQUARE}
    assert by_name.boundary["type"] == "Polygon"
    assert Ward.objects.get(name="Westmoor").code == "E05000003"
    assert AuditEntry.objects.filter(
        object_type="core.ward", object_repr__contains="2 ward(s) updated, 1 added"
    ).exists()


@pytest.mark.parametrize(
    "document, message",
    [
        ("not json at all", "is not GeoJSON"),
        ({"type": "Feature"}, "not a GeoJSON FeatureCollection"),
        ({"type": "FeatureCollection", "features": []}, "has no features"),
        (
            {
                "type": "FeatureCollection",
                "features": [feature({"name": "Abbeyfield"}), feature({"colour": "red"})],
            },
            "feature 2: has no ward name",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    feature({"name": "Abbeyfield"}, {"type": "Point", "coordinates": [0, 0]})
                ],
            },
            "feature 1 (Abbeyfield): the geometry is Point",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [
                    feature(
                        {"name": "Abbeyfield"},
                        {
                            "type": "Polygon",
                            "coordinates": [
                                [
                                    [400000, 500000],
                                    [400100, 500000],
                                    [400100, 500100],
                                    [400000, 500000],
                                ]
                            ],
                        },
                    )
                ],
            },
            "British National Grid",
        ),
        (
            {
                "type": "FeatureCollection",
                "features": [feature({"name": "Abbeyfield"}), feature({"name": "ABBEYFIELD"})],
            },
            "appears twice",
        ),
    ],
)
def test_a_bad_file_is_refused_naming_the_feature_and_nothing_is_replaced(
    tmp_path, document, message
):
    ward = Ward.objects.create(name="Abbeyfield", code="NM01", boundary=ward_boundary("Abbeyfield"))
    with pytest.raises(CommandError, match=re.escape(message)) as refused:
        run(write(tmp_path, document))
    assert "No boundary was changed" in str(refused.value)
    ward.refresh_from_db()
    assert ward.boundary == ward_boundary("Abbeyfield")
    assert Ward.objects.count() == 1


def test_the_hot_spot_page_sends_the_ward_outlines_with_their_mentions(client):
    Ward.objects.create(name="Abbeyfield", code="NM01", boundary=ward_boundary("Abbeyfield"))
    Ward.objects.create(name="No Outline", code="NM99")
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    page = client.get(reverse("entities:hotspots"))
    wards = page.context["map_wards"]
    assert [f["properties"] for f in wards["features"]] == [{"name": "Abbeyfield", "mentions": 0}]
    assert 'id="hotspot-wards"' in page.content.decode()
