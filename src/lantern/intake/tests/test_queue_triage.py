"""The intake queue triages itself (issue 20): what each item is about, filters and sorting
that an unknown value cannot break, filters remembered for next time, and bulk assignment that
skips what someone else moved on a moment ago."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.core.models import Ward
from lantern.core.testing import make_user, sign_in
from lantern.intake import services
from lantern.intake.models import Source, Status, Submission
from lantern.intake.tests.factories import make_submission, move_to

pytestmark = pytest.mark.django_db

QUEUE = "/intake/queue/"


@pytest.fixture
def world(client):
    officer = make_user(Role.POLICE_INTELLIGENCE, full_name="Olive Officer")
    colleague = make_user(Role.POLICE_INTELLIGENCE, full_name="Colin Colleague")
    sign_in(client, officer)
    east = Ward.objects.create(name="Eastwater", code="NM05")
    west = Ward.objects.create(name="Westmoor", code="NM21")
    council = make_submission(
        source=Source.COUNCILLOR,
        ward_id=east.pk,
        narrative="Taxi seen collecting girls from the park at night.",
        signs=["missing"],
    )
    partner = make_submission(source=Source.PARTNER, ward_id=west.pk, narrative="A van outside.")
    graded = make_submission(
        source=Source.PARTNER, ward_id=west.pk, narrative="Older man at school."
    )
    move_to(graded, "graded", colleague)
    return {
        "officer": officer,
        "colleague": colleague,
        "east": east,
        "council": council,
        "partner": partner,
        "graded": graded,
    }


def listed(response) -> list[str]:
    return [s.reference for s, _clock in response.context["rows"]]


def test_each_row_says_what_the_submission_is_about(client, world):
    page = client.get(QUEUE)
    html = page.content.decode()
    assert "Taxi seen collecting girls from the park" in html
    assert "Eastwater" in html and "Councillor" in html
    assert page.context["wide"] is True  # the case-working page uses the full width


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"source": Source.COUNCILLOR}, ["council"]),
        ({"ward": "east"}, ["council"]),
        ({"grade": "ungraded"}, ["council", "partner"]),
        ({"grade": "B"}, ["graded"]),
        ({"assignee": "colleague"}, ["graded"]),
        ({"clock": "within"}, ["council", "partner"]),
        ({"show": "unassigned"}, ["council", "partner"]),
    ],
)
def test_each_filter_narrows_the_list(client, world, query, expected):
    values = {k: (world[v].pk if k in ("ward", "assignee") else v) for k, v in query.items()}
    got = listed(client.get(QUEUE, values))
    assert sorted(got) == sorted(world[name].reference for name in expected)


def test_sorting_by_a_column_and_its_reverse(client, world):
    refs = sorted(world[n].reference for n in ("council", "partner", "graded"))
    assert listed(client.get(QUEUE, {"sort": "reference"})) == refs
    assert listed(client.get(QUEUE, {"sort": "-reference"})) == refs[::-1]
    headers = client.get(QUEUE, {"sort": "reference"}).context["headers"]
    assert headers["reference"]["aria_sort"] == "ascending"
    assert "sort=-reference" in headers["reference"]["href"]


def test_unknown_filter_and_sort_values_are_errors_by_the_filter_and_the_list_still_shows(
    client, world
):
    page = client.get(QUEUE, {"source": "pigeon", "ward": "99999", "sort": "colour", "grade": "B"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Source: choose a source from the list" in html
    assert "Ward: choose a ward from the list" in html
    assert "Sort: choose one of reference" in html
    # The valid filter still applies; the bad ones are left out.
    assert listed(page) == [world["graded"].reference]
    assert "<title>Error: Intake queue" in html


def test_the_last_filters_are_remembered_until_cleared(client, world):
    client.get(QUEUE, {"source": Source.COUNCILLOR})
    again = client.get(QUEUE)
    assert again.context["remembered"] is True
    assert listed(again) == [world["council"].reference]
    cleared = client.get(QUEUE, {"clear": "1"})
    assert len(listed(cleared)) == 3 and not cleared.context["remembered"]
    assert len(listed(client.get(QUEUE))) == 3


def test_bulk_assignment_assigns_the_rest_and_lists_those_someone_else_moved_on(client, world):
    council, partner = world["council"], world["partner"]
    seen = {s.reference: s.version for s in Submission.objects.all()}
    # Someone else assigns the partner's report while the officer is choosing.
    services.assign_submission(
        world["colleague"],
        partner,
        officer=world["colleague"],
        expected_version=partner.version,
        now=partner.received_at,
    )
    response = client.post(
        reverse("intake:queue-assign"),
        {
            "officer": world["officer"].pk,
            "item": [
                f"{council.reference}:{seen[council.reference]}",
                f"{partner.reference}:{seen[partner.reference]}",
            ],
        },
    )
    assert response.status_code == 302
    council.refresh_from_db()
    partner.refresh_from_db()
    assert council.assigned_to == world["officer"] and council.status == Status.ASSIGNED
    assert partner.assigned_to == world["colleague"]  # not overwritten
    page = client.get(QUEUE)
    html = page.content.decode()
    assert (
        f"{partner.reference}: someone changed it a moment ago (now assigned to Colin Colleague)"
        in html
    )
    assert f"Assigned 1 to Olive Officer: {council.reference}" in html


def test_bulk_assignment_with_nothing_chosen_says_what_is_missing(client, world):
    client.post(reverse("intake:queue-assign"), {"item": [world["council"].reference + ":1"]})
    assert "Assign to: select an officer" in client.get(QUEUE).content.decode()
    client.post(reverse("intake:queue-assign"), {"officer": world["officer"].pk})
    assert "Select the submissions to assign" in client.get(QUEUE).content.decode()
    assert not Submission.objects.filter(assigned_to=world["officer"]).exists()
