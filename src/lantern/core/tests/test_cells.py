"""One guard against formula injection, used by every CSV and XLSX export (issue 21)."""

from __future__ import annotations

import pytest

from lantern.core import cells
from lantern.intake import exports as intake_exports
from lantern.performance import exports as performance_exports
from lantern.plans import spreadsheets as plan_spreadsheets
from lantern.tasking import exports as tasking_exports

HIDDEN_FORMULAS = [
    ' =HYPERLINK("http://example.invalid","click")',
    "\n=cmd|' /C calc'!A0",
    "\r\n+1+1",
    "  @SUM(A1:A2)",
    "\t-2+3",
]
GUARDS = {
    "intake": intake_exports.neutralise,
    "performance": performance_exports.safe_cell,
    "plans": plan_spreadsheets.neutralise,
    "tasking": tasking_exports.safe_cell,
}


@pytest.mark.parametrize("guard", GUARDS.values(), ids=GUARDS.keys())
@pytest.mark.parametrize("text", HIDDEN_FORMULAS)
def test_every_export_guards_a_formula_behind_spaces_or_line_breaks(guard, text):
    # The attack: tasking, performance and plans exports only looked at the first character.
    assert guard(text) == "'" + text


@pytest.mark.parametrize("guard", GUARDS.values(), ids=GUARDS.keys())
def test_every_export_uses_the_one_guard_in_core(guard):
    assert guard in (cells.neutralise, cells.safe_cell)


def test_plain_text_numbers_and_dates_are_left_alone():
    from datetime import date

    assert cells.safe_cell("Seen at the station") == "Seen at the station"
    assert cells.safe_cell(None) == ""
    assert cells.neutralise(3) == 3
    assert cells.neutralise(date(2015, 4, 1)) == date(2015, 4, 1)
    assert cells.safe_cell("=1") == "'=1"
