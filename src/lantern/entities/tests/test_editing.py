"""Analysts correct an entity's details: optimistic locking, audit, and the entity's history."""

from datetime import date

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.audit.models import AuditEntry
from lantern.core.errors import EditConflict
from lantern.core.testing import make_user, sign_in
from lantern.entities import editing
from lantern.entities.models import Entity, EntityEvent, EntityKind
from lantern.entities.services import MentionInput
from lantern.entities.tests.helpers import NOW, first_mention, person

pytestmark = pytest.mark.django_db


def a_location():
    return first_mention(
        MentionInput(EntityKind.LOCATION, "Riverside Hotel", {"postcode": "NM1 4AB"})
    ).entity


def test_correcting_a_location_saves_coordinates_with_history_and_audit():
    location = a_location()
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    event = editing.correct_entity(
        location,
        actor=analyst,
        expected_version=location.version,
        reason="Checked on the map",
        now=NOW,
        premises_type="hotel",
        latitude=53.48,
        longitude=-2.24,
    )
    location.refresh_from_db()
    assert (location.latitude, location.longitude, location.premises_type) == (
        53.48,
        -2.24,
        "hotel",
    )
    assert event.kind == EntityEvent.Kind.CORRECT and event.reason == "Checked on the map"
    assert event.changes["latitude"] == ["", "53.48"]
    audit = AuditEntry.objects.filter(object_type="entities.entity", object_id=str(location.pk))
    assert audit.filter(action="update", reason="Checked on the map").exists()


def test_a_stale_correction_is_a_conflict_and_writes_nothing():
    location = a_location()
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    stale = location.version
    editing.correct_entity(
        location, actor=analyst, expected_version=stale, reason="First", now=NOW, label="A"
    )
    with pytest.raises(EditConflict):
        editing.correct_entity(
            Entity.objects.get(pk=location.pk),
            actor=analyst,
            expected_version=stale,
            reason="Second",
            now=NOW,
            label="B",
        )
    assert Entity.objects.get(pk=location.pk).label == "A"
    assert EntityEvent.objects.filter(kind="correct").count() == 1


def test_correcting_a_persons_name_updates_the_keys_they_are_matched_on():
    entity = first_mention(person("Jon", "Smyth", dob="2008-03-04")).entity
    editing.correct_entity(
        entity,
        actor=make_user(Role.POLICE_INTELLIGENCE),
        expected_version=entity.version,
        reason="Spelling from the birth certificate",
        now=NOW,
        first_name="Jonathan",
        surname="Smith",
        dob=date(2008, 3, 4),
        age=None,
    )
    entity.refresh_from_db()
    assert (entity.first_norm, entity.surname_norm) == ("jonathan", "smith")
    assert entity.birth_year_lo == entity.birth_year_hi == 2008


def test_a_correction_without_a_reason_or_with_half_the_coordinates_is_refused():
    location = a_location()
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    with pytest.raises(editing.CorrectionRefused) as no_reason:
        editing.correct_entity(
            location, actor=analyst, expected_version=0, reason=" ", now=NOW, label="X"
        )
    with pytest.raises(editing.CorrectionRefused) as half:
        editing.correct_entity(
            location, actor=analyst, expected_version=0, reason="R", now=NOW, latitude=53.0
        )
    assert (no_reason.value.field, half.value.field) == ("reason", "longitude")


def test_the_edit_page_corrects_a_vehicle_and_shows_it_in_the_history(client):
    vehicle = first_mention(MentionInput(EntityKind.VEHICLE, "YX12 ABC")).entity
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    url = reverse("entities:edit", kwargs={"pk": vehicle.pk})
    form = client.get(url)
    assert "make" in form.context["form"].fields and "latitude" not in form.context["form"].fields
    response = client.post(
        url,
        {
            "label": "YX12 ABC",
            "make": "Ford",
            "model": "Transit",
            "colour": "White",
            "reason": "Seen on CCTV",
            "version": vehicle.version,
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("entities:detail", kwargs={"pk": vehicle.pk})).content.decode()
    assert "Ford Transit, White" in page and "Seen on CCTV" in page


def test_the_edit_page_keeps_bad_input_with_errors_by_the_field(client):
    location = a_location()
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    response = client.post(
        reverse("entities:edit", kwargs={"pk": location.pk}),
        {"label": "Riverside Hotel", "latitude": "north", "postcode": "NM1 4AB", "ward": "x"},
    )
    errors = response.context["form"].errors
    assert response.status_code == 200 and set(errors) >= {"latitude", "reason", "ward"}
    assert 'value="north"' in response.content.decode()
    assert not EntityEvent.objects.exists()


def test_a_stale_edit_page_says_someone_else_changed_it(client):
    location = a_location()
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    url = reverse("entities:edit", kwargs={"pk": location.pk})
    data = {"label": "Riverside Hotel", "reason": "R", "version": location.version}
    client.post(url, {**data, "label": "First"})
    second = client.post(url, {**data, "label": "Second"})
    assert second.status_code == 200 and "Someone else changed" in second.content.decode()
    assert Entity.objects.get(pk=location.pk).label == "First"


def test_a_partner_cannot_open_the_edit_page(client):
    location = a_location()
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    assert client.get(reverse("entities:edit", kwargs={"pk": location.pk})).status_code in (
        403,
        404,
    )


def test_a_place_can_be_put_in_a_ward_and_taken_out_again():
    from lantern.core.models import Ward

    location = a_location()
    ward = Ward.objects.create(name="Testward", code="TW1")
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    editing.correct_entity(
        location, actor=analyst, expected_version=location.version, reason="In", now=NOW, ward=ward
    )
    assert Entity.objects.get(pk=location.pk).ward == ward
    editing.correct_entity(
        location, actor=analyst, expected_version=location.version, reason="Out", now=NOW, ward=None
    )
    assert Entity.objects.get(pk=location.pk).ward is None
    assert EntityEvent.objects.get(reason="In").changes == {"ward": ["", "Testward"]}
    assert EntityEvent.objects.get(reason="Out").changes == {"ward": ["Testward", ""]}
