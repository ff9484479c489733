"""A partner sees a shared entity only through records they may see, and learns nothing from
the records they may not: no counts, no co-mentions, no network nodes, no suggestions."""

import pytest
from django.urls import reverse

from lantern.accounts.access import visible
from lantern.accounts.models import Agency
from lantern.accounts.roles import Role
from lantern.core.testing import AgencyFactory, make_user, sign_in
from lantern.entities import queries
from lantern.entities.models import Entity, EntityKind, Mention
from lantern.entities.services import MentionInput, add_mentions
from lantern.entities.tests.helpers import NOW, note_mentioning

pytestmark = pytest.mark.django_db

VAN = MentionInput(EntityKind.VEHICLE, "YX12 ABC")
SECRET_PHONE = MentionInput(EntityKind.PHONE, "07700 900999")


@pytest.fixture
def shared_van():
    """A van known from a police note (with a phone only police may see) and from a health
    partner's note."""
    police = make_user(Role.POLICE_INTELLIGENCE)
    health = make_user(Role.PARTNER_PRACTITIONER, agency=AgencyFactory(name="Northmere health"))
    police_note, _ = note_mentioning(VAN, SECRET_PHONE, author=police, text="Police only")
    health_note, mentions = note_mentioning(VAN, author=health, text="Seen outside school")
    return mentions[0].entity, police_note, health_note, health


def test_a_partner_sees_only_their_own_records_on_a_shared_entity(client, shared_van):
    van, police_note, health_note, health = shared_van
    sign_in(client, health)
    response = client.get(reverse("entities:detail", kwargs={"pk": van.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Note {health_note.pk}" in page
    assert f"Note {police_note.pk}" not in page


def test_a_partner_learns_nothing_from_a_record_they_cannot_see(client, shared_van):
    van, _, _, health = shared_van
    phone = Entity.objects.get(kind=EntityKind.PHONE)
    sign_in(client, health)
    page = client.get(reverse("entities:detail", kwargs={"pk": van.pk})).content.decode()
    assert "07700" not in page and "+447700900999" not in page
    assert queries.co_mentioned(health, van) == []
    nodes, edges = queries.network(health, van)
    assert [n.entity for n in nodes] == [van] and edges == []
    assert client.get(reverse("entities:detail", kwargs={"pk": phone.pk})).status_code == 404


def test_an_analyst_sees_every_record_and_the_network(client, shared_van):
    van, police_note, health_note, _ = shared_van
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    sign_in(client, analyst)
    page = client.get(reverse("entities:detail", kwargs={"pk": van.pk})).content.decode()
    assert f"Note {police_note.pk}" in page and f"Note {health_note.pk}" in page
    nodes, edges = queries.network(analyst, van)
    assert {n.entity.kind for n in nodes} == {EntityKind.VEHICLE, EntityKind.PHONE}
    assert len(edges) == 1


def test_an_entity_known_only_from_hidden_records_does_not_exist_for_a_partner(client):
    police = make_user(Role.POLICE_INTELLIGENCE)
    note_mentioning(SECRET_PHONE, author=police)
    partner = make_user(Role.PARTNER_PRACTITIONER)
    sign_in(client, partner)
    phone = Entity.objects.get()
    assert client.get(reverse("entities:detail", kwargs={"pk": phone.pk})).status_code == 404
    response = client.get(reverse("entities:search"), {"q": "07700 900999"})
    assert "0 found" in response.content.decode()


def test_mentions_from_another_record_type_follow_that_type_s_own_rule():
    # Agencies are visible to administrators only: a mention in an agency record (standing
    # in here for a future intake submission) is hidden from everyone else.
    agency = Agency.objects.create(name="Source agency", kind="council")
    add_mentions(agency, [VAN], actor=None, now=NOW)
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    admin_with_view = make_user(roles=[Role.ADMINISTRATOR, Role.PARTNER_PRACTITIONER])
    assert visible(analyst, Mention.objects.all()).count() == 0
    assert visible(admin_with_view, Mention.objects.all()).count() == 1


def test_hot_spots_count_only_visible_records(shared_van):
    _, _, _, health = shared_van
    police = make_user(Role.POLICE_INTELLIGENCE)
    park = MentionInput(EntityKind.LOCATION, "Canal Side park", {"premises_type": "park"})
    note_mentioning(park, author=police)
    note_mentioning(park, author=police)
    note_mentioning(park, author=health)
    assert [h.mentions for h in queries.hot_spots(police, start=NOW.date(), end=NOW.date())] == [3]
    assert [h.mentions for h in queries.hot_spots(health, start=NOW.date(), end=NOW.date())] == [1]


def test_the_network_charts_data_holds_only_what_the_user_may_see(client, shared_van):
    van, _, _, health = shared_van
    sign_in(client, health)
    partner_data = client.get(reverse("entities:detail", kwargs={"pk": van.pk})).context[
        "network_data"
    ]
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    analyst_data = client.get(reverse("entities:detail", kwargs={"pk": van.pk})).context[
        "network_data"
    ]
    assert [n["label"] for n in partner_data["nodes"]] == ["YX12 ABC"]
    assert partner_data["edges"] == []
    assert {n["kind"] for n in analyst_data["nodes"]} == {"vehicle", "phone"}
    assert [e["records"] for e in analyst_data["edges"]] == [1]


def test_the_busiest_co_mentions_are_listed_with_how_many_there_are(client):
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    phones = [
        MentionInput(EntityKind.PHONE, f"0113 496 {n:04d}")
        for n in range(queries.CO_MENTIONED_LIMIT + 2)
    ]
    note_mentioning(VAN, *phones, author=analyst)
    note_mentioning(VAN, phones[-1], author=analyst)
    van = Entity.objects.get(kind=EntityKind.VEHICLE)
    sign_in(client, analyst)
    response = client.get(reverse("entities:detail", kwargs={"pk": van.pk}))
    listed = response.context["co_mentioned"]
    assert len(listed) == queries.CO_MENTIONED_LIMIT
    assert listed[0] == (Entity.objects.get(identifier="+441134960051"), 2)
    assert response.context["co_mentioned_more"]
    assert "the 50 seen with it most often" in response.content.decode()


def test_the_timeline_pages_through_every_record_and_counts_only_visible_ones(client, shared_van):
    van, _, health_note, health = shared_van
    police = make_user(Role.POLICE_INTELLIGENCE)
    for hour in range(queries.TIMELINE_LIMIT + 5):
        note_mentioning(VAN, author=police, now=NOW.replace(hour=hour % 24, day=2 + hour // 24))
    url = reverse("entities:detail", kwargs={"pk": van.pk})
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    first = client.get(url)
    total = queries.TIMELINE_LIMIT + 7  # the police and health notes of the fixture too
    assert len(first.context["timeline"]) == queries.TIMELINE_LIMIT
    assert f"{total} records, newest first: 1 to {queries.TIMELINE_LIMIT}" in first.content.decode()
    last = client.get(url, {"page": "2"})
    assert len(last.context["timeline"]) == 7
    assert f"Note {health_note.pk}" in last.content.decode()  # the oldest come last
    # A page that is not a number is the first; one past the end is the last.
    assert client.get(url, {"page": "x"}).context["page_obj"].number == 1
    assert client.get(url, {"page": "99"}).context["page_obj"].number == 2
    sign_in(client, health)
    partner = client.get(url)
    assert [row["mention"].object_id for row in partner.context["timeline"]] == [health_note.pk]
    assert not partner.context["page_obj"].has_other_pages()
    assert "records, newest first" not in partner.content.decode()
