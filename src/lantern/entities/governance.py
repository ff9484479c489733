"""People (nominals) for subject access: the person record and the records that mention them."""

from __future__ import annotations

from lantern.entities.models import Entity, EntityKind
from lantern.governance import registry


def find_person(officer, pk: int):
    return Entity.objects.filter(pk=pk, kind=EntityKind.PERSON).first()


def person_items(kind: str, entity) -> list[registry.Item]:
    rows = [
        ("Name", entity.label, False),
        ("First name", entity.first_name, False),
        ("Surname", entity.surname, False),
        ("Aliases", entity.aliases, False),
        ("Date of birth", f"{entity.dob:%d %B %Y}" if entity.dob else "", False),
        ("Address", entity.address, False),
        ("Postcode", entity.postcode, False),
        ("Phone", entity.phone, False),
        ("Description", entity.description, False),
    ]
    items = [registry.Item("Person record", rows, entity)]
    for mention in entity.mentions.order_by("mentioned_at", "pk"):
        items.append(
            registry.Item(
                f"Mentioned on {mention.mentioned_at:%d %B %Y}",
                [("As written", mention.raw_text, False)],
                mention,
            )
        )
    return items


registry.register_subject_kind(
    registry.SubjectKind("person", "Person (nominal)", find_person, lambda e: f"person {e.pk}")
)
registry.register_subject_source(
    registry.SubjectSource("entities", frozenset({"person"}), person_items)
)
