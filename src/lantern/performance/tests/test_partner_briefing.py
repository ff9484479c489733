"""The partner-safe monthly tactical briefing: shared with the sub-group and operational
managers, counts and themes only, nobody named; the full briefing stays restricted."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.children.tests.factories import make_assessment, make_child, make_mace
from lantern.core.periods import Period
from lantern.core.testing import make_user, sign_in
from lantern.performance import reports
from lantern.risk.levels import RiskLevel
from lantern.risk.models import Nominal

pytestmark = pytest.mark.django_db
FEBRUARY = Period.parse("2015-02")
URL = reverse("performance:briefing-partners") + "?month=2015-02"


@pytest.fixture
def high_risk():
    """Six children at high risk in February 2015 (each named) and a named high-risk nominal."""
    children = [make_child(first_name=f"Robin{n}", last_name="Namedchild") for n in range(6)]
    for child in children:
        make_mace(child, held_on=date(2015, 2, 21), level=RiskLevel.HIGH)
    officer = make_user(Role.POLICE_INTELLIGENCE)
    nominal = Nominal.objects.create(
        name="Kit Namednominal", created_by=officer, created_at=children[0].created_at
    )
    make_assessment(nominal=nominal, level=RiskLevel.HIGH, on=date(2015, 2, 3))
    return children


def test_the_partner_briefing_counts_without_naming_anyone(high_risk):
    built = reports.partner_briefing(FEBRUARY)

    counts = dict(built["counts"])
    assert counts["Children at high risk at the end of the month"] == "6"
    assert counts["Of whom, became high risk during the month"] == "6"
    assert counts["Nominals (people of interest) assessed as high risk"] == "<5"


@pytest.mark.parametrize(
    "role",
    [Role.BOARD_MEMBER, Role.SCRUTINY_MEMBER, Role.PARTNERSHIP_MANAGER, Role.MACE_CHAIR],
)
def test_the_sub_group_and_operational_managers_read_it_with_nobody_named(client, high_risk, role):
    sign_in(client, make_user(role))

    page = client.get(URL).content.decode()

    assert "Monthly briefing for partners: February 2015" in page
    assert "Children at high risk at the end of the month" in page
    assert "Namedchild" not in page and "Namednominal" not in page
    assert "Robin0" not in page


def test_the_full_briefing_is_still_limited_to_the_police_and_cse_team(client, high_risk):
    sign_in(client, make_user(Role.BOARD_MEMBER))
    assert client.get(reverse("performance:briefing") + "?month=2015-02").status_code == 403


def test_a_partner_practitioner_outside_the_groups_is_refused(client):
    sign_in(client, make_user(Role.PARTNER_PRACTITIONER))
    assert client.get(URL).status_code == 403


def test_a_bad_month_is_refused_beside_the_field_keeping_what_was_typed(client):
    sign_in(client, make_user(Role.BOARD_MEMBER))
    page = client.get(reverse("performance:briefing-partners") + "?month=Feb+15").content.decode()
    assert "govuk-error-summary" in page and 'value="Feb 15"' in page
