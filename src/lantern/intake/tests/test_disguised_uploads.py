"""Uploads are judged by parsing them, not by their first bytes, and download under a name
built from the type found, never the name they came with (issue 21)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter

from lantern.accounts.roles import Role
from lantern.core.testing import make_user, sign_in
from lantern.intake import services
from lantern.intake.models import Attachment, Submission
from lantern.intake.tests.factories import make_submission

pytestmark = pytest.mark.django_db

HTML = b"<html><body><script>alert(document.domain)</script></body></html>"
GPS_IFD = 0x8825


def real_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def photo_with_location() -> bytes:
    image = Image.new("RGB", (16, 16), "orange")
    exif = Image.Exif()
    exif[0x010F] = "Test camera maker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.html", b"GIF89a" + HTML),
        ("report.svg", b"GIF89a<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("report.hta", b"%PDF-1.7\n" + HTML),
        ("report.html", b"%PDF-1.4\n%%EOF\n" + HTML),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + HTML),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + HTML),
        ("photo.webp", b"RIFF\x00\x00\x00\x00WEBP" + HTML),
    ],
)
def test_a_file_that_only_starts_like_a_picture_or_pdf_is_refused(name, content):
    # The attack: these were stored, and downloaded under their .html/.svg/.hta names.
    upload = SimpleUploadedFile(name, content, "image/gif")
    with pytest.raises(services.AttachmentRefused, match="could not be opened"):
        make_submission(files=[upload])
    assert Submission.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_the_report_form_refuses_a_disguised_file_by_its_field(client):
    from lantern.intake.tests.test_views import partner_form_data

    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    upload = SimpleUploadedFile("evidence.html", b"GIF89a" + HTML, "image/gif")
    response = client.post(reverse("intake:report"), partner_form_data(client, attachments=upload))
    body = response.content.decode()
    assert response.status_code == 200
    assert "evidence.html could not be opened as a photo, screenshot or PDF" in body
    assert 'href="#attachments"' in body or "#id_attachments" in body
    assert Submission.objects.count() == 0


def test_a_real_pdf_named_html_downloads_as_a_pdf(client):
    submission = make_submission(files=[SimpleUploadedFile("notes.html", real_pdf(), "text/html")])
    item = submission.attachments.get()
    assert item.content_type == "application/pdf"
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    response = client.get(reverse("intake:attachment", args=[item.pk]))
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert disposition.endswith('.pdf"') and ".html" not in disposition


def test_a_picture_named_svg_downloads_under_its_real_type(client):
    png = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(png, "PNG")
    submission = make_submission(files=[SimpleUploadedFile("icon.svg", png.getvalue())])
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    response = client.get(reverse("intake:attachment", args=[submission.attachments.get().pk]))
    assert 'filename="icon.png"' in response["Content-Disposition"]


def test_an_old_attachment_with_a_dangerous_name_downloads_under_its_checked_type(client):
    # Stored before this change, with the name it was sent under.
    submission = make_submission(files=[SimpleUploadedFile("car.png", real_pdf())])
    item = submission.attachments.get()
    Attachment.objects.filter(pk=item.pk).update(original_name="car.pdf.hta")
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    response = client.get(reverse("intake:attachment", args=[item.pk]))
    assert response["Content-Disposition"].endswith('filename="car.pdf.pdf"')


def test_a_photo_is_stored_re_encoded_without_its_location():
    upload = SimpleUploadedFile("street.jpg", photo_with_location(), "image/jpeg")
    submission = make_submission(files=[upload])
    item = submission.attachments.get()
    stored = Image.open(item.file.open("rb"))
    assert stored.format == "JPEG" and stored.size == (16, 16)
    exif = stored.getexif()
    assert not exif.get_ifd(GPS_IFD)
    assert 0x010F not in exif
    assert item.size == item.file.size
