"""Hot spots by financial quarter, month or dates, against the period before, with a map of
those with coordinates, and errors by the field for a bad query string."""

from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.core.models import Ward
from lantern.core.testing import make_user, sign_in
from lantern.entities.models import Entity, EntityKind
from lantern.entities.services import MentionInput
from lantern.entities.tests.helpers import note_mentioning

pytestmark = pytest.mark.django_db


def mention_place(name, on: date, *, postcode="NM1 4AB", ward_id=None, premises_type="hotel"):
    details = {"postcode": postcode, "premises_type": premises_type}
    if ward_id:
        details["ward_id"] = ward_id
    when = datetime(on.year, on.month, on.day, 12, tzinfo=UTC)
    note_mentioning(MentionInput(EntityKind.LOCATION, name, details), now=when)


@pytest.fixture
def analyst(client):
    return sign_in(client, make_user(Role.POLICE_INTELLIGENCE))


@pytest.fixture
def places():
    """The hotel: 2 mentions in 2014/15-Q2 (July to September), 1 in Q1. The park: 1 in Q2."""
    mention_place("Riverside Hotel", date(2014, 7, 3))
    mention_place("Riverside Hotel", date(2014, 9, 30))
    mention_place("Riverside Hotel", date(2014, 6, 30))
    mention_place("Northmere Park", date(2014, 8, 1), postcode="NM2 1AA", premises_type="park")
    mention_place("Riverside Hotel", date(2014, 10, 1))  # Q3: in neither
    return {e.label: e for e in Entity.objects.filter(kind=EntityKind.LOCATION)}


def rows_of(response):
    return [(r.location.label, r.mentions, r.previous) for r in response.context["rows"]]


def test_a_quarter_is_counted_against_the_quarter_before(client, analyst, places):
    response = client.get(reverse("entities:hotspots"), {"period": "2014/15-Q2"})
    assert rows_of(response) == [("Riverside Hotel", 2, 1), ("Northmere Park", 1, 0)]
    assert "2014/15 Q2 (end of September)" in response.content.decode()


def test_a_month_is_counted_against_the_month_before(client, analyst, places):
    response = client.get(reverse("entities:hotspots"), {"period": "2014-07"})
    assert rows_of(response) == [("Riverside Hotel", 1, 1)]


def test_dates_are_counted_against_as_many_days_before(client, analyst, places):
    response = client.get(
        reverse("entities:hotspots"), {"period_start": "2014-07-01", "period_end": "2014-09-30"}
    )
    window = response.context["window"]
    assert (window["previous_start"], window["previous_end"]) == (
        date(2014, 3, 31),
        date(2014, 6, 30),
    )
    assert rows_of(response) == [("Riverside Hotel", 2, 1), ("Northmere Park", 1, 0)]


def test_premises_type_and_ward_filter_the_hot_spots(client, analyst, places):
    ward = Ward.objects.create(name="Testward", code="T01")
    mention_place(
        "Canal Takeaway",
        date(2014, 8, 2),
        postcode="NM3 3AA",
        premises_type="takeaway",
        ward_id=ward.pk,
    )
    by_type = client.get(
        reverse("entities:hotspots"), {"period": "2014/15-Q2", "premises_type": "park"}
    )
    by_ward = client.get(reverse("entities:hotspots"), {"period": "2014/15-Q2", "ward": ward.pk})
    assert rows_of(by_type) == [("Northmere Park", 1, 0)]
    assert rows_of(by_ward) == [("Canal Takeaway", 1, 0)]


def test_only_hot_spots_with_coordinates_go_on_the_map(client, analyst, places):
    hotel = places["Riverside Hotel"]
    Entity.objects.filter(pk=hotel.pk).update(latitude=53.5, longitude=-2.2)
    response = client.get(reverse("entities:hotspots"), {"period": "2014/15-Q2"})
    points = response.context["map_points"]
    assert [(p["label"], p["lat"], p["lng"], p["mentions"]) for p in points] == [
        ("Riverside Hotel", 53.5, -2.2, 2)
    ]
    page = response.content.decode()
    assert (
        'id="hotspot-map"' in page and 'id="hotspot-data"' in page and 'id="hotspot-table"' in page
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"period": "2014/15-Q5"}, "period"),
        ({"period": "last summer"}, "period"),
        ({"period": "2014-07", "period_start": "2014-07-01"}, "period"),
        ({"period_start": "2014-02-30"}, "period_start"),
        ({"period_start": "0001-01-01"}, "period_start"),
        ({"period_start": "2014-09-01", "period_end": "2014-08-01"}, "period_end"),
        ({"ward": "not-a-ward"}, "ward"),
        ({"ward": "99999999999"}, "ward"),
        ({"premises_type": "castle"}, "premises_type"),
    ],
)
def test_a_bad_query_string_is_an_error_by_the_field(client, analyst, query, field):
    response = client.get(reverse("entities:hotspots"), query)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["rows"] == []
    assert "govuk-error-summary" in response.content.decode()


def test_the_tile_server_is_allowed_by_the_content_security_policy_only_when_set():
    import subprocess
    import sys

    code = (
        "import django, os; django.setup(); from django.conf import settings; "
        "print(' '.join(settings.SECURE_CSP['img-src']))"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "lantern.settings",
        "LANTERN_ENV": "test",
        "LANTERN_MAP_TILE_URL": "https://{s}.tiles.example.org/{z}/{x}/{y}.png",
    }
    import os

    result = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True
    )
    assert result.stdout.split()[-1] == "https://*.tiles.example.org"
