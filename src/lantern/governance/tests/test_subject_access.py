"""Subject access: what Lantern holds about a person across apps, third parties marked for
redaction, exported as a PDF and audited; a person the officer may not see is a 404."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.audit.models import AuditEntry
from lantern.children.tests.factories import make_child
from lantern.core.testing import make_user, sign_in
from lantern.governance import subjects
from lantern.intake.tests.factories import make_submission

pytestmark = pytest.mark.django_db


def _rows(access) -> list[tuple[str, str, bool]]:
    return [row for _, items in access.sections for item in items for row in item.rows]


def test_a_reporters_submissions_with_the_people_they_named_marked_for_redaction():
    officer = make_user(Role.ADMINISTRATOR)
    reporter = make_user(Role.PARTNER_PRACTITIONER)
    make_submission(
        reporter,
        contact_name="Pat Reporterson",
        people=[{"name": "Jordan Exampleton", "role": "victim"}],
    )

    access = subjects.gather(officer, "reporter", reporter.pk, timezone.now())

    rows = _rows(access)
    assert ("Contact name", "Pat Reporterson", False) in rows
    assert any(value == "Jordan Exampleton" and redact for _, value, redact in rows)
    assert ("Username", reporter.username, False) in rows
    assert access.redactions >= 1


def test_a_childs_record_and_the_submissions_naming_them():
    officer = make_user(Role.ADMINISTRATOR)
    child = make_child(first_name="Robin", last_name="Testwood")
    make_submission(
        people=[
            {"name": "Robin Testwood", "role": "victim"},
            {"name": "Casey Otherperson", "role": "suspect"},
        ]
    )

    access = subjects.gather(officer, "child", child.pk, timezone.now())

    rows = _rows(access)
    assert ("Name", "Robin Testwood", False) in rows
    assert any(
        value == "Robin Testwood" and not redact
        for name, value, redact in rows
        if name.startswith("Person")
    )
    assert any(value == "Casey Otherperson" and redact for _, value, redact in rows)


def test_a_restricted_child_outside_the_officers_circle_is_a_404(client):
    officer = make_user(Role.ADMINISTRATOR)
    child = make_child(restricted=True)
    sign_in(client, officer)

    assert client.get(reverse("governance:subject", args=["child", child.pk])).status_code == 404
    assert (
        client.get(reverse("governance:subject-pdf", args=["child", child.pk])).status_code == 404
    )
    assert client.get(reverse("governance:subject", args=["child", 999999])).status_code == 404
    assert client.get(reverse("governance:subject", args=["nobody", 1])).status_code == 404


def test_the_pdf_export_is_audited(client):
    officer = make_user(Role.ADMINISTRATOR)
    child = make_child(first_name="Robin", last_name="Testwood", dob=date(2003, 2, 1))
    sign_in(client, officer)

    response = client.get(reverse("governance:subject-pdf", args=["child", child.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    entry = AuditEntry.objects.filter(action="export", object_id=str(child.pk)).get()
    assert entry.actor == officer and entry.reason == "subject access request"
    assert entry.details["subject_access"] == "child"


def test_the_page_marks_redactions_and_only_the_officer_may_open_it(client):
    officer, worker = make_user(Role.ADMINISTRATOR), make_user(Role.CSE_SOCIAL_WORKER)
    reporter = make_user(Role.PARTNER_PRACTITIONER)
    make_submission(reporter, people=[{"name": "Jordan Exampleton", "role": "victim"}])
    url = reverse("governance:subject", args=["reporter", reporter.pk])

    sign_in(client, worker)
    assert client.get(url).status_code == 403
    client.logout()
    sign_in(client, officer)
    page = client.get(url).content.decode()
    assert "Redact: third party" in page and "Jordan Exampleton" in page
    start = client.get(
        reverse("governance:subject-start"), {"kind": "reporter", "number": reporter.pk}
    )
    assert start.status_code == 302 and start.url == url
