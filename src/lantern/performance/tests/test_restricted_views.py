"""The problem profile and the tactical briefing through the test client, with real records."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.audit.models import AuditAction, AuditEntry
from lantern.children.tests.factories import make_assessment, make_child, make_mace, make_nominal
from lantern.core.models import Ward
from lantern.core.testing import make_user, sign_in
from lantern.intake.tests.factories import make_submission
from lantern.risk.levels import RiskLevel
from lantern.tasking.models import Operation

pytestmark = pytest.mark.django_db

PROFILE = reverse("performance:problem-profile") + "?period=2014/15-Q2"


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


ABBEYFIELD_PLACES = [
    "Bus shelter on Long Lane",
    "Car park behind the leisure centre",
    "Alley by the chip shop",
    "Canal towpath under the bridge",
    "Garages on Elm Row",
    "Playing field on Moor Road",
]


@pytest.fixture
def places():
    """Seven places reported in July 2014: six in Abbeyfield and one in Brackenside."""
    abbeyfield = Ward.objects.create(name="Abbeyfield", code="E0001")
    brackenside = Ward.objects.create(name="Brackenside", code="E0002")
    for place in ABBEYFIELD_PLACES:
        make_submission(
            location=place,
            ward_id=abbeyfield.pk,
            now=at(date(2014, 7, 2)),
        )
    make_submission(
        location="Side door of the arcade", ward_id=brackenside.pk, now=at(date(2014, 7, 3))
    )


def test_the_board_sees_the_profile_with_small_counts_withheld(client, places):
    sign_in(client, make_user(Role.BOARD_MEMBER))

    page = client.get(PROFILE).content.decode()

    assert "Small counts are shown as &lt;5" in page
    assert 'Brackenside</td><td class="govuk-table__cell govuk-table__cell--numeric">&lt;5' in page
    assert 'Abbeyfield</td><td class="govuk-table__cell govuk-table__cell--numeric">[c]' in page
    assert "85.7%" not in page and "14.3%" not in page
    assert "No data source registered yet" not in page


def test_the_police_see_every_count_in_the_profile(client, places):
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))

    page = client.get(PROFILE).content.decode()

    assert "Small counts are shown as" not in page
    assert ">6<" in page and ">85.7%<" in page
    assert ">1<" in page and ">14.3%<" in page


@pytest.mark.parametrize(
    "role", [Role.BOARD_MEMBER, Role.SCRUTINY_MEMBER, Role.PERFORMANCE_OFFICER]
)
def test_the_briefing_is_refused_to_anyone_outside_the_police_and_cse_team(client, role):
    sign_in(client, make_user(role))

    assert client.get(reverse("performance:briefing") + "?month=2015-02").status_code == 403


def test_the_briefing_names_high_risk_children_and_nominals_and_the_reading_is_audited(client):
    child = make_child(first_name="Robin", last_name="Testchild")
    make_mace(child, held_on=date(2015, 2, 21), level=RiskLevel.HIGH)
    officer = make_user(Role.POLICE_SUPERVISOR)
    nominal = make_nominal(officer)
    make_assessment(nominal=nominal, level=RiskLevel.HIGH, on=date(2015, 2, 3))
    Operation.objects.create(
        name="Operation Fernlight", summary="Hotels", started_on=date(2015, 1, 5), lead=officer
    )

    sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    for_cse_team = client.get(reverse("performance:briefing") + "?month=2015-02").content.decode()
    client.logout()
    sign_in(client, officer)
    for_police = client.get(reverse("performance:briefing") + "?month=2015-02").content.decode()

    assert "Robin Testchild" in for_cse_team and nominal.name not in for_cse_team
    assert "Who they are is shown to police roles only" in for_cse_team
    assert "Operation Fernlight" not in for_cse_team
    assert nominal.name in for_police and "Operation Fernlight" in for_police
    assert "Robin Testchild" not in for_police  # not shared with the police
    assert "1 more is not listed" in for_police
    listed = AuditEntry.objects.filter(action=AuditAction.LIST)
    assert set(listed.filter(actor=officer).values_list("object_type", flat=True)) == {
        "risk.nominal",
        "tasking.operation",
    }  # no child was listed to the officer, so no child list is recorded
    assert set(listed.exclude(actor=officer).values_list("object_type", flat=True)) == {
        "children.child"
    }
