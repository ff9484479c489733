"""A chair runs a tasking meeting: agenda, a decision, two actions for two agencies, an item
closed; then a partner completes their action. Every page is checked with axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from lantern.accounts.models import AgencyKind
from lantern.accounts.roles import Role
from lantern.core.testing import TEST_PASSWORD, AgencyFactory, make_user
from lantern.tasking import services
from lantern.tasking.models import Action, ActionStatus, AgendaItem, ItemStatus
from tests.browser.conftest import assert_accessible, fill_date, go_to, sign_in_through_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def with_device(user):
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def test_a_chair_runs_a_meeting_and_a_partner_completes_their_action(page, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    police = AgencyFactory(name="Northmere Police", kind=AgencyKind.POLICE)
    health = AgencyFactory(name="Northmere Health Partnership", kind=AgencyKind.HEALTH)
    licensing = AgencyFactory(name="Northmere Licensing Service", kind=AgencyKind.LICENSING)
    chair = with_device(
        make_user(Role.POLICE_SUPERVISOR, agency=police, username="chair", full_name="Cal Chair")
    )
    nurse = with_device(
        make_user(Role.PARTNER_PRACTITIONER, agency=health, username="nurse", full_name="Nia Nurse")
    )
    make_user(
        Role.PARTNER_PRACTITIONER, agency=licensing, username="lic", full_name="Lee Licensing"
    )
    today = timezone.localdate()
    series = services.create_series(
        chair,
        name="Northmere Tasking Group",
        meeting_type="tasking_group",
        first_meeting_on=today,
        chair=chair,
        member_agencies=[police, health, licensing],
    )
    services.generate_meetings(chair, series, until=today)
    due = today + timedelta(days=7)

    sign_in_through_the_page(page, chair, TEST_PASSWORD)
    go_to(page, "Tasking", "Meetings")
    assert_accessible(page)
    page.get_by_role("link", name=today.strftime("%-d %B %Y")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Build the agenda").click()
    expect(page.get_by_text("0 items added to the agenda")).to_be_visible()
    page.get_by_role("button", name="Add an item").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Taxi offering free rides near the academy")
    page.get_by_label("Summary for partners").fill("A taxi driver offering teenagers free rides")
    page.get_by_label("Full summary (police and chair only)").fill("Vehicle NM19 HRP, B2P")
    page.get_by_role("button", name="Add the item").click()
    assert_accessible(page)
    page.get_by_role("link", name="Taxi offering free rides near the academy", exact=True).click()
    assert_accessible(page)

    for agency, owner, title in [
        ("Northmere Health Partnership", "Nia Nurse", "Offer a sexual health appointment"),
        ("Northmere Licensing Service", "Lee Licensing", "Check the driver's licence"),
    ]:
        page.get_by_role("button", name="Add an action").click()
        assert_accessible(page)
        page.get_by_label("What is to be done").fill(title)
        with page.expect_response(lambda r: "/tasking/owners/" in r.url):
            page.get_by_label("Agency", exact=True).select_option(label=agency)
        # The owner list now holds only the chosen agency's people (htmx).
        people = page.get_by_label("Named owner").locator("option").all_inner_texts()
        assert f"{owner} ({agency})" in people
        assert all(p.endswith(f"({agency})") for p in people[1:])
        page.get_by_label("Named owner").select_option(label=f"{owner} ({agency})")
        fill_date(page, "Due date", due)
        page.get_by_label("High").check()
        page.get_by_role("button", name="Add the action").click()
        expect(page.get_by_text(f"given to {owner}")).to_be_visible()
        assert_accessible(page)

    page.get_by_label("Discussion summary").fill("Licensing know the driver.")
    page.get_by_label("Decisions").fill("Licence check and health outreach.")
    page.get_by_label("Close it").check()
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert (
        "Enter the rationale for closing the item"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert page.get_by_label("Discussion summary").input_value() == "Licensing know the driver."
    assert_accessible(page)
    page.get_by_label("Risk eliminated").check()
    page.get_by_label("Rationale for closing").fill(
        "Actions allocated; licensing will report back."
    )
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_text("The meeting's record of this item has been saved")).to_be_visible()
    assert_accessible(page)
    item = AgendaItem.objects.get()
    assert item.status == ItemStatus.CLOSED
    assert Action.objects.filter(origin_id=str(item.pk)).count() == 2

    page.get_by_role("button", name="Sign out").click()
    sign_in_through_the_page(page, nurse, TEST_PASSWORD)
    go_to(page, "Tasking", "Actions")
    assert_accessible(page)
    assert page.get_by_text("Check the driver's licence").count() == 0
    page.get_by_role("link", name="Offer a sexual health appointment").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Complete the action").click()
    assert_accessible(page)
    page.get_by_role("button", name="Complete the action").click()
    assert "Enter the result" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Result").fill("Appointment offered and taken up.")
    page.get_by_role("button", name="Complete the action").click()
    expect(page.get_by_text("is complete")).to_be_visible()
    assert_accessible(page)
    done = Action.objects.get(owner=nurse)
    assert (done.status, done.result) == (
        ActionStatus.COMPLETED,
        "Appointment offered and taken up.",
    )


def test_a_supervisor_visits_every_tasking_list_and_form_and_each_is_accessible(page):
    """The schedule, plans, tactics, routes, notifications and operations pass axe-core."""
    from lantern.tasking import disruption

    police = AgencyFactory(name="Northmere Police", kind=AgencyKind.POLICE)
    licensing = AgencyFactory(name="Northmere Licensing Service", kind=AgencyKind.LICENSING)
    supervisor = with_device(
        make_user(Role.POLICE_SUPERVISOR, agency=police, username="sup", full_name="Sam Sup")
    )
    officer = make_user(Role.PARTNER_PRACTITIONER, agency=licensing, full_name="Lou Licence")
    today = timezone.localdate()
    disruption.ensure_default_tactics()
    plan = disruption.create_plan(
        supervisor,
        subject_kind="vehicle",
        subject_description="Private hire saloon NM19 HRP",
        aim="Stop free rides to teenagers",
        review_on=today + timedelta(days=14),
        lead=supervisor,
        now=timezone.now(),
    )
    disruption.create_operation(
        supervisor, name="Operation Tidewater", summary="Taxis", started_on=today, lead=supervisor
    )

    sign_in_through_the_page(page, supervisor, TEST_PASSWORD)
    for path in [
        "/tasking/",
        "/tasking/series/new/",
        "/tasking/actions/",
        "/tasking/actions/?status=bogus",
        "/tasking/actions/agency/",
        "/tasking/notifications/",
        "/tasking/escalation-routes/",
        "/tasking/plans/",
        "/tasking/plans/new/",
        f"/tasking/plans/{plan.pk}/",
        "/tasking/tactics/",
        "/tasking/operations/",
        "/tasking/operations/new/",
    ]:
        page.goto(path)
        assert_accessible(page)

    page.goto(f"/tasking/plans/{plan.pk}/tactics/new/")
    page.get_by_label("Tactic").select_option(label="Taxi and private hire licence check")
    with page.expect_response(lambda r: "/tasking/owners/" in r.url):
        page.get_by_label("Agency", exact=True).select_option(label="Northmere Police")
    page.get_by_label("Named owner").select_option(index=1)
    fill_date(page, "Due date", today + timedelta(days=5))
    page.get_by_role("button", name="Add the tactic").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "needs a licensing agency" in summary
    assert_accessible(page)
    with page.expect_response(lambda r: "/tasking/owners/" in r.url):
        page.get_by_label("Agency", exact=True).select_option(label="Northmere Licensing Service")
    page.get_by_label("Named owner").select_option(label=f"{officer.full_name} ({licensing})")
    page.get_by_role("button", name="Add the tactic").click()
    expect(page.get_by_text("given to Northmere Licensing Service")).to_be_visible()
    assert_accessible(page)
    go_to(page, "Tasking", "Operations")
    page.get_by_role("link", name="Operation Tidewater").click()
    assert_accessible(page)


def test_a_chair_runs_the_meeting_through_its_sections_and_prints_the_agenda_paper(page, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    police = AgencyFactory(name="Northmere Police", kind=AgencyKind.POLICE)
    health = AgencyFactory(name="Northmere Health Partnership", kind=AgencyKind.HEALTH)
    chair = with_device(
        make_user(Role.POLICE_SUPERVISOR, agency=police, username="chair", full_name="Cal Chair")
    )
    nurse = make_user(
        Role.PARTNER_PRACTITIONER, agency=health, username="nurse", full_name="Nia Nurse"
    )
    today = timezone.localdate()
    series = services.create_series(
        chair,
        name="Northmere Tasking Group",
        meeting_type="tasking_group",
        first_meeting_on=today - timedelta(days=7),
        chair=chair,
        member_agencies=[police, health],
    )
    services.generate_meetings(chair, series, until=today)
    earlier, meeting = series.meetings.order_by("held_on")[:2]
    kept = AgendaItem.objects.create(
        meeting=earlier,
        title="Car outside the academy",
        partner_summary="A car",
        position=1,
        source_key="intake.to_tasking",
        status=ItemStatus.KEPT_ON,
    )
    AgendaItem.objects.create(
        meeting=meeting, title="Any other business", partner_summary="AOB", position=1
    )
    AgendaItem.objects.create(
        meeting=meeting,
        title="Report S-1: hotel",
        partner_summary="Adults and teenagers at a hotel",
        position=2,
        source_key="intake.to_tasking",
    )
    AgendaItem.objects.create(
        meeting=meeting,
        title=kept.title,
        partner_summary="A car",
        position=3,
        source_key="intake.to_tasking",
        carried_from=kept,
    )
    services.create_action(
        chair,
        title="Visit the hotel",
        owning_agency=health,
        owner=nurse,
        due_on=today,
        now=timezone.now() - timedelta(days=3),
        route="tasking_group",
        meeting=earlier,
    )

    sign_in_through_the_page(page, chair, TEST_PASSWORD)
    page.goto(f"/tasking/meetings/{meeting.pk}/")
    page.get_by_role("button", name="Build the agenda").click()
    expect(page.get_by_text("1 item added to the agenda")).to_be_visible()
    headings = page.locator("h3[id^=section-]").all_inner_texts()
    assert headings == [
        "1. New intelligence",
        "2. Kept on the schedule",
        "3. Actions due and overdue, by agency and owner",
        "4. Other business",
    ]
    expect(page.get_by_text("New intelligence: 1 item, about 5 minutes")).to_be_visible()
    assert_accessible(page)

    # The chair takes the sections in order: the new report first.
    page.get_by_role("link", name="Report S-1: hotel", exact=True).click()
    page.get_by_label("Discussion summary").fill("Licensing and health to visit.")
    page.get_by_label("Keep it on the schedule for the next meeting").check()
    page.get_by_role("button", name="Save the record").click()
    expect(page.get_by_text("The meeting's record of this item has been saved")).to_be_visible()
    page.goto(f"/tasking/meetings/{meeting.pk}/")
    expect(page.get_by_text("Done in this section (1)")).to_be_visible()
    expect(page.get_by_text("New intelligence: 1 item, all done")).to_be_visible()
    actions = page.locator("#section-actions + p + table")
    expect(  # the item's own link, not its "Defer" link
        actions.get_by_role(
            "link", name="Actions: Northmere Health Partnership, Nia Nurse (1 action)", exact=True
        )
    ).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the agenda paper (PDF)").click()
    assert download.value.suggested_filename.startswith("agenda-")
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as paper:
        assert paper.read(5) == b"%PDF-"
