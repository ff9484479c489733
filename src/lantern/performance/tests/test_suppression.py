"""Small-number suppression: primary (1 to the threshold) and secondary (totals)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lantern.core.periods import Period
from lantern.performance import summary
from lantern.performance.suppression import PRIMARY, SECONDARY, small_label, suppress
from lantern.performance.tests.helpers import make_measure, put, row, shown


def test_counts_from_one_to_the_threshold_are_suppressed_and_zero_is_not():
    hidden = suppress({"a": 0, "b": 1, "c": 4, "d": 5, "e": None}, limit=4)

    assert hidden == {"b": PRIMARY, "c": PRIMARY}


def test_a_total_with_one_small_part_hides_a_second_part():
    values = {"total": 30, "boys": 3, "girls": 27}

    hidden = suppress(values, [("total", ["boys", "girls"])], limit=4)

    assert hidden == {"boys": PRIMARY, "girls": SECONDARY}


def test_the_smallest_other_part_is_hidden_second():
    values = {"total": 60, "a": 2, "b": 40, "c": 18}

    hidden = suppress(values, [("total", ["a", "b", "c"])], limit=4)

    assert hidden == {"a": PRIMARY, "c": SECONDARY}


def test_the_label_follows_the_threshold(settings):
    settings.LANTERN_SUPPRESSION_THRESHOLD = 9

    assert small_label() == "<10"
    assert suppress({"a": 9, "b": 10}) == {"a": PRIMARY}


groups = st.lists(st.integers(0, 30), min_size=1, max_size=6)


@given(st.lists(groups, min_size=1, max_size=4), st.integers(1, 6))
def test_no_suppressed_count_can_be_worked_out_from_its_total(parts_per_total, limit):
    values, sums = {}, []
    for g, parts in enumerate(parts_per_total):
        keys = [f"{g}.{i}" for i in range(len(parts))]
        values.update(zip(keys, parts, strict=True))
        values[f"{g}.total"] = sum(parts)
        sums.append((f"{g}.total", keys))

    hidden = suppress(values, sums, limit=limit)

    for key, value in values.items():
        if 1 <= value <= limit:
            assert hidden.get(key) == PRIMARY
    for total, keys in sums:
        in_sum = [k for k in [total, *keys] if k in hidden]
        assert len(in_sum) != 1, f"{in_sum} could be worked out by subtraction"


@given(st.dictionaries(st.text(max_size=3), st.one_of(st.none(), st.integers(0, 50))))
def test_without_totals_only_small_counts_are_hidden(values):
    hidden = suppress(values, limit=4)

    assert set(hidden) == {k for k, v in values.items() if v is not None and 1 <= v <= 4}


@pytest.mark.django_db
def test_the_data_summary_for_the_board_shows_small_counts_as_less_than_five_and_protects_totals():
    boys = make_measure("Open cases: boys", priority="protect")
    girls = make_measure("Open cases: girls", priority="protect")
    total = make_measure("Open cases", priority="protect", components=[boys, girls])
    put(boys, "2014/15-Q2", 3)
    put(girls, "2014/15-Q2", 55)
    put(total, "2014/15-Q2", 58)

    built = summary.suppress_for_audience(summary.build_summary(Period.parse("2014/15-Q2")))

    assert shown(built, boys)[-1] == "<5"
    assert shown(built, girls)[-1] == "[c]"
    assert shown(built, total)[-1] == "58"
    assert row(built, boys).direction == ""


@pytest.mark.django_db
def test_percentages_are_not_suppressed_and_operational_staff_see_every_figure():
    rate = make_measure("Outcome rate", unit="percentage")
    arrests = make_measure("Arrests")
    put(rate, "2014/15-Q2", 3)
    put(arrests, "2014/15-Q2", 2)

    operational = summary.build_summary(Period.parse("2014/15-Q2"))
    board = summary.suppress_for_audience(summary.build_summary(Period.parse("2014/15-Q2")))

    assert shown(operational, arrests)[-1] == "2"
    assert shown(board, arrests)[-1] == "<5"
    assert shown(board, rate)[-1] == "3%"


def summary_with(parts_by_total: list[list[int]]) -> summary.DataSummary:
    """A summary (no database) of totals and their parts for one quarter."""
    rows = []
    for t, parts in enumerate(parts_by_total):
        codes = [f"t{t}p{i}" for i in range(len(parts))]
        for code, value in zip(codes, parts, strict=True):
            rows.append(_row(code, value))
        rows.append(_row(f"t{t}", sum(parts), components=codes))
    return summary.DataSummary(period="2014/15-Q2", columns=["2014/15-Q2"], rows=rows)


def _row(code, value, components=()):
    cell = summary.Cell("2014/15-Q2", str(value))
    return summary.Row(
        code=code,
        priority="protect",
        section="S",
        measure=code,
        unit="count",
        polarity="neither",
        target=None,
        cells=[cell],
        trend=[summary.Cell("2014/15-Q1", "9"), summary.Cell("2014/15-Q2", str(value))],
        components=list(components),
        direction="up",
    )


@given(st.lists(st.lists(st.integers(0, 12), min_size=1, max_size=5), min_size=1, max_size=3))
def test_a_suppressed_summary_shows_no_small_count_and_no_total_gives_one_away(parts_by_total):
    built = summary.suppress_for_audience(summary_with(parts_by_total), limit=4)

    by_code = {r.code: r for r in built.rows}
    for r in built.rows:
        value = int(r.cells[0].value)
        if 1 <= value <= 4:
            assert r.cells[0].display == "<5" and r.direction == ""
        assert r.cells[0].hidden == r.trend[-1].hidden  # the trend line hides it too
    for r in built.rows:
        if r.components:
            group = [r, *(by_code[c] for c in r.components)]
            assert sum(1 for g in group if g.cells[0].hidden) != 1
