"""`lantern users create`: the first administrator of a real installation, from the console."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from lantern.accounts.models import User
from lantern.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

GOOD = "a-long-and-unusual-passphrase-42"


def create(*args, password=GOOD):
    out = io.StringIO()
    call_command(
        "users", "create", *args, "--password-stdin", stdin=io.StringIO(password + "\n"), stdout=out
    )
    return out.getvalue()


def test_creates_an_administrator_who_must_enrol_a_second_factor():
    said = create("first.admin", "--role", "administrator", "--email", "it@example.invalid")
    user = User.objects.get(username="first.admin")
    assert user.role_codes == {"administrator"}
    assert user.email == "it@example.invalid"
    assert user.check_password(GOOD)
    assert user.must_set_up_second_factor
    assert "authenticator app" in said
    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(user.pk))
    assert entry.details["role"] == "administrator"


def test_an_existing_username_is_refused_whatever_its_case():
    create("first.admin", "--role", "administrator")
    with pytest.raises(CommandError, match="USERNAME: a user called 'First.Admin' already exists"):
        create("First.Admin", "--role", "administrator")
    assert User.objects.count() == 1


def test_an_unknown_role_is_refused_with_the_roles_listed():
    with pytest.raises(
        CommandError, match="--role: there is no role called 'wizard'.*administrator"
    ):
        create("someone", "--role", "wizard")
    assert not User.objects.exists()


def test_a_role_that_needs_a_second_approval_is_not_given_from_the_console():
    with pytest.raises(CommandError, match="second administrator's approval"):
        create("someone", "--role", "police_intelligence")
    assert not User.objects.exists()


def test_a_weak_password_is_refused_and_nothing_is_created():
    with pytest.raises(CommandError, match="Password: "):
        create("first.admin", "--role", "administrator", password="password")
    assert not User.objects.exists()
    assert not AuditEntry.objects.filter(object_type="accounts.user").exists()
