"""Resolving mentions: exact identifiers, people written the way partners write them, and the
people who must be kept apart."""

import random

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from lantern.accounts.roles import Role
from lantern.core.testing import make_user
from lantern.entities import batch, linkage, services, synthetic
from lantern.entities.models import (
    Entity,
    EntityKind,
    LinkMethod,
    Mention,
    RejectedMatch,
    SuggestedMatch,
    SuggestionStatus,
)
from lantern.entities.services import MentionInput
from lantern.entities.tests.helpers import NOW, first_mention, note_mentioning, person

pytestmark = pytest.mark.django_db

KNOWN = {"dob": "2008-04-11", "gender": "M", "postcode": "NM1 4AB", "phone": "07700 900123"}


def known_person():
    return first_mention(person("Jonathan", "Hartley", **KNOWN))


@pytest.mark.parametrize(
    "first,surname,changes",
    [
        ("Jonathan", "Hartley", {}),
        ("JONATHAN", "HARTLEY", {}),
        ("Jonny", "Hartley", {}),
        ("Jon", "Hartley", {"phone": ""}),
        ("Jonathon", "Hartely", {}),
        ("Hartley", "Jonathan", {}),
        ("Jonathan", "Hartley", {"dob": "2008-11-04"}),
        ("Jonathan", "Hartley", {"dob": "", "age": 17}),
        ("Jonathan", "Hartley", {"gender": "", "phone": ""}),
    ],
    ids=[
        "same",
        "upper case",
        "nickname",
        "short form",
        "typos",
        "names swapped",
        "day and month swapped",
        "age estimate",
        "missing fields",
    ],
)
def test_a_person_written_differently_is_found(first, surname, changes):
    known = known_person()
    mention = first_mention(person(first, surname, **{**KNOWN, **changes}))
    linked = mention.entity_id == known.entity_id
    suggested = SuggestedMatch.objects.filter(mention=mention, entity=known.entity).exists()
    assert linked or suggested


def test_transliteration_variants_are_found():
    known = first_mention(person("Mohammed", "Rahman", dob="2007-02-03", postcode="NM2 1AA"))
    mention = first_mention(person("Muhammad", "Rahman", dob="2007-02-03", postcode="NM2 1AA"))
    assert (
        mention.entity_id == known.entity_id
        or mention.suggestions.filter(entity=known.entity).exists()
    )


def test_an_exact_match_links_automatically_and_says_why():
    known = known_person()
    mention = first_mention(person("Jonathan", "Hartley", **KNOWN))
    assert mention.entity_id == known.entity_id
    assert mention.method == LinkMethod.AUTOMATIC
    assert mention.probability >= 0.99
    assert mention.model_version is not None
    fields = {row["field"]: row["level"] for row in mention.explanation}
    assert fields["names"] == "Exact" and fields["birth"] == "Same date of birth"


def test_siblings_at_the_same_address_are_not_merged():
    known = known_person()
    sibling = first_mention(person("Daniel", "Hartley", dob="2010-09-23", postcode="NM1 4AB"))
    assert sibling.entity_id != known.entity_id
    assert not sibling.suggestions.filter(entity=known.entity).exists()


def test_a_sibling_sharing_the_household_phone_is_at_most_suggested_never_linked():
    known = known_person()
    sibling = first_mention(person("Daniel", "Hartley", **{**KNOWN, "dob": "2010-09-23"}))
    assert sibling.entity_id != known.entity_id
    for suggestion in sibling.suggestions.all():
        weights = {row["field"]: row["weight"] for row in suggestion.explanation}
        assert weights["names"] < 0 and weights["birth"] < 0


def test_twins_at_the_same_address_are_not_merged():
    known = known_person()
    twin = first_mention(person("Matthew", "Hartley", **KNOWN))
    assert twin.entity_id != known.entity_id


def test_namesakes_with_different_dates_of_birth_are_not_merged():
    known = known_person()
    namesake = first_mention(person("Jonathan", "Hartley", dob="1979-08-30", postcode="NM9 9ZZ"))
    assert namesake.entity_id != known.entity_id
    assert not namesake.suggestions.filter(entity=known.entity).exists()


@override_settings(LANTERN_AUTO_LINK_PROBABILITY=0.999999999)
def test_below_the_automatic_threshold_a_match_is_suggested_not_linked():
    known = known_person()
    mention = first_mention(person("Jonny", "Hartley", dob="2008-04-11", postcode="NM1 4AB"))
    assert mention.entity is None and mention.method == LinkMethod.PENDING
    suggestion = mention.suggestions.get()
    assert suggestion.entity == known.entity and suggestion.status == SuggestionStatus.OPEN
    assert suggestion.explanation


@override_settings(LANTERN_AUTO_LINK_PROBABILITY=0.999999999)
def test_a_rejected_match_is_never_suggested_again():
    known = known_person()
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    mention = first_mention(person("Jonny", "Hartley", dob="2008-04-11", postcode="NM1 4AB"))
    services.reject_suggestion(mention.suggestions.get(), actor=analyst, now=NOW, reason="Cousin")
    mention.refresh_from_db()
    assert RejectedMatch.objects.filter(mention=mention, entity=known.entity).exists()
    assert mention.method == LinkMethod.NEW and mention.entity_id != known.entity_id
    mention.entity, mention.method = None, LinkMethod.PENDING
    services.resolve_mention(mention, now=NOW)
    assert not mention.suggestions.filter(
        status=SuggestionStatus.OPEN, entity=known.entity
    ).exists()


