"""A scrutiny member reads the one-page scrutiny summary; a member of the public, not signed
in, opens the published plan on a page and a published data summary. axe-core on each page."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from lantern.accounts.roles import Role
from lantern.core.periods import Period
from lantern.core.testing import TEST_PASSWORD, make_user
from lantern.performance import services
from lantern.performance.models import Measure, MeasureValue
from tests.browser.conftest import assert_accessible, sign_in_through_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Q2 = Period.parse("2014/15-Q2")
DECEMBER_2014 = datetime(2014, 12, 1, 10, 0, tzinfo=UTC)


def _published_quarter():
    trained = Measure.objects.create(
        code="prevent-staff-trained",
        name="Staff trained",
        priority="prevent",
        section="Training",
        polarity="up",
        target=30,
        caveat="Fewer courses run over the summer.",
    )
    for period, value in (("2014/15-Q1", 35), ("2014/15-Q2", 22)):
        MeasureValue.objects.create(
            measure=trained, period=period, value=value, updated_at=DECEMBER_2014
        )
    services.publish_report(
        make_user(Role.PERFORMANCE_OFFICER), Q2, now=DECEMBER_2014, accept_gaps=True
    )


def _published_plan():
    from lantern.plans import services as plans
    from lantern.plans import versions

    strategy = plans.create_strategy(
        "test", name="Northmere plan 2014-17", start_year=2014, end_year=2017
    )
    objective = plans.save_objective(
        "test", strategy, priority=strategy.priorities.first(), ref="1.1", title="Lead well"
    )
    plans.create_action(
        "test", objective, text="Agree the missing protocol", lead=None, due=date(2014, 8, 1)
    )
    versions.publish_version("test", strategy, comment="First published version")
    return strategy


def test_a_scrutiny_member_reads_the_one_page_summary(page):
    _published_quarter()
    _published_plan()
    member = make_user(Role.SCRUTINY_MEMBER, username="sam")

    sign_in_through_the_page(page, member, TEST_PASSWORD)
    page.goto("/performance/")
    page.get_by_role("link", name="One-page scrutiny summary").click()
    page.get_by_label("Quarter").fill("2014/15-Q2")
    page.get_by_role("button", name="Show").click()

    expect(
        page.get_by_role("heading", name="Scrutiny summary: 2014/15 Q2 (end of September)")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Exceptions against targets (1)")).to_be_visible()
    expect(page.get_by_text("Agree the missing protocol")).to_be_visible()
    expect(page.get_by_text("Fewer courses run over the summer.")).to_be_visible()
    assert_accessible(page)


def test_a_member_of_the_public_opens_the_published_plan_on_a_page(page):
    strategy = _published_plan()
    _published_quarter()

    page.goto("/plans/public/")
    assert_accessible(page)
    page.get_by_role("link", name="Northmere plan 2014-17").click()
    expect(page.get_by_role("heading", name="Northmere plan 2014-17")).to_be_visible()
    expect(page.get_by_text("Content hash (SHA-256)")).to_be_visible()
    assert page.url.endswith(f"/plans/public/{strategy.pk}/")
    assert_accessible(page)

    page.goto("/performance/public/")
    page.get_by_role("link", name="Data summary 2014/15-Q2").click()
    expect(page.get_by_role("heading", name="Data summary 2014/15-Q2")).to_be_visible()
    assert_accessible(page)
