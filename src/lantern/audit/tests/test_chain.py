"""The audit trail is append-only and tamper-evident."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from lantern.audit.models import AuditAction, AuditEntry
from lantern.audit.services import GENESIS_HASH, record, verify_chain
from lantern.core.testing import make_user

pytestmark = pytest.mark.django_db


def _three_entries():
    user = make_user()
    return [
        record(actor=user, action=AuditAction.READ, obj=user, details={"n": n}) for n in range(3)
    ]


def test_each_entry_carries_the_hash_of_the_one_before():
    first, second, third = _three_entries()
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.entry_hash
    assert third.prev_hash == second.entry_hash
    assert len({first.entry_hash, second.entry_hash, third.entry_hash}) == 3


def test_verify_passes_on_an_untouched_trail():
    _three_entries()
    report = verify_chain()
    assert report.ok
    assert report.entries_checked == 3


def test_verify_names_the_first_entry_whose_content_was_changed():
    _, second, _ = _three_entries()
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET reason = %s WHERE id = %s",  # noqa: S608
            ["nothing to see", second.id],
        )
    report = verify_chain()
    assert not report.ok
    assert report.first_broken_id == second.id
    assert "content" in report.problem


def test_verify_notices_a_deleted_entry():
    _, second, third = _three_entries()
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [second.id])  # noqa: S608
    report = verify_chain()
    assert report.first_broken_id == third.id
    assert "link" in report.problem


def test_audit_verify_command_fails_after_tampering(capsys):
    first, _, _ = _three_entries()
    call_command("audit", "verify")
    assert "intact: 3 entries" in capsys.readouterr().out
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET actor_label = %s WHERE id = %s",  # noqa: S608
            ["someone else", first.id],
        )
    with pytest.raises(CommandError, match=f"broken at entry {first.id}"):
        call_command("audit", "verify")


def test_entries_cannot_be_changed_or_deleted_through_the_orm():
    entry = _three_entries()[0]
    entry.reason = "edited"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="edited")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_an_entry_rolls_back_with_the_change_it_describes():
    user = make_user()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=user, action=AuditAction.UPDATE, obj=user)
        raise RuntimeError("the change failed")
    assert AuditEntry.objects.count() == 0


def test_anonymous_and_named_actors_are_labelled():
    entry = record(actor="lantern demo", action=AuditAction.CREATE, object_type="demo")
    assert entry.actor is None
    assert entry.actor_label == "lantern demo"