@override_settings(LANTERN_AUTO_LINK_PROBABILITY=0.999999999)
def test_confirming_a_suggestion_links_the_mention():
    known = known_person()
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    mention = first_mention(person("Jonny", "Hartley", dob="2008-04-11", postcode="NM1 4AB"))
    services.confirm_suggestion(mention.suggestions.get(), actor=analyst, now=NOW)
    mention.refresh_from_db()
    assert mention.entity_id == known.entity_id and mention.method == LinkMethod.CONFIRMED
    assert mention.linked_by == analyst


def test_a_decided_suggestion_cannot_be_decided_again():
    with override_settings(LANTERN_AUTO_LINK_PROBABILITY=0.999999999):
        known_person()
        mention = first_mention(person("Jonny", "Hartley", dob="2008-04-11", postcode="NM1 4AB"))
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    suggestion = mention.suggestions.get()
    services.confirm_suggestion(suggestion, actor=analyst, now=NOW)
    with pytest.raises(services.ResolutionRefused):
        services.reject_suggestion(suggestion, actor=analyst, now=NOW)


def test_phone_numbers_written_differently_link_exactly():
    known = first_mention(MentionInput(EntityKind.PHONE, "07700 900456"))
    mention = first_mention(MentionInput(EntityKind.PHONE, "+44 7700 900456"))
    assert mention.entity_id == known.entity_id and mention.method == LinkMethod.EXACT


def test_an_unparseable_phone_number_is_kept_flagged_and_matched_only_exactly():
    known = first_mention(MentionInput(EntityKind.PHONE, "the number on the card"))
    same = first_mention(MentionInput(EntityKind.PHONE, "the number on the card"))
    assert not known.normalised_ok and known.entity.identifier_ok is False
    assert same.entity_id == known.entity_id


def test_a_partial_plate_is_suggested_for_the_full_plate_it_fits():
    known = first_mention(MentionInput(EntityKind.VEHICLE, "YX12 ABC"))
    first_mention(MentionInput(EntityKind.VEHICLE, "YX12 ABD"))
    partial = first_mention(MentionInput(EntityKind.VEHICLE, "yx12 a?c"))
    assert partial.entity is None
    assert [s.entity_id for s in partial.suggestions.all()] == [known.entity_id]


def test_a_full_plate_links_exactly_whatever_the_spacing():
    known = first_mention(MentionInput(EntityKind.VEHICLE, "YX12 ABC"))
    mention = first_mention(MentionInput(EntityKind.VEHICLE, "yx12abc"))
    assert mention.entity_id == known.entity_id
    assert Entity.objects.filter(kind=EntityKind.VEHICLE).count() == 1


def test_python_scoring_gives_the_same_probabilities_as_splink():
    rows, _ = synthetic.uk_people(400, seed=11)
    records = [
        linkage.prepare_person(
            r["record_id"],
            first_name=r["first_name"],
            surname=r["surname"],
            dob=services.norm.date_of_birth(r["dob"]),
            age=int(r["age_estimate"]) if r["age_estimate"] else None,
            age_on=synthetic.REFERENCE_DAY,
            gender=r["gender"],
            postcode=r["postcode"],
            phone=r["phone"],
            address=r["address"],
        )
        for r in rows
    ]
    model_json = services.current_model_version().splink_json
    rng = random.Random(3)
    pairs = [(records[i], records[i + 1]) for i in range(0, 120, 2)]
    pairs += [(rng.choice(records), rng.choice(records)) for _ in range(40)]
    splink = batch.score_pairs_with_splink(model_json, pairs)
    python = [linkage.TrainedModel(model_json).score(a, b).probability for a, b in pairs]
    assert python == pytest.approx(splink, abs=1e-9)


def test_retraining_writes_a_new_version_and_old_links_keep_theirs():
    known = known_person()
    old = first_mention(person("Jonathan", "Hartley", **KNOWN))
    for i in range(12):
        first_mention(person(f"Person{i}", "Example", dob=f"20{i:02d}-01-0{1 + i % 9}"))
    version = services.retrain(now=NOW)
    old.refresh_from_db()
    assert version.number == old.model_version.number + 1
    assert old.model_version.number == 1 and old.entity_id == known.entity_id


def test_mentions_left_waiting_are_resolved_by_the_periodic_job():
    _, mentions = note_mentioning(MentionInput(EntityKind.PHONE, "07700 900777"))
    waiting = mentions[0]
    Mention.objects.filter(pk=waiting.pk).update(entity=None, method=LinkMethod.PENDING)
    assert services.resolve_pending(NOW) == 1
    assert services.resolve_pending(NOW) == 0
    waiting.refresh_from_db()
    assert waiting.entity is not None and waiting.method == LinkMethod.EXACT


def test_retrain_command_refuses_without_enough_people():
    known_person()
    with pytest.raises(CommandError, match="At least 10 person mentions"):
        call_command("entities", "retrain")
