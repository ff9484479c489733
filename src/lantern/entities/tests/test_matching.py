"""Resolving mentions: exact identifiers, people written the way partners write them, and the
people who must be kept apart."""

import json
import random
from datetime import date

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
        levels = {row["field"]: row["level"] for row in suggestion.explanation}
        assert levels["names"] == "Surname agrees, given name differs"
        assert weights["birth"] < 0


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
    known = first_mention(MentionInput(EntityKind.PHONE, "0113 496 0456"))
    mention = first_mention(MentionInput(EntityKind.PHONE, "+44 113 496 0456"))
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


def prepared(
    uid, first, surname, dob="2008-04-11", postcode="NM1 4AB", address="12 Mill Road", gender=""
):
    return linkage.prepare_person(
        uid,
        first_name=first,
        surname=surname,
        dob=services.norm.date_of_birth(dob),
        gender=gender,
        postcode=postcode,
        address=address,
    )


# Pairs written the ways FEBRL and partners corrupt records, each landing on its own level.
LEVEL_CASES = [
    (("Jonat", "Hartley"), "names", "Same surname, nickname or short form"),
    (("Hartley", "Jonathna"), "names", "Given name and surname swapped, with typing errors"),
    (("", "Hartley"), "names", "Surname agrees, given name missing"),
    (("Jonathan", ""), "names", "Given name agrees, surname missing"),
    (("Hartley", ""), "names", "A name missing, the other agrees with the name swapped"),
    (("Jonnathen", "Smith"), "names", "Given name close, surname differs"),
    (("Jonathon", "Smith"), "names", "Given name agrees, surname differs"),
    (("Price", "Jonathan"), "names", "Given name and surname swapped"),
    (
        ("Webb", "Jnoathan"),
        "names",
        "Given name agrees with the other's surname, the other name differs",
    ),
    (("Matthew", "Hartly"), "names", "Different"),
    (("Matthew", "Hartley"), "names", "Surname agrees, given name differs"),
]


@pytest.mark.parametrize("written,comparison,level", LEVEL_CASES, ids=[c[2] for c in LEVEL_CASES])
def test_each_way_of_writing_a_name_lands_on_its_level(written, comparison, level):
    known = prepared(1, "Jonathan", "Hartley")
    if level == "Given name and surname swapped":
        known = prepared(1, "Jonathan", "Price")
    other = prepared(2, *written)
    found = linkage._level_of(linkage.NAMES, known, other).label
    assert found == level


def test_postcode_and_address_typing_errors_land_on_their_levels():
    known = prepared(1, "Jonathan", "Hartley", address="flat 3 mill road northmere")
    moved = prepared(2, "Jonathan", "Hartley", postcode="NM1 4BA", address="mill rd northmere")
    assert linkage._level_of(linkage.POSTCODE, known, moved).label == (
        "Postcode one typing error apart"
    )
    assert linkage._level_of(linkage.ADDRESS, known, moved).label == "Address shares two words"
    spaced = prepared(3, "Jonathan", "Hartley", address="flat3 mi ll road northmere")
    assert linkage._level_of(linkage.ADDRESS, known, spaced).label == (
        "Address within three typing errors"
    )


def test_python_and_splink_agree_on_every_new_level():
    known = prepared(1, "Jonathan", "Hartley", address="flat 3 mill road northmere")
    pairs = [(known, prepared(i + 2, *written)) for i, (written, _, _) in enumerate(LEVEL_CASES)]
    pairs += [
        (
            known,
            prepared(50, "Jonathan", "Hartley", postcode="NM1 4BA", address="mill rd northmere"),
        ),
        (known, prepared(51, "Jonathan", "Hartley", address="flat3 mi ll road northmere")),
        (prepared(52, "", ""), known),
    ]
    pairs += [(a, b) for a, b, _, _ in TWIN_AND_RELATIVE_CASES]
    model_json = services.current_model_version().splink_json
    splink = batch.score_pairs_with_splink(model_json, pairs)
    python = [linkage.TrainedModel(model_json).score(a, b).probability for a, b in pairs]
    assert python == pytest.approx(splink, abs=1e-9)


