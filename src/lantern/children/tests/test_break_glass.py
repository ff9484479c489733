"""Restricted records: outside the circle only their existence shows; break glass needs a
reason, lasts an hour, is audited and tells the allocated workers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from lantern.accounts.access import can
from lantern.accounts.roles import Role
from lantern.audit.models import AuditAction, AuditEntry
from lantern.children import services
from lantern.children.models import Alert, BreakGlass
from lantern.children.tests import factories as f
from lantern.core.testing import make_user, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def restricted():
    owner = make_user(Role.CSE_SOCIAL_WORKER, email="owner@example.org")
    child = f.make_child(by=owner, first_name="Hidden", restricted=True)
    services.allocate_worker(owner, child, worker=owner, role="specialist", started_on=f.TODAY)
    f.make_missing(child)
    return child


def test_outside_the_circle_a_restricted_record_shows_only_that_it_exists(client, restricted):
    sign_in(client, make_user(Role.MACE_CHAIR))
    page = client.get(f"/children/{restricted.pk}/").content.decode()
    assert "Restricted record" in page
    assert "Hidden" not in page
    listing = client.get("/children/").content.decode()
    assert "Hidden" not in listing and restricted.reference in listing
    assert "Hidden Testchild" not in client.get("/children/?q=Hidden").content.decode()
    episode = restricted.missing_episodes.get()
    assert client.get(f"/children/missing/{episode.pk}/").status_code == 404
    assert client.get(f"/children/{restricted.pk}/contacts/add/").status_code == 404


def test_the_allocated_worker_sees_the_restricted_record_in_full(client, restricted):
    sign_in(client, restricted.created_by)
    assert "Hidden" in client.get(f"/children/{restricted.pk}/").content.decode()


def test_breaking_glass_without_a_reason_is_refused(client, restricted):
    sign_in(client, make_user(Role.MACE_CHAIR))
    response = client.post(f"/children/{restricted.pk}/break-glass/", {"reason": "  "})
    assert "Enter why you need to open this record" in response.content.decode()
    assert BreakGlass.objects.count() == 0


def test_breaking_glass_opens_the_record_for_an_hour_audited_and_owners_told(
    client, restricted, django_capture_on_commit_callbacks
):
    colleague = sign_in(client, make_user(Role.MACE_CHAIR))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/children/{restricted.pk}/break-glass/",
            {"reason": "Found missing out of hours; the allocated worker is off duty"},
        )
    assert response.status_code == 302
    assert "Hidden" in client.get(f"/children/{restricted.pk}/").content.decode()
    entry = AuditEntry.objects.get(action=AuditAction.BREAK_GLASS)
    assert entry.actor == colleague and entry.reason.startswith("Found missing")
    assert Alert.objects.get().emailed_to == ["owner@example.org"]
    assert mail.outbox[0].to == ["owner@example.org"]
    grant = BreakGlass.objects.get()
    assert grant.expires_at - grant.granted_at == timedelta(hours=1)


def test_an_expired_break_glass_closes_the_record_again(restricted):
    colleague = make_user(Role.MACE_CHAIR)
    episode = restricted.missing_episodes.get()
    BreakGlass.objects.create(
        child=restricted,
        user=colleague,
        reason="r",
        granted_at=timezone.now() - timedelta(hours=2),
        expires_at=timezone.now() - timedelta(hours=1),
    )
    assert not can(colleague, "view", episode)
