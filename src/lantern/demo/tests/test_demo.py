"""`lantern demo` builds the fictional borough, the same every time, with a sign-in per role."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction

from lantern.accounts.models import Agency, User
from lantern.accounts.roles import Role
from lantern.audit.services import verify_chain
from lantern.core.models import Ward
from lantern.core.testing import sign_in
from lantern.demo.borough import DEMO_ACCOUNTS

pytestmark = pytest.mark.django_db


def test_demo_loads_every_role_and_prints_the_sign_ins(capsys):
    call_command("demo", no_serve=True)
    out = capsys.readouterr().out
    assert {a.role for a in DEMO_ACCOUNTS} == set(Role.values)
    for account in DEMO_ACCOUNTS:
        assert account.username in out
        assert User.objects.get(username=account.username).role_codes == {account.role}
    assert Ward.objects.count() >= 20
    assert Agency.objects.count() >= 10
    assert "Every password is" in out


def _users_made_with_seed(seed: int) -> list[tuple[str, str]]:
    """Load the demo with `seed`, read back its users, then roll the load back."""
    with transaction.atomic():
        call_command("demo", no_serve=True, seed=seed)
        users = list(User.objects.order_by("username").values_list("username", "full_name"))
        transaction.set_rollback(True)
    return users


def test_demo_is_deterministic_for_a_seed():
    first = _users_made_with_seed(7)
    assert User.objects.count() == 0
    assert _users_made_with_seed(7) == first
    assert _users_made_with_seed(8) != first


def test_running_demo_twice_keeps_the_data(capsys):
    call_command("demo", no_serve=True)
    count = User.objects.count()
    call_command("demo", no_serve=True)
    assert User.objects.count() == count
    assert "already loaded" in capsys.readouterr().out


def test_every_demo_role_gets_a_working_home_page(client):
    call_command("demo", no_serve=True)
    for account in DEMO_ACCOUNTS:
        client.logout()
        sign_in(client, User.objects.get(username=account.username))
        response = client.get("/")
        assert response.status_code == 200, account.username
        assert Role(account.role).label in response.content.decode()


def test_the_audit_chain_is_intact_after_the_demo():
    call_command("demo", no_serve=True)
    assert verify_chain().ok


def test_demo_totp_prints_a_code_for_a_demo_user(capsys):
    call_command("demo", no_serve=True)
    capsys.readouterr()
    call_command("totp", "analyst")
    assert capsys.readouterr().out.strip().isdigit()


def test_demo_only_runs_the_named_generators(capsys):
    from lantern.children.models import Child
    from lantern.intake.models import Submission

    call_command("demo", no_serve=True, only="borough,children")
    out = capsys.readouterr().out
    assert "  children:" in out and "  intake:" not in out
    assert Child.objects.exists()
    assert not Submission.objects.exists()


def test_demo_only_names_an_unknown_generator():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no demo generator called nonsense"):
        call_command("demo", no_serve=True, only="borough,nonsense")
    assert not User.objects.exists()


def test_demo_places_have_coordinates_inside_their_wards_so_the_map_has_points(client):
    from lantern.demo.borough import ward_area
    from lantern.entities.models import Entity, EntityKind
    from lantern.entities.queries import hot_spot_map_data, hot_spots

    call_command("demo", no_serve=True, only="borough,entities")
    places = Entity.objects.filter(kind=EntityKind.LOCATION, is_active=True)
    assert places.exists()
    for place in places:
        assert place.ward is not None, place.label
        south, west, north, east = ward_area(place.ward.name)
        assert south <= place.latitude <= north, place.label
        assert west <= place.longitude <= east, place.label
    analyst = User.objects.get(username="analyst")
    from django.utils import timezone

    today = timezone.localdate()
    rows = hot_spots(analyst, start=today.replace(year=today.year - 1), end=today)
    assert len(hot_spot_map_data(rows)) == len(rows) > 0
