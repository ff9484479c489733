"""Reports from people who are not partners are rate-limited, drafts included, and the page
says when to try again (issue 21)."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.core.testing import make_user, sign_in
from lantern.intake.models import Draft, Submission
from lantern.intake.tests.test_views import public_report

pytestmark = pytest.mark.django_db


def _new_draft(client, narrative="A man gives lifts to pupils."):
    """A POST of the report form with a token of its own: each one is a new draft."""
    client.get(reverse("intake:report") + "?route=intelligence")
    return client.post(
        reverse("intake:report"),
        {"token": str(uuid.uuid4()), "route": "intelligence", "narrative": narrative},
    )


def test_anonymous_drafts_are_limited_even_without_sending(client, settings):
    # The attack: drafts were made without limit, because only "Send" was counted.
    settings.LANTERN_INTAKE_DRAFT_RATE = (3, 3600)
    for _ in range(3):
        assert _new_draft(client).status_code in (200, 302)
    response = _new_draft(client)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Try again after" in body
    assert Draft.objects.count() == 3


def test_a_signed_in_public_account_is_limited_like_anyone_else(client, settings):
    # The attack: 12 reports in a row from one public account, none refused.
    settings.LANTERN_INTAKE_PUBLIC_RATE = (2, 3600)
    sign_in(client, make_user(Role.MEMBER_OF_PUBLIC))
    for n in range(2):
        response, _ = public_report(client, narrative=f"Report {n}")
        assert response.status_code == 302
    response, _ = public_report(client, narrative="one too many")
    assert response.status_code == 429
    assert "Try again after" in response.content.decode()
    assert Submission.objects.count() == 2


def test_the_anonymous_limit_says_when_to_try_again(client, settings):
    settings.LANTERN_INTAKE_PUBLIC_RATE = (1, 3600)
    public_report(client, narrative="first")
    response, _ = public_report(client, narrative="second")
    assert response.status_code == 429
    assert "Try again after" in response.content.decode()


def test_partners_are_not_limited(client, settings):
    settings.LANTERN_INTAKE_DRAFT_RATE = (1, 3600)
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    for _ in range(3):
        assert _new_draft(client).status_code != 429


def test_a_reporter_who_could_not_send_now_is_told_before_writing_anything(client, settings):
    settings.LANTERN_INTAKE_PUBLIC_RATE = (1, 3600)
    public_report(client, narrative="first")
    response = client.get(reverse("intake:report") + "?route=intelligence")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Try again after" in body and "You have not written anything yet" in body
    assert 'name="narrative"' not in body
    # A hand-made POST that starts a draft is refused the same way, and keeps nothing.
    assert _new_draft(client).status_code == 429
    assert Draft.objects.count() == 0


def test_a_report_refused_at_send_is_kept_as_a_draft_with_a_link_back(client, settings):
    settings.LANTERN_INTAKE_PUBLIC_RATE = (1, 3600)
    settings.LANTERN_INTAKE_DRAFT_HOURS = 24
    # Started while the reporter could still send one...
    started = _new_draft(client, narrative="The one I was writing.")
    assert started.status_code == 302 and "/check/" in started.url
    # ...then another report went first from the same connection.
    public_report(client, narrative="sent first")
    response = client.post(started.url)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Your report has not been sent" in body
    assert "kept as a draft until" in body
    assert f'href="{started.url}"' in body
    draft = Draft.objects.get()
    assert draft.answers["narrative"] == ["The one I was writing."]
    assert Submission.objects.count() == 1
    # After the window the link sends it.
    settings.LANTERN_INTAKE_PUBLIC_RATE = (5, 3600)
    assert client.post(started.url).status_code == 302
    assert Submission.objects.filter(narrative="The one I was writing.").exists()
