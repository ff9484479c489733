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


def test_search_finds_nothing_by_a_detail_the_partner_may_not_see(client):
    _police_corrected_person(client)
    partner = _partner_links(client)
    sign_in(client, partner)
    by_nickname = client.get(reverse("entities:search"), {"q": NICKNAME}).content.decode()
    assert "0 found" in by_nickname and NICKNAME not in by_nickname.split("</form>")[-1]
    by_name = client.get(reverse("entities:search"), {"q": "Brennock"}).content.decode()
    assert "1 found" in by_name and NICKNAME not in by_name


def test_the_network_chart_names_a_neighbour_as_the_partner_s_own_record_does(client):
    from lantern.entities import editing, seen
    from lantern.entities.services import MentionInput
    from lantern.entities.tests.helpers import NOW, note_mentioning

    analyst = make_user(Role.POLICE_INTELLIGENCE)
    partner = make_user(Role.PARTNER_PRACTITIONER, agency=AgencyFactory(name="Northmere school"))
    van = MentionInput(EntityKind.VEHICLE, "YX12 ABC")
    phone = MentionInput(EntityKind.PHONE, "07700 900123")
    note_mentioning(van, phone, author=analyst)
    phone_entity = Entity.objects.get(kind=EntityKind.PHONE)
    editing.correct_entity(
        phone_entity,
        actor=analyst,
        expected_version=phone_entity.version,
        reason="Subscriber check",
        now=NOW,
        label="Burner used by the line",
    )
    note_mentioning(van, phone, author=partner, text="Both seen at the school gate")
    van_entity = Entity.objects.get(kind=EntityKind.VEHICLE)

    sign_in(client, partner)
    response = client.get(reverse("entities:detail", kwargs={"pk": van_entity.pk}))
    page = response.content.decode()
    assert "Burner used by the line" not in page
    labels = {node["label"] for node in response.context["network_data"]["nodes"]}
    assert labels == {"YX12 ABC", "07700 900123"}
    # The analyst sees their correction.
    analyst_view = seen.seen_one(analyst, phone_entity)
    assert analyst_view.label == "Burner used by the line"


def test_a_shared_correction_is_seen_by_the_partner_and_says_so(client):
    from lantern.entities import editing
    from lantern.entities.tests.helpers import NOW

    entity, analyst = _police_corrected_person(client)
    partner = _partner_links(client)
    entity.refresh_from_db()
    editing.correct_entity(
        entity,
        actor=analyst,
        expected_version=entity.version,
        reason="Safe to share with the youth service",
        now=NOW,
        handling="shared",
        ethnicity="White British",
    )
    sign_in(client, partner)
    page = client.get(reverse("entities:detail", kwargs={"pk": entity.pk})).content.decode()
    assert "Anyone who may see this entity through a record of their own" in page
    assert DESCRIPTION not in page


def test_hot_spots_hide_a_ward_and_type_from_a_police_only_correction(client):
    from lantern.core.models import Ward
    from lantern.entities import editing, queries
    from lantern.entities.services import MentionInput
    from lantern.entities.tests.helpers import NOW, note_mentioning

    ward = Ward.objects.create(name="Quarryside", code="QS1")
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    partner = make_user(Role.PARTNER_PRACTITIONER, agency=AgencyFactory(name="Northmere housing"))
    hotel = MentionInput(EntityKind.LOCATION, "Canal Lodge", {"postcode": "NM1 4AB"})
    note_mentioning(hotel, author=analyst)
    place = Entity.objects.get(kind=EntityKind.LOCATION)
    editing.correct_entity(
        place,
        actor=analyst,
        expected_version=place.version,
        reason="Operation",
        now=NOW,
        ward=ward,
        premises_type="hotel",
        latitude=53.4,
        longitude=-2.2,
    )
    note_mentioning(hotel, author=partner)
    window = {"start": NOW.date(), "end": NOW.date()}
    (spot,) = queries.hot_spots(partner, **window)
    assert spot.location.ward is None and spot.location.premises_type == ""
    assert queries.hot_spot_map_data([spot]) == []
    assert queries.hot_spots(partner, ward=ward, **window) == []
    assert queries.hot_spots(partner, premises_type="hotel", **window) == []
    (police_spot,) = queries.hot_spots(analyst, ward=ward, **window)
    assert police_spot.location.premises_type == "hotel"


def test_the_problem_profile_does_not_count_a_police_only_correction():
    from lantern.entities import editing, seen
    from lantern.entities.services import MentionInput
    from lantern.entities.tests.helpers import NOW, note_mentioning

    analyst = make_user(Role.POLICE_INTELLIGENCE)
    note_mentioning(MentionInput(EntityKind.LOCATION, "Canal Lodge"), author=analyst)
    place = Entity.objects.get(kind=EntityKind.LOCATION)
    editing.correct_entity(
        place,
        actor=analyst,
        expected_version=place.version,
        reason="Operation",
        now=NOW,
        premises_type="hotel",
    )
    place.refresh_from_db()
    assert seen.in_figures(place).premises_type == ""
    assert seen.in_figures(place).label == "Canal Lodge"


def test_a_reader_s_copy_cannot_be_saved(client):
    from lantern.entities import seen

    entity, analyst = _police_corrected_person(client)
    with pytest.raises(seen.SeenEntityIsReadOnly):
        seen.seen_one(analyst, entity).save()


def test_the_upgrade_gives_existing_details_their_mention_and_corrections_police_only(client):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("lantern.entities.migrations.0004_entity_detail_sources")
    entity, analyst = _police_corrected_person(client)
    _partner_links(client)
    Entity.objects.update(sources={})
    entity.events.update(handling="")

    migration.backfill_sources(apps, None)

    entity.refresh_from_db()
    first = Mention.objects.filter(entity=entity).order_by("pk").first()
    correction = entity.events.get()
    assert entity.sources["first_name"]["mention"] == first.pk
    assert entity.sources["aliases"] == {
        "correction": correction.pk,
        "handling": "police",
        "by": analyst.pk,
        "at": correction.at.isoformat(),
    }
    assert correction.handling == "police"
