"""A partner's note mentions a van the police already know by a partial plate; the analyst
sees the suggested link, confirms it, and the van's page and network chart show both notes."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from random import Random

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from lantern.accounts.roles import Role
from lantern.core.models import Ward
from lantern.core.testing import TEST_PASSWORD, AgencyFactory, make_user
from lantern.demo.borough import point_in_ward, ward_boundary
from lantern.entities import services
from lantern.entities.models import Entity, EntityKind
from tests.browser.conftest import assert_accessible, sign_in_through_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def person_with_app(role, **kwargs):
    user = make_user(role, **kwargs)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def watch_for_blocked_content(page) -> list[str]:
    """Console errors from the Content-Security-Policy, as they happen."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


def test_a_partner_mention_is_suggested_confirmed_and_shown_on_the_entity_page(page, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    police = person_with_app(Role.POLICE_INTELLIGENCE, username="casey")
    services.create_note(
        author=police,
        text="Silver van YX12 ABC seen collecting children from the park",
        mentions=[services.MentionInput(EntityKind.VEHICLE, "YX12 ABC")],
        now=datetime(2025, 5, 1, 9, 0, tzinfo=UTC),
    )
    partner = person_with_app(
        Role.PARTNER_PRACTITIONER, username="pat", agency=AgencyFactory(name="Northmere school")
    )

    sign_in_through_the_page(page, partner, TEST_PASSWORD)
    page.goto("/entities/notes/new/")
    assert_accessible(page)
    page.get_by_label("What do you know?").fill(
        "A van, plate YX12 A?C (one letter not seen), waits outside the school gates. "
        "The driver gave a girl the number 07700 900456."
    )
    page.get_by_role("button", name="Find identifiers in the text").click()
    page.get_by_label("Vehicle: YX12 A?C").check()
    page.get_by_label("Phone number: 07700 900456").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save note").click()
    assert page.get_by_text("Matching").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in_through_the_page(page, police, TEST_PASSWORD)
    page.goto("/entities/suggestions/")
    assert_accessible(page)
    page.get_by_role("link", name="Review").first.click()
    assert page.get_by_text("Partial plate fits").is_visible()
    assert_accessible(page)
    page.get_by_label("Yes, link them").check()
    page.get_by_role("button", name="Save decision").click()
    refused = watch_for_blocked_content(page)
    assert page.get_by_role("heading", name="YX12 ABC").is_visible()
    timeline = page.get_by_role("table", name="Timeline of records that mention YX12 ABC")
    assert timeline.get_by_text("YX12 A?C").is_visible()
    assert timeline.get_by_text("Confirmed by an analyst").is_visible()
    # The chart is drawn by cytoscape.js from the JSON the server wrote; the table says the same.
    canvas = page.locator("#network-canvas")
    expect(canvas.locator("canvas").first).to_be_attached()
    expect(canvas).to_have_attribute("data-nodes", "2")
    data = json.loads(page.locator("#network-data").text_content())
    assert {n["label"] for n in data["nodes"]} == {"YX12 ABC", "07700 900456"}
    assert [(e["records"]) for e in data["edges"]] == [1]
    expect(page.locator("#network-fallback")).to_be_hidden()
    assert refused == [], "the Content-Security-Policy blocked something"
    network_table = page.locator("#network-table")
    expect(network_table.get_by_role("link", name="07700 900456")).to_be_visible()
    assert_accessible(page)


def _share_not_white(png: bytes) -> float:
    """The share of a screenshot's pixels that are not (near) white."""
    from PIL import Image

    pixels = list(Image.open(io.BytesIO(png)).convert("L").getdata())
    return sum(1 for value in pixels if value < 240) / len(pixels)


def test_the_hot_spot_page_draws_the_map_beside_the_table(page, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    analyst = person_with_app(Role.POLICE_INTELLIGENCE, username="robin")
    now = datetime.now(UTC)
    # Two of the demo's fictional wards, with their outlines, and the hotel inside the first.
    for index, name in enumerate(("Abbeyfield", "Brackenside"), 1):
        Ward.objects.create(name=name, code=f"NM{index:02d}", boundary=ward_boundary(name))
    inside = point_in_ward("Abbeyfield", Random(1))
    for place, coordinates in (("Riverside Hotel", inside), ("Canal Park", None)):
        services.create_note(
            author=analyst,
            text=f"Seen at {place}",
            mentions=[
                services.MentionInput(EntityKind.LOCATION, place, {"premises_type": "hotel"})
            ],
            now=now,
        )
        if coordinates:
            Entity.objects.filter(label=place).update(
                latitude=coordinates[0],
                longitude=coordinates[1],
                ward=Ward.objects.get(name="Abbeyfield"),
            )

    refused = watch_for_blocked_content(page)
    sign_in_through_the_page(page, analyst, TEST_PASSWORD)
    page.goto("/entities/hot-spots/")
    table = page.get_by_role("table", name="Hot spots")
    expect(table.get_by_role("link", name="Riverside Hotel")).to_be_visible()
    expect(table.get_by_role("link", name="Canal Park")).to_be_visible()
    # Leaflet draws the two wards' outlines and one circle for the one hot spot with
    # coordinates, with no tile server (none is set up in tests, so nothing is fetched from
    # outside), and a key to the colours.
    map_box = page.locator("#hotspot-map")
    expect(map_box).to_have_class(re.compile(r"\bleaflet-container\b"))
    expect(map_box).to_have_attribute("data-markers", "1")
    expect(map_box).to_have_attribute("data-wards", "2")
    expect(map_box.locator("path.leaflet-interactive")).to_have_count(3)
    expect(map_box.locator(".lantern-map__legend")).to_contain_text("More mentions than")
    assert _share_not_white(map_box.screenshot()) > 0.05, "the map area is blank"
    assert refused == [], "the Content-Security-Policy blocked something"
    assert_accessible(page)

    page.get_by_label("Period").fill("2014/15-Q5")
    page.get_by_role("button", name="Show hot spots").click()
    expect(page.get_by_role("alert")).to_contain_text("is not a period")
    assert_accessible(page)


def test_a_partner_submission_is_linked_to_a_van_known_from_a_police_submission(page, settings):
    from lantern.intake.models import Source
    from lantern.intake.tests.factories import make_submission

    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    police = person_with_app(Role.POLICE_INTELLIGENCE, username="sam")
    partner = make_user(Role.PARTNER_PRACTITIONER, agency=AgencyFactory(name="Northmere youth"))
    known = make_submission(police, source=Source.POLICE, vehicles=["YX12 ABC"])
    reported = make_submission(
        partner,
        source=Source.PARTNER,
        narrative="A van with a part-read plate waits by the youth club.",
        vehicles=["YX12 A?C"],
        phones=["07700 900456"],
    )

    refused = watch_for_blocked_content(page)
    sign_in_through_the_page(page, police, TEST_PASSWORD)
    page.goto("/entities/suggestions/")
    page.get_by_role("link", name="Review").first.click()
    expect(page.get_by_text("Partial plate fits")).to_be_visible()
    page.get_by_label("Yes, link them").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("heading", name="YX12 ABC")).to_be_visible()
    timeline = page.get_by_role("table", name="Timeline of records that mention YX12 ABC")
    expect(timeline.get_by_role("link", name=known.reference)).to_be_visible()
    expect(timeline.get_by_role("link", name=reported.reference)).to_be_visible()
    canvas = page.locator("#network-canvas")
    expect(canvas.locator("canvas").first).to_be_attached()
    expect(canvas).to_have_attribute("data-nodes", "2")
    data = json.loads(page.locator("#network-data").text_content())
    assert {n["label"] for n in data["nodes"]} == {"YX12 ABC", "07700 900456"}
    assert refused == []
    assert_accessible(page)
