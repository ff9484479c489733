import pytest

from lantern.accounts.roles import Role
from lantern.core.testing import make_user
from lantern.entities import services
from lantern.entities.models import Entity, EntityEvent, EntityKind, Mention
from lantern.entities.services import MentionInput
from lantern.entities.tests.helpers import NOW, note_mentioning

pytestmark = pytest.mark.django_db


def two_phones():
    _, first = note_mentioning(
        MentionInput(EntityKind.PHONE, "07700 900001"),
        MentionInput(EntityKind.PHONE, "07700 900001"),
    )
    _, second = note_mentioning(MentionInput(EntityKind.PHONE, "07700 900002"))
    return first[0].entity, second[0].entity


def snapshot():
    return dict(Mention.objects.values_list("pk", "entity_id"))


def test_merge_then_split_restores_every_mention_exactly():
    keep, absorb = two_phones()
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    before = snapshot()
    merge = services.merge_entities(keep, absorb, actor=analyst, reason="Same handset", now=NOW)
    assert set(snapshot().values()) == {keep.pk}
    absorb.refresh_from_db()
    assert absorb.merged_into == keep and not absorb.is_active
    services.split_entity(merge, actor=analyst, reason="Two handsets after all", now=NOW)
    assert snapshot() == before
    absorb.refresh_from_db()
    assert absorb.is_active and absorb.merged_into is None
    assert list(EntityEvent.objects.values_list("kind", flat=True)) == ["split", "merge"]


def test_a_merge_needs_a_reason_and_the_same_kind():
    keep, absorb = two_phones()
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    van = Entity.objects.create(kind=EntityKind.VEHICLE, label="Van", created_at=NOW)
    with pytest.raises(services.ResolutionRefused):
        services.merge_entities(keep, absorb, actor=analyst, reason=" ", now=NOW)
    with pytest.raises(services.ResolutionRefused):
        services.merge_entities(keep, van, actor=analyst, reason="Because", now=NOW)
    assert not EntityEvent.objects.exists()


def test_a_merge_cannot_be_undone_twice():
    keep, absorb = two_phones()
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    merge = services.merge_entities(keep, absorb, actor=analyst, reason="Same", now=NOW)
    services.split_entity(merge, actor=analyst, reason="Not the same", now=NOW)
    with pytest.raises(services.ResolutionRefused):
        services.split_entity(merge, actor=analyst, reason="Again", now=NOW)
