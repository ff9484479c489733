"""Police roles need a police agency, and a role that sees full intelligence or restricted
records takes effect only when a second administrator approves it (issue 25)."""

from __future__ import annotations

import pytest

from lantern.accounts import role_grants, services
from lantern.accounts.models import AgencyKind, RoleGrant
from lantern.accounts.roles import Role
from lantern.audit.models import AuditEntry
from lantern.core.testing import AgencyFactory, make_user, sign_in

pytestmark = pytest.mark.django_db


def _new_user(actor, roles, agency):
    return services.create_user(
        actor,
        username="newstarter",
        full_name="New Starter",
        email="new@example.org",
        password="a-long-enough-test-password-1",
        roles=roles,
        agency=agency,
    )


def test_a_police_role_for_someone_outside_a_police_agency_is_refused():
    admin = make_user(Role.ADMINISTRATOR)
    youth = AgencyFactory(name="Youth Service", kind=AgencyKind.COUNCIL)
    with pytest.raises(services.AccountRefused, match="police agency") as refused:
        _new_user(admin, [Role.POLICE_INTELLIGENCE], youth)
    assert refused.value.field == "roles"


def test_adding_a_police_role_to_a_youth_worker_is_refused_on_the_page(client):
    sign_in(client, make_user(Role.ADMINISTRATOR))
    youth = AgencyFactory(name="Youth Service", kind=AgencyKind.COUNCIL)
    worker = make_user(Role.PARTNER_PRACTITIONER, agency=youth)

    response = client.post(
        f"/manage/users/{worker.pk}/",
        {
            "version": worker.version,
            "username": worker.username,
            "full_name": worker.full_name,
            "email": worker.email,
            "agency": youth.pk,
            "roles": [Role.PARTNER_PRACTITIONER, Role.POLICE_INTELLIGENCE],
            "is_active": "on",
        },
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "A police role needs a police agency" in body
    assert worker.role_codes == {Role.PARTNER_PRACTITIONER}
    assert not RoleGrant.objects.exists()


def test_a_role_that_sees_full_intelligence_waits_for_a_second_administrator():
    first, second = make_user(Role.ADMINISTRATOR), make_user(Role.ADMINISTRATOR)
    police = AgencyFactory(name="Test police", kind=AgencyKind.POLICE)

    user = _new_user(first, [Role.POLICE_INTELLIGENCE], police)

    assert Role.POLICE_INTELLIGENCE not in user.role_codes
    grant = RoleGrant.objects.get(user=user)
    assert grant.role == Role.POLICE_INTELLIGENCE and grant.requested_by == first
    with pytest.raises(role_grants.GrantRefused, match="another administrator"):
        role_grants.approve(first, grant)

    role_grants.approve(second, grant)

    user.__dict__.pop("role_codes", None)
    assert Role.POLICE_INTELLIGENCE in user.role_codes
    grant.refresh_from_db()
    assert grant.decided_by == second and grant.status == "approved"
    assert AuditEntry.objects.filter(object_type="accounts.rolegrant", action="update").exists()


def test_a_second_administrator_approves_on_the_page(client):
    first = make_user(Role.ADMINISTRATOR)
    social_care = AgencyFactory(name="Test social care", kind=AgencyKind.CHILDRENS_SOCIAL_CARE)
    user = _new_user(first, [Role.CSE_SOCIAL_WORKER], social_care)
    grant = RoleGrant.objects.get(user=user)
    sign_in(client, make_user(Role.ADMINISTRATOR))

    listing = client.get("/manage/role-grants/").content.decode()
    response = client.post(f"/manage/role-grants/{grant.pk}/", {"decision": "approve"})

    assert "New Starter" in listing
    assert response.status_code == 302
    user.__dict__.pop("role_codes", None)
    assert Role.CSE_SOCIAL_WORKER in user.role_codes
