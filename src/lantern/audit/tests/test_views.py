"""Administrators can see who read or changed any record, and when."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.audit.models import AuditAction, AuditEntry
from lantern.audit.services import record
from lantern.core.testing import make_user, sign_in

pytestmark = pytest.mark.django_db


def test_record_view_lists_who_has_read_a_record(client):
    admin = sign_in(client, make_user(Role.ADMINISTRATOR))
    subject = make_user(full_name="Rowan Example")
    reader = make_user(Role.POLICE_INTELLIGENCE, full_name="Casey Reader")
    record(actor=reader, action=AuditAction.READ, obj=subject, reason="checking a link")
    response = client.get(reverse("audit:record", args=["accounts.user", subject.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Casey Reader" in body
    assert "checking a link" in body
    # Opening the audit view is itself audited.
    assert AuditEntry.objects.filter(actor=admin, action=AuditAction.LIST).exists()


def test_search_filters_by_user_and_action(client):
    sign_in(client, make_user(Role.ADMINISTRATOR))
    alice = make_user(username="alice")
    bob = make_user(username="bob")
    record(actor=alice, action=AuditAction.READ, obj=bob)
    record(actor=bob, action=AuditAction.UPDATE, obj=alice)
    response = client.get(reverse("audit:search"), {"user": "alice", "action": "read"})
    entries = list(response.context["page_obj"].object_list)
    assert [e.actor_id for e in entries] == [alice.pk]


def test_search_with_a_bad_date_shows_an_error_and_keeps_the_input(client):
    sign_in(client, make_user(Role.ADMINISTRATOR))
    response = client.get(
        reverse("audit:search"), {"user": "<script>x</script>", "date_from": "32/13/2026"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "&lt;script&gt;x&lt;/script&gt;" in body
    assert "<script>x</script>" not in body
    assert list(response.context["page_obj"].object_list) == []


def test_a_partner_cannot_open_the_audit_trail(client):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    assert client.get(reverse("audit:search")).status_code == 403
