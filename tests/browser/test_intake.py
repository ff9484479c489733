"""Reporting a concern and working it through to feedback, as people use the pages.
Every page is checked with axe-core."""

from __future__ import annotations

from datetime import date

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from lantern.accounts.roles import Role
from lantern.core.testing import TEST_PASSWORD, make_user
from lantern.intake.models import Submission
from lantern.intake.tests.factories import PNG, make_submission, move_to
from tests.browser.conftest import assert_accessible, fill_date, sign_in_through_the_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "uploads"},
        },
    }


def with_authenticator(user):
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def test_a_member_of_the_public_reports_anonymously_and_sees_the_reference(page):
    page.goto("/intake/")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Select what you want to tell us about").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Something I have seen or heard").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/intake/report/**")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Tell us what you saw or heard").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What did you see or hear?").fill(
        "Older men collect girls from the park after dark. <script>alert(1)</script>"
    )
    page.get_by_label("Where did it happen?").fill("The park by the leisure centre")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/intake/report/check/**")
    expect(page.get_by_text("<script>alert(1)</script>", exact=False)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url("**/intake/report/done/**")
    reference = Submission.objects.get().reference
    expect(page.get_by_text(reference)).to_be_visible()
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    assert_accessible(page)


def test_immediate_danger_says_call_999_and_still_records(page):
    page.goto("/intake/")
    page.get_by_label("A child is in immediate danger now").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Call 999 now if a child is in immediate danger.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What did you see or hear?").fill("A girl is being pushed into a van.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url("**/intake/report/done/**")
    assert Submission.objects.get().urgent
    assert_accessible(page)


def test_a_partner_reports_with_a_vehicle_and_an_attachment(page):
    """A partial plate is warned about by its field and kept; the photo chosen before an error
    is still there after it; "Check your answers" shows both and sends one submission."""
    partner = with_authenticator(make_user(Role.PARTNER_PRACTITIONER, username="pat"))
    sign_in_through_the_page(page, partner, TEST_PASSWORD)
    page.goto("/intake/")
    page.get_by_label("Something I have seen or heard").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/intake/report/**")
    assert_accessible(page)
    page.get_by_label("Registration").fill("nm61 k?t")
    page.get_by_label("Receipt of gifts from unknown sources").check()
    page.get_by_label("Photos, screenshots or documents (optional)").set_input_files(
        {"name": "car.png", "mimeType": "image/png", "buffer": PNG}
    )
    # Forgets what they saw: an error, but the photo and the plate are kept.
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Tell us what you saw or heard").first).to_be_visible()
    expect(page.locator("#kept-files dt", has_text="car.png")).to_be_visible()
    expect(page.get_by_text("nm61 k?t is a partial registration")).to_be_visible()
    assert page.get_by_label("Registration").input_value() == "nm61 k?t"
    assert_accessible(page)
    page.get_by_label("What did you see or hear?").fill("Teenagers get into a silver car.")
    page.get_by_role("button", name="Add another vehicle").click()
    expect(page.locator("#id_vehicle-1-raw")).to_be_visible()
    expect(page.locator("#kept-files dt", has_text="car.png")).to_be_visible()
    assert page.get_by_label("What did you see or hear?").input_value().startswith("Teenagers")
    assert_accessible(page)
    page.locator("#id_vehicle-1-raw").fill("AB12 CDE")
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url("**/intake/report/check/**")
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    vehicle = page.locator(".govuk-summary-list__row", has_text="Vehicle 1")
    expect(vehicle.get_by_text("nm61 k?t is a partial registration")).to_be_visible()
    expect(page.get_by_text("car.png")).to_be_visible()
    assert Submission.objects.count() == 0
    assert_accessible(page)
    # Change the first vehicle: the form comes back with everything as typed.
    vehicle.get_by_role("link", name="Change").click()
    expect(page.locator("#id_vehicle-0-raw")).to_have_value("nm61 k?t")
    expect(page.locator("#id_vehicle-1-raw")).to_have_value("AB12 CDE")
    page.locator("#id_vehicle-0-colour").fill("Silver")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/intake/report/check/**")
    expect(page.get_by_text("nm61 k?t, Silver")).to_be_visible()
    page.get_by_role("button", name="Send report").click()

    page.wait_for_url("**/intake/report/done/**")
    expect(page.get_by_text("partial registration")).to_be_visible()
    assert_accessible(page)
    submission = Submission.objects.get()
    assert sorted(submission.vehicles.values_list("registration", flat=True)) == [
        "AB12CDE",
        "NM61K?T",
    ]
    assert submission.attachments.get().original_name == "car.png"
    page.goto("/intake/mine/")
    expect(page.get_by_role("link", name=submission.reference, exact=True)).to_be_visible()
    assert_accessible(page)


def test_an_officer_works_a_submission_and_the_partner_sees_acted_on(page, browser, live_server):
    partner = with_authenticator(make_user(Role.PARTNER_PRACTITIONER, username="pat"))
    submission = make_submission(partner, narrative="A man gives pupils lifts after school.")
    officer = with_authenticator(
        make_user(Role.POLICE_INTELLIGENCE, username="olly", full_name="Olly Officer")
    )
    sign_in_through_the_page(page, officer, TEST_PASSWORD)
    page.goto("/intake/queue/")
    assert_accessible(page)
    page.get_by_role("link", name=submission.reference).click()
    assert_accessible(page)
    page.get_by_role("link", name="Assign").click()
    assert_accessible(page)
    page.get_by_role("button", name="Assign").click()
    page.get_by_role("link", name="Grade").click()
    page.get_by_label("2 – Untested").check()
    page.get_by_label("B – Known indirectly to the source but corroborated").check()
    page.get_by_label("C – Lawful sharing permitted with conditions").check()
    page.get_by_role("button", name="Grade").click()
    expect(page.get_by_text("Say what the handling conditions are").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Handling conditions").fill("Safeguarding lead only.")
    page.get_by_label("Partner-safe summary").fill("Concern about lifts offered to pupils.")
    page.get_by_label("Research notes").fill("Driver linked to an earlier report.")
    page.get_by_role("button", name="Grade").click()
    page.get_by_role("link", name="Decide").click()
    assert_accessible(page)
    page.get_by_label("To the tasking group").check()
    page.get_by_label("Rationale").fill("Pattern with earlier reports.")
    page.get_by_role("button", name="Decide").click()
    page.get_by_role("link", name="Conclude").click()
    page.get_by_label("Outcome notes").fill("Patrols and a visit to the school.")
    page.get_by_role("button", name="Conclude").click()
    expect(page.get_by_text("Concluded. The reporter will be told.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="The full trace").click()
    expect(page.get_by_text("Outcome: Concluded: assessed and acted on")).to_be_visible()
    assert_accessible(page)

    context = browser.new_context(base_url=live_server.url)
    partner_page = context.new_page()
    sign_in_through_the_page(partner_page, partner, TEST_PASSWORD)
    partner_page.goto(f"/intake/{submission.reference}/")
    expect(partner_page.get_by_text("Finished: assessed and acted on")).to_be_visible()
    expect(partner_page.get_by_text("Concern about lifts offered to pupils.")).to_be_visible()
    expect(partner_page.get_by_text("Handling code C: Safeguarding lead only.")).to_be_visible()
    body = partner_page.content()
    assert "Driver linked to an earlier report." not in body
    assert "Patrols and a visit" not in body
    assert_accessible(partner_page)
    context.close()


def test_a_supervisor_sees_the_trace_matrix(page):
    officer = make_user(Role.POLICE_INTELLIGENCE)
    move_to(make_submission(), "concluded", officer)
    supervisor = with_authenticator(make_user(Role.POLICE_SUPERVISOR, username="sue"))
    sign_in_through_the_page(page, supervisor, TEST_PASSWORD)
    page.goto("/intake/trace-matrix/")
    assert_accessible(page)
    fill_date(page, "Received from", date(2000, 1, 1))
    page.get_by_role("button", name="Show submissions").click()
    expect(page.get_by_role("link", name="Export as CSV")).to_be_visible()
    assert_accessible(page)


def test_a_cse_worker_records_a_safeguarding_report_as_a_contact(page):
    from lantern.children.models import Contact
    from lantern.children.tests.factories import make_child
    from lantern.intake.models import Route

    submission = make_submission(
        make_user(Role.PARTNER_PRACTITIONER),
        route=Route.SPECIFIC_CHILD,
        narrative="A pupil is collected by older men after school.",
    )
    child = make_child()
    worker = with_authenticator(make_user(Role.CSE_SOCIAL_WORKER, username="sam"))
    sign_in_through_the_page(page, worker, TEST_PASSWORD)
    page.goto("/intake/social-care/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Record as a contact ({submission.reference})").click()
    assert_accessible(page)
    page.get_by_label("Child's record").fill("CH-999999")
    page.get_by_role("button", name="Record as a contact").click()
    expect(page.get_by_text("There is no child's record with that reference").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Child's record").fill(child.reference)
    page.get_by_role("button", name="Record as a contact").click()
    # Done, so it leaves the queue's default view ("still to do"); the filter shows it.
    expect(page.get_by_text(f"The contact has been recorded on {child.reference}")).to_be_visible()
    expect(page.get_by_text(submission.reference)).to_have_count(0)
    page.get_by_label("Show").select_option("recorded")
    page.get_by_role("button", name="Show referrals").click()
    expect(page.get_by_text(f"Contact on {child.reference}")).to_be_visible()
    assert_accessible(page)
    assert Contact.objects.get().intake_reference == submission.reference
