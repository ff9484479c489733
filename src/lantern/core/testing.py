"""Test helpers shared by every app: factories and signing a test client in.

The three-agency shape follows Healthchecks' owner/member/outsider: a record's own agency, a
partner agency it was shared with, and an unrelated agency that must see nothing.
"""

from __future__ import annotations

import factory
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from lantern.accounts.models import Agency, AgencyKind, RoleAssignment, Team, User
from lantern.accounts.roles import Role

TEST_PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105 - test data


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test agency {n}")
    kind = AgencyKind.HEALTH


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(TEST_PASSWORD)


def make_user(
    role: str = Role.PARTNER_PRACTITIONER, *, roles: list[str] | None = None, **kwargs
) -> User:
    """A user holding `role` (or every role in `roles`), in an agency suited to the first."""
    roles = roles or [role]
    kwargs.setdefault("agency", default_agency_for(roles[0]))
    user = UserFactory(**kwargs)
    RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=r) for r in roles)
    return user


def default_agency_for(role: str) -> Agency | None:
    kinds = {
        Role.POLICE_INTELLIGENCE: ("Test police", AgencyKind.POLICE),
        Role.POLICE_SUPERVISOR: ("Test police", AgencyKind.POLICE),
        Role.CSE_SOCIAL_WORKER: ("Test social care", AgencyKind.CHILDRENS_SOCIAL_CARE),
        Role.MACE_CHAIR: ("Test social care", AgencyKind.CHILDRENS_SOCIAL_CARE),
        Role.MEMBER_OF_PUBLIC: None,
    }
    name_kind = kinds.get(role, ("Test council", AgencyKind.COUNCIL))
    if role == Role.PARTNER_PRACTITIONER:
        name_kind = ("Test health", AgencyKind.HEALTH)
    if name_kind is None:
        return None
    return AgencyFactory(name=name_kind[0], kind=name_kind[1])


def sign_in(client, user: User, *, second_factor: bool = True) -> User:
    """Sign a Django test client in as `user`, past the second factor when they need one."""
    client.force_login(user)
    if second_factor:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="Test authenticator", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return user
