"""`lantern measures import` caps the file as the plan importer does, reads it as a stream, and
lists at most 100 problems with a count of the rest."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from lantern.performance import imports
from lantern.performance.imports import ImportRefused, import_figures
from lantern.performance.models import MeasureValue
from lantern.performance.tests.helpers import DECEMBER_2014, make_measure

pytestmark = pytest.mark.django_db
HEADER = "priority,section,measure,period,value,status,note\n"


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(imports, "MAX_IMPORT_BYTES", 1000)
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "Pursue,CSE Team,Arrests,2014/15-Q1,12,reported,\n" * 40)
    with pytest.raises(CommandError, match="the largest Lantern imports"):
        call_command("measures", "import", str(path))
    assert not MeasureValue.objects.exists()


def test_a_file_over_the_row_cap_is_refused(monkeypatch):
    monkeypatch.setattr(imports, "MAX_IMPORT_ROWS", 5)
    make_measure("Arrests")
    data = (HEADER + "Pursue,CSE Team,Arrests,2014/15-Q1,12,reported,\n" * 6).encode()
    with pytest.raises(ImportRefused) as caught:
        import_figures(data, actor=None, now=DECEMBER_2014)
    assert caught.value.problems == [
        "The file has more than 5 rows of figures. Split it and import each part"
    ]


def test_only_the_first_100_problems_are_listed_with_a_count_of_the_rest(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "".join(f"Nowhere,S,M{n},2014/15,1,,\n" for n in range(250)))
    with pytest.raises(CommandError) as caught:
        call_command("measures", "import", str(path))
    message = str(caught.value)
    assert message.count("is not a priority") == 100
    assert "... and 150 more problems, not listed" in message
    assert "Row 101," in message
    assert "Row 102," not in message