@pytest.mark.parametrize(
    "first,surname,changes",
    [
        ("Hartely", "Jonathan", {}),
        ("", "Hartley", {}),
        ("Jonathan", "Hartley", {"postcode": "NM1 4BA", "phone": ""}),
    ],
    ids=["swapped with a typo", "given name missing", "postcode typo"],
)
def test_more_ways_of_writing_a_person_are_found(first, surname, changes):
    known = known_person()
    mention = first_mention(person(first, surname, **{**KNOWN, **changes}))
    linked = mention.entity_id == known.entity_id
    suggested = SuggestedMatch.objects.filter(mention=mention, entity=known.entity).exists()
    assert linked or suggested


def test_a_twin_whose_surname_is_misspelt_is_still_not_merged():
    known = known_person()
    twin = first_mention(person("Matthew", "Hartly", **KNOWN))
    assert twin.entity_id != known.entity_id


def test_a_stored_model_from_before_a_level_was_added_still_scores():
    current = services.current_model_version().splink_json
    old = json.loads(json.dumps(current))
    names = next(c for c in old["comparisons"] if c["output_column_name"] == "names")
    names["comparison_levels"] = [
        level
        for level in names["comparison_levels"]
        if level["label_for_charts"] != "Given name close, surname differs"
    ]
    model = linkage.TrainedModel(old)
    known = prepared(1, "Jonathan", "Hartley")
    close = model.score(known, prepared(2, "Jonnathen", "Smith"))
    assert {a.comparison: a.weight for a in close.agreements}["names"] == 0.0
    exact = model.score(known, prepared(3, "Jonathan", "Hartley"))
    same = linkage.TrainedModel(current).score(known, prepared(3, "Jonathan", "Hartley"))
    assert exact.probability == pytest.approx(same.probability)


def test_live_candidates_include_every_pair_the_batch_blocking_compares():
    from django.utils import timezone

    rows, _ = synthetic.uk_people(300, seed=21)
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
    Entity.objects.bulk_create(
        [services.person_from_record(r, label=r["unique_id"], now=timezone.now()) for r in records]
    )
    label_of = dict(Entity.objects.filter(kind=EntityKind.PERSON).values_list("pk", "label"))
    compared = batch.blocked_pairs(records)
    assert compared  # the synthetic people include duplicates that the rules must block
    for record in records:
        found = {label_of[e.pk] for e in services.person_candidates(record)}
        expected = {b for a, b in compared if a == record["unique_id"]}
        expected |= {a for a, b in compared if b == record["unique_id"]}
        assert expected <= found, record["unique_id"]


def test_a_short_form_missing_from_the_nickname_table_is_found_and_not_read_as_a_twin():
    known = first_mention(person("Natalie", "Long", dob="2009-11-16", postcode="NM2 5WP"))
    mention = first_mention(person("Nat", "Long", dob="2009-11-16", postcode="NM2 5WP"))
    assert (
        mention.entity_id == known.entity_id
        or mention.suggestions.filter(entity=known.entity).exists()
    )


