"""The report held as a draft, "Check your answers", warnings by the field, files kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.core.testing import make_user, sign_in
from lantern.intake import drafts
from lantern.intake.models import Draft, DraftAttachment, Submission
from lantern.intake.tests.factories import PNG
from lantern.intake.tests.test_views import partner_form_data, public_report, token_from

pytestmark = pytest.mark.django_db


def png(name="car.png"):
    return SimpleUploadedFile(name, PNG, "image/png")


def test_a_valid_report_goes_to_check_your_answers_and_is_not_yet_sent(client):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    data = partner_form_data(client, **{"vehicle-0-raw": "NM61 K?T", "vehicle-0-colour": "Blue"})

    response = client.post(reverse("intake:report"), data)

    assert response.status_code == 302 and "/check/" in response.url
    assert Submission.objects.count() == 0
    body = client.get(response.url).content.decode()
    assert "Check your answers before sending your report" in body
    assert "Seen at the bus station." in body and "NM61 K?T, Blue" in body
    assert "NM61 K?T is a partial registration" in body
    assert f"?draft={data['token']}#id_vehicle-0-raw" in body  # Change goes to the field


def test_the_warning_sits_with_the_vehicle_row_it_is_about(client):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    data = partner_form_data(
        client,
        **{"vehicle-TOTAL_FORMS": "2", "vehicle-0-raw": "AB12 CDE", "vehicle-1-raw": "X?"},
    )
    body = client.get(client.post(reverse("intake:report"), data).url).content.decode()
    first = body.index("Vehicle 1")
    second = body.index("Vehicle 2")
    warning = body.index("X? is a partial registration")
    assert first < second < warning
    assert "AB12 CDE is a partial" not in body and "AB12 CDE does not look" not in body


def test_a_malformed_phone_number_is_warned_about_beside_its_field_and_kept(client):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    # An error elsewhere shows the form again: the phone warning is beside the phone field.
    data = partner_form_data(client, narrative="", **{"phone-0-raw": "0770"})
    body = client.post(reverse("intake:report"), data).content.decode()
    assert "Tell us what you saw or heard" in body
    field = body.index('name="phone-0-raw"')
    warning = body.index("0770 is not a complete, valid phone number")
    assert field < warning < body.index("Online account 1")
    assert 'value="0770"' in body


def test_a_member_of_the_public_sees_a_warning_about_their_own_phone_number(client):
    page = client.get(reverse("intake:report") + "?route=intelligence")
    data = {
        "token": token_from(page),
        "route": "intelligence",
        "narrative": "A car waits by the park.",
        "contact_phone": "12345",
    }
    check = client.post(reverse("intake:report"), data)
    body = client.get(check.url).content.decode()
    assert "12345 is not a complete, valid phone number" in body
    assert client.post(check.url).status_code == 302
    assert Submission.objects.get().contact_phone == "12345"  # kept as typed


def test_sending_from_the_check_page_makes_exactly_one_submission(client):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    data = partner_form_data(client)
    check = client.post(reverse("intake:report"), data).url

    first = client.post(check)
    second = client.post(check)  # a double click or a refresh
    third = client.post(reverse("intake:report"), data)  # the back button and send again

    assert Submission.objects.count() == 1
    assert first.url == second.url == third.url
    assert "/done/" in first.url
    assert not Draft.objects.exists()


def test_change_shows_the_form_with_the_answers_as_typed(client):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    data = partner_form_data(
        client, location="<script>alert(1)</script>", **{"vehicle-0-raw": "ab1"}
    )
    check = client.post(reverse("intake:report"), data).url
    check_body = client.get(check).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in check_body
    assert "<script>alert" not in check_body

    body = client.get(reverse("intake:report") + f"?draft={data['token']}").content.decode()

    assert 'value="ab1"' in body and "Seen at the bus station." in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert" not in body
    assert "There is a problem" not in body
    assert f'value="{data["token"]}"' in body  # sending again updates the same draft


def test_someone_else_cannot_open_a_draft(client):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    data = partner_form_data(client)
    check = client.post(reverse("intake:report"), data).url
    client.logout()

    response = client.get(check)
    change = client.get(reverse("intake:report") + f"?draft={data['token']}")
    stolen = client.post(reverse("intake:report"), data)

    assert response.status_code == 302 and response.url == reverse("intake:start")
    assert "Seen at the bus station." not in change.content.decode()
    assert stolen.status_code == 302 and stolen.url == reverse("intake:start")
    assert Submission.objects.count() == 0


def test_a_file_is_kept_after_an_error_and_is_sent_without_choosing_it_again(client):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    data = partner_form_data(client, narrative="", attachments=png("car.png"))

    error = client.post(reverse("intake:report"), data)

    body = error.content.decode()
    assert "Tell us what you saw or heard" in body
    assert "Files you have added" in body and "car.png" in body and "Remove" in body
    stored = DraftAttachment.objects.get()
    assert default_storage.exists(stored.file.name)
    assert stored.file.name.startswith("intake-drafts/") and "car" not in stored.file.name

    data = {**data, "narrative": "Seen again."}
    data.pop("attachments")
    check = client.post(reverse("intake:report"), data)
    assert "car.png" in client.get(check.url).content.decode()
    client.post(check.url)

    submission = Submission.objects.get()
    attachment = submission.attachments.get()
    assert attachment.original_name == "car.png" and attachment.size == len(PNG)
    assert not default_storage.exists(stored.file.name)  # the draft copy is gone
    assert not DraftAttachment.objects.exists()


def test_add_another_keeps_the_files_chosen(client):
    sign_in(client, make_user(Role.COUNCILLOR))
    data = partner_form_data(client, add_person="1", attachments=png("screenshot.png"))
    body = client.post(reverse("intake:report"), data).content.decode()
    assert 'name="person-1-name"' in body and "screenshot.png" in body
    assert "There is a problem" not in body


def test_a_kept_file_can_be_removed(client):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    data = partner_form_data(client, narrative="", attachments=png("wrong.png"))
    client.post(reverse("intake:report"), data)
    item = DraftAttachment.objects.get()
    data.pop("attachments")

    body = client.post(
        reverse("intake:report"), {**data, "remove_attachment": str(item.pk)}
    ).content.decode()

    assert not DraftAttachment.objects.exists()
    assert not default_storage.exists(item.file.name)
    assert "Files you have added" not in body and "There is a problem" not in body


def test_a_refused_file_does_not_lose_the_good_ones(client):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    bad = SimpleUploadedFile("photo.png", b"<html><script>x</script></html>", "image/png")
    data = partner_form_data(client, attachments=[png("good.png"), bad])

    response = client.post(reverse("intake:report"), data)

    body = response.content.decode()
    assert response.status_code == 200
    assert "photo.png could not be opened as a photo, screenshot or PDF" in body
    assert [a.original_name for a in DraftAttachment.objects.all()] == ["good.png"]
    assert Submission.objects.count() == 0


def test_no_more_than_five_files_are_kept(client):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    files = [png(f"p{i}.png") for i in range(6)]
    body = client.post(
        reverse("intake:report"), partner_form_data(client, attachments=files)
    ).content.decode()
    assert "p5.png was not added: you can add up to 5 files" in body
    assert DraftAttachment.objects.count() == 5


def test_abandoned_drafts_and_their_files_are_deleted_after_a_day(client, settings):
    settings.LANTERN_INTAKE_DRAFT_HOURS = 24
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    client.post(
        reverse("intake:report"), partner_form_data(client, narrative="", attachments=png())
    )
    old = Draft.objects.get()
    name = old.attachments.get().file.name
    later = Draft.objects.create(
        token="6f1d7d0e-0000-4000-8000-000000000001",
        route="intelligence",
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )

    summary = drafts.delete_abandoned_drafts(timezone.now() + timedelta(hours=25))
    again = drafts.delete_abandoned_drafts(timezone.now() + timedelta(hours=25))

    assert not Draft.objects.filter(pk=old.pk).exists()
    assert not default_storage.exists(name)
    assert summary.startswith("2 abandoned drafts deleted")  # both untouched for 25 hours
    assert again.startswith("0 abandoned")
    assert not Draft.objects.filter(pk=later.pk).exists()


def test_a_recent_draft_is_kept_by_the_cleanup(client):
    page = client.get(reverse("intake:report") + "?route=intelligence")
    client.post(
        reverse("intake:report"),
        {"token": token_from(page), "route": "intelligence", "narrative": "Kept."},
    )
    drafts.delete_abandoned_drafts(timezone.now() + timedelta(hours=23))
    assert Draft.objects.count() == 1


def test_the_cleanup_is_a_registered_periodic_job():
    from lantern.core import periodic

    assert "intake-drafts" in [job.name for job in periodic.jobs()]


def test_the_public_report_still_makes_one_submission_through_the_check_page(client):
    response, _ = public_report(client, narrative="Through the check page.")
    assert "/done/" in response.url
    assert Submission.objects.get().narrative == "Through the check page."


def test_a_sent_reports_token_used_by_another_browser_reveals_nothing(client):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    data = partner_form_data(client)
    check = client.post(reverse("intake:report"), data).url
    client.post(check)
    client.logout()

    again = client.post(reverse("intake:report"), data)
    check_again = client.get(check)

    assert again.url == reverse("intake:start") and check_again.url == reverse("intake:start")
    assert not Draft.objects.exists()
    assert Submission.objects.count() == 1
