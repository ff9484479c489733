"""A property of the entity page (issue 21): for any reader, of any role and agency, nothing
on an entity's page comes from a record the reader cannot open, nor from a correction whose
handling keeps it from them."""

from __future__ import annotations

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from lantern.accounts.access import can
from lantern.accounts.roles import Role
from lantern.core.testing import AgencyFactory, make_user, sign_in
from lantern.entities import editing, services
from lantern.entities.models import Entity, EntityKind
from lantern.entities.services import MentionInput
from lantern.entities.tests.helpers import NOW

WRITER_ROLES = [Role.POLICE_INTELLIGENCE, Role.PARTNER_PRACTITIONER, Role.CSE_SOCIAL_WORKER]
READER_ROLES = [
    Role.PARTNER_PRACTITIONER,
    Role.POLICE_INTELLIGENCE,
    Role.POLICE_SUPERVISOR,
    Role.CSE_SOCIAL_WORKER,
    Role.MACE_CHAIR,
]
# Written so each normalises to the same plate: they link exactly, whatever the order.
PLATES = ["YX12 ABC", "YX12ABC", "yx12 abc", "Yx12 Abc"]

notes = st.lists(
    st.tuples(st.sampled_from(WRITER_ROLES), st.integers(0, 2)), min_size=1, max_size=4
)
corrections = st.lists(st.sampled_from(["police", "shared"]), max_size=3)
readers = st.tuples(st.sampled_from(READER_ROLES), st.one_of(st.none(), st.integers(0, 2)))


class EntityPageProperty(TestCase):
    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(notes=notes, corrections=corrections, reader=readers)
    def test_nothing_on_the_page_comes_from_a_source_the_reader_cannot_open(
        self, notes, corrections, reader
    ):
        agencies = [AgencyFactory(name=f"Property agency {i}") for i in range(3)]
        written = []
        for index, (role, agency) in enumerate(notes):
            own = {} if role in _POLICE else {"agency": agencies[agency]}
            author = make_user(role, **own)
            mention = MentionInput(
                EntityKind.VEHICLE,
                PLATES[index],
                {"make": f"Makemark{index}", "model": f"Modelmark{index}"},
            )
            note = services.create_note(author=author, text="Seen", mentions=[mention], now=NOW)
            written.append(note)
        van = Entity.objects.get(kind=EntityKind.VEHICLE)
        analyst = make_user(Role.POLICE_INTELLIGENCE)
        for index, handling in enumerate(corrections):
            van.refresh_from_db()
            editing.correct_entity(
                van,
                actor=analyst,
                expected_version=van.version,
                reason="Checked",
                now=NOW,
                handling=handling,
                colour=f"Colourmark{index}",
                description=f"Descmark{index}",
            )

        role, agency = reader
        user = make_user(role, **({} if agency is None else {"agency": agencies[agency]}))
        sign_in(self.client, user)
        response = self.client.get(reverse("entities:detail", kwargs={"pk": van.pk}))
        if response.status_code == 404:
            assert not any(can(user, "view", note) for note in written)
            return
        assert response.status_code == 200
        page = response.content.decode()
        for index, note in enumerate(written):
            if f"Makemark{index}" in page or f"Modelmark{index}" in page:
                assert can(user, "view", note), f"note {index} shown to {role}"
        for index, handling in enumerate(corrections):
            if f"Colourmark{index}" in page or f"Descmark{index}" in page:
                assert handling == "shared" or user.is_police, f"correction {index} to {role}"
        # Every detail shown says where it came from, and that is a source the reader may open.
        for row in response.context["provenance"]:
            assert row.source.startswith(("Note ", "Correction "))


_POLICE = {Role.POLICE_INTELLIGENCE, Role.POLICE_SUPERVISOR}
