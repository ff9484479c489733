"""The trace matrix as a PDF: the same filters as the page and the spreadsheets, formula-safe."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lantern.accounts.roles import Role
from lantern.audit.models import AuditEntry
from lantern.core.testing import make_user, sign_in
from lantern.intake.models import Source
from lantern.intake.tests.factories import make_submission

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_holds_the_chosen_reporters_items_only_and_names_the_filters(client):
    councillor = make_user(Role.COUNCILLOR, username="cllr.pdf")
    theirs = make_submission(councillor, source=Source.COUNCILLOR, vehicles=["=1+2"])
    other = make_submission(source=Source.PARTNER)
    sign_in(client, make_user(Role.POLICE_SUPERVISOR))

    response = client.get(reverse("intake:trace-matrix"), {"reporter": "cllr.pdf", "format": "pdf"})

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response)
    assert theirs.reference in text and other.reference not in text
    assert "Reporter:" in text and "1 piece of information" in text
    assert "'=1+2" in text  # neutralised like the spreadsheets
    assert AuditEntry.objects.filter(object_repr__contains="(pdf)").exists()


def test_a_bad_filter_gives_the_page_with_the_error_not_a_pdf(client):
    sign_in(client, make_user(Role.POLICE_SUPERVISOR))

    response = client.get(reverse("intake:trace-matrix"), {"status": "nonsense", "format": "pdf"})

    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")


def test_the_screen_shows_the_matrix_a_page_at_a_time_with_the_filters_kept(client, monkeypatch):
    from lantern.intake import views

    monkeypatch.setattr(views, "MATRIX_PAGE_SIZE", 2)
    councillor = make_user(Role.COUNCILLOR, username="cllr.pages")
    made = [make_submission(councillor, source=Source.COUNCILLOR) for _ in range(3)]
    make_submission(source=Source.PARTNER)
    sign_in(client, make_user(Role.POLICE_SUPERVISOR))
    url = reverse("intake:trace-matrix")

    first = client.get(url, {"reporter": "cllr.pages"}).content.decode()
    second = client.get(url, {"reporter": "cllr.pages", "page": 2}).content.decode()

    assert "3 pieces of information, 1 to 2 shown" in first
    assert "reporter=cllr.pages&amp;page=2" in first
    oldest_first = [s.reference for s in made]
    assert oldest_first[2] in second and oldest_first[0] not in second