# Twins and parents who must never be linked however much else agrees, and the ways of writing
# one person that must still count as close: (left, right, comparison, level).
TWIN_AND_RELATIVE_CASES = [
    (
        prepared(60, "Alice", "Hartley", gender="F"),
        prepared(61, "Oliver", "Hartley", gender="M"),
        "names",
        "Given names close or swapped, recorded gender differs",
    ),
    (
        prepared(62, "David", "Hartley", gender="M"),
        prepared(63, "Katie", "Hartley", gender="F"),
        "names",
        "Given names close or swapped, recorded gender differs",
    ),
    (
        prepared(64, "Dean", "Hartley", gender="M"),
        prepared(65, "Ian", "Hartley", gender="M"),
        "names",
        "Surname agrees, given name differs",
    ),
    (
        prepared(66, "Daniel", "Hartley", gender="M"),
        prepared(67, "David", "Hartley", gender="M"),
        "names",
        "Surname agrees, given name differs",
    ),
    (
        prepared(68, "Stephen", "Stephens", gender="M"),
        prepared(69, "Damien", "Stephens", gender="M"),
        "names",
        "Surname agrees, given name differs",
    ),
    (
        prepared(70, "Jonathan", "Hartley", dob="2002-06-02"),
        prepared(71, "Jonathan", "Hartley", dob="2023-06-02"),
        "birth",
        "Different",
    ),
    (
        prepared(72, "Jonathan", "Hartley", dob="2008-04-11"),
        prepared(73, "Jonathan", "Hartley", dob="2008-07-14"),
        "birth",
        "Date of birth two typing errors apart, within ten years",
    ),
    (
        prepared(74, "Christina", "Hartley", gender="F"),
        # At another address: at the same door, with the same birthday, two distinct known
        # names are twins and vetoed (test_twins_with_known_names_a_typing_error_apart...).
        prepared(75, "Kristine", "Hartley", gender="F", address="3 Canal Side"),
        "names",
        "Surname agrees, given names of seven letters or more within three typing errors",
    ),
    (
        prepared(76, "Jcak", "Hartley", gender="M"),
        prepared(77, "Jack", "Hartely", gender="M"),
        "names",
        "Both names within two typing errors, one for a given name under six letters",
    ),
    # The price of the gender rule: a mistyped given name with a miscoded gender is vetoed.
    (
        prepared(78, "Joan", "Hartley", gender="F"),
        prepared(79, "Jon", "Hartley", gender="M"),
        "names",
        "Given names close or swapped, recorded gender differs",
    ),
]


@pytest.mark.parametrize(
    "left,right,comparison,level",
    TWIN_AND_RELATIVE_CASES,
    ids=[
        f"{c[0]['first_name']} {c[0]['dob']} - {c[1]['first_name']}"
        for c in TWIN_AND_RELATIVE_CASES
    ],
)
def test_twins_and_a_parent_of_one_name_land_on_vetoing_levels(left, right, comparison, level):
    found = linkage._level_of(getattr(linkage, comparison.upper()), left, right)
    assert found.label == level
    same_person = level.startswith(("Date of birth two", "Surname agrees, given names of", "Both"))
    assert linkage.vetoes(left, right) is not same_person


def test_a_mention_vetoed_by_any_mention_of_a_person_is_suggested_with_the_reason_not_linked():
    # The person was first recorded without a date of birth; a later mention gives it.
    undated = first_mention(person("Jonathan", "Hartley", **{**KNOWN, "dob": ""}))
    dated = first_mention(person("Jonathan", "Hartley", **KNOWN))
    if dated.entity_id != undated.entity_id:
        suggestion = dated.suggestions.get(entity=undated.entity)
        dated = services.confirm_suggestion(
            suggestion, actor=make_user(Role.POLICE_INTELLIGENCE), now=NOW
        )
    assert dated.entity_id == undated.entity_id
    # His father, of one name at one address, fits the entity's own (undated) fields, but not
    # the dated mention already on it.
    father = first_mention(person("Jonathan", "Hartley", **{**KNOWN, "dob": "1979-08-30"}))
    assert father.entity_id != undated.entity_id
    suggestion = father.suggestions.get(entity=undated.entity)
    assert suggestion.probability >= services.auto_link_probability()
    guard = [
        row for row in suggestion.explanation if row["field"] == "another mention of this person"
    ]
    assert len(guard) == 1 and f"mention {dated.pk}" in guard[0]["level"]
    assert guard[0]["level"].startswith("Birth: Different")
    # The son himself, written again, still links.
    again = first_mention(person("Jonathan", "Hartley", **KNOWN))
    assert again.entity_id == undated.entity_id


def test_the_same_street_with_another_house_number_is_not_the_same_address():
    known = prepared(1, "Jonathan", "Hartley", address="12 Mill Road")
    neighbour = prepared(2, "Jonathan", "Hartley", address="14 Mill Road")
    again = prepared(3, "Jonathan", "Hartley", address="12, Mill Road")
    assert linkage._level_of(linkage.ADDRESS, known, neighbour).label != "Same address"
    assert linkage._level_of(linkage.ADDRESS, known, again).label == "Same address"
    flat = prepared(4, "Jonathan", "Hartley", address="Flat 2, 12 Mill Road")
    other_flat = prepared(5, "Jonathan", "Hartley", address="Flat 5, 12 Mill Road")
    assert linkage._level_of(linkage.ADDRESS, flat, other_flat).label != "Same address"


