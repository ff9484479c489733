"""Issue 14 as people use it: a councillor's document with three concerns is split into three
strands; one goes to tasking, is kept on the schedule, its action completes, its item closes;
the councillor is told "acted on" only then; the councillor raises a query and reads the
answer. Every page is checked with axe-core.

The tasking group's meeting (keep on the schedule, the action, the closure) is driven through
tasking's services here: the tasking pages have browser tests of their own (test_tasking.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from lantern.accounts.models import AgencyKind
from lantern.accounts.roles import Role
from lantern.core.testing import TEST_PASSWORD, AgencyFactory, make_user
from lantern.intake.models import Submission
from lantern.intake.tests.factories import move_to
from lantern.tasking import services as tasking
from lantern.tasking.models import MeetingType
from tests.browser.conftest import assert_accessible, sign_in_through_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONCERNS = (
    "First, a silver car waits outside the academy at closing time. "
    "Second, older men visit the flat above the takeaway late at night. "
    "Third, a pupil has a new phone and will not say who gave it to her."
)


def with_authenticator(user):
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def _new_page(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in_through_the_page(page, user, TEST_PASSWORD)
    return context, page


def test_a_councillors_three_concerns_are_traced_to_acted_on_and_a_query_is_answered(
    page, browser, live_server
):
    police = AgencyFactory(name="Test police", kind=AgencyKind.POLICE)
    councillor = with_authenticator(make_user(Role.COUNCILLOR, username="cllr.rowan"))
    officer = with_authenticator(
        make_user(
            Role.POLICE_INTELLIGENCE, username="olly", full_name="Olly Officer", agency=police
        )
    )
    chair = make_user(Role.POLICE_SUPERVISOR, agency=police)

    # The councillor sends one document with three concerns.
    sign_in_through_the_page(page, councillor, TEST_PASSWORD)
    page.goto("/intake/")
    page.get_by_label("Something I have seen or heard").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/intake/report/**")
    page.get_by_label("What did you see or hear?").fill(CONCERNS)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/intake/report/check/**")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url("**/intake/report/done/**")
    document = Submission.objects.get()

    # The officer splits it into three strands.
    officer_context, officer_page = _new_page(browser, live_server, officer)
    officer_page.goto(f"/intake/{document.reference}/")
    officer_page.get_by_role("link", name="Assign").click()
    officer_page.get_by_role("button", name="Assign").click()
    officer_page.get_by_role("link", name="Split into strands").click()
    assert_accessible(officer_page)
    for n, (what, safe) in enumerate(
        [
            ("Silver car at the academy", "A car seen near a school"),
            ("Visitors to the flat above the takeaway", "Concern about a flat"),
            ("Pupil with a new phone", "Concern about a gift to a pupil"),
        ],
        1,
    ):
        officer_page.locator(f"#s{n}-summary").fill(what)
        officer_page.locator(f"#s{n}-partner_summary").fill(safe)
    officer_page.get_by_role("button", name="Split into strands").click()
    expect(officer_page.get_by_text("Split into 3 strands.")).to_be_visible()
    assert_accessible(officer_page)
    strands = list(document.strands.order_by("strand_number"))
    assert len(strands) == 3

    # Strand 1 goes to tasking; the chair keeps it on the schedule and sets an action.
    car = move_to(strands[0], "decided", officer)
    # The next Monday's meeting: its agenda takes what was decided before it.
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    series = tasking.create_series(
        chair,
        name="Test tasking group",
        meeting_type=MeetingType.TASKING_GROUP,
        first_meeting_on=monday,
        chair=chair,
        member_agencies=[police],
    )
    tasking.generate_meetings(chair, series, until=monday)
    meeting = series.meetings.get()
    now = timezone.now()
    tasking.build_agenda(chair, meeting, now=now)
    item = meeting.items.get(title__startswith=car.reference)
    item = tasking.record_item(
        chair,
        item,
        expected_version=item.version,
        discussion="Patrols to watch the car.",
        decisions="Keep on the schedule.",
        outcome="kept_on",
        now=now,
    )
    action = tasking.create_action(
        chair,
        title="Patrol the academy at closing time",
        owning_agency=police,
        owner=officer,
        due_on=monday + timedelta(days=14),
        now=now,
        route=MeetingType.TASKING_GROUP,
        origin=item,
        meeting=meeting,
    )

    # The councillor is not told "acted on" while the work is open.
    page.goto("/intake/mine/")
    expect(page.get_by_text("Being acted on by the partnership's tasking group")).to_be_visible()
    assert "Finished: assessed and acted on" not in page.content()
    assert_accessible(page)

    # The officer cannot conclude it while the action is open.
    officer_page.goto(f"/intake/{car.reference}/conclude/")
    officer_page.get_by_label("Outcome notes").fill("Patrols at the academy.")
    officer_page.get_by_role("button", name="Conclude").click()
    expect(officer_page.get_by_text("while work on it is open").first).to_be_visible()
    assert_accessible(officer_page)

    # The action completes and the item closes; then the officer concludes it.
    tasking.complete_action(
        officer, action, expected_version=action.version, result="Patrols done.", now=now
    )
    item.refresh_from_db()
    tasking.record_item(
        chair,
        item,
        expected_version=item.version,
        discussion="Car no longer seen.",
        decisions="Close.",
        outcome="closed",
        closure_reason="eliminated",
        rationale="The car has not been seen for two weeks.",
        now=now + timedelta(minutes=5),
    )
    officer_page.goto(f"/intake/{car.reference}/conclude/")
    officer_page.get_by_label("Outcome notes").fill("Patrols at the academy.")
    officer_page.get_by_role("button", name="Conclude").click()
    expect(officer_page.get_by_text("Concluded. The reporter will be told.")).to_be_visible()
    officer_page.goto(f"/intake/{car.reference}/trace/")
    expect(officer_page.get_by_text("kept on the schedule").first).to_be_visible()
    expect(officer_page.get_by_text("closed (risk eliminated)").first).to_be_visible()
    assert_accessible(officer_page)

    # Only now does the councillor see "acted on", for that strand alone.
    page.goto("/intake/mine/")
    row = page.locator("tr", has_text=car.reference)
    expect(row.get_by_text("Finished: assessed and acted on")).to_be_visible()
    expect(
        page.locator("tr", has_text=strands[1].reference).get_by_text("Being looked at")
    ).to_be_visible()
    assert_accessible(page)

    # The councillor raises a query about the second strand and reads the answer.
    page.locator("tr", has_text=strands[1].reference).get_by_role(
        "link", name="Raise a query"
    ).click()
    page.get_by_role("button", name="Send your query").click()
    expect(page.get_by_text("Say what your query or concern is").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What is your query or concern?").fill("Has anyone looked at the flat?")
    page.get_by_role("button", name="Send your query").click()
    expect(page.get_by_text("Your query has been sent.")).to_be_visible()
    assert_accessible(page)
    query_url = page.url

    officer_page.goto("/intake/queries/")
    assert_accessible(officer_page)
    officer_page.get_by_role("link", name=strands[1].reference).click()
    officer_page.get_by_label("Your answer").fill(
        "Yes. It is being looked at and we will tell you when the work has finished."
    )
    officer_page.get_by_role("button", name="Send the answer").click()
    expect(officer_page.get_by_text("Answered").first).to_be_visible()
    officer_context.close()

    page.goto(query_url)
    expect(page.get_by_text("Yes. It is being looked at")).to_be_visible()
    assert "Olly Officer" not in page.content()
    assert_accessible(page)
