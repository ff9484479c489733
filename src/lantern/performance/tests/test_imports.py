"""`lantern measures import`: bad inputs name row and column; all or nothing; idempotent."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from lantern.audit.models import AuditEntry
from lantern.performance.imports import ImportRefused, import_figures
from lantern.performance.models import Kind, Measure, MeasureValue
from lantern.performance.tests.helpers import DECEMBER_2014, make_measure

pytestmark = pytest.mark.django_db
HEADER = "priority,section,measure,period,value,status,note\r\n"


def csv_bytes(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "\r\n".join(lines) + "\r\n").encode(encoding)


def refused(data: bytes, **kwargs) -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        import_figures(data, actor=None, now=DECEMBER_2014, **kwargs)
    return caught.value.problems


@pytest.fixture
def pursue():
    return {
        "arrests": make_measure("Arrests"),
        "rate": make_measure("Outcome rate", section="Police", unit="percentage"),
    }


def test_a_good_file_imports_every_figure(pursue):
    data = csv_bytes(
        "Pursue,CSE Team,Arrests,2014/15-Q1,12,reported,",
        "pursue,cse team, arrests ,2014/15-Q2,14,,from the police analyst",
        "Pursue,Police,Outcome rate,2014/15-Q1,40%,reported,",
        "Pursue,Police,Outcome rate,2014/15-Q2,,not available,not yet known",
    )

    result = import_figures(data, actor=None, now=DECEMBER_2014)

    assert (result.added, result.changed, result.unchanged) == (4, 0, 0)
    q2 = MeasureValue.objects.get(measure=pursue["arrests"], period="2014/15-Q2")
    assert (q2.value, q2.note) == (14, "from the police analyst")
    assert MeasureValue.objects.get(measure=pursue["rate"], period="2014/15-Q2").status == (
        "not_available"
    )


def test_importing_the_same_file_twice_changes_nothing(pursue):
    data = csv_bytes("Pursue,CSE Team,Arrests,2014/15-Q1,12,reported,")
    import_figures(data, actor=None, now=DECEMBER_2014)
    entries = AuditEntry.objects.count()

    result = import_figures(data, actor=None, now=DECEMBER_2014)

    assert (result.added, result.changed, result.unchanged) == (0, 0, 1)
    assert AuditEntry.objects.count() == entries
    assert MeasureValue.objects.get().version == 1


def test_a_utf8_file_with_a_byte_order_mark_is_accepted(pursue):
    data = b"\xef\xbb\xbf" + csv_bytes("Pursue,CSE Team,Arrests,2014/15-Q1,12,reported,")

    assert import_figures(data, actor=None, now=DECEMBER_2014).added == 1


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message(pursue):
    data = csv_bytes("Pursue,CSE Team,Arrests,2014/15-Q1,12,reported,Café", encoding="cp1252")

    assert refused(data) == [
        "Row 2: the file is not UTF-8 text (an unreadable byte at position 101). "
        "Save it as “CSV UTF-8” and import it again"
    ]


def test_a_wrong_header_is_refused(pursue):
    data = csv_bytes("Pursue,CSE Team,Arrests,12", header="priority,section,measure,value\r\n")

    assert refused(data)[0].startswith(
        "Row 1: the header must be exactly priority,section,measure,period,value,status,note"
    )


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_imported(pursue):
    data = csv_bytes(
        "Pursue,CSE Team,Arrests,2014/15-Q1,12,reported,",
        "Pursue,CSE Team,Arrests,2014/15-Q5,12,reported,",
        "Pursue,CSE Team,Arrests,2014/15-Q2,-3,reported,",
        "Pursue,Police,Outcome rate,2014/15-Q2,140%,reported,",
        "Pursue,CSE Team,Arrests,2013/14,23,not collected,",
        "Pursue,CSE Team,Arrests,2014/15-Q3,9,reported,",
        "Pursue,CSE Team,Arrests,2012/13,,reported,",
        "Pursue,CSE Team,Arrests,2011/12,lots,reported,",
        "Pursue,CSE Team,Arrests,2010/11,3,maybe,",
        "Pursue,CSE Team,Arrests,2014/15-Q1,12,reported,",
    )

    problems = refused(data)

    assert problems == [
        "Row 3, column period: “2014/15-Q5” is not a period (write a financial year like "
        "2014/15 or a quarter like 2014/15-Q2)",
        "Row 4, column value: The figure cannot be negative",
        "Row 5, column value: A percentage cannot be more than 100",
        "Row 6, column value: Leave the figure empty when it is not collected, or choose reported",
        "Row 7, column period: 2014/15-Q3 is not over until 31 December 2014: enter figures "
        "after it ends",
        "Row 8, column value: Enter the figure, or choose why there is no figure",
        "Row 9, column value: Enter a number, like 12 or 33.5%",
        "Row 10, column status: “maybe” is not a status (use reported, not collected, not "
        "applicable or not available)",
        "Row 11, column period: Arrests for 2014/15-Q1 is already on row 2",
    ]
    assert MeasureValue.objects.count() == 0


def test_unknown_measures_are_listed_together_unless_create_is_asked_for(pursue):
    data = csv_bytes(
        "Prevent,Training,Parish councillors trained,2014/15-Q2,14,reported,",
        "Prevent,Training,Ward members trained,2014/15-Q2,0,reported,",
        "Pursue,CSE Team,Arrests,2014/15-Q2,14,reported,",
    )

    problems = refused(data)

    assert problems == [
        "Column measure: 2 measures are not in the catalogue (row 2: Prevent / Training / "
        "Parish councillors trained; row 3: Prevent / Training / Ward members trained). Check "
        "their names, or import with --create to add them as imported measures"
    ]
    assert MeasureValue.objects.count() == 0

    result = import_figures(data, actor=None, now=DECEMBER_2014, create=True)

    assert result.created_measures == ["Parish councillors trained", "Ward members trained"]
    assert Measure.objects.get(name="Ward members trained").kind == Kind.IMPORTED
    assert MeasureValue.objects.count() == 3


def test_the_command_imports_a_file_and_reports_problems_as_an_error(pursue, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes("Pursue,CSE Team,Arrests,2014/15-Q1,12,reported,"))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes("Pursue,CSE Team,Arrests,2014/15-Q1,-1,reported,"))

    call_command("measures", "import", str(good))
    with pytest.raises(CommandError, match="Row 2, column value: The figure cannot be negative"):
        call_command("measures", "import", str(bad))

    assert "1 figures added" in capsys.readouterr().out
    assert MeasureValue.objects.get().value == 12
