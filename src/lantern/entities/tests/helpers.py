"""Test helpers: notes that mention people and identifiers, written at a controlled time."""

from __future__ import annotations

from datetime import UTC, datetime

from lantern.accounts.roles import Role
from lantern.core.testing import make_user
from lantern.entities import services
from lantern.entities.models import EntityKind, Mention
from lantern.entities.services import MentionInput

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def person(first="", surname="", *, dob="", age=None, gender="", postcode="", phone="", address=""):
    details = {
        "first_name": first,
        "surname": surname,
        "dob": dob,
        "age": age,
        "gender": gender,
        "postcode": postcode,
        "phone": phone,
        "address": address,
    }
    return MentionInput(EntityKind.PERSON, f"{first} {surname}".strip(), details)


def note_mentioning(*mentions: MentionInput, author=None, now=NOW, text="Information received"):
    author = author or make_user(Role.POLICE_INTELLIGENCE)
    note = services.create_note(author=author, text=text, mentions=list(mentions), now=now)
    return note, list(
        Mention.objects.filter(object_id=note.pk, content_type__model="note").order_by("pk")
    )


def first_mention(*mentions: MentionInput, **kwargs) -> Mention:
    return note_mentioning(*mentions, **kwargs)[1][0]
