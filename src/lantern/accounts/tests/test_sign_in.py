"""Signing in: password, then a TOTP code; lockout after repeated failures."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts.roles import Role
from lantern.audit.models import AuditAction, AuditEntry
from lantern.core.testing import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=6):06d}"


def post_password(client, username, password=TEST_PASSWORD):
    return client.post(reverse("accounts:sign-in"), {"username": username, "password": password})


def test_a_user_with_an_authenticator_is_asked_for_a_code_then_let_in(client):
    user = make_user(Role.POLICE_INTELLIGENCE, username="casey")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = post_password(client, "casey")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:verify"))
    # Until the code is entered, every other page sends them back to the code page.
    assert client.get(reverse("core:home")).url.startswith(reverse("accounts:verify"))
    response = client.post(reverse("accounts:verify"), {"code": current_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200
    assert AuditEntry.objects.filter(
        actor=user, action=AuditAction.SECOND_FACTOR, details__result="passed"
    ).exists()


def test_a_wrong_code_is_refused_with_a_message_by_the_field(client):
    user = make_user(Role.POLICE_INTELLIGENCE, username="casey")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    post_password(client, "casey")
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("accounts:verify"), {"code": wrong})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 302


def test_a_code_used_again_in_its_window_is_refused_saying_so(client):
    user = make_user(Role.POLICE_INTELLIGENCE, username="casey")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    post_password(client, "casey")
    code = current_code(device)
    assert client.post(reverse("accounts:verify"), {"code": code}).status_code == 302
    client.post(reverse("accounts:sign-out"))
    post_password(client, "casey")
    response = client.post(reverse("accounts:verify"), {"code": code})
    page = response.content.decode()
    assert response.status_code == 200
    assert "That code has already been used. Wait for the app to show a new code" in page
    assert "The code is not right" not in page
    assert client.get(reverse("core:home")).status_code == 302
    assert AuditEntry.objects.filter(
        actor=user, action=AuditAction.SECOND_FACTOR, details__result="code used again"
    ).exists()


def test_a_right_code_straight_after_a_wrong_one_is_held_back_and_says_how_long(client):
    user = make_user(Role.POLICE_INTELLIGENCE, username="casey")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    post_password(client, "casey")
    code = current_code(device)
    client.post(reverse("accounts:verify"), {"code": f"{(int(code) + 1) % 1_000_000:06d}"})
    response = client.post(reverse("accounts:verify"), {"code": code})
    assert "Too many wrong codes. Wait 1 second" in response.content.decode()
    assert client.get(reverse("core:home")).status_code == 302


def test_a_code_that_is_not_six_digits_is_explained(client):
    user = make_user(Role.POLICE_INTELLIGENCE, username="casey")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    post_password(client, "casey")
    response = client.post(reverse("accounts:verify"), {"code": "12ab56"})
    assert "must be 6 numbers" in response.content.decode()
    assert 'value="12ab56"' in response.content.decode()


def test_a_role_that_sees_personal_data_must_enrol_before_anything_else(client):
    make_user(Role.CSE_SOCIAL_WORKER, username="sam")
    response = post_password(client, "sam")
    assert response.url.startswith(reverse("accounts:enrol"))
    assert client.get(reverse("core:home")).url == reverse("accounts:enrol")
    page = client.get(reverse("accounts:enrol"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="sam", confirmed=False)
    response = client.post(reverse("accounts:enrol"), {"code": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("core:home")).status_code == 200


def test_a_board_member_may_sign_in_without_a_second_factor(client):
    make_user(Role.BOARD_MEMBER, username="bo")
    response = post_password(client, "bo")
    assert response.url == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_keeps_the_username_and_says_what_to_do(client):
    make_user(username="casey")
    response = post_password(client, "casey", "wrong-password")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a correct username and password" in body
    assert 'value="casey"' in body
    assert AuditEntry.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() == 1


def test_empty_fields_get_a_message_each(client):
    response = client.post(reverse("accounts:sign-in"), {"username": "", "password": ""})
    body = response.content.decode()
    assert "Enter your username" in body
    assert "Enter your password" in body


def test_repeated_failures_lock_the_account_and_say_when_to_retry(client, settings):
    make_user(username="casey")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_password(client, "casey", "wrong-password")
    response = post_password(client, "casey")  # even the right password is refused now
    assert response.status_code == 429
    body = response.content.decode()
    assert "Your account is locked" in body
    assert "You can try again after" in body
    # Not signed in: the home page is the public start page.
    assert "_auth_user_id" not in client.session
    assert "govuk-button--start" in client.get(reverse("core:home")).content.decode()


def test_a_next_address_on_another_site_is_ignored(client):
    make_user(Role.BOARD_MEMBER, username="bo")
    response = client.post(
        reverse("accounts:sign-in") + "?next=https://evil.example/",
        {"username": "bo", "password": TEST_PASSWORD},
    )
    assert response.url == "/"


def test_sign_out_is_post_only_and_ends_the_session(client):
    make_user(Role.BOARD_MEMBER, username="bo")
    post_password(client, "bo")
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    client.post(reverse("accounts:sign-out"))
    assert "_auth_user_id" not in client.session
    assert "govuk-button--start" in client.get("/").content.decode()


def test_changing_the_letter_case_of_the_username_does_not_escape_the_lockout(client, settings):
    # The attack: after `councillor` is locked, guesses as `Councillor`, `cOuncillor`, ... were
    # each counted as a new username, and the right password as `councilloR` signed in.
    make_user(Role.COUNCILLOR, username="councillor")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_password(client, "councillor", "wrong-password")
    for variant in ("Councillor", "cOuncillor", "COUNCILLOR", " councillor "):
        assert post_password(client, variant, "wrong-password").status_code == 429
    response = post_password(client, "councilloR")
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_in_mixed_case_count_towards_one_lockout(client, settings):
    make_user(Role.COUNCILLOR, username="councillor")
    variants = ["Councillor", "cOuncillor", "coUncillor", "couNcillor", "counCillor"]
    for variant in variants[: settings.AXES_FAILURE_LIMIT]:
        post_password(client, variant, "wrong-password")
    assert post_password(client, "councillor").status_code == 429


def test_a_username_signs_in_whatever_its_letter_case(client):
    make_user(Role.BOARD_MEMBER, username="bo.member")
    response = post_password(client, "Bo.Member")
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_failed_sign_in_records_the_attempted_username_not_a_user_acting(client):
    real = make_user(Role.ADMINISTRATOR, username="admin", full_name="Sam Administrator")
    post_password(client, "Admin", "wrong-password")
    entry = AuditEntry.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert entry.actor is None
    assert "Sam Administrator" not in entry.actor_label
    assert entry.actor_label == "Sign-in attempt as “Admin”"
    assert entry.details == {"attempted_username": "Admin", "attempt": True}
    # Nothing points at the real account as though it had done something.
    assert entry.object_id != str(real.pk)
    assert not AuditEntry.objects.filter(actor=real).exists()
