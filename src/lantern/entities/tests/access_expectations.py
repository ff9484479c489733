from lantern.accounts.roles import Role
from lantern.core.tests.matrix import Expect

VIEWERS = {
    Role.PARTNER_PRACTITIONER,
    Role.POLICE_INTELLIGENCE,
    Role.POLICE_SUPERVISOR,
    Role.CSE_SOCIAL_WORKER,
    Role.MACE_CHAIR,
}
RESOLVERS = {Role.POLICE_INTELLIGENCE, Role.POLICE_SUPERVISOR}


def _note(world):
    """A note by a partner in another agency: only analysts may see it or what it mentions."""
    from lantern.entities import services
    from lantern.entities.models import EntityKind
    from lantern.entities.tests.helpers import NOW

    return services.create_note(
        author=world.other_user,
        text="Seen with YX12 ABC",
        mentions=[services.MentionInput(EntityKind.VEHICLE, "YX12 ABC")],
        now=NOW,
    )


def _entity_pk(world):
    from lantern.entities.models import Mention

    return Mention.objects.get(object_id=_note(world).pk).entity_id


def _suggestion_pk(world):
    from lantern.entities import services
    from lantern.entities.models import EntityKind, SuggestedMatch
    from lantern.entities.tests.helpers import NOW

    _note(world)
    services.create_note(
        author=world.other_user,
        text="Partial plate",
        mentions=[services.MentionInput(EntityKind.VEHICLE, "YX12 A?C")],
        now=NOW,
    )
    return SuggestedMatch.objects.get().pk


def _merge_pk(world):
    from lantern.entities import services
    from lantern.entities.models import Entity
    from lantern.entities.tests.helpers import NOW

    keep = Entity.objects.get(pk=_entity_pk(world))
    other = Entity.objects.create(kind=keep.kind, label="YX12 ABD", created_at=NOW)
    return services.merge_entities(
        keep, other, actor=world.other_user, reason="Same van", now=NOW
    ).pk


EXPECTATIONS = {
    "entities:search": Expect(VIEWERS),
    "entities:detail": Expect(RESOLVERS, kwargs=lambda w: {"pk": _entity_pk(w)}),
    "entities:edit": Expect(RESOLVERS, kwargs=lambda w: {"pk": _entity_pk(w)}),
    "entities:mention-add": Expect(
        RESOLVERS,
        kwargs=lambda w: {"app_label": "entities", "model_name": "note", "pk": _note(w).pk},
        note="mentioning from a record needs its rule's change action: another agency's note "
        "may be changed only by analysts",
    ),
    "entities:merge": Expect(RESOLVERS, kwargs=lambda w: {"pk": _entity_pk(w)}),
    "entities:split": Expect(RESOLVERS, kwargs=lambda w: {"pk": _merge_pk(w)}),
    "entities:suggestions": Expect(RESOLVERS),
    "entities:suggestion-decide": Expect(RESOLVERS, kwargs=lambda w: {"pk": _suggestion_pk(w)}),
    "entities:note-create": Expect(VIEWERS),
    "entities:note-detail": Expect(
        RESOLVERS,
        kwargs=lambda w: {"pk": _note(w).pk},
        note="a note is seen by its author's agency and by analysts; this one is another agency's",
    ),
    "entities:extract": Expect(VIEWERS),
    "entities:hotspots": Expect(VIEWERS),
}
