"""The data summary: columns, figures, directions of travel, totals, computed measures."""

from __future__ import annotations

import pytest

from lantern.accounts.models import Agency
from lantern.core.periods import Period
from lantern.performance import registry, summary
from lantern.performance.models import Status
from lantern.performance.registry import ComputedMeasure
from lantern.performance.tests.helpers import make_measure, put, row, shown

pytestmark = pytest.mark.django_db
Q2 = Period.parse("2014/15-Q2")


def seed_pursue_figures():
    """Some of the Pursue figures published for 2014/15 Q2 (seed 000, Data Summary - PURSUE).

    The Pursue data set was revised at the end of 2013/14, so 2012/13 was never collected."""
    rows = {
        "Current high risk children and young people (as at end of reporting period)": (
            "snapshot",
            6,
            6,
            8,
        ),
        "New referrals on CATS": ("flow", 34, 30, 44),
        "Arrests": ("flow", 23, 12, 14),
        "Victim and witness interviews": ("flow", 35, 5, 5),
        "Currently on police bail (as at end of reporting period)": ("snapshot", 3, 18, 7),
        "Charged with an offence": ("flow", 5, 4, 0),
    }
    made = {}
    for name, (timing, year, q1, q2) in rows.items():
        measure = make_measure(name, timing=timing)
        put(measure, "2012/13", status=Status.NOT_COLLECTED)
        put(measure, "2013/14", year)
        put(measure, "2014/15-Q1", q1)
        put(measure, "2014/15-Q2", q2)
        made[name] = measure
    summons = make_measure("Total charge summons", section="Police")
    put(summons, "2013/14", 5)
    put(summons, "2014/15-Q1", 4)
    put(summons, "2014/15-Q2", status=Status.NOT_AVAILABLE)
    made["summons"] = summons
    rate = make_measure("Outcome rate", section="Police", unit="percentage")
    put(rate, "2013/14", 33)
    put(rate, "2014/15-Q1", 40)
    put(rate, "2014/15-Q2", status=Status.NOT_AVAILABLE)
    made["rate"] = rate
    return made


def test_the_columns_are_two_previous_years_then_the_quarters_to_date():
    assert [str(p) for p in summary.summary_columns(Q2)] == [
        "2012/13",
        "2013/14",
        "2014/15-Q1",
        "2014/15-Q2",
    ]
    assert [str(p) for p in summary.summary_columns(Period.parse("2014/15-Q4"))][-1] == "2014/15-Q4"


def test_the_seeds_pursue_quarter_gives_the_directions_cabinet_was_shown():
    made = seed_pursue_figures()

    built = summary.build_summary(Q2)

    directions = {name: row(built, m).direction for name, m in made.items()}
    assert directions == {
        "Current high risk children and young people (as at end of reporting period)": "up",
        "New referrals on CATS": "up",
        "Arrests": "up",
        "Victim and witness interviews": "same",
        "Currently on police bail (as at end of reporting period)": "down",
        "Charged with an offence": "down",
        "summons": "",
        "rate": "",
    }
    assert shown(built, made["Arrests"]) == ["Not collected", "23", "12", "14"]
    assert shown(built, made["rate"]) == ["Not available", "33%", "40%", "Not available"]


def test_the_direction_of_the_first_quarter_compares_with_the_last_quarter_of_the_year_before():
    arrests = make_measure("Arrests")
    put(arrests, "2013/14-Q4", 9)
    put(arrests, "2014/15-Q1", 12)

    built = summary.build_summary(Period.parse("2014/15-Q1"))

    assert row(built, arrests).direction == "up"


def test_the_csv_has_exactly_the_agreed_columns_and_status_words():
    from lantern.performance.exports import render_csv

    seed_pursue_figures()

    lines = render_csv(summary.build_summary(Q2)).decode().splitlines()

    assert lines[0] == (
        "priority,section,measure,2012/13,2013/14,2014/15-Q1,2014/15-Q2,direction,notes"
    )
    assert "Pursue,CSE Team,Arrests,Not collected,23,12,14,up," in lines
    assert "Pursue,Police,Outcome rate,Not available,33%,40%,Not available,," in lines


def test_a_year_without_its_own_figure_is_made_from_its_quarters():
    flow = make_measure("Joint visits")
    snapshot = make_measure("Open cases (as at end of period)", timing="snapshot")
    for q, (a, b) in enumerate([(5, 50), (7, 51), (9, 52), (11, 53)], start=1):
        put(flow, f"2013/14-Q{q}", a)
        put(snapshot, f"2013/14-Q{q}", b)

    built = summary.build_summary(Q2)

    assert shown(built, flow)[1] == "32"
    assert shown(built, snapshot)[1] == "53"


