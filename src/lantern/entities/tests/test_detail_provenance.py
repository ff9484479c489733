"""Every detail on an entity carries where it came from, and a reader sees only the details
whose source they may see (issue 21): a partner linked to a person never reads the police's
corrections of that person through the entity page, the chart, search or the hot spots."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.core.testing import AgencyFactory, make_user, sign_in
from lantern.entities.models import Entity, EntityKind, Mention

pytestmark = pytest.mark.django_db

PERSON = {"first_name": "Tyler", "surname": "Brennock", "dob": "2007-05-14", "postcode": "NM4 7QT"}
NICKNAME = "Ghostline"
ADDRESS = "Flat 9, Quarry Mill, Northmere"
DESCRIPTION = "Police only: believed to run the county line"


def _write_note(client, user, text):
    sign_in(client, user)
    response = client.post(
        reverse("entities:note-create"), {"text": text, "action": "save", **PERSON}
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _police_corrected_person(client):
    """The attack's first half: the analyst's note, then a police-only correction."""
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    _write_note(client, analyst, "Intelligence: seen with older males")
    entity = Entity.objects.get(kind=EntityKind.PERSON)
    response = client.post(
        reverse("entities:edit", kwargs={"pk": entity.pk}),
        {
            "label": f"Tyler Brennock ({NICKNAME})",
            "first_name": "Tyler",
            "surname": "Brennock",
            "aliases": NICKNAME,
            "dob": "2007-05-14",
            "address": ADDRESS,
            "postcode": "NM4 7QT",
            "description": DESCRIPTION,
            "handling": "police",
            "reason": "Intelligence from an operation",
            "version": entity.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return entity, analyst


def _partner_links(client):
    partner = make_user(
        Role.PARTNER_PRACTITIONER, agency=AgencyFactory(name="Northmere youth service")
    )
    _write_note(client, partner, "Came to the youth club, seemed frightened")
    return partner


def test_a_partner_linked_to_a_person_does_not_read_the_police_only_details(client):
    entity, _ = _police_corrected_person(client)
    partner = _partner_links(client)
    assert Mention.objects.filter(entity=entity).count() == 2  # linked automatically

    sign_in(client, partner)
    response = client.get(reverse("entities:detail", kwargs={"pk": entity.pk}))

    assert response.status_code == 200
    page = response.content.decode()
    assert NICKNAME not in page
    assert ADDRESS not in page and "Quarry Mill" not in page
    assert DESCRIPTION not in page and "county line" not in page
    # The label falls back to what the partner's own note says.
    assert "Tyler Brennock" in page


def test_the_analyst_still_sees_the_correction_with_where_it_came_from(client):
    entity, analyst = _police_corrected_person(client)
    _partner_links(client)
    sign_in(client, analyst)
    page = client.get(reverse("entities:detail", kwargs={"pk": entity.pk})).content.decode()
    assert NICKNAME in page and ADDRESS in page and DESCRIPTION in page
    assert "Police only" in page and str(analyst) in page
