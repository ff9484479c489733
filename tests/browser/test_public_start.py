"""A member of the public lands on the start page at /, reports a concern, and later checks its
status with the reference and status code they were given. Every page is checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_start_page_and_the_status_lookup_are_accessible(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Report a concern about a child")).to_be_visible()
    expect(page.get_by_text("If a child is in immediate danger, call 999 now.")).to_be_visible()
    assert_accessible(page)

    # The lookup with nothing typed is refused beside the fields.
    page.get_by_role("button", name="Check status").click()
    expect(page.get_by_text("Enter the status code you were given").first).to_be_visible()
    assert_accessible(page)

    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Something I have seen or heard").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("What did you see or hear?").fill("A car waits outside the school.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send report").click()
    reference = page.locator(".govuk-panel__body strong").inner_text()
    code = page.get_by_test_id("status-code").inner_text()
    assert_accessible(page)

    page.goto("/")
    page.get_by_label("Your reference").fill(reference)
    page.get_by_label("Status code").fill(code)
    page.get_by_role("button", name="Check status").click()
    expect(page.get_by_test_id("plain-status")).to_have_text("Received: waiting to be looked at")
    assert_accessible(page)
