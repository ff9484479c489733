"""High-risk nominals reach the tasking group agenda, by number, with the name for police only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from lantern.children.tests.factories import make_assessment, make_nominal
from lantern.core.testing import sign_in
from lantern.risk import services as risk
from lantern.risk.levels import RiskLevel
from lantern.tasking import services as tasking
from lantern.tasking.models import ItemStatus, MeetingType
from lantern.tasking.tests.factories import MONDAY, at, tasking_world

pytestmark = pytest.mark.django_db


def nominal_items(meeting):
    return list(meeting.items.filter(source_key="risk.high_risk_nominals").order_by("position"))


def test_high_risk_nominal_goes_on_the_agenda_by_number():
    world = tasking_world()
    nominal = make_nominal(by=world.analyst)
    make_assessment(nominal=nominal, level=RiskLevel.HIGH, on=MONDAY - timedelta(days=3))

    tasking.build_agenda(world.chair, world.meetings[0], now=at(MONDAY))

    [item] = nominal_items(world.meetings[0])
    assert item.source == nominal
    assert item.title == f"High-risk nominal {nominal.pk}"
    assert "Test Nominal" not in item.title + item.partner_summary
    assert "Test Nominal" in item.full_summary
    assert "level High" in item.full_summary


def test_nominals_not_high_or_assessed_after_the_meeting_stay_off():
    world = tasking_world()
    medium = make_nominal(by=world.analyst)
    make_assessment(nominal=medium, level=RiskLevel.MEDIUM, on=MONDAY - timedelta(days=1))
    later = make_nominal(by=world.analyst)
    make_assessment(nominal=later, level=RiskLevel.HIGH, on=MONDAY + timedelta(days=1))
    dropped = make_nominal(by=world.analyst)
    make_assessment(nominal=dropped, level=RiskLevel.HIGH, on=MONDAY - timedelta(days=20))
    make_assessment(nominal=dropped, level=RiskLevel.LOW, on=MONDAY - timedelta(days=2))

    tasking.build_agenda(world.chair, world.meetings[0], now=at(MONDAY))

    assert nominal_items(world.meetings[0]) == []


def test_the_overridden_level_is_the_one_that_counts():
    world = tasking_world()
    raised = make_nominal(by=world.analyst)
    assessment = make_assessment(nominal=raised, level=RiskLevel.MEDIUM, on=date(2026, 10, 30))
    risk.override_level(
        world.analyst,
        assessment,
        level=RiskLevel.HIGH,
        rationale="Intelligence since the assessment",
        approver=world.chair,
        now=at(date(2026, 10, 30)),
    )
    risk.decide_override(world.chair, assessment, approve=True, note="", now=at(date(2026, 10, 30)))
    lowered = make_nominal(by=world.analyst)
    assessment = make_assessment(nominal=lowered, level=RiskLevel.HIGH, on=date(2026, 10, 30))
    risk.override_level(
        world.analyst,
        assessment,
        level=RiskLevel.MEDIUM,
        rationale="Now in custody",
        approver=world.chair,
        now=at(date(2026, 10, 30)),
    )
    risk.decide_override(world.chair, assessment, approve=True, note="", now=at(date(2026, 10, 30)))

    tasking.build_agenda(world.chair, world.meetings[0], now=at(MONDAY))

    assert [item.source for item in nominal_items(world.meetings[0])] == [raised]
    assert "professional judgement" in nominal_items(world.meetings[0])[0].full_summary


def test_only_tasking_group_agendas_get_nominals():
    world = tasking_world(MeetingType.MACE)
    make_assessment(nominal=make_nominal(by=world.analyst), level=RiskLevel.HIGH, on=MONDAY)

    tasking.build_agenda(world.chair, world.meetings[0], now=at(MONDAY))

    assert nominal_items(world.meetings[0]) == []


def test_building_twice_or_keeping_on_does_not_add_the_nominal_twice():
    world = tasking_world()
    nominal = make_nominal(by=world.analyst)
    make_assessment(nominal=nominal, level=RiskLevel.HIGH, on=MONDAY - timedelta(days=3))
    first, second = world.meetings[0], world.meetings[1]
    tasking.build_agenda(world.chair, first, now=at(MONDAY))
    assert tasking.build_agenda(world.chair, first, now=at(MONDAY)) == 0
    [item] = nominal_items(first)
    tasking.record_item(
        world.chair,
        item,
        expected_version=item.version,
        discussion="Seen with children at the takeaway",
        decisions="Disruption plan",
        outcome=ItemStatus.KEPT_ON,
        now=at(MONDAY, 11),
    )

    tasking.build_agenda(world.chair, second, now=at(second.held_on))

    [carried] = second.items.filter(source_id=str(nominal.pk))
    assert carried.carried_from == item


def test_a_closed_nominal_returns_only_when_assessed_high_again():
    world = tasking_world()
    nominal = make_nominal(by=world.analyst)
    make_assessment(nominal=nominal, level=RiskLevel.HIGH, on=MONDAY - timedelta(days=3))
    first, second, third = world.meetings[0], world.meetings[1], world.meetings[2]
    tasking.build_agenda(world.chair, first, now=at(MONDAY))
    [item] = nominal_items(first)
    tasking.record_item(
        world.chair,
        item,
        expected_version=item.version,
        discussion="Charged and remanded",
        decisions="Close",
        outcome=ItemStatus.CLOSED,
        closure_reason="eliminated",
        rationale="Remanded in custody",
        now=at(MONDAY, 11),
    )

    tasking.build_agenda(world.chair, second, now=at(second.held_on))
    make_assessment(nominal=nominal, level=RiskLevel.HIGH, on=second.held_on + timedelta(days=1))
    tasking.build_agenda(world.chair, third, now=at(third.held_on))

    assert nominal_items(second) == []
    assert [i.source for i in nominal_items(third)] == [nominal]


def test_partners_see_the_number_and_police_the_name(client):
    world = tasking_world()
    nominal = make_nominal(by=world.analyst)
    make_assessment(nominal=nominal, level=RiskLevel.HIGH, on=MONDAY - timedelta(days=3))
    meeting = world.meetings[0]
    tasking.build_agenda(world.chair, meeting, now=at(MONDAY))
    url = reverse("tasking:meeting-detail", args=[meeting.pk])

    sign_in(client, world.nurse)
    partner_page = client.get(url).content.decode()
    sign_in(client, world.chair)
    police_page = client.get(url).content.decode()

    assert f"High-risk nominal {nominal.pk}" in partner_page
    assert "Test Nominal" not in partner_page
    assert "Test Nominal" in police_page
