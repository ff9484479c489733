import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.audit.models import AuditEntry
from lantern.core.testing import make_user, sign_in
from lantern.entities import extraction
from lantern.entities.models import Entity, EntityEvent, EntityKind, Mention, Note
from lantern.entities.services import MentionInput
from lantern.entities.tests.helpers import note_mentioning

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client):
    return sign_in(client, make_user(Role.POLICE_INTELLIGENCE))


def test_identifiers_are_found_in_free_text():
    text = (
        "Seen in a silver car YX12 ABC, then a van yx12 a?c near NM1 4AB. Rang 0113 496 0123 "
        "and messaged kid@example.org; snapchat @dark.knight"
    )
    found = {(c.kind, c.normalised) for c in extraction.find_candidates(text)}
    assert found >= {
        (EntityKind.VEHICLE, "YX12ABC"),
        (EntityKind.VEHICLE, "YX12A?C"),
        (EntityKind.LOCATION, "NM1 4AB"),
        (EntityKind.PHONE, "+441134960123"),
        (EntityKind.EMAIL, "kid@example.org"),
        (EntityKind.ONLINE, "dark.knight"),
    }


def test_extract_returns_a_fragment_for_htmx_and_a_page_without_javascript(client, analyst):
    url = reverse("entities:extract")
    fragment = client.post(url, {"text": "car YX12 ABC"}, headers={"HX-Request": "true"})
    page = client.post(url, {"text": "car YX12 ABC"})
    assert b"<html" not in fragment.content and b"YX12 ABC" in fragment.content
    assert b"<html" in page.content and b"YX12 ABC" in page.content


def test_writing_a_note_offers_identifiers_and_records_only_those_ticked(client, analyst):
    url = reverse("entities:note-create")
    text = "Car YX12 ABC outside, phone 0113 496 0123"
    found = client.post(url, {"text": text, "action": "find"})
    assert b"Vehicle: YX12 ABC" in found.content and not Note.objects.exists()
    key = extraction.find_candidates(text)[0].key
    saved = client.post(url, {"text": text, "action": "save", "candidates": [key]})
    note = Note.objects.get()
    assert saved.status_code == 302
    assert list(Mention.objects.values_list("raw_text", flat=True)) == ["YX12 ABC"]
    assert AuditEntry.objects.filter(object_type="entities.note", object_id=str(note.pk)).exists()


