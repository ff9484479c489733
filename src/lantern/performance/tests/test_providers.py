"""The briefing's and the problem profile's parts, built from real records made by the factories."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.children import measures
from lantern.children.models import ChildShare
from lantern.children.tests.factories import (
    make_assessment,
    make_child,
    make_mace,
    make_nominal,
    make_referral,
)
from lantern.core.models import Ward
from lantern.core.periods import Period
from lantern.core.testing import make_user
from lantern.entities.models import Entity, EntityKind, Mention
from lantern.intake.tests.factories import make_submission
from lantern.performance import providers, reports, summary
from lantern.risk.levels import RiskLevel
from lantern.tasking.models import Charge, Operation, OperationStatus

pytestmark = pytest.mark.django_db

JULY = Period.parse("2014-07")
FEBRUARY = Period.parse("2015-02")  # the factories open children's episodes in January 2015
Q2 = Period.parse("2014/15-Q2")  # July to September 2014


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


def charge(
    nominal, on: date, *, child=None, operation=None, offence="Sexual activity with a child"
):
    return Charge.objects.create(
        nominal=nominal,
        child=child,
        operation=operation,
        charged_on=on,
        offence=offence,
        recorded_by=nominal.created_by,
        recorded_at=at(on),
    )


# --- the tactical briefing ----------------------------------------------------------------------


def test_high_risk_children_are_those_whose_level_at_the_months_end_was_high():
    assessed_high = make_child()
    make_assessment(assessed_high, level=RiskLevel.HIGH, on=date(2015, 1, 12))
    lowered_later_by_mace = make_child()
    make_assessment(lowered_later_by_mace, level=RiskLevel.HIGH, on=date(2015, 1, 12))
    make_mace(lowered_later_by_mace, held_on=date(2015, 2, 10), level=RiskLevel.MEDIUM)
    raised_after_the_month = make_child()
    make_assessment(raised_after_the_month, level=RiskLevel.HIGH, on=date(2015, 3, 4))
    raised_in_the_month = make_child()
    make_mace(raised_in_the_month, held_on=date(2015, 2, 21), level=RiskLevel.HIGH)
    closed = make_child(open_episode=False)
    make_assessment(closed, level=RiskLevel.HIGH, on=date(2015, 1, 12))

    levels = providers.high_risk_children_at(FEBRUARY.end)

    assert levels == {
        assessed_high.pk: date(2015, 1, 12),
        raised_in_the_month.pk: date(2015, 2, 21),
    }
    assert len(levels) == measures.high_risk_children(FEBRUARY.start, FEBRUARY.end)


def test_the_briefing_lists_high_risk_children_only_to_those_who_may_see_them():
    shared, unshared = make_child(), make_child()
    for child in (shared, unshared):
        make_mace(child, held_on=date(2015, 2, 21), level=RiskLevel.HIGH)
    officer = make_user(Role.POLICE_INTELLIGENCE)
    ChildShare.objects.create(
        child=shared,
        agency=officer.agency,
        lawful_basis="Children Act 2004 s11",
        shared_on=date(2015, 2, 1),
        shared_by=shared.created_by,
    )
    social_worker = make_user(Role.CSE_SOCIAL_WORKER)

    for_police = providers.high_risk_children_part(FEBRUARY, summary.OPERATIONAL, officer)
    for_cse_team = providers.high_risk_children_part(FEBRUARY, summary.OPERATIONAL, social_worker)

    assert [row["child"] for row in for_police["children"]] == [shared]
    assert (for_police["total"], for_police["not_shown"], for_police["new_this_month"]) == (2, 1, 2)
    assert {row["child"] for row in for_cse_team["children"]} == {shared, unshared}
    assert for_cse_team["not_shown"] == 0


def test_high_risk_nominals_and_their_charges_are_shown_to_the_police_only():
    officer = make_user(Role.POLICE_INTELLIGENCE)
    high, medium = make_nominal(officer), make_nominal(officer)
    make_assessment(nominal=high, level=RiskLevel.HIGH, on=date(2014, 7, 3))
    make_assessment(nominal=medium, level=RiskLevel.MEDIUM, on=date(2014, 7, 3))
    charge(high, date(2014, 7, 30))
    charge(high, date(2014, 8, 2))  # the next month

    for_police = providers.high_risk_nominals_part(JULY, summary.OPERATIONAL, officer)
    for_cse_team = providers.high_risk_nominals_part(
        JULY, summary.OPERATIONAL, make_user(Role.CSE_SOCIAL_WORKER)
    )

    assert [(row["nominal"], row["charges"], row["new"]) for row in for_police["nominals"]] == [
        (high, 1, True)
    ]
    assert for_cse_team["nominals"] == [] and for_cse_team["total"] == 1
    assert for_cse_team["not_shown"] == 1


def test_the_operations_narrative_has_the_months_running_operations_and_their_charges():
    officer = make_user(Role.POLICE_SUPERVISOR)
    running = Operation.objects.create(
        name="Operation Fernlight", summary="Hotels", started_on=date(2014, 7, 14), lead=officer
    )
    Operation.objects.create(
        name="Operation Later", summary="x", started_on=date(2014, 8, 1), lead=officer
    )
    Operation.objects.create(
        name="Operation Shut",
        summary="x",
        started_on=date(2014, 1, 1),
        lead=officer,
        status=OperationStatus.CLOSED,
    )
    charged = charge(make_nominal(officer), date(2014, 7, 28), operation=running)

    for_police = providers.operations_part(JULY, summary.OPERATIONAL, officer)
    for_cse_team = providers.operations_part(
        JULY, summary.OPERATIONAL, make_user(Role.CSE_SOCIAL_WORKER)
    )

    assert [row["operation"] for row in for_police["operations"]] == [running]
    assert for_police["operations"][0]["charges"] == [charged]
    assert for_police["operations"][0]["new"] is True
    assert not for_cse_team["allowed"] and for_cse_team["operations"] == []


def test_every_briefing_part_has_a_provider():
    parts = reports.briefing(JULY, make_user(Role.POLICE_INTELLIGENCE))["parts"]

    assert [part["key"] for part in parts] == [
        "briefing.high_risk_children",
        "briefing.nominals",
        "briefing.operations",
    ]
    assert not any(part.get("missing") for part in parts)


# --- the problem profile ------------------------------------------------------------------------


def reported(day: date, *, people=(), location="", ward=None):
    return make_submission(
        people=[{"name": name, "role": role} for name, role in people],
        location=location,
        ward_id=ward.pk if ward else None,
        now=at(day),
    )


def corrected(entities, handling="shared", **details):
    """Set details as an analyst's correction does, marked shared unless told otherwise (a
    police-only correction is never counted in the profile)."""
    from lantern.entities import editing

    analyst = make_user(Role.POLICE_INTELLIGENCE)
    for entity in entities:
        editing.correct_entity(
            entity,
            actor=analyst,
            expected_version=entity.version,
            reason="As recorded",
            now=timezone.now(),
            handling=handling,
            **details,
        )


def same_entity(kind, text):
    """Link every mention of `text` to one entity, as an analyst confirming matches would."""
    mentions = Mention.objects.filter(kind=kind, raw_text=text).order_by("pk")
    mentions.update(entity=mentions.first().entity)


def test_suspects_are_people_named_as_possible_perpetrators_counted_once_each():
    reported(
        date(2014, 7, 2),
        people=[("Dale Exampleton", "possible_perpetrator"), ("Kim Victimson", "possible_victim")],
    )
    reported(date(2014, 8, 9), people=[("Dale Exampleton", "possible_perpetrator")])
    reported(date(2014, 8, 11), people=[("Ray Sampleford", "possible_perpetrator")])
    reported(date(2014, 10, 1), people=[("Out Ofperiod", "possible_perpetrator")])
    same_entity(EntityKind.PERSON, "Dale Exampleton")
    corrected(Entity.objects.filter(label="Dale Exampleton"), gender="m", ethnicity="White British")
    corrected(Entity.objects.filter(label="Kim Victimson"), gender="f")

    by_gender = providers.suspects_by_gender(Q2, summary.OPERATIONAL)
    by_ethnicity = providers.suspects_by_ethnicity(Q2, summary.OPERATIONAL)

    assert by_gender["rows"] == [("Male", 1), ("Not recorded", 1), ("Total", 2)]
    assert by_ethnicity["rows"] == [("White British", 1), ("Not recorded", 1), ("Total", 2)]


def test_nominals_charged_in_the_period_count_by_what_the_police_recorded_and_once_each():
    from lantern.risk import services as risk

    officer = make_user(Role.POLICE_INTELLIGENCE)

    def nominal(name, gender, ethnicity):
        return risk.create_nominal(
            officer,
            name=name,
            alias="",
            date_of_birth=None,
            gender=gender,
            ethnicity=ethnicity,
            now=at(date(2014, 6, 1)),
        )

    dale = nominal("Dale Exampleton", "male", "white_british")
    sam = nominal("Sam Testerton", "female", "asian_indian")
    earlier = nominal("Old Caseworth", "male", "white_irish")
    charge(dale, date(2014, 7, 20))
    charge(sam, date(2014, 9, 30))
    charge(earlier, date(2014, 6, 30))  # the quarter before
    # Dale is also named in a submission: the same person, counted once, as the police recorded.
    reported(date(2014, 7, 2), people=[("Dale Exampleton", "possible_perpetrator")])
    reported(date(2014, 8, 11), people=[("Ray Sampleford", "possible_perpetrator")])
    same_entity(EntityKind.PERSON, "Dale Exampleton")
    corrected(Entity.objects.filter(label="Ray Sampleford"), gender="m")  # as the normaliser stores

    by_gender = providers.suspects_by_gender(Q2, summary.OPERATIONAL)
    by_ethnicity = providers.suspects_by_ethnicity(Q2, summary.OPERATIONAL)

    assert by_gender["rows"] == [("Female", 1), ("Male", 2), ("Total", 3)]
    assert by_ethnicity["rows"] == [
        ("Asian or Asian British: Indian", 1),
        ("White: English, Welsh, Scottish, Northern Irish or British", 1),
        ("Not recorded", 1),
        ("Total", 3),
    ]


def test_locations_are_counted_once_by_ward_and_premises_type():
    abbeyfield = Ward.objects.create(name="Abbeyfield", code="E0001")
    reported(date(2014, 7, 2), location="Car park behind Mill Street", ward=abbeyfield)
    reported(date(2014, 7, 9), location="Car park behind Mill Street", ward=abbeyfield)
    same_entity(EntityKind.LOCATION, "Car park behind Mill Street")
    reported(date(2014, 8, 1), location="The Kestrel Hotel")
    corrected(
        Entity.objects.filter(kind=EntityKind.LOCATION, label__startswith="The Kestrel"),
        premises_type="hotel",
    )
    assert Mention.objects.filter(kind=EntityKind.LOCATION).count() == 3

    by_ward = providers.locations_by_ward(Q2, summary.OPERATIONAL)
    by_premises = providers.locations_by_premises(Q2, summary.OPERATIONAL)

    assert by_ward["rows"] == [("Abbeyfield", 1), ("Not recorded", 1), ("Total", 2)]
    assert by_premises["rows"] == [("Hotel or B&B", 1), ("Not recorded", 1), ("Total", 2)]


def test_referrals_per_week_counts_cse_referrals_in_each_week_of_the_period():
    for day in (date(2014, 7, 1), date(2014, 7, 6), date(2014, 7, 7), date(2014, 9, 30)):
        make_referral(make_child(), referred_on=day)
    make_referral(make_child(), referred_on=date(2014, 6, 30))  # the quarter before

    rows = dict(providers.referrals_per_week(Q2, summary.OPERATIONAL)["rows"])

    assert rows["Week beginning 30 Jun 2014"] == 2  # Tuesday 1 and Sunday 6 July
    assert rows["Week beginning 7 Jul 2014"] == 1
    assert rows["Week beginning 29 Sep 2014"] == 1
    assert rows["Week beginning 14 Jul 2014"] == 0
    assert rows["Total"] == 4
    assert len(rows) == 14 + 1  # the weeks touching July to September, and the total


def test_referral_to_charge_is_the_median_days_from_the_first_cse_referral():
    officer = make_user(Role.POLICE_INTELLIGENCE)
    nominal = make_nominal(officer)
    days = []
    for gap in (5, 20, 35, 50, 65, 80):
        child = make_child()
        make_referral(child, referred_on=date(2014, 3, 1))
        make_referral(child, referred_on=date(2014, 5, 1))  # a later referral does not count
        charge(nominal, date(2014, 3, 1) + timedelta(days=gap + 122), child=child)
        days.append(gap + 122)
    charge(nominal, date(2014, 8, 1))  # no child: not in the measure
    charge(nominal, date(2014, 8, 1), child=make_child())  # no referral: not in the measure

    operational = providers.referral_to_charge(Q2, summary.OPERATIONAL)

    assert providers.referral_to_charge_days(Q2) == days
    assert operational["figures"] == [
        ("Charges of offences against a referred child", "6"),
        ("Median days from first CSE referral to charge", "164.5"),
    ]


def test_a_small_referral_to_charge_count_and_its_median_are_withheld_from_the_board():
    nominal = make_nominal()
    child = make_child()
    make_referral(child, referred_on=date(2014, 6, 1))
    charge(nominal, date(2014, 7, 1), child=child)

    board = providers.referral_to_charge(Q2, summary.AGGREGATE)
    police = providers.referral_to_charge(Q2, summary.OPERATIONAL)

    assert board["figures"] == [
        ("Charges of offences against a referred child", "<5"),
        ("Median days from first CSE referral to charge", "withheld"),
    ]
    assert police["figures"][1] == ("Median days from first CSE referral to charge", "30")


def test_a_police_only_correction_is_not_counted_in_the_profile():
    reported(date(2014, 7, 2), people=[("Dale Exampleton", "possible_perpetrator")])
    reported(date(2014, 8, 1), location="The Kestrel Hotel")
    corrected(Entity.objects.filter(label="Dale Exampleton"), handling="police", gender="m")
    corrected(
        Entity.objects.filter(kind=EntityKind.LOCATION), handling="police", premises_type="hotel"
    )

    by_gender = providers.suspects_by_gender(Q2, summary.OPERATIONAL)
    by_premises = providers.locations_by_premises(Q2, summary.OPERATIONAL)

    assert by_gender["rows"] == [("Not recorded", 1), ("Total", 1)]
    assert by_premises["rows"] == [("Not recorded", 1), ("Total", 1)]


def test_the_profile_withholds_small_counts_and_a_second_cell_for_the_board():
    reported(date(2014, 7, 2), people=[("Dale Exampleton", "possible_perpetrator")])
    # Six different women (distinct surnames: the matcher reads "Sample0" and "Sample1" as one
    # name written twice, since digits are not part of a name).
    women = [
        "Lee Ashcombe",
        "Lee Brindley",
        "Lee Corrigan",
        "Lee Dunmore",
        "Lee Elsworth",
        "Lee Fenwick",
    ]
    for name in women:
        reported(date(2014, 7, 3), people=[(name, "possible_perpetrator")])
    corrected(Entity.objects.filter(label="Dale Exampleton"), gender="m")
    corrected(Entity.objects.filter(label__in=women), gender="f")

    board = {p["key"]: p for p in reports.problem_profile(Q2, summary.AGGREGATE)["parts"]}
    police = {p["key"]: p for p in reports.problem_profile(Q2, summary.OPERATIONAL)["parts"]}

    gender = "profile.suspects_by_gender"
    assert board[gender]["rows"] == [
        ("Female", "[c]", "[c]"),
        ("Male", "<5", "<5"),
        ("Total", "7", "100.0%"),
    ]
    assert police[gender]["rows"] == [
        ("Female", "6", "85.7%"),
        ("Male", "1", "14.3%"),
        ("Total", "7", "100.0%"),
    ]
