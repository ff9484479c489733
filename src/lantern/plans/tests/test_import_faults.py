"""Faults found under load (issue 24): a refused import leaves nothing behind, not even the
strategy it was asked to create, and a file that is not UTF-8 is named as such."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from lantern.audit.models import AuditEntry
from lantern.plans import services
from lantern.plans.models import DeliveryAction, Strategy
from lantern.plans.spreadsheets import ImportProblems, import_plan
from lantern.plans.tests.plan_data import NOW
from lantern.plans.tests.test_spreadsheets import GOOD_ROWS, as_csv

pytestmark = pytest.mark.django_db


def test_a_refused_import_with_years_leaves_no_strategy_behind(tmp_path):
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][7] = "purple"
    source = tmp_path / "plan.csv"
    source.write_bytes(as_csv(rows))
    audit_before = AuditEntry.objects.count()

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("plan", "import", str(source), strategy="New plan", years="2025-2028")

    assert not Strategy.objects.filter(name="New plan").exists()
    assert AuditEntry.objects.count() == audit_before  # nor an audit entry for its creation


def test_an_accepted_import_with_years_creates_the_strategy(tmp_path):
    source = tmp_path / "plan.csv"
    source.write_bytes(as_csv(GOOD_ROWS))
    call_command("plan", "import", str(source), strategy="New plan", years="2025-2028")
    strategy = Strategy.objects.get(name="New plan")
    assert DeliveryAction.objects.filter(objective__strategy=strategy).count() == 6


def latin1_plan() -> bytes:
    """A plan saved as latin-1 after being opened with a UTF-8 byte-order mark: the mark's
    three bytes survive as "ï»¿" and the accented letters become single bytes."""
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][6] = "Publié in the café"
    return b"\xef\xbb\xbf" + as_csv(rows).decode().encode("latin-1")


def test_a_latin1_plan_is_refused_as_not_utf8_naming_the_accepted_encodings():
    strategy = services.create_strategy("pm", name="Plan", start_year=2025, end_year=2028)
    with pytest.raises(ImportProblems) as refused:
        import_plan("pm", strategy, latin1_plan(), "plan.csv", now=NOW)
    messages = [message for _, message in refused.value.problems]
    assert not any("Missing column" in m for m in messages)
    assert len(messages) == 1
    assert "not UTF-8" in messages[0]
    assert "UTF-8, with or without a byte-order mark" in messages[0]
    assert refused.value.problems[0][0] == 2  # the row of the first unreadable byte
    assert not DeliveryAction.objects.exists()


def test_a_plain_latin1_plan_without_a_mark_is_refused_too():
    strategy = services.create_strategy("pm", name="Plan", start_year=2025, end_year=2028)
    rows = [list(r) for r in GOOD_ROWS]
    rows[2][4] = "Bo Fenwick-Éclair"
    with pytest.raises(ImportProblems) as refused:
        import_plan("pm", strategy, as_csv(rows).decode().encode("latin-1"), "plan.csv", now=NOW)
    assert refused.value.problems[0][0] == 4
    assert "not UTF-8" in refused.value.problems[0][1]


def test_a_utf8_plan_with_a_byte_order_mark_is_imported():
    strategy = services.create_strategy("pm", name="Plan", start_year=2025, end_year=2028)
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][6] = "Publié in the café"
    result = import_plan("pm", strategy, b"\xef\xbb\xbf" + as_csv(rows), "plan.csv", now=NOW)
    assert result.rows == 6
    assert DeliveryAction.objects.filter(objective__strategy=strategy).count() == 6


def test_the_command_reports_a_latin1_file_as_not_utf8(tmp_path, capsys):
    source = tmp_path / "plan.csv"
    source.write_bytes(latin1_plan())
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("plan", "import", str(source), strategy="New plan", years="2025-2028")
    err = capsys.readouterr().err
    assert "not UTF-8" in err and "Missing column" not in err
    assert not Strategy.objects.filter(name="New plan").exists()
