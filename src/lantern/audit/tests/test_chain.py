"""The audit trail is append-only and tamper-evident: every attack is reported at the first
entry it touched."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from lantern.audit.chain import (
    chain_pending,
    checkpoint_path,
    file_checkpoints,
    write_checkpoint,
)
from lantern.audit.models import AuditAction, AuditEntry, AuditLink, AuditPending
from lantern.audit.services import record, verify_chain
from lantern.core.testing import make_user

pytestmark = pytest.mark.django_db

ENTRY = AuditEntry._meta.db_table
LINK = AuditLink._meta.db_table


@pytest.fixture(autouse=True)
def _checkpoint_dir(tmp_path, settings):
    settings.LANTERN_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"


def _entries(n=3):
    user = make_user()
    entries = [
        record(actor=user, action=AuditAction.READ, obj=user, details={"n": i}) for i in range(n)
    ]
    chain_pending()
    return entries


def tamper(sql, params=()):
    """Change the trail behind the application's back, as someone with the database owner's
    rights would (on PostgreSQL that means getting past the append-only trigger first)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def test_each_entry_is_linked_to_the_one_before_in_commit_order():
    first, second, third = _entries()
    links = list(AuditLink.objects.order_by("seq"))
    assert [link.entry_id for link in links] == [first.id, second.id, third.id]
    assert links[1].prev_mac == links[0].mac
    assert links[2].prev_mac == links[1].mac
    assert len({link.mac for link in links}) == 3
    assert not AuditPending.objects.exists()


def test_an_entry_is_signed_when_written_and_waits_to_be_chained_until_commit():
    user = make_user()
    entry = record(actor=user, action=AuditAction.READ, obj=user)
    assert entry.key_id and len(entry.mac) == 64
    assert AuditPending.objects.filter(entry=entry).exists()
    assert not AuditLink.objects.exists()
    report = verify_chain()
    assert report.ok
    assert report.unchained == 1


def test_one_transactions_entries_are_chained_in_one_step_after_it_commits(
    django_capture_on_commit_callbacks,
):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for n in range(5):
            record(actor=user, action=AuditAction.CREATE, obj=user, details={"n": n})
        assert not AuditLink.objects.exists()
    assert len(callbacks) == 1
    assert AuditLink.objects.count() == 5
    assert not AuditPending.objects.exists()


def test_entries_a_dead_process_left_unchained_are_chained_by_the_tick():
    user = make_user()
    left = [record(actor=user, action=AuditAction.READ, obj=user) for _ in range(3)]
    # No commit hook ran (the process died after committing): the tick's job chains them.
    call_command("audit", "checkpoint")
    assert set(AuditLink.objects.values_list("entry_id", flat=True)) == {e.id for e in left}
    assert verify_chain().ok


def test_verify_passes_on_an_untouched_trail():
    _entries()
    report = verify_chain()
    assert report.ok
    assert report.entries_checked == 3


def test_verify_names_the_first_entry_whose_content_was_changed():
    _, second, _ = _entries()
    tamper(f"UPDATE {ENTRY} SET reason = %s WHERE id = %s", ["nothing to see", second.id])  # noqa: S608
    report = verify_chain()
    assert not report.ok
    assert report.first_broken_id == second.id
    assert "content" in report.problem


def test_a_change_recomputed_with_the_models_own_hash_is_still_caught():
    _, second, _ = _entries()
    entry = AuditEntry.objects.get(pk=second.pk)
    entry.reason = "edited"
    tamper(
        f"UPDATE {ENTRY} SET reason = %s, entry_hash = %s, mac = %s WHERE id = %s",  # noqa: S608
        ["edited", entry.compute_hash(), entry.compute_hash(), second.id],
    )
    report = verify_chain()
    assert report.first_broken_id == second.id
    assert "MAC" in report.problem


def test_deleting_an_entry_in_the_middle_is_reported_at_the_next_one():
    _, second, third = _entries()
    tamper(f"DELETE FROM {LINK} WHERE entry_id = %s", [second.id])  # noqa: S608
    tamper(f"DELETE FROM {ENTRY} WHERE id = %s", [second.id])  # noqa: S608
    report = verify_chain()
    assert report.first_broken_id == third.id
    assert "removed" in report.problem


def test_deleting_in_the_middle_and_renumbering_the_chain_is_reported():
    _, second, third = _entries()
    tamper(f"DELETE FROM {LINK} WHERE entry_id = %s", [second.id])  # noqa: S608
    tamper(f"DELETE FROM {ENTRY} WHERE id = %s", [second.id])  # noqa: S608
    tamper(f"UPDATE {LINK} SET seq = 2 WHERE entry_id = %s", [third.id])  # noqa: S608
    report = verify_chain()
    assert report.first_broken_id == third.id
    assert "link" in report.problem


def test_truncating_the_tail_after_a_checkpoint_is_reported():
    entries = _entries(5)
    write_checkpoint()
    for entry in entries[3:]:
        tamper(f"DELETE FROM {LINK} WHERE entry_id = %s", [entry.id])  # noqa: S608
        tamper(f"DELETE FROM {ENTRY} WHERE id = %s", [entry.id])  # noqa: S608
    report = verify_chain()
    assert not report.ok
    assert "truncated" in report.problem
    assert "position 4" in report.problem  # the first missing entry
    assert report.first_broken_id == entries[-1].id


