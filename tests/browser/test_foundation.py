"""A person signs in with a code, gets locked out after wrong passwords, and an administrator
adds a user, correcting a mistake the form points out. Every page is checked with axe-core."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from lantern.accounts.models import User
from lantern.accounts.roles import Role
from lantern.core.testing import TEST_PASSWORD, AgencyFactory, make_user
from tests.browser.conftest import (
    assert_accessible,
    code_for,
    current_code,
    go_to,
    sign_in_through_the_page,
)


def at_home(url: str) -> bool:
    return urlsplit(url).path == "/"


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_analyst_signs_in_with_a_code_and_sees_their_home_page(page, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong-code delay is tested in accounts
    user = make_user(Role.POLICE_INTELLIGENCE, username="casey", full_name="Casey Analyst")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    page.goto("/sign-in/")
    assert_accessible(page)
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/sign-in/code/**")
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("The code is not right").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app").fill(current_code(user))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(at_home)
    expect(page.get_by_role("heading", name="Hello, Casey Analyst")).to_be_visible()
    expect(page.get_by_text("Police intelligence officer or analyst")).to_be_visible()
    assert_accessible(page)


def test_a_new_social_worker_sets_up_an_authenticator_app(page):
    user = make_user(Role.CSE_SOCIAL_WORKER, username="sam")
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/set-up-authenticator/**")
    expect(page.locator("svg").first).to_be_visible()
    assert_accessible(page)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("Code from your authenticator app").fill(code_for(device))
    page.get_by_role("button", name="Confirm and sign in").click()
    page.wait_for_url(at_home)
    expect(page.get_by_text("Your authenticator app is set up")).to_be_visible()
    assert TOTPDevice.objects.get(user=user).confirmed


def test_too_many_wrong_passwords_lock_the_account_and_say_when(page, settings):
    make_user(Role.BOARD_MEMBER, username="bo")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto("/sign-in/")
        page.get_by_label("Username").fill("bo")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your account is locked")).to_be_visible()
    assert "You can try again after" in page.get_by_test_id("retry-at").inner_text()
    assert_accessible(page)


def test_an_administrator_adds_a_user_after_fixing_a_mistake(page):
    admin = make_user(Role.ADMINISTRATOR, username="root")
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    AgencyFactory(name="Northmere Youth Service")
    sign_in_through_the_page(page, admin, TEST_PASSWORD)
    go_to(page, "Administration", "Users")
    assert_accessible(page)
    page.get_by_role("button", name="Add a user").click()
    page.get_by_label("Full name").fill("Jo Worker")
    page.get_by_label("Username").fill("jo.worker")
    page.get_by_label("Email address").fill("not an email")
    page.get_by_label("Partner practitioner").check()
    page.get_by_role("button", name="Add user").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert "Enter an email address in the correct format" in summary.inner_text()
    assert page.get_by_label("Full name").input_value() == "Jo Worker"
    assert_accessible(page)
    page.get_by_label("Email address").fill("jo.worker@example.org")
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_text("An invitation has been sent to jo.worker@example.org")).to_be_visible()
    assert User.objects.get(username="jo.worker").role_codes == {Role.PARTNER_PRACTITIONER}
    assert_accessible(page)


def test_an_invited_person_chooses_a_password_and_sets_up_an_authenticator(browser, page):
    admin = make_user(Role.ADMINISTRATOR, username="root")
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    sign_in_through_the_page(page, admin, TEST_PASSWORD)
    page.goto("/manage/users/new/")
    page.get_by_label("Full name").fill("Sam Newstarter")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Email address").fill("sam@example.org")
    page.get_by_label("Partner practitioner").check()
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_text("An invitation has been sent")).to_be_visible()
    link = re.search(r"https?://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)

    invited = browser.new_context().new_page()
    invited.goto(link)
    assert_accessible(invited)
    invited.get_by_role("button", name="Continue").click()
    expect(invited.locator(".govuk-error-summary")).to_contain_text("Enter a password")
    assert_accessible(invited)
    invited.get_by_label("Create a password").fill("lantern-river-bicycle-71")
    invited.get_by_label("Type the password again").fill("lantern-river-bicycle-71")
    invited.get_by_role("button", name="Continue").click()
    expect(invited.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    device = TOTPDevice.objects.get(user__username="sam", confirmed=False)
    invited.get_by_label("Code from your authenticator app").fill(code_for(device))
    invited.get_by_role("button", name="Confirm and sign in").click()
    expect(invited.get_by_text("Your authenticator app is set up")).to_be_visible()
    invited.goto(link)
    expect(invited.get_by_test_id("invitation-problem")).to_contain_text("already been used")
    assert_accessible(invited)
    invited.context.close()


def test_every_administration_page_passes_axe(page):
    admin = make_user(Role.ADMINISTRATOR, username="root")
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    agency = AgencyFactory(name="Northmere Youth Service")
    other = make_user(Role.PARTNER_PRACTITIONER, agency=agency, username="jo")
    TOTPDevice.objects.create(user=other, name="phone", confirmed=True)
    team = agency.teams.create(name="Detached youth work")
    sign_in_through_the_page(page, admin, TEST_PASSWORD)
    for path in [
        "/manage/agencies/",
        "/manage/agencies/new/",
        f"/manage/agencies/{agency.pk}/",
        f"/manage/agencies/{agency.pk}/archive/",
        f"/manage/agencies/{agency.pk}/teams/new/",
        f"/manage/teams/{team.pk}/",
        f"/manage/users/{other.pk}/",
        f"/manage/users/{other.pk}/reset-second-factor/",
        "/audit/",
        f"/audit/record/accounts.user/{other.pk}/",
        "/no-such-page/",
    ]:
        page.goto(path)
        assert_accessible(page)
    page.goto(f"/manage/agencies/{agency.pk}/archive/")
    page.get_by_role("button", name="Archive agency").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_a_partner_sees_the_forbidden_page_in_the_same_design(page):
    partner = make_user(Role.PARTNER_PRACTITIONER, username="jo")
    TOTPDevice.objects.create(user=partner, name="phone", confirmed=True)
    sign_in_through_the_page(page, partner, TEST_PASSWORD)
    response = page.goto("/manage/users/")
    assert response.status == 403
    expect(page.locator("header").first).to_be_visible()
    assert_accessible(page)


def test_an_administrator_sees_a_failed_periodic_job_on_the_health_page(page):
    from django.utils import timezone

    from lantern.core.models import JobRun

    admin = make_user(Role.ADMINISTRATOR, username="root")
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    now = timezone.now()
    JobRun.objects.create(
        name="intake-councillor-digest",
        last_started_at=now,
        last_failed_at=now,
        last_error="IntegrityError: duplicate key",
        last_summary="failed: IntegrityError: duplicate key",
        failures_in_a_row=1,
    )
    sign_in_through_the_page(page, admin, TEST_PASSWORD)
    go_to(page, "Administration", "System health")
    expect(page.locator(".govuk-error-summary")).to_contain_text("intake-councillor-digest")
    expect(page.locator("#job-intake-councillor-digest")).to_contain_text("Failed")
    assert_accessible(page)
