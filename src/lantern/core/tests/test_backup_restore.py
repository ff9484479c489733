"""`lantern backup` and `lantern restore` on the engine the suite runs on: back up, change,
restore, and the audit trail verifies against the checkpoints; a newer backup is refused."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from lantern.accounts.models import Agency
from lantern.audit.chain import write_checkpoint
from lantern.audit.models import AuditEntry
from lantern.audit.services import record, verify_chain

pytestmark = pytest.mark.django_db(transaction=True)


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _audited_change(label: str) -> Agency:
    agency = Agency.objects.create(name=label, kind="council")
    record(actor="test", action="create", obj=agency)
    return agency


def test_backup_change_restore_and_the_trail_verifies(tmp_path):
    kept = _audited_change("Agency in the backup")
    write_checkpoint()
    backup = tmp_path / "lantern.backup"
    assert "Backed up to" in _run("backup", str(backup))
    entries_at_backup = AuditEntry.objects.count()

    _audited_change("Agency made after the backup")
    assert AuditEntry.objects.count() == entries_at_backup + 1

    output = _run("restore", str(backup), "--yes")

    assert "Audit trail intact" in output
    assert list(Agency.objects.values_list("name", flat=True)) == [kept.name]
    assert AuditEntry.objects.count() == entries_at_backup
    assert verify_chain().ok


def test_a_backup_older_than_the_last_checkpoint_shows_as_truncated(tmp_path):
    _audited_change("Agency in the backup")
    write_checkpoint()
    backup = tmp_path / "lantern.backup"
    _run("backup", str(backup))
    last_kept = AuditEntry.objects.order_by("-id").first().id
    _audited_change("Agency made after the backup")
    write_checkpoint()  # the file now records an entry the backup lacks

    output = _run("restore", str(backup), "--yes")

    assert "truncated" in output
    report = verify_chain()
    assert not report.ok and "truncated" in report.problem
    assert report.first_broken_id == last_kept + 1


def test_a_backup_from_a_newer_schema_is_refused(tmp_path):
    _audited_change("Agency in the backup")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
            ["audit", "9999_from_the_future", "2027-01-01 00:00:00+00"],
        )
    backup = tmp_path / "newer.backup"
    _run("backup", str(backup))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE name = %s", ["9999_from_the_future"])
    _audited_change("Agency made after the backup")

    with pytest.raises(CommandError, match="newer version of Lantern.*audit.9999_from_the_future"):
        _run("restore", str(backup), "--yes")

    assert Agency.objects.filter(name="Agency made after the backup").exists()  # untouched


def test_restore_needs_yes_and_a_real_backup(tmp_path):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("not a database")
    with pytest.raises(CommandError, match="--yes"):
        _run("restore", str(not_a_backup))
    with pytest.raises(CommandError, match="not a"):
        _run("restore", str(not_a_backup), "--yes")


def test_backup_refuses_to_overwrite(tmp_path):
    backup = tmp_path / "lantern.backup"
    backup.write_text("an older backup")
    with pytest.raises(CommandError, match="already exists"):
        _run("backup", str(backup))
    assert backup.read_text() == "an older backup"
