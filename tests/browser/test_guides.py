"""A person opens Help from their home page and reads their role's guide; axe-core checks it."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from lantern.accounts.roles import Role
from lantern.core.testing import TEST_PASSWORD, make_user
from tests.browser.conftest import assert_accessible, sign_in_through_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_tasking_chair_opens_their_guide_from_home_and_it_is_accessible(page, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = make_user(Role.POLICE_SUPERVISOR, username="chair", full_name="Tasking Chair")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    sign_in_through_the_page(page, user, TEST_PASSWORD)

    page.get_by_role("link", name="Help: Tasking chair guide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tasking chair guide")
    expect(page.get_by_role("heading", name="Before the meeting: build the agenda")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="All guides").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Help")
    assert_accessible(page)