def test_truncation_is_caught_by_the_file_even_when_the_database_checkpoints_go_too():
    _entries(4)
    write_checkpoint()
    tamper("DELETE FROM audit_auditcheckpoint WHERE kind = 'tick'")
    last = AuditLink.objects.order_by("-seq").first()
    tamper(f"DELETE FROM {LINK} WHERE seq = %s", [last.seq])  # noqa: S608
    tamper(f"DELETE FROM {ENTRY} WHERE id = %s", [last.entry_id])  # noqa: S608
    report = verify_chain()
    assert "truncated" in report.problem


def test_a_rewrite_with_the_key_is_caught_by_an_earlier_checkpoint():
    entries = _entries(3)
    write_checkpoint()
    # Someone holding the key rewrites the last entry and re-signs it and its link.
    from lantern.audit.keys import current_key

    _, key = current_key()
    entry = AuditEntry.objects.get(pk=entries[2].pk)
    entry.reason = "rewritten"
    link = AuditLink.objects.get(entry=entry)
    new_mac = entry.compute_mac(key)
    tamper(
        f"UPDATE {ENTRY} SET reason = %s, mac = %s WHERE id = %s",  # noqa: S608
        ["rewritten", new_mac, entry.id],
    )
    tamper(
        f"UPDATE {LINK} SET mac = %s WHERE seq = %s",  # noqa: S608
        [link.compute_mac(key, new_mac), link.seq],
    )
    report = verify_chain()
    assert report.first_broken_id == entry.id
    assert "checkpoint" in report.problem


def test_the_wrong_key_fails_at_the_first_entry():
    first, _, _ = _entries()
    with override_settings(LANTERN_AUDIT_KEY="another-key-entirely-0000000000000000"):
        report = verify_chain()
    assert not report.ok
    assert "wrong key" in report.problem or "not configured" in report.problem


def test_a_rotated_key_still_verifies_while_it_is_listed_as_retired(settings):
    old = settings.LANTERN_AUDIT_KEY  # the genesis checkpoint was signed with it too
    new = "the-second-audit-key-0000000000000000000"
    _entries(2)
    with override_settings(LANTERN_AUDIT_KEY=new, LANTERN_AUDIT_RETIRED_KEYS=[old]):
        _entries(2)
        assert len(set(AuditEntry.objects.values_list("key_id", flat=True))) == 2
        assert verify_chain().ok
    with override_settings(LANTERN_AUDIT_KEY=new, LANTERN_AUDIT_RETIRED_KEYS=[]):
        report = verify_chain()
    assert not report.ok
    assert "wrong key" in report.problem


def test_an_entry_inserted_outside_the_trail_is_reported():
    first, _, _ = _entries()
    tamper(
        f"INSERT INTO {ENTRY} (at, actor_label, action, object_type, object_id, object_repr,"  # noqa: S608
        " reason, path, details, prev_hash, entry_hash, key_id, mac, actor_id, ip_address)"
        " SELECT at, actor_label, action, object_type, object_id, object_repr, reason, path,"
        f" details, prev_hash, entry_hash, key_id, mac, actor_id, ip_address FROM {ENTRY}"
        " WHERE id = %s",
        [first.id],
    )
    report = verify_chain()
    assert "neither in the chain" in report.problem


def test_checkpoints_are_appended_signed_and_only_when_the_chain_moved():
    _entries(2)
    assert write_checkpoint() is not None
    assert write_checkpoint() is None
    _entries(1)
    write_checkpoint()
    lines = file_checkpoints()
    assert [line["seq"] for line in lines] == [2, 3]
    assert all(len(line["signature"]) == 64 for line in lines)
    forged = dict(lines[-1], seq=99, count=99)
    with checkpoint_path().open("a") as f:
        f.write(json.dumps(forged) + "\n")
    report = verify_chain()
    assert "bad signature" in report.problem


def test_audit_verify_command_fails_after_tampering(capsys):
    first, _, _ = _entries()
    call_command("audit", "verify")
    assert "intact: 3 entries" in capsys.readouterr().out
    tamper(f"UPDATE {ENTRY} SET actor_label = %s WHERE id = %s", ["someone else", first.id])  # noqa: S608
    with pytest.raises(CommandError, match=f"broken at entry {first.id}"):
        call_command("audit", "verify")


def test_entries_cannot_be_changed_or_deleted_through_the_orm():
    entry = _entries()[0]
    entry.reason = "edited"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="edited")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditLink.objects.all().delete()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.parametrize("table", [ENTRY, LINK, "audit_auditcheckpoint"])
def test_the_database_refuses_sql_update_and_delete(table):
    _entries()
    for sql in (f"UPDATE {table} SET key_id = 'x'", f"DELETE FROM {table}"):  # noqa: S608
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert verify_chain().ok


def test_an_entry_rolls_back_with_the_change_it_describes():
    user = make_user()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=user, action=AuditAction.UPDATE, obj=user)
        raise RuntimeError("the change failed")
    assert AuditEntry.objects.count() == 0
    assert AuditPending.objects.count() == 0


def test_anonymous_and_named_actors_are_labelled():
    entry = record(actor="lantern demo", action=AuditAction.CREATE, object_type="demo")
    assert entry.actor is None
    assert entry.actor_label == "lantern demo"
