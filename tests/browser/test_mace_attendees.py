"""The MACE chair records a child's discussion at the meeting the child is on the agenda of:
attendees ticked from the series' members, a guest named, and the minutes show the agreed
level and who attended. Every page is checked with axe-core (issue 26)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lantern.accounts.models import AgencyKind
from lantern.accounts.roles import Role
from lantern.children.tests import factories as f
from lantern.core.testing import TEST_PASSWORD, AgencyFactory, make_user
from lantern.tasking import services as tasking
from lantern.tasking.models import MeetingType
from tests.browser.conftest import assert_accessible, sign_in_through_the_page
from tests.browser.test_conditions import with_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_chair_ticks_attendees_and_the_minutes_show_them(page):
    today = timezone.localdate()
    health = AgencyFactory(name="Test health", kind=AgencyKind.HEALTH)
    social_care = AgencyFactory(name="Test social care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    chair = with_device(
        make_user(Role.MACE_CHAIR, agency=social_care, username="mchair", full_name="Casey Chair")
    )
    nurse = make_user(Role.PARTNER_PRACTITIONER, agency=health, full_name="Nia Nurse")
    series = tasking.create_series(
        chair,
        name="Northmere MACE",
        meeting_type=MeetingType.MACE,
        first_meeting_on=today,
        chair=chair,
        member_agencies=[health, social_care],
    )
    series.members.add(nurse, chair)
    tasking.generate_meetings(chair, series, until=today)
    meeting = series.meetings.get()
    child = f.make_child(by=chair, first_name="Robin")
    f.make_mace(child, held_on=today - timedelta(days=30), review_on=today - timedelta(days=1))
    tasking.build_agenda(chair, meeting, now=timezone.now())

    sign_in_through_the_page(page, chair, TEST_PASSWORD)
    page.goto(f"/tasking/items/{meeting.items.get().pk}/")
    page.get_by_role("link", name="Open the record this item came from").click()
    page.get_by_role("link", name=f"Record the discussion at {meeting}").click()
    assert_accessible(page)
    page.get_by_label("Chair", exact=True).select_option(label="Casey Chair")
    page.get_by_label("Nia Nurse").check()
    page.get_by_label("Guests (optional)").fill("Jo Guest, youth service")
    page.get_by_label("Attendee 1: name").fill("Nia Nurse")
    page.get_by_label("Attendee 1: agency").fill("Test health")
    page.get_by_label("Attendee 1: opinion of the risk").select_option("high")
    page.get_by_role("radio", name="High").check()
    page.get_by_role("button", name="Save discussion").click()
    assert page.get_by_test_id("agreed-level").inner_text() == "High"

    page.goto(f"/tasking/meetings/{meeting.pk}/minutes/")
    expect(page.get_by_text("Level agreed")).to_be_visible()
    expect(page.get_by_text("Nia Nurse; Jo Guest, youth service")).to_be_visible()
    assert_accessible(page)
