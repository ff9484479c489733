"""A partner enters their agency's figures (correcting a mistake the page points out), the
performance officer publishes the quarter, and a board member sees the dashboard with small
numbers withheld. Every page is checked with axe-core."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from lantern.accounts.roles import Role
from lantern.core.periods import quarter_of
from lantern.core.testing import TEST_PASSWORD, AgencyFactory, make_user
from lantern.performance import services
from lantern.performance.models import Measure
from tests.browser.conftest import assert_accessible, go_to, sign_in_through_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def with_authenticator(user):
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def test_a_partner_enters_figures_the_officer_publishes_and_the_board_sees_them(page, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    period = quarter_of(timezone.localdate()).previous()
    youth = AgencyFactory(name="Northmere Youth Service", kind="youth_service")
    boys = Measure.objects.create(
        code="protect-referred-boys",
        name="Young people referred: boys",
        priority="protect",
        section="Youth project",
        owner=youth,
    )
    girls = Measure.objects.create(
        code="protect-referred-girls",
        name="Young people referred: girls",
        priority="protect",
        section="Youth project",
        owner=youth,
    )
    total = Measure.objects.create(
        code="protect-referred",
        name="Young people referred",
        priority="protect",
        section="Youth project",
        kind="imported",
    )
    total.components.set([boys, girls])
    partner = with_authenticator(make_user(Role.PARTNER_PRACTITIONER, agency=youth, username="pat"))
    officer = with_authenticator(make_user(Role.PERFORMANCE_OFFICER, username="perry"))
    board = make_user(Role.BOARD_MEMBER, username="bea")
    services.request_figures(officer, agency=youth, period=period, due_on=None, now=timezone.now())

    sign_in_through_the_page(page, partner, TEST_PASSWORD)
    page.goto("/performance/figures/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Figures for {period}").click()
    assert_accessible(page)
    page.get_by_label("Young people referred: boys", exact=True).fill("-3")
    page.get_by_label("Young people referred: girls", exact=True).fill("27")
    page.get_by_role("button", name="Save figures").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(
        page.get_by_role("link", name="Young people referred: boys: The figure cannot be negative")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Young people referred: boys", exact=True).fill("3")
    page.get_by_role("button", name="Save figures").click()
    expect(page.get_by_text(f"figures for {period} have been saved")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in_through_the_page(page, officer, TEST_PASSWORD)
    page.goto(f"/performance/data-summary/?period={period}")
    expect(page.get_by_role("cell", name="30").first).to_be_visible()
    assert_accessible(page)
    page.goto("/performance/publish/")
    assert_accessible(page)
    page.get_by_label("Quarter").fill(str(period))
    page.get_by_role("button", name="Continue").click()
    # What is missing is shown before anything is published.
    expect(page.get_by_role("heading", name="Check before you publish")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="publish").click()
    expect(page.get_by_text(f"The data summary for {period} has been published")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    sign_in_through_the_page(page, board, TEST_PASSWORD)
    page.goto("/performance/")
    assert_accessible(page)
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="Protect").click()
    # Only this test's rows: Protect also holds the measures computed from children's records.
    rows = page.locator("tr", has_text="Young people referred")
    figures = rows.get_by_test_id("figure").all_inner_texts()
    assert sorted(figures) == ["30", "<5", "[c]"]
    assert rows.locator("svg.lantern-sparkline").count() == 3
    assert_accessible(page)


def test_the_board_sees_the_profile_with_small_counts_withheld_and_the_police_see_the_briefing(
    page, settings
):
    from datetime import datetime

    from lantern.children.tests.factories import make_assessment, make_nominal
    from lantern.core.models import Ward
    from lantern.intake.tests.factories import make_submission
    from lantern.risk.levels import RiskLevel

    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    quarter = quarter_of(timezone.localdate()).previous()
    reported = timezone.make_aware(datetime.combine(quarter.start, datetime.min.time()))
    abbeyfield = Ward.objects.create(name="Abbeyfield", code="E0001")
    brackenside = Ward.objects.create(name="Brackenside", code="E0002")
    for place in ["Bus shelter on Long Lane", "Car park behind the leisure centre",
                  "Alley by the chip shop", "Canal towpath under the bridge",
                  "Garages on Elm Row", "Playing field on Moor Road"]:  # fmt: skip
        make_submission(location=place, ward_id=abbeyfield.pk, now=reported)
    make_submission(location="Side door of the arcade", ward_id=brackenside.pk, now=reported)
    officer = with_authenticator(make_user(Role.POLICE_SUPERVISOR, username="pol"))
    nominal = make_nominal(officer)
    make_assessment(nominal=nominal, level=RiskLevel.HIGH, on=quarter.start)
    board = make_user(Role.BOARD_MEMBER, username="bea")

    sign_in_through_the_page(page, board, TEST_PASSWORD)
    page.goto(f"/performance/problem-profile/?period={quarter}")
    wards = page.locator("table", has_text="Brackenside")
    expect(wards.locator("tr", has_text="Brackenside")).to_contain_text("<5")
    expect(wards.locator("tr", has_text="Abbeyfield")).to_contain_text("[c]")
    assert_accessible(page)
    response = page.goto("/performance/briefing/")
    assert response.status == 403
    page.goto("/")
    page.get_by_role("button", name="Sign out").click()

    sign_in_through_the_page(page, officer, TEST_PASSWORD)
    page.goto(f"/performance/problem-profile/?period={quarter}")
    wards = page.locator("table", has_text="Brackenside")
    expect(wards.locator("tr", has_text="Abbeyfield")).to_contain_text("85.7%")
    assert_accessible(page)
    go_to(page, "Performance", "Briefing")
    page.get_by_label("Month").fill(quarter.start.strftime("%Y-%m"))
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("cell", name=nominal.name)).to_be_visible()
    expect(page.get_by_text("Operations narrative")).to_be_visible()
    assert_accessible(page)
