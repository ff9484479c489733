"""A social worker assesses a child, MACE agrees a higher level, the child is allocated a
specialist and referred to services, and the risk chart shows both levels. Every page is
checked with axe-core."""

from __future__ import annotations

from datetime import date

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from lantern.accounts.roles import Role
from lantern.children.models import Child, ServiceReferral
from lantern.children.tests import factories as f
from lantern.core.testing import TEST_PASSWORD, make_user
from tests.browser.conftest import assert_accessible, go_to, sign_in_through_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_assessment_mace_allocation_referral_and_the_risk_chart(page):
    worker = make_user(Role.CSE_SOCIAL_WORKER, username="sw", full_name="Sam Worker")
    TOTPDevice.objects.create(user=worker, name="phone", confirmed=True)
    make_user(Role.MACE_CHAIR, username="chair", full_name="Chris Chair")
    specialist = make_user(Role.CSE_SOCIAL_WORKER, username="spec", full_name="Pat Specialist")
    child = f.make_child(by=worker, first_name="Robin", last_name="Example", dob=date(2011, 6, 1))

    sign_in_through_the_page(page, worker, TEST_PASSWORD)
    go_to(page, "Children", "Children")
    assert_accessible(page)
    page.get_by_role("link", name="Robin Example").click()
    assert_accessible(page)

    # The social worker assesses the child with the screening checklist: medium.
    page.get_by_role("link", name="Assess risk").click()
    assert_accessible(page)
    page.get_by_role("link", name="CSE screening checklist").click()
    # Saving with nothing recorded is refused: a blank assessment is not "no apparent risk".
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("nothing has been recorded yet").first).to_be_visible()
    assert_accessible(page)
    for absent in page.get_by_label("Absent", exact=True).all():
        absent.check()
    page.get_by_role("group", name="Going missing from home or from care").get_by_label(
        "Present"
    ).check()
    page.get_by_label("Evidence: Going missing from home or from care").fill(
        "Missing three times this month"
    )
    page.get_by_role("group", name="Pulling away from family and usual friends").get_by_label(
        "Present"
    ).check()
    page.get_by_role("button", name="Save assessment").click()
    # A ticked sign without evidence is pointed out, and nothing is lost.
    expect(page.get_by_text("Enter the evidence for").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Evidence: Pulling away from family and usual friends").fill(
        "Mother says she no longer talks to them"
    )
    page.get_by_role("button", name="Save assessment").click()
    assert page.get_by_test_id("computed-level").inner_text() == "Medium"
    assert_accessible(page)

    # MACE: three opinions, agreed high.
    page.get_by_role("link", name="Back to Robin Example").click()
    page.get_by_role("link", name="Record a MACE discussion").click()
    assert_accessible(page)
    page.get_by_label("Chair").select_option(label="Chris Chair")
    for row, (name, agency, level) in enumerate(
        [
            ("Nurse A", "Health", "medium"),
            ("Sergeant B", "Police", "high"),
            ("Teacher C", "School", "high"),
        ],
        start=1,
    ):
        page.get_by_label(f"Attendee {row}: name").fill(name)
        page.get_by_label(f"Attendee {row}: agency").fill(agency)
        page.get_by_label(f"Attendee {row}: opinion of the risk").select_option(level)
    page.get_by_role("radio", name="High").check()
    page.get_by_role("button", name="Save discussion").click()
    assert page.get_by_test_id("agreed-level").inner_text() == "High"
    assert_accessible(page)

    # The suggested outcomes are ticked; the chair picks the specialist and records them.
    assert page.get_by_label("Allocate a specialist CSE social worker").is_checked()
    page.get_by_label("Refer to the drugs and alcohol service").uncheck()
    page.get_by_label("Specialist CSE social worker to allocate").select_option(
        label="Pat Specialist"
    )
    page.get_by_role("button", name="Record outcomes").click()

    # Back on the child's page: allocated, referred, and both levels on the chart.
    assert "Pat Specialist" in page.get_by_test_id("allocations").inner_text()
    assert page.get_by_test_id("chart-point").count() == 2
    table = page.get_by_test_id("risk-table").inner_text()
    assert "Medium" in table and "High" in table
    assert page.get_by_test_id("current-level").inner_text().startswith("High")
    assert_accessible(page)
    assert set(ServiceReferral.objects.values_list("service__code", flat=True)) == {
        "sexual-health",
        "camhs",
    }
    assert Child.objects.get(pk=child.pk).allocations.filter(worker=specialist).exists()


