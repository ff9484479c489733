"""The sender always gets to their reference (issue 24): after a lost response, a retry, a
refresh, or a session that could not be renewed at the moment the confirmation was shown."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test.signals import template_rendered
from django.urls import reverse

from lantern.intake.models import Submission
from lantern.intake.tests.test_views import token_from

pytestmark = pytest.mark.django_db


def report_to_check(client) -> tuple[dict, str]:
    page = client.get(reverse("intake:report") + "?route=intelligence")
    data = {"token": token_from(page), "route": "intelligence", "narrative": "A van by the park."}
    check = client.post(reverse("intake:report"), data)
    assert check.status_code == 302 and "/check/" in check.url
    return data, check.url


def test_a_send_whose_response_was_lost_lands_on_the_same_reference_when_retried(client):
    data, check_url = report_to_check(client)
    cookies = client.cookies  # what the browser holds before it sends
    client.cookies = cookies.__class__(cookies)

    client.post(check_url)  # the send commits; its response never reaches the browser
    client.cookies = cookies

    retry = client.post(check_url)  # the browser sends again
    assert retry.status_code == 302 and "/done/" in retry.url
    again = client.post(reverse("intake:report"), data)  # or goes back and sends the form
    assert again.status_code == 302 and again.url == retry.url
    page = client.get(retry.url)
    refreshed = client.get(retry.url)

    submission = Submission.objects.get()  # one report
    assert page.status_code == 200 and submission.reference in page.content.decode()
    assert refreshed.status_code == 200 and submission.reference in refreshed.content.decode()


@pytest.fixture
def session_lost_while_rendering():
    """While the page is being rendered, the session's row goes (its connection dropped, or a
    clean-up removed it), so renewing its expiry at the end of the request fails."""

    def drop(sender, **kwargs):
        Session.objects.all().delete()

    template_rendered.connect(drop, dispatch_uid="lost-session")
    yield
    template_rendered.disconnect(dispatch_uid="lost-session")


def test_the_confirmation_is_shown_even_if_the_session_cannot_be_renewed(client, request):
    _, check_url = report_to_check(client)
    sent = client.post(check_url)
    request.getfixturevalue("session_lost_while_rendering")

    page = client.get(sent.url)

    assert page.status_code == 200  # was a 400 "session deleted" after the report was stored
    assert Submission.objects.get().reference in page.content.decode()


def test_a_session_changed_by_the_request_still_refuses_when_it_cannot_be_saved(
    client, settings, session_lost_while_rendering
):
    store = SessionStore()
    store["seen"] = True
    store.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key

    # The report page issues a token into the session: losing that must not pass quietly.
    response = client.get(reverse("intake:report") + "?route=intelligence")

    assert response.status_code == 400
