"""A partnership manager imports a delivery plan, rates an action amber with evidence, publishes
a version and opens the plan on a page; a board member reads it. Every page is checked with
axe-core."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from lantern.accounts.roles import Role
from lantern.core.testing import TEST_PASSWORD, make_user
from lantern.plans import services, versions
from lantern.plans.models import Brag, DeliveryAction, PlanVersion
from lantern.plans.tests.plan_data import build_plan
from lantern.plans.tests.test_spreadsheets import GOOD_ROWS, as_csv
from tests.browser.conftest import assert_accessible, go_to, sign_in_through_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def manager():
    user = make_user(Role.PARTNERSHIP_MANAGER, username="pat", full_name="Pat Manager")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def test_a_manager_imports_rates_publishes_and_opens_the_plan_on_a_page(page, settings, tmp_path):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    sign_in_through_the_page(page, manager(), TEST_PASSWORD)
    go_to(page, "Performance", "Delivery plan")
    assert_accessible(page)
    page.get_by_role("button", name="Create a strategy").click()
    page.get_by_label("Name").fill("Northmere test plan 2025-28")
    page.get_by_label("First year").fill("2025")
    page.get_by_label("Last year").fill("2028")
    page.get_by_label("Governance").fill("Owned by the delivery group")
    page.get_by_role("button", name="Create strategy").click()
    expect(page.get_by_text("has been created with six priorities")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Import from a spreadsheet").click()
    bad = [list(r) for r in GOOD_ROWS]
    bad[1][7] = "purple"
    page.get_by_label("Upload a spreadsheet").set_input_files(
        files=[{"name": "plan.csv", "mimeType": "text/csv", "buffer": as_csv(bad)}]
    )
    page.get_by_role("button", name="Import plan").click()
    expect(page.get_by_role("link", name="Row 3: status “purple”")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Upload a spreadsheet").set_input_files(
        files=[{"name": "plan.csv", "mimeType": "text/csv", "buffer": as_csv(GOOD_ROWS)}]
    )
    page.get_by_role("button", name="Import plan").click()
    expect(page.get_by_text("The plan has been imported")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Audit risk assessments").click()
    page.get_by_label("Amber: at risk").check()
    page.get_by_label("Evidence of progress").fill("Auditors start late: two of four audits done")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_text("Your update has been saved")).to_be_visible()
    expect(page.get_by_role("cell", name="Not rated to Amber")).to_be_visible()
    assert_accessible(page)
    assert DeliveryAction.objects.get(text="Audit risk assessments").brag == Brag.AMBER

    page.get_by_role("link", name="Back to the delivery plan").click()
    page.get_by_role("link", name="Versions").click()
    assert_accessible(page)
    page.get_by_role("button", name="Publish a version").click()
    assert_accessible(page)
    page.get_by_label("What does this version change?").fill(
        "Imported plan with first BRAG ratings"
    )
    page.get_by_role("button", name="Publish version").click()
    expect(page.get_by_text("Version 1.0 has been published")).to_be_visible()
    assert PlanVersion.objects.get().comment == "Imported plan with first BRAG ratings"

    page.get_by_role("link", name="Plan on a page").click()
    expect(page.get_by_role("heading", name="Governance")).to_be_visible()
    expect(page.get_by_text("latest published version 1.0")).to_be_visible()
    expect(page.get_by_role("heading", name="Overdue actions")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_every_plan_page_is_accessible(page, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    user = manager()
    plan = build_plan()
    services.save_recommendation(
        "pm", plan.strategy, source="Independent review", reference="recommendation 3", text="x"
    )
    older = versions.publish_version("pm", plan.strategy, comment="First")
    services.record_progress("pm", plan.campaign, expected_version=1, brag="red", evidence="Late")
    newer = versions.publish_version("pm", plan.strategy, comment="Second")
    sign_in_through_the_page(page, user, TEST_PASSWORD)
    pk = plan.strategy.pk
    for path in [
        f"/plans/{pk}/",
        f"/plans/{pk}/?brag=red&overdue=1",
        f"/plans/{pk}/edit/",
        f"/plans/{pk}/priorities/new/",
        f"/plans/priorities/{plan.prevent.pk}/",
        f"/plans/{pk}/objectives/new/",
        f"/plans/objectives/{plan.first.pk}/",
        f"/plans/{pk}/actions/new/",
        f"/plans/actions/{plan.campaign.pk}/",
        f"/plans/actions/{plan.campaign.pk}/edit/",
        f"/plans/actions/{plan.campaign.pk}/withdraw/",
        f"/plans/{pk}/lead-officers/",
        f"/plans/lead-officers/{plan.lead.pk}/",
        f"/plans/{pk}/recommendations/",
        f"/plans/{pk}/recommendations/new/",
        f"/plans/{pk}/versions/",
        f"/plans/versions/{older.pk}/",
        f"/plans/{pk}/versions/compare/?older={older.pk}&newer={newer.pk}",
        f"/plans/{pk}/versions/compare/?older=",
        "/plans/my-actions/",
    ]:
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page)
    page.goto(f"/plans/{pk}/objectives/new/")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Enter the objective's number, like 2.3")).to_be_visible()
    assert_accessible(page)


def test_a_board_member_reads_the_plan_on_a_page(page):
    plan = build_plan()
    make_user(Role.BOARD_MEMBER, username="bea")
    from lantern.accounts.models import User

    sign_in_through_the_page(page, User.objects.get(username="bea"), TEST_PASSWORD)
    page.goto(f"/plans/{plan.strategy.pk}/plan-on-a-page/")
    expect(page.get_by_role("heading", name=plan.strategy.name)).to_be_visible()
    assert page.get_by_role("button", name="Publish a version").count() == 0
    assert_accessible(page)
    page.goto(f"/plans/actions/{plan.campaign.pk}/")
    assert page.get_by_role("button", name="Save update").count() == 0
    assert_accessible(page)