def test_a_colleague_breaks_glass_on_a_restricted_record_with_a_reason(page):
    owner = make_user(Role.CSE_SOCIAL_WORKER, username="owner")
    colleague = make_user(Role.MACE_CHAIR, username="colleague")
    TOTPDevice.objects.create(user=colleague, name="phone", confirmed=True)
    child = f.make_child(by=owner, first_name="Quinn", last_name="Private", restricted=True)

    sign_in_through_the_page(page, colleague, TEST_PASSWORD)
    page.goto(f"/children/{child.pk}/")
    expect(page.get_by_role("heading", name="Restricted record")).to_be_visible()
    assert "Quinn" not in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_text("Enter why you need to open this record").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why do you need to open this record?").fill("Out-of-hours missing call")
    page.get_by_role("button", name="Open the record").click()
    expect(page.get_by_role("heading", name="Quinn Private")).to_be_visible()
    assert_accessible(page)


def test_an_administrator_authors_and_publishes_a_new_tool_version(page):
    admin = make_user(Role.ADMINISTRATOR, username="admin1", full_name="Ada Admin")
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    current = f.active_version("cse-screening")

    sign_in_through_the_page(page, admin, TEST_PASSWORD)
    page.goto("/risk/tools/")
    assert_accessible(page)
    page.get_by_role("button", name="New draft of CSE screening checklist").click()
    expect(page.get_by_role("heading", name=f"version {current.number + 1}")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add an indicator to").first.click()
    assert_accessible(page)
    page.get_by_label("Indicator", exact=True).fill("Sudden new phone with unknown contacts")
    page.get_by_label("Weight").fill("3")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("cell", name="Sudden new phone with unknown contacts", exact=True)
    ).to_be_visible()

    page.get_by_role("link", name="Change the scoring bands").click()
    page.get_by_label("High: from score").fill("20")  # leaves a gap after medium
    page.get_by_role("button", name="Save bands").click()
    expect(page.get_by_text("have no band").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("High: from score").fill(
        str(int(page.get_by_label("Medium: to score (blank for no upper limit)").input_value()) + 1)
    )
    page.get_by_role("button", name="Save bands").click()
    expect(page.get_by_text("The scoring bands have been saved.")).to_be_visible()

    page.get_by_role("link", name="Publish this version").click()
    assert_accessible(page)
    page.get_by_role("button", name=f"Publish version {current.number + 1}").click()
    expect(page.get_by_text(f"version {current.number} is retired")).to_be_visible()
    assert_accessible(page)
    current.refresh_from_db()
    assert current.status == "retired"


def test_the_named_approver_approves_an_override_from_their_home_page(page):
    chair = make_user(Role.MACE_CHAIR, username="chair2", full_name="Chris Chair")
    TOTPDevice.objects.create(user=chair, name="phone", confirmed=True)
    child = f.make_child(first_name="Robin", last_name="Example")
    assessment = f.make_pending_override(child, approver=chair)

    sign_in_through_the_page(page, chair, TEST_PASSWORD)
    page.goto("/")
    expect(page.get_by_role("heading", name="Overrides waiting for your approval")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=f"Child {child.reference}").click()
    assert_accessible(page)
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Choose whether you approve or decline").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name="Approve the override").check()
    page.get_by_role("button", name="Record decision").click()
    assert page.get_by_test_id("override-status").inner_text().startswith("Approved")
    assert_accessible(page)
    assessment.refresh_from_db()
    assert assessment.level == "high"


def test_a_meeting_member_sees_the_child_for_the_meeting(page):
    from datetime import timedelta

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from lantern.tasking.models import AgendaItem, Meeting, MeetingSeries, MeetingType

    nurse = make_user(Role.PARTNER_PRACTITIONER, username="nurse1", full_name="Nia Nurse")
    TOTPDevice.objects.create(user=nurse, name="phone", confirmed=True)
    child = f.make_child(first_name="Robin", last_name="Example")
    series = MeetingSeries.objects.create(
        name="Northmere MACE",
        meeting_type=MeetingType.MACE,
        first_meeting_on=timezone.localdate(),
        chair=make_user(Role.MACE_CHAIR),
    )
    series.members.add(nurse)
    meeting = Meeting.objects.create(
        series=series, held_on=timezone.localdate() + timedelta(days=2)
    )
    AgendaItem.objects.create(
        meeting=meeting,
        title=f"MACE review: child {child.reference}",
        partner_summary=f"Child {child.reference} is due a MACE review.",
        source_type=ContentType.objects.get_for_model(child),
        source_id=str(child.pk),
    )

    sign_in_through_the_page(page, nurse, TEST_PASSWORD)
    page.goto(f"/children/{child.pk}/")
    expect(page.get_by_role("heading", name="Robin Example")).to_be_visible()
    expect(page.get_by_test_id("meeting-brief")).to_contain_text("is due a MACE review")
    assert_accessible(page)
