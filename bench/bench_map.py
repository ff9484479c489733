"""The hot-spot map page with its ward outlines (issue 20): 25 ward polygons and 2,000 places
with coordinates, mentioned 20,000 times in the last 90 days, for an analyst. Target: under
300 ms. Loaded in bulk; run on PostgreSQL with DATABASE_URL set."""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from bench import common
from lantern.accounts.roles import Role
from lantern.core.models import Ward
from lantern.core.testing import AgencyFactory, make_user, sign_in
from lantern.entities.models import Entity, EntityKind, Mention, Note, PremisesType

WARDS, PLACES, MENTIONS = 25, 2000, 20000
SOUTH, WEST, SIZE = 54.30, -2.10, 0.012  # a 5 x 5 grid of square wards


def _outline(row: int, column: int) -> dict:
    south, west = SOUTH + row * SIZE, WEST + column * SIZE
    ring = [
        [west, south],
        [west + SIZE, south],
        [west + SIZE, south + SIZE],
        [west, south + SIZE],
        [west, south],
    ]
    return {"type": "Polygon", "coordinates": [[[round(x, 5), round(y, 5)] for x, y in ring]]}


def _load() -> object:
    rng = random.Random(20)
    now = timezone.now()
    wards = Ward.objects.bulk_create(
        Ward(name=f"Map ward {i}", code=f"MW{i:02d}", boundary=_outline(*divmod(i, 5)))
        for i in range(WARDS)
    )
    agency = AgencyFactory(name="Map bench police")
    analyst = make_user(Role.POLICE_INTELLIGENCE, username="map-analyst", agency=agency)
    places = []
    for n in range(PLACES):
        ward_index = rng.randrange(WARDS)
        row, column = divmod(ward_index, 5)
        places.append(
            Entity(
                kind=EntityKind.LOCATION,
                label=f"Map place {n}",
                identifier=f"map place {n}|",
                premises_type=rng.choice(PremisesType.values),
                ward=wards[ward_index],
                latitude=SOUTH + (row + rng.uniform(0.1, 0.9)) * SIZE,
                longitude=WEST + (column + rng.uniform(0.1, 0.9)) * SIZE,
                created_at=now,
            )
        )
    places = Entity.objects.bulk_create(places, batch_size=2000)
    notes = Note.objects.bulk_create(
        [Note(agency=agency, author=analyst, text="Map bench", created_at=now) for _ in range(4000)]
    )
    note_type = ContentType.objects.get_for_model(Note)
    Mention.objects.bulk_create(
        [
            Mention(
                content_type=note_type,
                object_id=rng.choice(notes).pk,
                kind=EntityKind.LOCATION,
                raw_text="bench",
                normalised="bench",
                entity_id=places[min(PLACES - 1, int(rng.paretovariate(1.1)) - 1)].pk
                if rng.random() < 0.3
                else rng.choice(places).pk,
                method="exact",
                mentioned_at=now - timedelta(days=rng.randrange(0, 170)),
            )
            for _ in range(MENTIONS)
        ],
        batch_size=5000,
    )
    return analyst


def run() -> None:
    from django.db import connection

    started = time.perf_counter()
    analyst = _load()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    load_seconds = round(time.perf_counter() - started, 1)
    client = Client()
    sign_in(client, analyst)
    page = client.get("/entities/hot-spots/")
    assert page.status_code == 200
    drawn = page.context["map_wards"]["features"]
    assert len(drawn) == WARDS, len(drawn)
    figures = {
        "load_seconds": load_seconds,
        "places_on_the_map": len(page.context["map_points"]),
        "hot_spot_map_page": common.timed(lambda: client.get("/entities/hot-spots/"), repeat=40),
    }
    common.write(
        "map",
        figures,
        {"wards_with_outlines": WARDS, "places": PLACES, "mentions": MENTIONS},
    )
