"""An analyst grades a submission C and shares it with two agencies; a third agency's
practitioner opens the meeting and the minutes and sees nothing of it; a practitioner of a
sharing agency reads it with its C marking (issue 26). Every page is checked with axe-core."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from lantern.accounts.models import AgencyKind
from lantern.accounts.roles import Role
from lantern.core.testing import TEST_PASSWORD, AgencyFactory, make_user
from lantern.intake.tests.factories import make_submission
from lantern.tasking import services
from tests.browser.conftest import assert_accessible, sign_in_through_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUMMARY = "Older males collect a girl from the children's home at night."
CONDITIONS = "Share with CSC and Health only"


def with_device(user):
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def test_a_third_agency_sees_nothing_of_a_c_item_shared_with_two(page, browser, live_server):
    police = AgencyFactory(name="Northmere Police", kind=AgencyKind.POLICE)
    csc = AgencyFactory(
        name="Northmere Children's Social Care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE
    )
    health = AgencyFactory(name="Northmere Health", kind=AgencyKind.HEALTH)
    licensing = AgencyFactory(name="Northmere Licensing", kind=AgencyKind.LICENSING)
    analyst = with_device(make_user(Role.POLICE_INTELLIGENCE, agency=police, username="ana"))
    chair = make_user(Role.POLICE_SUPERVISOR, agency=police, username="chair")
    licensing_officer = with_device(
        make_user(Role.PARTNER_PRACTITIONER, agency=licensing, username="lic")
    )
    nurse = with_device(make_user(Role.PARTNER_PRACTITIONER, agency=health, username="nurse"))
    today = timezone.localdate()
    series = services.create_series(
        chair,
        name="Northmere Tasking Group",
        meeting_type="tasking_group",
        first_meeting_on=today,
        chair=chair,
        member_agencies=[police, csc, health, licensing],
    )
    services.generate_meetings(chair, series, until=today)
    meeting = series.meetings.get()
    submission = make_submission(narrative="A girl is collected from the home late at night.")

    sign_in_through_the_page(page, analyst, TEST_PASSWORD)
    page.goto(f"/intake/{submission.reference}/")
    page.get_by_role("link", name="Assign").click()
    page.get_by_role("button", name="Assign").click()
    page.get_by_role("link", name="Grade").click()
    page.get_by_label("2 – Untested").check()
    page.get_by_label("B – Known indirectly to the source but corroborated").check()
    page.get_by_label("C – Lawful sharing permitted with conditions").check()
    page.get_by_label("Handling conditions").fill(CONDITIONS)
    page.get_by_label("Partner-safe summary").fill(SUMMARY)
    page.get_by_role("button", name="Grade").click()
    page.get_by_role("link", name="Decide").click()
    page.get_by_label("To the tasking group").check()
    page.get_by_label("Northmere Children's Social Care").check()
    page.get_by_label("Northmere Health").check()
    assert_accessible(page)
    page.get_by_role("button", name="Decide").click()
    services.build_agenda(chair, meeting, now=timezone.now())
    assert meeting.items.filter(handling_code="C").count() == 1

    context = browser.new_context(base_url=live_server.url)
    outsider = context.new_page()
    sign_in_through_the_page(outsider, licensing_officer, TEST_PASSWORD)
    outsider.goto(f"/tasking/meetings/{meeting.pk}/")
    expect(outsider.get_by_role("heading", name="Agenda")).to_be_visible()
    assert SUMMARY not in outsider.content()
    assert submission.reference not in outsider.content()
    assert_accessible(outsider)
    # The agenda shows it no item, so no minutes link either; the address still gives only
    # its own agency's copy.
    expect(outsider.get_by_text("There are no items on this agenda yet.")).to_be_visible()
    outsider.goto(f"/tasking/meetings/{meeting.pk}/minutes/")
    expect(outsider.get_by_test_id("prepared-for")).to_have_text("Northmere Licensing")
    assert SUMMARY not in outsider.content()
    assert submission.reference not in outsider.content()
    assert_accessible(outsider)
    context.close()

    context = browser.new_context(base_url=live_server.url)
    insider = context.new_page()
    sign_in_through_the_page(insider, nurse, TEST_PASSWORD)
    insider.goto(f"/tasking/meetings/{meeting.pk}/minutes/")
    expect(insider.get_by_text(SUMMARY)).to_be_visible()
    expect(insider.get_by_text(f"Handling code C: {CONDITIONS}")).to_be_visible()
    assert_accessible(insider)
    context.close()