def test_a_bad_note_is_shown_again_with_messages_and_the_text_kept(client, analyst):
    response = client.post(
        reverse("entities:note-create"),
        {"text": "<script>alert(1)</script>", "action": "save", "dob": "2009-02-31", "age": "x"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and not Note.objects.exists()
    assert "There is a problem" in page
    assert "Enter the date of birth as a real date" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_merge_page_refuses_without_a_reason_and_keeps_the_input(client, analyst):
    _, first = note_mentioning(MentionInput(EntityKind.PHONE, "07700 900001"))
    _, second = note_mentioning(MentionInput(EntityKind.PHONE, "07700 900002"))
    url = reverse("entities:merge", kwargs={"pk": first[0].entity_id})
    response = client.post(url, {"other": second[0].entity_id, "reason": ""})
    assert "Say why these are the same" in response.content.decode()
    assert f'value="{second[0].entity_id}"' in response.content.decode()
    assert not EntityEvent.objects.exists()
    missing = client.post(url, {"other": 999999, "reason": "Same"})
    assert "There is no entity with that reference number" in missing.content.decode()


def test_merge_and_split_through_the_pages(client, analyst):
    _, first = note_mentioning(MentionInput(EntityKind.PHONE, "07700 900001"))
    _, second = note_mentioning(MentionInput(EntityKind.PHONE, "07700 900002"))
    keep, other = first[0].entity_id, second[0].entity_id
    client.post(reverse("entities:merge", kwargs={"pk": keep}), {"other": other, "reason": "Same"})
    assert Mention.objects.filter(entity_id=keep).count() == 2
    merge = EntityEvent.objects.get()
    client.post(reverse("entities:split", kwargs={"pk": merge.pk}), {"reason": "Not the same"})
    assert Mention.objects.filter(entity_id=keep).count() == 1
    assert Entity.objects.get(pk=other).is_active


def test_confirming_a_suggested_plate_through_the_page(client, analyst):
    _, known = note_mentioning(MentionInput(EntityKind.VEHICLE, "YX12 ABC"))
    _, partial = note_mentioning(MentionInput(EntityKind.VEHICLE, "YX12 A?C"))
    suggestion = partial[0].suggestions.get()
    listing = client.get(reverse("entities:suggestions")).content.decode()
    assert "YX12 A?C" in listing
    url = reverse("entities:suggestion-decide", kwargs={"pk": suggestion.pk})
    assert "Select yes or no" in client.post(url, {}).content.decode()
    response = client.post(url, {"decision": "confirm"})
    assert response.status_code == 302
    assert Mention.objects.get(pk=partial[0].pk).entity_id == known[0].entity_id


def test_hot_spots_filter_by_premises_type_and_reject_a_backwards_period(client, analyst):
    note_mentioning(MentionInput(EntityKind.LOCATION, "Station Hotel", {"premises_type": "hotel"}))
    note_mentioning(MentionInput(EntityKind.LOCATION, "Mill Park", {"premises_type": "park"}))
    url = reverse("entities:hotspots")
    page = client.get(
        url, {"period_start": "2025-01-01", "period_end": "2025-12-31", "premises_type": "hotel"}
    ).content.decode()
    assert "Station Hotel" in page and "Mill Park" not in page
    bad = client.get(url, {"period_start": "2025-06-01", "period_end": "2025-01-01"})
    assert "The end of the period must be on or after its start" in bad.content.decode()


def test_the_entity_page_is_audited_and_shows_the_network_with_a_table(client, analyst):
    _, mentions = note_mentioning(
        MentionInput(EntityKind.VEHICLE, "YX12 ABC"),
        MentionInput(EntityKind.PHONE, "0113 496 0123"),
    )
    van = mentions[0].entity
    page = client.get(reverse("entities:detail", kwargs={"pk": van.pk})).content.decode()
    assert 'id="network-chart"' in page and 'id="network-table"' in page
    assert "0113 496 0123" in page
    assert AuditEntry.objects.filter(
        object_type="entities.entity", object_id=str(van.pk), action="read"
    ).exists()


def test_cross_referencing_opens_with_the_matches_waiting_and_home_counts_the_same(client, analyst):
    note_mentioning(MentionInput(EntityKind.VEHICLE, "YX12 ABC"))
    note_mentioning(MentionInput(EntityKind.VEHICLE, "YX12 A?C"))
    note_mentioning(MentionInput(EntityKind.VEHICLE, "YX12 AB?"))
    start = client.get(reverse("entities:search"))
    assert start.context["waiting_count"] == 2
    assert [s.mention.raw_text for s in start.context["oldest"]] == ["YX12 A?C", "YX12 AB?"]
    assert "Suggested matches waiting: 2" in start.content.decode()
    # The home page's count links to the queue, which holds exactly that many.
    rows = {row["label"]: row for row in client.get("/").context["needs"]}
    row = rows["suggested matches waiting for a decision"]
    queue = client.get(row["href"])
    assert row["count"] == queue.context["total"] == len(queue.context["suggestions"]) == 2
    # A search shows its results instead of the queue.
    searched = client.get(reverse("entities:search"), {"q": "YX12"})
    assert searched.context["results"] is not None and "waiting_count" not in searched.context


def test_a_partner_sees_no_suggestion_queue_on_cross_referencing(client):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    note_mentioning(MentionInput(EntityKind.VEHICLE, "YX12 ABC"))
    note_mentioning(MentionInput(EntityKind.VEHICLE, "YX12 A?C"))
    page = client.get(reverse("entities:search"))
    assert page.status_code == 200  # partners may search, but do not decide matches
    assert "waiting_count" not in page.context
    assert not [r for r in client.get("/").context["needs"] if "suggested" in r["label"]]
