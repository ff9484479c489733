"""One figure per measure: a computed measure takes no typed figure, a typed measure may not
duplicate a computed one, and the demo's data summary shows no measure twice."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.core.errors import LanternError
from lantern.core.periods import Period, quarter_of
from lantern.core.testing import make_user, sign_in
from lantern.performance import duplicates, services, summary
from lantern.performance.imports import ImportRefused, import_figures
from lantern.performance.models import Kind, Measure, Status
from lantern.performance.tests.helpers import DECEMBER_2014

pytestmark = pytest.mark.django_db
Q2 = Period.parse("2014/15-Q2")


def _computed(code="protect-return-interviews") -> Measure:
    services.sync_catalogue()
    return Measure.objects.get(code=code)


def test_a_figure_for_a_computed_measure_is_refused_with_a_message():
    measure = _computed()

    errors = services.check_figure(measure, Q2, Decimal(30), Status.REPORTED, DECEMBER_2014)

    assert errors == {
        "value": "“Return home interviews held” is computed from Lantern's records, so its "
        "figure cannot be entered or imported"
    }
    with pytest.raises(LanternError, match="computed from Lantern's records"):
        services.store_figure(
            None, measure, Q2, Decimal(30), Status.REPORTED, "", Kind.ENTERED, DECEMBER_2014
        )
    assert not measure.values.exists()


def test_importing_a_figure_for_a_computed_measure_is_refused():
    _computed()
    data = (
        b"priority,section,measure,period,value,status,note\r\n"
        b"Protect,Missing from home or care,Return home interviews held,2014/15-Q2,30,,\r\n"
    )

    with pytest.raises(ImportRefused, match="computed"):
        import_figures(data, actor=None, now=DECEMBER_2014)


@pytest.mark.parametrize(
    ("typed", "computed"),
    [
        ("Return home interviews following a missing episode", "Return home interviews held"),
        ("Abduction notices served", "Child abduction warning notices served"),
        ("CAWNs served", "Child abduction warning notices served"),
        (
            "Cases open to the child exploitation team (as at end of period)",
            "Cases open to the CSE team at period end",
        ),
    ],
)
def test_a_typed_measure_that_counts_what_lantern_computes_is_one_figure_twice(typed, computed):
    a = duplicates.Named("a", typed, "count", "entered")
    b = duplicates.Named("b", computed, "count", "computed")
    assert duplicates.count_the_same_thing(a, b)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Contacts about CSE", "Contacts about CSE leading to a referral"),
        ("Staff accounts (as at end of period)", "Arrests"),
        (
            "Reported runaway incidents in the borough, under 18s",
            "Missing episodes of children known to the CSE team",
        ),
    ],
)
def test_measures_that_count_different_things_are_not_flagged(one, other):
    a = duplicates.Named("a", one, "count", "computed")
    b = duplicates.Named("b", other, "count", "entered" if "runaway" in one else "computed")
    assert not duplicates.count_the_same_thing(a, b)


def test_a_new_typed_measure_duplicating_a_computed_one_is_refused_beside_its_name(client):
    services.sync_catalogue()
    sign_in(client, make_user(Role.PERFORMANCE_OFFICER))

    page = client.post(
        reverse("performance:measure-create"),
        {
            "name": "Abduction notices served",
            "priority": "pursue",
            "section": "Police",
            "unit": "count",
            "kind": "imported",
            "timing": "flow",
            "polarity": "neither",
        },
    ).content.decode()

    assert "Lantern already computes “Child abduction warning notices served”" in page
    assert 'value="Abduction notices served"' in page
    assert not Measure.objects.filter(name="Abduction notices served").exists()


def test_missing_episodes_and_borough_runaway_incidents_have_distinct_names():
    services.sync_catalogue()
    names = set(Measure.objects.filter(kind=Kind.COMPUTED).values_list("name", flat=True))
    assert "Missing episodes of children known to the CSE team" in names
    assert "Missing incidents" not in names
    assert "GAP meetings held" in names
    assert "MACE meetings held" in names


def test_gap_meetings_held_counts_gap_meetings_marked_held():
    from lantern.performance import registry
    from lantern.tasking.models import MeetingStatus, MeetingType
    from lantern.tasking.tests.factories import MONDAY, tasking_world

    world = tasking_world(MeetingType.GAP)
    for meeting in world.meetings[:2]:
        meeting.status = MeetingStatus.HELD
        meeting.save()

    figure = registry.computed_measure("protect-gap-meetings").compute(quarter_of(MONDAY))

    assert figure == 2


def test_the_demo_data_summary_shows_no_measure_twice(demo_borough):
    last = quarter_of(timezone.localdate()).previous()
    built = summary.build_summary(last)
    names = [row.measure.casefold() for row in built.rows]

    assert len(names) == len(set(names)), "a measure name appears twice"
    assert summary.duplicate_rows(built) == []
    runaways = next(r for r in built.rows if "runaway incidents" in r.measure)
    measure = Measure.objects.get(code=runaways.code)
    assert measure.kind != Kind.COMPUTED and "Police" in measure.source_name
