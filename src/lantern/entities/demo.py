"""Demo data: notes from Northmere's analyst and partners mentioning fictional people, vehicles,
phones and places, so the entity pages, suggested matches and hot spots have something in them."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lantern.demo.borough import WARD_NAMES, point_in_ward
from lantern.demo.registry import DemoContext
from lantern.entities import services
from lantern.entities.models import EntityKind, PremisesType
from lantern.entities.services import MentionInput

_PLACES = (
    ("Canal Side recreation ground", PremisesType.PARK),
    ("Station Hotel", PremisesType.HOTEL),
    ("Moor Lane takeaway", PremisesType.TAKEAWAY),
    ("Victoria Street taxi rank", PremisesType.TAXI),
    ("Market car park", PremisesType.CAR_PARK),
)
_PLATES = ("NM19 KXT", "NM21 ZRB", "YX12 ABC", "NX68 LPW")
_PHONES = ("07700 900111", "07700 900222", "07700 900333")


def generate(ctx: DemoContext) -> str:
    accounts = {u.username: u for u in ctx.made.get("accounts", [])}
    authors = [accounts[name] for name in ("analyst", "practitioner") if name in accounts]
    if not authors:
        return "no demo accounts to write notes"
    wards = ctx.made.get("wards", [])
    rng = ctx.rng
    now = timezone.now()
    people = [
        (
            ctx.faker.first_name_male(),
            ctx.faker.last_name(),
            f"19{rng.randrange(85, 99)}-0{rng.randrange(1, 9)}-1{rng.randrange(0, 9)}",
        )
        for _ in range(6)
    ]
    # Each place lies in one ward, at one point inside it, however often it is mentioned.
    mapped = [w for w in wards if w.name in WARD_NAMES]
    homes = {}
    for place, _kind in _PLACES:
        ward = rng.choice(mapped) if mapped else None
        lat, lon = point_in_ward(ward.name, rng) if ward else (None, None)
        homes[place] = {"ward_id": ward.pk if ward else None, "latitude": lat, "longitude": lon}
    notes = 40 if ctx.scale == "borough" else 400
    for _ in range(notes):
        first, surname, dob = rng.choice(people)
        if rng.random() < 0.3:
            first = first.upper()
        place, kind = rng.choice(_PLACES)
        mentions = [
            MentionInput(
                EntityKind.PERSON,
                f"{first} {surname}",
                {"first_name": first, "surname": surname, "dob": dob},
            ),
            MentionInput(
                EntityKind.LOCATION,
                place,
                {"premises_type": kind, **homes[place]},
            ),
        ]
        if rng.random() < 0.6:
            mentions.append(MentionInput(EntityKind.VEHICLE, rng.choice(_PLATES)))
        if rng.random() < 0.4:
            mentions.append(MentionInput(EntityKind.PHONE, rng.choice(_PHONES)))
        services.create_note(
            author=rng.choice(authors),
            text=f"Seen at {place} with {first} {surname}.",
            mentions=mentions,
            now=now - timedelta(days=rng.randrange(0, 180), hours=rng.randrange(0, 24)),
        )
    services.create_note(
        author=authors[-1],
        text="A van with a plate starting YX12 A, last letter C, outside the school.",
        mentions=[MentionInput(EntityKind.VEHICLE, "YX12 A?C")],
        now=now,
    )
    return f"{notes + 1} notes mentioning people, places, vehicles and phones"