def test_a_total_is_computed_from_its_parts_and_a_disagreeing_supplied_total_is_flagged():
    # Seed 000, Prevent, 2014/15 Q2: the attendance figures by group add up to 180, but the
    # TOTAL printed beneath them is 170. (Groups renamed generically.)
    q2_by_group = {
        "Parish councillors": 14,
        "Council children's services staff": 18,
        "Mental health trust staff": 20,
        "Hospital staff": 39,
        "School staff and governors": 11,
        "Voluntary or independent organisations": 12,
        "Other health staff": 10,
        "Other council staff": 21,
        "Early years staff": 6,
        "Other attendees": 29,
    }
    parts = []
    for name, value in q2_by_group.items():
        part = make_measure(name, priority="prevent", section="Training")
        put(part, "2014/15-Q2", value)
        parts.append(part)
    total = make_measure(
        "Total attending", priority="prevent", section="Training", components=parts
    )
    put(total, "2014/15-Q2", 170)

    built = summary.build_summary(Q2)

    assert shown(built, total)[-1] == "180"
    assert built.inconsistencies == [
        {
            "measure": "Total attending",
            "code": total.code,
            "period": "2014/15-Q2",
            "supplied": "170",
            "computed": "180",
        }
    ]


def test_a_registered_computed_measure_appears_without_being_typed_in():
    registry.register(
        ComputedMeasure(
            code="test-agencies-on-record",
            name="Agencies on record",
            priority="leadership",
            section="Test",
            compute=lambda period: Agency.objects.filter(created_at__date__lte=period.end).count(),
        )
    )
    try:
        Agency.objects.create(name="Northmere Youth Hub", kind="youth_service")

        built = summary.build_summary(Period.parse("2040/41-Q4"))

        computed = next(r for r in built.rows if r.code == "test-agencies-on-record")
        assert computed.cells[-1].display == "1"
    finally:
        registry.unregister("test-agencies-on-record")


def test_the_foundation_registers_its_computed_measures():
    codes = {m.code for m in registry.computed_measures()}

    assert {
        "leadership-agencies-active",
        "leadership-staff-accounts",
        "leadership-second-factor",
    } <= codes


def test_a_measures_batch_computation_agrees_with_computing_each_period():
    from datetime import UTC, datetime

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from lantern.accounts.models import User
    from lantern.core.testing import UserFactory

    for i, joined in enumerate(["2014-05-02", "2014-08-30", "2014-12-01", "2015-02-10"]):
        user = UserFactory(date_joined=datetime.fromisoformat(joined).replace(tzinfo=UTC))
        if i % 2 == 0:
            device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
            TOTPDevice.objects.filter(pk=device.pk).update(
                created_at=datetime(2014, 9 + i, 1, tzinfo=UTC)
            )
    User.objects.filter(date_joined__year=2015).update(is_active=False)
    quarters = Period.parse("2014/15").quarters() + [Period.parse("2013/14-Q4")]

    for code in ("leadership-staff-accounts", "leadership-second-factor"):
        spec = registry.computed_measure(code)
        assert spec.figures(quarters) == {q: spec.compute(q) for q in quarters}
    assert (
        registry.computed_measure("leadership-staff-accounts").figures(quarters)[
            Period.parse("2014/15-Q3")
        ]
        == 3
    )


def test_the_report_command_writes_the_data_summary_in_each_format(tmp_path, capsys):
    from django.core.management import CommandError, call_command
    from openpyxl import load_workbook

    made = seed_pursue_figures()
    put(made["Arrests"], "2014/15-Q2", 3)

    call_command("report", "data-summary", "--period", "2014/15-Q2", "--format", "csv")
    call_command(
        "report", "data-summary", "--period", "2014/15-Q2", "--format", "csv", "--suppress"
    )
    out = tmp_path / "summary.xlsx"
    call_command(
        "report", "data-summary", "--period", "2014/15-Q2", "--format", "xlsx", "--out", str(out)
    )
    with pytest.raises(CommandError, match="is not a period"):
        call_command("report", "data-summary", "--period", "2014/15-Q9")

    printed = capsys.readouterr().out
    assert "Pursue,CSE Team,Arrests,Not collected,23,12,3,down" in printed
    assert "Pursue,CSE Team,Arrests,Not collected,23,12,<5," in printed
    sheet = load_workbook(out)["Data summary"]
    assert [c.value for c in sheet[2]][:4] == ["priority", "section", "measure", "2012/13"]
    arrests = next(r for r in sheet.iter_rows(values_only=True) if r[2] == "Arrests")
    assert arrests[3:] == ("Not collected", 23, 12, 3, "down", None)
