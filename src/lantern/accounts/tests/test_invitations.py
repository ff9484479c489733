"""New staff choose their own password from a single-use, expiring invitation link.

The administrator never sets or sees a password; the second factor is set up at first sign-in.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts.models import Invitation, User
from lantern.accounts.roles import Role
from lantern.audit.models import AuditAction, AuditEntry
from lantern.core.testing import make_user, sign_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "lantern-river-bicycle-71"  # noqa: S105 - test data


@pytest.fixture
def admin(client):
    return sign_in(client, make_user(Role.ADMINISTRATOR, username="root"))


def add_user(client, **overrides) -> User:
    data = {
        "full_name": "Robin Example",
        "username": "robin",
        "email": "robin@example.org",
        "job_title": "Youth worker",
        "phone": "",
        "agency": "",
        "team": "",
        "manager": "",
        "roles": [Role.PARTNER_PRACTITIONER],
    }
    data.update(overrides)
    response = client.post(reverse("accounts:user-create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return User.objects.get(username=data["username"])


def link_in_last_email() -> str:
    return re.search(r"https?://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)


def path_of(link: str) -> str:
    return link.split("testserver", 1)[1]


def choose(client, path, password=NEW_PASSWORD, confirm=None):
    return client.post(path, {"password": password, "confirm": confirm or password})


def test_adding_a_user_asks_for_no_password_and_emails_an_invitation(
    client, admin, django_capture_on_commit_callbacks
):
    form = client.get(reverse("accounts:user-create")).context["form"]
    assert "password" not in form.fields
    with django_capture_on_commit_callbacks(execute=True):
        user = add_user(client)
    assert not user.has_usable_password()
    assert mail.outbox[-1].to == ["robin@example.org"]
    assert "robin" in mail.outbox[-1].body
    invitation = Invitation.objects.get(user=user)
    assert invitation.created_by == admin
    hours = (invitation.expires_at - invitation.created_at).total_seconds() / 3600
    assert round(hours) == 72
    token = link_in_last_email().rstrip("/").rsplit("/", 1)[1]
    assert token not in invitation.token_hash  # only a hash is kept
    assert AuditEntry.objects.filter(
        object_type="accounts.user", object_id=str(user.pk), action=AuditAction.UPDATE
    ).exists()


def test_the_invited_person_chooses_a_password_then_must_set_up_an_authenticator(
    client, admin, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    with django_capture_on_commit_callbacks(execute=True):
        user = add_user(client)  # a partner practitioner: their role alone would not need 2FA
    path = path_of(link_in_last_email())
    client.logout()

    assert client.get(path).status_code == 200
    response = choose(client, path)
    assert response.url == reverse("accounts:enrol")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and user.password.startswith("argon2")
    # Signed in, but held at the authenticator page until they enrol.
    assert client.get(reverse("core:home")).url == reverse("accounts:enrol")
    assert AuditEntry.objects.filter(
        object_type="accounts.user",
        object_id=str(user.pk),
        actor=user,
        action=AuditAction.UPDATE,
    ).exists()
    # Signing in again later without enrolling still leads to the authenticator page.
    client.logout()
    response = client.post(
        reverse("accounts:sign-in"), {"username": "robin", "password": NEW_PASSWORD}
    )
    assert response.url == reverse("accounts:enrol")
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_an_invitation_link_works_only_once(client, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = add_user(client)
    path = path_of(link_in_last_email())
    client.logout()
    choose(client, path)
    client.logout()

    again = client.get(path)
    assert again.status_code == 404
    assert "already been used" in again.content.decode()
    reuse = choose(client, path, password="someone-else-entirely-99")
    assert reuse.status_code == 404
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(
        action=AuditAction.SIGN_IN_FAILED, object_type="accounts.invitation"
    ).exists()


def test_an_expired_invitation_is_refused(
    client, admin, settings, django_capture_on_commit_callbacks
):
    settings.LANTERN_INVITATION_HOURS = 2
    with django_capture_on_commit_callbacks(execute=True):
        user = add_user(client)
    invitation = Invitation.objects.get(user=user)
    assert invitation.expires_at - invitation.created_at < timedelta(hours=2, minutes=1)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    path = path_of(link_in_last_email())
    client.logout()

    response = choose(client, path)
    assert response.status_code == 404
    assert "expired" in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_a_wrong_token_is_refused_and_recorded(client, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = add_user(client)
    path = path_of(link_in_last_email())
    wrong = path[:-3] + ("AA/" if not path.endswith("AA/") else "BB/")
    client.logout()

    response = choose(client, wrong)
    assert response.status_code == 404
    assert "This link is not right" in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()
    entry = AuditEntry.objects.filter(action=AuditAction.SIGN_IN_FAILED).latest("id")
    assert entry.object_type == "accounts.invitation"


def test_a_new_invitation_withdraws_the_old_link(client, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = add_user(client)
    old_path = path_of(link_in_last_email())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:user-invite", args=[user.pk]))
    new_path = path_of(link_in_last_email())
    assert new_path != old_path
    client.logout()

    assert "newer invitation" in client.get(old_path).content.decode()
    assert client.get(new_path).status_code == 200


def test_mismatched_passwords_are_refused_and_the_link_still_works(
    client, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add_user(client)
    path = path_of(link_in_last_email())
    client.logout()

    response = choose(client, path, confirm="a-different-password-42")
    assert response.status_code == 200
    assert response.context["form"].errors["confirm"] == [
        "The passwords do not match. Type the same password twice"
    ]
    short = choose(client, path, password="short")
    assert "password" in short.context["form"].errors
    assert choose(client, path).status_code == 302


def test_someone_who_has_chosen_a_password_is_not_sent_a_new_invitation(client, admin):
    user = make_user(Role.PARTNER_PRACTITIONER)
    response = client.post(reverse("accounts:user-invite", args=[user.pk]))
    assert response.status_code == 302
    assert not Invitation.objects.filter(user=user).exists()