def test_a_stored_person_keeps_the_house_number_of_their_address():
    entity = services.person_from_record(
        prepared(1, "Jonathan", "Hartley", address="12 Mill Road"), label="x", now=NOW
    )
    assert services.entity_record(entity)["address"] == "12 mill road"


# One person written with an unknown diminutive, transliteration or typing error: no veto.
UNKNOWN_VARIANT_CASES = [
    (("Imran", "Hussain"), ("Imy", "Hussain")),
    (("Zoltan", "Horvath"), ("Zoli", "Horvath")),
    (("Bilaal", "Khan"), ("Billa", "Khan")),
    (("Katherrine", "Hartley"), ("Kate", "Hartley")),
    (("Bilaal", "Nowak"), ("Billa", "Novak")),
]


@pytest.mark.parametrize(
    "one,other", UNKNOWN_VARIANT_CASES, ids=[f"{c[0][0]}-{c[1][0]}" for c in UNKNOWN_VARIANT_CASES]
)
def test_an_unknown_diminutive_or_typo_is_not_read_as_another_person(one, other):
    left = prepared(80, *one, gender="M")
    right = prepared(81, *other, gender="M")
    assert not linkage.vetoes(left, right), linkage.veto_reason(left, right)
    assert linkage.veto_reason(left, right) is None
    assert (
        linkage.TrainedModel(json.loads(services.DEFAULT_MODEL_PATH.read_text()))
        .score(left, right)
        .vetoed
        is False
    )
    # Nor across clusters: a cluster holding one way of writing the name may join the other.
    twins_kept = [prepared(82, *one, gender="M"), left]
    assert not batch._clusters_conflict(
        [r["unique_id"] for r in twins_kept],
        [81],
        {r["unique_id"]: r for r in [*twins_kept, right]},
    )


def test_twins_with_distinct_known_given_names_are_still_vetoed_whatever_else_agrees():
    for first, other in (("Dean", "Ian"), ("Daniel", "David"), ("Jonathan", "Matthew")):
        left, right = prepared(90, first, "Hartley"), prepared(91, other, "Hartley")
        assert linkage.vetoes(left, right, batch.CLUSTER_VETOES), (first, other)
        assert linkage.veto_reason(left, right) == "Names: Surname agrees, given name differs"
    # Different surnames and known distinct given names: two people.
    assert linkage.vetoes(prepared(92, "Dean", "Hartley"), prepared(93, "Ian", "Hartly"))
    # A name we do not recognise is no evidence of another person, whatever it starts with;
    # two recognised names still are (Aisha and Diana; Ibrahim and Isla).
    assert not linkage.vetoes(prepared(94, "Bilu", "Benson"), prepared(95, "Diana", "Benson"))
    assert linkage.vetoes(prepared(94, "Aisha", "Benson"), prepared(95, "Diana", "Benson"))
    ibrahim = prepared(96, "Ibrahim", "Baker", gender="M")
    assert linkage.vetoes(ibrahim, prepared(97, "Isla", "Baker", gender="F"))


def test_twins_with_known_names_a_typing_error_apart_are_vetoed_when_all_else_agrees():
    # Dean and Sean, Ian and Ivan: one letter apart, both names in their own right. Born the
    # same day at one door with one surname they are twins; elsewhere a typing error.
    for first, other in (("Dean", "Sean"), ("Ian", "Ivan"), ("Mark", "Mary")):
        twin, other_twin = prepared(100, first, "Hartley"), prepared(101, other, "Hartley")
        assert linkage.vetoes(twin, other_twin), (first, other)
        moved = prepared(102, other, "Hartley", address="3 Canal Side")
        assert not linkage.vetoes(twin, moved), (first, other)


