"""Administrators manage agencies, teams and users; every change is audited, nothing deleted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lantern.accounts.models import Agency, AgencyKind, User
from lantern.accounts.roles import Role
from lantern.audit.models import AuditAction, AuditEntry
from lantern.core.testing import AgencyFactory, TeamFactory, make_user, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    return sign_in(client, make_user(Role.ADMINISTRATOR, username="root"))


def user_form_data(**overrides):
    data = {
        "full_name": "Jordan Example",
        "username": "jordan",
        "email": "jordan@example.org",
        "job_title": "School nurse",
        "phone": "",
        "agency": "",
        "team": "",
        "manager": "",
        "roles": [Role.PARTNER_PRACTITIONER],
    }
    data.update(overrides)
    return data


def test_admin_adds_an_agency_and_it_is_audited(client, admin):
    response = client.post(
        reverse("accounts:agency-create"),
        {"name": "Northmere Fire Service", "kind": AgencyKind.OTHER},
    )
    agency = Agency.objects.get(name="Northmere Fire Service")
    assert response.url == reverse("accounts:agency-detail", args=[agency.pk])
    entry = AuditEntry.objects.get(object_type="accounts.agency", action=AuditAction.CREATE)
    assert entry.actor == admin


def test_an_agency_with_no_name_is_refused_and_the_typed_values_kept(client, admin):
    response = client.post(
        reverse("accounts:agency-create"),
        {"name": "", "short_name": "<b>FS</b>", "kind": AgencyKind.OTHER},
    )
    body = response.content.decode()
    assert "Enter the agency&#x27;s name" in body or "Enter the agency's name" in body
    assert "&lt;b&gt;FS&lt;/b&gt;" in body
    assert Agency.objects.count() == 1  # only the admin's own


def test_admin_creates_a_user_with_roles_and_no_password_until_they_accept(client, admin):
    agency = AgencyFactory(name="Test health")
    response = client.post(
        reverse("accounts:user-create"),
        user_form_data(agency=agency.pk, roles=[Role.PARTNER_PRACTITIONER, Role.COUNCILLOR]),
    )
    user = User.objects.get(username="jordan")
    assert response.status_code == 302
    assert user.role_codes == {Role.PARTNER_PRACTITIONER, Role.COUNCILLOR}
    assert not user.has_usable_password()  # chosen from the invitation link (test_invitations)
    assert AuditEntry.objects.filter(
        object_type="accounts.user", object_id=str(user.pk), action=AuditAction.CREATE
    ).exists()


def test_user_creation_refuses_bad_input_field_by_field(client, admin):
    other = AgencyFactory(name="Other agency")
    team = TeamFactory(agency=other)
    make_user(username="taken")
    response = client.post(
        reverse("accounts:user-create"),
        user_form_data(
            username="TAKEN",
            email="not-an-email",
            roles=[],
            agency="",
            team=team.pk,
            full_name="<script>alert(1)</script>",
        ),
    )
    errors = response.context["form"].errors
    assert set(errors) >= {"username", "email", "roles", "team"}
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()
    assert not User.objects.filter(email="not-an-email").exists()


def test_editing_a_user_records_what_changed(client, admin):
    user = make_user(Role.PARTNER_PRACTITIONER, username="jordan", full_name="Jordan Old")
    data = user_form_data(
        full_name="Jordan New",
        version=user.version,
        is_active="on",
        agency=user.agency.pk,
        roles=[Role.PARTNER_PRACTITIONER],
    )
    response = client.post(reverse("accounts:user-detail", args=[user.pk]), data)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.full_name == "Jordan New"
    entry = AuditEntry.objects.get(object_id=str(user.pk), action=AuditAction.UPDATE)
    assert entry.details["changes"]["full_name"] == ["Jordan Old", "Jordan New"]


def test_two_admins_editing_the_same_user_get_a_conflict_not_an_overwrite(client, admin):
    user = make_user(Role.PARTNER_PRACTITIONER, username="jordan", full_name="Jordan Old")
    stale_version = user.version
    User.objects.filter(pk=user.pk).update(full_name="Changed elsewhere", version=stale_version + 1)
    data = user_form_data(
        full_name="Mine", version=stale_version, is_active="on", agency=user.agency.pk
    )
    response = client.post(reverse("accounts:user-detail", args=[user.pk]), data)
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    assert 'value="Mine"' in response.content.decode()
    user.refresh_from_db()
    assert user.full_name == "Changed elsewhere"


def test_an_admin_cannot_remove_their_own_admin_role(client, admin):
    data = user_form_data(
        username="root",
        full_name=admin.full_name,
        email=admin.email,
        version=admin.version,
        is_active="on",
        agency=admin.agency.pk,
        roles=[Role.BOARD_MEMBER],
    )
    response = client.post(reverse("accounts:user-detail", args=[admin.pk]), data)
    assert "cannot remove your own administrator role" in response.content.decode()
    assert Role.ADMINISTRATOR in User.objects.get(pk=admin.pk).role_codes


def test_archiving_an_agency_needs_a_reason_and_no_active_users(client, admin):
    agency = AgencyFactory(name="Closing charity")
    member = make_user(agency=agency)
    url = reverse("accounts:agency-archive", args=[agency.pk])
    assert "Enter the reason" in client.post(url, {"archive-reason": ""}).content.decode()
    response = client.post(url, {"archive-reason": "Merged into another charity"})
    assert "still has active users" in response.content.decode()
    User.objects.filter(pk=member.pk).update(is_active=False)
    response = client.post(url, {"archive-reason": "Merged into another charity"})
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.is_active is False and agency.archived_reason == "Merged into another charity"


def test_an_unknown_user_is_a_404_in_the_design(client, admin):
    response = client.get(reverse("accounts:user-detail", args=[999999]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_reading_a_user_record_is_audited(client, admin):
    user = make_user()
    client.get(reverse("accounts:user-detail", args=[user.pk]))
    assert AuditEntry.objects.filter(
        actor=admin, action=AuditAction.READ, object_id=str(user.pk)
    ).exists()


def test_the_admin_home_page_shows_who_still_needs_a_second_factor(client, admin):
    make_user(Role.CSE_SOCIAL_WORKER, username="no-app-yet")
    make_user(Role.BOARD_MEMBER, username="not-required")
    response = client.get("/")
    panel = next(p for p in response.context["panels"] if "awaiting_second_factor" in p)
    # The admin signed in through the test helper, which gives them an authenticator.
    assert panel["awaiting_second_factor"] == 1
