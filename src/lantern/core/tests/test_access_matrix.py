"""Walk every URL for every role and check who gets in. A URL without a rule fails here."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.core.testing import AgencyFactory, TeamFactory, make_user, sign_in
from lantern.core.tests.matrix import ANYONE_SIGNED_IN, PUBLIC, all_expectations, all_url_names

URL_NAMES = sorted(all_url_names())
EXPECTATIONS = all_expectations()


def test_every_url_has_an_access_expectation():
    missing = [name for name in URL_NAMES if name not in EXPECTATIONS]
    assert missing == [], f"add these URLs to an app's tests/access_expectations.py: {missing}"


def test_every_view_declares_its_access_rule():
    undeclared = [
        name for name, view in all_url_names().items() if not hasattr(view, "lantern_access")
    ]
    assert undeclared == [], f"decorate these views from accounts/access.py: {undeclared}"


def test_no_expectation_names_a_url_that_does_not_exist():
    assert sorted(set(EXPECTATIONS) - set(URL_NAMES)) == []


@pytest.fixture
def world(db):
    agency = AgencyFactory(name="Matrix voluntary organisation")
    return SimpleNamespace(
        agency=agency,
        team=TeamFactory(agency=agency),
        other_user=make_user(Role.PARTNER_PRACTITIONER, agency=agency),
    )


@pytest.mark.parametrize("url_name", URL_NAMES)
def test_access_matrix(url_name, world, client):
    expect = EXPECTATIONS[url_name]
    url = reverse(url_name, kwargs=expect.kwargs(world))
    login_url = resolve_url(settings.LOGIN_URL)
    outcomes = {}

    client.logout()
    response = getattr(client, expect.method)(url)
    if expect.allowed == PUBLIC:
        assert response.status_code in (200, 302, expect.ok_status), f"anonymous: {response}"
    elif expect.signs_out:
        assert response.status_code == 302
    else:
        assert response.status_code == 302 and urlsplit(response.url).path == login_url, (
            f"anonymous user was not sent to sign in: {response.status_code}"
        )

    for role in Role.values:
        user = make_user(role)
        client.logout()
        sign_in(client, user)
        response = getattr(client, expect.method)(url)
        let_in = response.status_code in (200, expect.ok_status) or (
            response.status_code == 302 and urlsplit(response.url).path != login_url
        )
        outcomes[role] = response.status_code
        if expect.signs_out:
            assert response.status_code == 302 and "_auth_user_id" not in client.session
        elif expect.allowed in (PUBLIC, ANYONE_SIGNED_IN) or role in expect.allowed:
            assert let_in, f"{role} should reach {url_name}; got {response.status_code}"
        else:
            assert response.status_code in (403, 404), (
                f"{role} should be refused {url_name}; got {response.status_code}"
            )


def test_entity_details_follow_their_source_for_every_role(world, client):
    """Issue 21 in the matrix: a person the police corrected (police only) and a partner's note
    links to. Every role: who opens the page, and who reads the police-only details."""
    from lantern.entities import editing, services
    from lantern.entities.models import Entity, EntityKind
    from lantern.entities.tests.helpers import NOW, person

    analyst = make_user(Role.POLICE_INTELLIGENCE)
    details = {"dob": "2007-05-14", "postcode": "NM4 7QT"}
    services.create_note(
        author=analyst, text="Police", mentions=[person("Tyler", "Brennock", **details)], now=NOW
    )
    entity = Entity.objects.get(kind=EntityKind.PERSON)
    editing.correct_entity(
        entity,
        actor=analyst,
        expected_version=entity.version,
        reason="Operation",
        now=NOW,
        handling="police",
        aliases="Ghostline",
        description="Police only intelligence",
    )
    services.create_note(
        author=world.other_user,
        text="Partner",
        mentions=[person("Tyler", "Brennock", **details)],
        now=NOW,
    )
    url = reverse("entities:detail", kwargs={"pk": entity.pk})
    for role in Role.values:
        agency = {"agency": world.agency} if role == Role.PARTNER_PRACTITIONER else {}
        user = make_user(role, **agency)
        client.logout()
        sign_in(client, user)
        response = client.get(url)
        page = response.content.decode()
        if role in (Role.POLICE_INTELLIGENCE, Role.POLICE_SUPERVISOR):
            assert response.status_code == 200 and "Ghostline" in page, role
        elif role == Role.PARTNER_PRACTITIONER:
            assert response.status_code == 200 and "Tyler Brennock" in page, role
            assert "Ghostline" not in page and "Police only intelligence" not in page, role
        else:
            assert response.status_code in (403, 404), role
