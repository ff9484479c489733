"""A member of the public tells us about a specific child: who the child is (each question
optional), checked before sending; a CSE social worker then sees it in the social care queue
and checks the child records by hand. Every page is checked with axe-core (issue 26)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lantern.accounts.roles import Role
from lantern.children.tests.factories import make_child
from lantern.core.testing import TEST_PASSWORD, make_user
from tests.browser.conftest import assert_accessible, sign_in_through_the_page
from tests.browser.test_conditions import with_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_reporter_names_the_child_and_social_care_checks_the_records(
    page, browser, live_server
):
    page.goto("/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("A specific child I am worried about").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("group", name="About the child")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("What did you see or hear?").fill("She is picked up by older men.")
    page.get_by_label("The child's name").fill("Robin Testchild")
    page.get_by_label("How old they are").fill("about 14")
    page.get_by_label("Their school or college").fill("Northmere Academy")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="About the child")).to_be_visible()
    expect(page.get_by_text("Robin Testchild")).to_be_visible()
    expect(page.get_by_text("You do not know").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send report").click()
    reference = page.locator(".govuk-panel__body strong").inner_text()

    worker = with_device(make_user(Role.CSE_SOCIAL_WORKER, username="csw"))
    match = make_child(by=worker, first_name="Robin", last_name="Testchild")
    staff = browser.new_context(base_url=live_server.url).new_page()
    sign_in_through_the_page(staff, worker, TEST_PASSWORD)
    staff.goto("/intake/social-care/")
    row = staff.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Robin Testchild")
    expect(row).to_contain_text("Northmere Academy")
    assert_accessible(staff)

    staff.goto("/intake/social-care/?show=nonsense")
    expect(staff.get_by_text("Choose which referrals to show from the list").first).to_be_visible()
    assert_accessible(staff)

    staff.goto("/intake/social-care/")
    staff.get_by_role("link", name=f"Check child records ({reference})").click()
    expect(staff.get_by_role("cell", name=match.reference, exact=True)).to_be_visible()
    assert_accessible(staff)
    staff.get_by_role("link", name=f"Link this child ({match.reference})").click()
    expect(staff.get_by_label("Child's record")).to_have_value(match.reference)
    assert_accessible(staff)
    staff.get_by_role("button", name="Record as a contact").click()
    expect(staff.get_by_text(f"recorded on {match.reference}")).to_be_visible()