VARIANT_KIND_CASES = [
    # (one way of writing, another, what makes them one person)
    (("Kuba", "Nowak"), ("Jakub", "Novak"), "Polish diminutive, surname changing Soundex"),
    (("Zoli", "Horvath"), ("Zoltán", "Horváth"), "Hungarian diminutive, diacritics"),
    (("Imy", "Khan"), ("Imran", "Khan"), "Urdu diminutive"),
    (("Mohd", "Hussain"), ("Muhammad", "Hussein"), "Arabic abbreviation and transliteration"),
    (("Gosia", "Kowalska"), ("Małgorzata", "Kowalska"), "Polish diminutive"),
    (("Fane", "Popescu"), ("Ștefan", "Popescu"), "Romanian diminutive"),
    (("Ondra", "Novotny"), ("Ondřej", "Novotný"), "Czech familiar form"),
    (("Jess", "Thomson"), ("Jesica", "Thompson"), "English diminutive plus a typing error"),
    (("Katherrine", "Smith"), ("Kate", "Smyth"), "typing error of a name whose nickname is used"),
]


@pytest.mark.parametrize(
    "one,other,kind", VARIANT_KIND_CASES, ids=[c[2] for c in VARIANT_KIND_CASES]
)
def test_each_kind_of_variant_is_compared_and_never_vetoed(one, other, kind):
    left = prepared(110, *one, dob="", postcode="", address="", gender="M")
    right = prepared(111, *other, dob="", postcode="", address="", gender="M")
    assert linkage.veto_reason(left, right) is None, kind
    label = linkage._level_of(linkage.NAMES, left, right).label
    assert label not in ("Different", "Surname agrees, given name differs"), (kind, label)


def test_the_same_person_written_jess_and_jesica_is_merged_by_the_batch_dedupe():
    rows = [
        prepared("a", "Jess", "Thomson", dob="2008-04-11"),
        prepared("b", "Jesica", "Thompson", dob="2008-04-11"),
    ]
    model = json.loads(services.DEFAULT_MODEL_PATH.read_text())
    clusters = batch.dedupe(rows, model, 0.5)
    assert clusters["a"] == clusters["b"]


def test_a_day_and_month_transposed_date_of_birth_is_its_own_level():
    known = prepared(120, "Jonathan", "Hartley", dob="2008-04-11")
    swapped = prepared(121, "Jonathan", "Hartley", dob="2008-11-04")
    assert linkage._level_of(linkage.BIRTH, known, swapped).label == "Day and month swapped"


def test_an_estimated_age_is_compared_with_a_date_of_birth_and_with_another_estimate():
    on = date(2025, 4, 1)
    dated = linkage.prepare_person(1, first_name="Jon", surname="Hartley", dob=date(2008, 4, 11))
    aged = linkage.prepare_person(2, first_name="Jon", surname="Hartley", age=16, age_on=on)
    aged_too = linkage.prepare_person(3, first_name="Jon", surname="Hartley", age=17, age_on=on)
    grown = linkage.prepare_person(4, first_name="Jon", surname="Hartley", age=45, age_on=on)
    assert linkage._level_of(linkage.BIRTH, dated, aged).label == (
        "Estimated age fits the date of birth"
    )
    assert linkage._level_of(linkage.BIRTH, aged, aged_too).label == "Two estimated ages agree"
    # Decades apart: a parent and child of one name, vetoed; a few years out: evidence only.
    assert linkage.veto_reason(dated, grown) == "Birth: Different"
    near = linkage.prepare_person(5, first_name="Jon", surname="Hartley", age=21, age_on=on)
    assert linkage._level_of(linkage.BIRTH, dated, near).label == "Different"
    assert linkage.veto_reason(dated, near) is None


def test_a_given_name_written_as_initials_matches_only_the_same_initials():
    initial = prepared(130, "J.", "Hartley")
    assert initial["first_name"] is None and initial["first_exact"] == "j."
    assert linkage._level_of(linkage.NAMES, initial, prepared(131, "j.", "Hartley")).label == (
        "Surname agrees, given name the same initials"
    )
    # Not a typing error away from a short name: J. is not Jo.
    label = linkage._level_of(linkage.NAMES, initial, prepared(132, "Jo", "Hartley")).label
    assert label == "Surname agrees, given name missing"
