"""The public start page at / and the status lookup a reporter can make with their reference and
the status code they were given (issue 25)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.core.testing import make_user, sign_in
from lantern.intake import services
from lantern.intake.models import Submission
from lantern.intake.tests.factories import make_submission, move_to
from lantern.intake.tests.test_views import public_report

pytestmark = pytest.mark.django_db
CODE = re.compile(r'data-testid="status-code">([A-Z0-9-]+)<')


def test_an_anonymous_visitor_to_the_home_page_sees_the_public_start_page(client):
    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Report a concern about a child" in page
    assert f'href="{reverse("intake:start")}"' in page
    assert "govuk-button--start" in page
    assert "call 999" in page.lower()
    assert "What happens next" in page
    assert "Get support" in page
    assert f'action="{reverse("intake:status")}"' in page


def test_a_signed_in_user_keeps_their_home_page(client):
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    page = client.get("/").content.decode()
    assert "govuk-button--start" not in page
    assert "What you can do" in page or "Police intelligence" in page


def test_the_confirmation_page_gives_a_status_code(client):
    response, _ = public_report(client, narrative="A man gives lifts to pupils.")
    page = client.get(response.url).content.decode()
    submission = Submission.objects.get()
    assert CODE.search(page).group(1) == services.status_code_for(submission)


def test_the_acknowledgement_gives_the_status_code():
    submission = make_submission(contact_email="someone@example.org", source="public")
    services.send_due_feedback(submission.received_at)
    assert services.status_code_for(submission) in mail.outbox[0].body


def test_the_reference_and_code_show_the_plain_status_only(client):
    officer = make_user(Role.POLICE_INTELLIGENCE)
    submission = move_to(make_submission(source="public"), "graded", officer)
    code = services.status_code_for(submission)

    response = client.post(
        reverse("intake:status"),
        {"reference": submission.reference.lower(), "code": code.replace("-", " ").lower()},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Being looked at" in page
    assert submission.narrative not in page
    assert submission.grade not in page.replace("govuk", "")


def test_a_reference_alone_reveals_nothing(client):
    submission = make_submission(source="public")
    other = make_submission(source="public")

    wrong = client.post(
        reverse("intake:status"),
        {"reference": submission.reference, "code": services.status_code_for(other)},
    ).content.decode()
    unknown = client.post(
        reverse("intake:status"),
        {"reference": "LAN-2099-999999", "code": services.status_code_for(other)},
    ).content.decode()

    assert "Received: waiting to be looked at" not in wrong
    assert "We could not find a report with that reference and status code" in wrong
    assert "We could not find a report with that reference and status code" in unknown


def test_the_lookup_needs_both_answers_and_keeps_what_was_typed(client):
    page = client.post(reverse("intake:status"), {"reference": "LAN-<b>1", "code": ""})
    body = page.content.decode()
    assert "govuk-error-summary" in body
    assert "Enter the status code you were given" in body
    assert "LAN-&lt;b&gt;1" in body


def test_the_lookup_is_rate_limited(client, settings):
    settings.LANTERN_STATUS_LOOKUP_RATE = (3, 3600)
    submission = make_submission(source="public")
    code = services.status_code_for(submission)
    for _ in range(3):
        client.post(reverse("intake:status"), {"reference": submission.reference, "code": "X"})

    response = client.post(
        reverse("intake:status"), {"reference": submission.reference, "code": code}
    )

    assert response.status_code == 429
    assert "Received" not in response.content.decode()
