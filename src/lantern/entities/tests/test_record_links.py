"""Mentions from any record: children, missing episodes and tasking actions, through the
generic "Mention an entity" page, with the record's own access rule deciding who may."""

from datetime import timedelta

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.audit.models import AuditEntry
from lantern.children import services as children_services
from lantern.children.tests.factories import NOW, make_child, make_missing
from lantern.core.testing import make_user, sign_in
from lantern.entities.models import Entity, EntityKind, Mention
from lantern.entities.services import MentionInput
from lantern.entities.tests.helpers import note_mentioning
from lantern.risk.levels import RiskLevel
from lantern.tasking.tests.factories import an_action, tasking_world

pytestmark = pytest.mark.django_db


def mention_url(record):
    meta = record._meta
    return reverse(
        "entities:mention-add",
        kwargs={"app_label": meta.app_label, "model_name": meta.model_name, "pk": record.pk},
    )


def test_a_found_missing_episode_mentions_where_the_child_was_found():
    child = make_child()
    episode = make_missing(child)
    worker = child.created_by
    children_services.record_found(
        worker,
        episode,
        found_at=NOW - timedelta(days=1),
        where_found="Riverside Hotel, Northmere",
        now=NOW,
        expected_version=episode.version,
    )
    (mention,) = Mention.objects.filter(object_id=episode.pk, content_type__model="missingepisode")
    assert mention.kind == EntityKind.LOCATION
    assert mention.raw_text == "Riverside Hotel, Northmere"
    assert mention.entity.kind == EntityKind.LOCATION
    assert mention.created_by == worker


def test_where_found_is_mentioned_once_however_often_the_episode_is_saved():
    child = make_child()
    episode = children_services.record_missing_episode(
        child.created_by,
        child,
        reported_at=NOW - timedelta(days=2),
        found_at=NOW - timedelta(days=1),
        where_found="Northmere bus station",
        risk_level=RiskLevel.MEDIUM,
        cse_related=True,
        notes="",
        now=NOW,
    )
    episode.notes = "Saved again"
    episode.save()
    assert (
        Mention.objects.filter(object_id=episode.pk, raw_text="Northmere bus station").count() == 1
    )


def test_an_episode_found_twice_at_one_place_links_both_to_one_location():
    child = make_child()
    first, second = make_missing(child), make_missing(child, reported_at=NOW - timedelta(days=9))
    for episode in (first, second):
        children_services.record_found(
            child.created_by,
            episode,
            found_at=NOW - timedelta(hours=1),
            where_found="Park Lane car park",
            now=NOW,
            expected_version=episode.version,
        )
    entities = set(
        Mention.objects.filter(raw_text="Park Lane car park").values_list("entity", flat=True)
    )
    assert len(entities) == 1


def test_a_social_worker_mentions_a_vehicle_from_a_childs_record(client):
    child = make_child()
    sign_in(client, child.created_by)
    response = client.post(
        mention_url(child), {"kind": "vehicle", "text": "YX12 ABC", "colour": "Silver"}
    )
    assert response.status_code == 302
    mention = Mention.objects.get(object_id=child.pk, content_type__model="child")
    assert mention.entity.identifier == "YX12ABC" and mention.entity.colour == "Silver"
    assert AuditEntry.objects.filter(
        object_type="entities.mention", object_id=str(mention.pk)
    ).exists()


def test_a_partner_cannot_mention_from_a_child_they_cannot_see(client):
    child = make_child()
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    response = client.post(mention_url(child), {"kind": "vehicle", "text": "YX12 ABC"})
    assert response.status_code == 404
    assert not Mention.objects.exists()


def test_an_action_owner_mentions_a_phone_and_an_outsider_is_refused(client):
    world = tasking_world()
    action = an_action(world)
    sign_in(client, world.outsider)
    refused = client.post(mention_url(action), {"kind": "phone", "text": "0113 496 0123"})
    sign_in(client, world.nurse)
    saved = client.post(mention_url(action), {"kind": "phone", "text": "0113 496 0123"})
    assert refused.status_code == 404 and saved.status_code == 302
    assert Mention.objects.get(object_id=action.pk).normalised == "+441134960123"


def test_a_record_type_that_cannot_mention_is_not_found(client):
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    url = reverse(
        "entities:mention-add", kwargs={"app_label": "accounts", "model_name": "user", "pk": 1}
    )
    assert client.get(url).status_code == 404


def test_a_bad_mention_is_shown_again_by_the_field_and_nothing_is_saved(client):
    child = make_child()
    sign_in(client, child.created_by)
    response = client.post(mention_url(child), {"kind": "person", "dob": "2009-02-31", "age": "x"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"surname", "dob", "age"}
    assert not Mention.objects.exists()


def test_the_entity_page_shows_a_childs_mention_only_to_those_who_may_see_the_child(client):
    child = make_child(restricted=True)
    sign_in(client, child.created_by)
    client.post(mention_url(child), {"kind": "vehicle", "text": "YX12 ABC"})
    entity = Entity.objects.get(identifier="YX12ABC")
    partner = make_user(Role.PARTNER_PRACTITIONER)
    note_mentioning(MentionInput(EntityKind.VEHICLE, "YX12ABC"), author=partner)
    sign_in(client, partner)
    partner_view = client.get(reverse("entities:detail", kwargs={"pk": entity.pk}))
    assert partner_view.status_code == 200
    assert child.first_name not in partner_view.content.decode()
    assert [row["mention"].content_type.model for row in partner_view.context["timeline"]] == [
        "note"
    ]
