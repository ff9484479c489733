"""A partner's note mentions a van the police already know by a partial plate; the analyst
sees the suggested link, confirms it, and the van's page and network chart show both notes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts.roles import Role
from lantern.core.testing import TEST_PASSWORD, AgencyFactory, make_user
from lantern.entities import services
from lantern.entities.models import EntityKind
from tests.browser.conftest import assert_accessible, sign_in_through_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def person_with_app(role, **kwargs):
    user = make_user(role, **kwargs)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


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
    assert page.get_by_role("heading", name="YX12 ABC").is_visible()
    timeline = page.get_by_role("table", name="Timeline of records that mention YX12 ABC")
    assert timeline.get_by_text("YX12 A?C").is_visible()
    assert timeline.get_by_text("Confirmed by an analyst").is_visible()
    assert page.locator("#network-chart").is_visible()
    assert page.locator("#network-chart text").filter(has_text="07700 900456").count() == 1
    network_table = page.locator("#network-table")
    assert network_table.get_by_role("link", name="07700 900456").is_visible()
    assert_accessible(page)
