"""Opening the notifications page changes nothing; marking them read is a POST (issue 21)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.core.testing import make_user, sign_in
from lantern.tasking.models import Notification

pytestmark = pytest.mark.django_db


def _note(user, message="Action A1 is due tomorrow"):
    return Notification.objects.create(recipient=user, message=message, at=timezone.now())


def test_opening_the_notifications_page_does_not_mark_them_read(client):
    # The defect: a GET (a link preview, a prefetch, a stray reload) marked them all read.
    user = sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    note = _note(user)
    for _ in range(2):
        page = client.get(reverse("tasking:notifications")).content.decode()
        assert "New" in page
    note.refresh_from_db()
    assert note.read_at is None


def test_marking_notifications_read_is_a_post_and_only_for_your_own(client):
    user = sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    mine = _note(user)
    other = _note(make_user(Role.PARTNER_PRACTITIONER), "Someone else's")
    assert client.get(reverse("tasking:notifications-read")).status_code == 405
    response = client.post(
        reverse("tasking:notifications-read"), {"notification": [mine.pk, other.pk]}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.read_at is not None
    assert other.read_at is None
    assert "New" not in client.get(reverse("tasking:notifications")).content.decode()
