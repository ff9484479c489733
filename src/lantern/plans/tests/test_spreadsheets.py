"""Importing a plan from CSV or XLSX (all or nothing, idempotent) and exporting it again."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from lantern.plans import services, spreadsheets
from lantern.plans.models import Brag, BragChange, DeliveryAction, EvidenceEntry, Strategy
from lantern.plans.spreadsheets import COLUMNS, ImportProblems, import_plan
from lantern.plans.tests.plan_data import NOW, build_plan

pytestmark = pytest.mark.django_db

GOOD_ROWS = [
    [
        "Leadership",
        "1.1",
        "Clear governance",
        "Publish the plan on a page",
        "Ada Quill (Northmere Council)",
        "Sep 2025",
        "Published",
        "closed",
    ],
    [
        "Leadership",
        "1.1",
        "Clear governance",
        "Report to the executive quarterly",
        "Ada Quill (Northmere Council)",
        "2026-03",
        "",
        "Green",
    ],
    [
        "Prevent",
        "2.1",
        "People spot the signs",
        "Run a campaign",
        "Bo Fenwick",
        "March 2026",
        "Delayed by procurement",
        "AMBER",
    ],
    [
        "Prevent",
        "2.1",
        "People spot the signs",
        "Train taxi drivers",
        "",
        "",
        "No trainer since the contract ended",
        "red",
    ],
    [
        "Protect",
        "3.1",
        "Children are protected",
        "Review MACE",
        "Bo Fenwick",
        "2026-10-01",
        "Review reported to the board",
        "ACTION COMPLETE",
    ],
    [
        "Protect",
        "3.1",
        "Children are protected",
        "Audit risk assessments",
        "Bo Fenwick",
        "Dec 2026",
        "",
        "",
    ],
]


def as_csv(rows, header=COLUMNS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def as_xlsx(rows, header=COLUMNS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def strategy():
    return services.create_strategy("pm", name="Imported plan", start_year=2025, end_year=2028)


def test_a_csv_plan_is_imported_with_status_words_understood(strategy):
    result = import_plan("pm", strategy, as_csv(GOOD_ROWS), "plan.csv", now=NOW)

    assert (result.actions_added, result.objectives_added, result.lead_officers_added) == (6, 3, 2)
    ratings = dict(DeliveryAction.objects.values_list("text", "brag"))
    assert ratings == {
        "Publish the plan on a page": Brag.BLUE,
        "Report to the executive quarterly": Brag.GREEN,
        "Run a campaign": Brag.AMBER,
        "Train taxi drivers": Brag.RED,
        "Review MACE": Brag.BLUE,
        "Audit risk assessments": Brag.NOT_RATED,
    }
    campaign = DeliveryAction.objects.get(text="Run a campaign")
    assert campaign.due.isoformat() == "2026-03-01"
    assert campaign.lead.name == "Bo Fenwick"
    assert campaign.evidence.get().text == "Delayed by procurement"
    assert campaign.brag_changes.get().via == "import"
    assert strategy.lead_officers.get(name="Ada Quill").agency == "Northmere Council"


def test_importing_the_same_file_twice_changes_nothing(strategy):
    content = as_csv(GOOD_ROWS)
    import_plan("pm", strategy, content, "plan.csv", now=NOW)
    counts = (
        DeliveryAction.objects.count(),
        BragChange.objects.count(),
        EvidenceEntry.objects.count(),
    )

    result = import_plan("pm", strategy, content, "plan.csv", now=NOW)

    assert (result.actions_added, result.actions_changed, result.actions_unchanged) == (0, 0, 6)
    assert (
        DeliveryAction.objects.count(),
        BragChange.objects.count(),
        EvidenceEntry.objects.count(),
    ) == counts


def test_a_changed_status_on_reimport_is_kept_in_the_brag_history(strategy):
    import_plan("pm", strategy, as_csv(GOOD_ROWS), "plan.csv", now=NOW)
    rows = [list(r) for r in GOOD_ROWS]
    rows[2][7] = "red"

    result = import_plan("pm", strategy, as_csv(rows), "plan.csv", now=NOW)

    assert result.actions_changed == 1
    campaign = DeliveryAction.objects.get(text="Run a campaign")
    assert [(c.from_brag, c.to_brag) for c in campaign.brag_changes.order_by("pk")] == [
        ("", "amber"),
        ("amber", "red"),
    ]


def test_a_missing_column_is_reported_on_row_1_and_nothing_is_imported(strategy):
    header = [c for c in COLUMNS if c != "status"]
    rows = [r[:7] for r in GOOD_ROWS]

    with pytest.raises(ImportProblems) as caught:
        import_plan("pm", strategy, as_csv(rows, header), "plan.csv")

    assert caught.value.problems == [(1, "Missing column: status")]
    assert not DeliveryAction.objects.exists()


def test_an_unknown_status_word_is_reported_with_its_row(strategy):
    rows = [list(r) for r in GOOD_ROWS]
    rows[1][7] = "purple"

    with pytest.raises(ImportProblems) as caught:
        import_plan("pm", strategy, as_csv(rows), "plan.csv")

    assert [row for row, _ in caught.value.problems] == [3]
    assert "status “purple”" in caught.value.problems[0][1]
    assert not DeliveryAction.objects.exists()


def test_a_due_date_that_does_not_parse_is_reported_with_its_row(strategy):
    rows = [list(r) for r in GOOD_ROWS]
    rows[3][5] = "soon"

    with pytest.raises(ImportProblems) as caught:
        import_plan("pm", strategy, as_csv(rows), "plan.csv")

    assert caught.value.problems == [(5, "due “soon” is not a month like Mar 2026 or 2026-03")]
    assert not DeliveryAction.objects.exists()


def test_a_duplicate_objective_number_with_a_different_title_is_reported(strategy):
    rows = [list(r) for r in GOOD_ROWS]
    rows[3][2] = "Something else entirely"

    with pytest.raises(ImportProblems) as caught:
        import_plan("pm", strategy, as_csv(rows), "plan.csv")

    assert caught.value.problems == [
        (5, "objective 2.1 has a different title from row 4: give each objective number one title")
    ]
    assert not strategy.objectives.exists()


def test_every_problem_is_reported_at_once_and_nothing_is_imported(strategy):
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][7] = "done-ish"
    rows[2][5] = "31/13/2026"
    rows[4][3] = ""

    with pytest.raises(ImportProblems) as caught:
        import_plan("pm", strategy, as_csv(rows), "plan.csv")

    assert [row for row, _ in caught.value.problems] == [2, 4, 6]
    assert not DeliveryAction.objects.exists()
    assert not strategy.lead_officers.exists()


def test_an_xlsx_plan_with_real_dates_is_imported(strategy):
    rows = [list(r) for r in GOOD_ROWS]
    rows[2][5] = datetime(2026, 3, 14)

    result = import_plan("pm", strategy, as_xlsx(rows), "plan.xlsx", now=NOW)

    assert result.actions_added == 6
    assert DeliveryAction.objects.get(text="Run a campaign").due.isoformat() == "2026-03-01"


def test_the_file_type_is_decided_by_content_not_name(strategy):
    with pytest.raises(ImportProblems, match="1 problem") as as_named_csv:
        import_plan("pm", strategy, as_xlsx(GOOD_ROWS), "plan.csv")
    with pytest.raises(ImportProblems) as fake_xlsx:
        import_plan("pm", strategy, as_csv(GOOD_ROWS), "plan.xlsx")
    with pytest.raises(ImportProblems) as binary:
        import_plan("pm", strategy, b"\x89PNG\r\n\x1a\n\x00\x00", "plan.csv")

    assert "is named .csv" in as_named_csv.value.problems[0][1]
    assert "not an Excel (XLSX) workbook" in fake_xlsx.value.problems[0][1]
    assert "not a CSV or XLSX file" in binary.value.problems[0][1]


def test_a_csv_export_reimports_unchanged():
    plan = build_plan()
    services.record_progress(
        "lead", plan.campaign, expected_version=1, brag="amber", evidence="Slipping", now=NOW
    )
    services.record_progress(
        "lead", plan.schools, expected_version=1, brag="blue", evidence="Signed off", now=NOW
    )
    exported = spreadsheets.export_csv(plan.strategy)
    counts = (BragChange.objects.count(), EvidenceEntry.objects.count())

    same = import_plan("pm", plan.strategy, exported, "export.csv", now=NOW)
    copy = services.create_strategy("pm", name="Copy", start_year=2025, end_year=2028)
    import_plan("pm", copy, exported, "export.csv", now=NOW)

    assert (same.actions_added, same.actions_changed, same.actions_unchanged) == (0, 0, 3)
    assert (BragChange.objects.filter(action__objective__strategy=plan.strategy).count(),) == (
        counts[0],
    )
    assert spreadsheets.export_csv(copy) == exported


def test_formula_cells_are_neutralised_in_exports_and_restored_on_import():
    plan = build_plan()
    action = plan.mace
    risky = '=HYPERLINK("http://example.invalid","click")'
    services.update_action(
        "pm",
        action,
        expected_version=action.version,
        objective=action.objective,
        text=risky,
        lead=None,
        due=None,
    )

    exported = spreadsheets.export_csv(plan.strategy).decode("utf-8-sig")
    book = load_workbook(io.BytesIO(spreadsheets.export_xlsx(plan.strategy)))
    cells = [c.value for row in book.active.iter_rows() for c in row if c.value]
    copy = services.create_strategy("pm", name="Copy", start_year=2025, end_year=2028)
    import_plan("pm", copy, exported.encode(), "export.csv", now=NOW)

    assert "'=HYPERLINK" in exported
    assert "'" + risky in cells
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)
    assert DeliveryAction.objects.filter(objective__strategy=copy, text=risky).exists()


def test_the_xlsx_and_docx_exports_have_the_paper_plan_columns():
    from docx import Document

    plan = build_plan()
    services.record_progress(
        "lead", plan.schools, expected_version=1, brag="blue", evidence="Signed off", now=NOW
    )

    book = load_workbook(io.BytesIO(spreadsheets.export_xlsx(plan.strategy)))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    document = Document(io.BytesIO(spreadsheets.export_docx(plan.strategy)))
    headers = [[cell.text for cell in table.rows[0].cells] for table in document.tables]

    assert spreadsheets.SEED_COLUMNS in rows
    assert ["2.1.", "People spot the signs", "Run an awareness campaign"] in [r[:3] for r in rows]
    assert any(row[2] == "Brief every school" and row[6] == "BLUE: ACTION CLOSED" for row in rows)
    assert spreadsheets.SEED_COLUMNS in headers
    assert ["Version", "Date", "Author", "Comments"] in headers


def test_the_plan_command_imports_and_exports(tmp_path):
    source = tmp_path / "plan.csv"
    source.write_bytes(as_csv(GOOD_ROWS))
    out = tmp_path / "out.csv"

    call_command("plan", "import", str(source), strategy="Command plan", years="2025-2028")
    call_command("plan", "export", strategy="Command plan", format="csv", out=str(out))

    strategy = Strategy.objects.get(name="Command plan")
    assert DeliveryAction.objects.filter(objective__strategy=strategy).count() == 6
    assert out.read_bytes() == spreadsheets.export_csv(strategy)


def test_the_plan_command_reports_problems_and_imports_nothing(tmp_path, capsys):
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][7] = "purple"
    source = tmp_path / "plan.xlsx"
    source.write_bytes(as_xlsx(rows))
    services.create_strategy("pm", name="Command plan", start_year=2025, end_year=2028)

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("plan", "import", str(source), strategy="Command plan")

    assert "row 2: status “purple”" in capsys.readouterr().err
    assert not DeliveryAction.objects.exists()


def test_the_plan_command_needs_years_to_create_a_strategy(tmp_path):
    source = tmp_path / "plan.csv"
    source.write_bytes(as_csv(GOOD_ROWS))

    with pytest.raises(CommandError, match="--years"):
        call_command("plan", "import", str(source), strategy="Nowhere plan")


def test_a_plan_in_the_paper_shape_is_imported_as_the_xlsx_export_writes_it():
    plan = build_plan()
    services.record_progress(
        "lead", plan.campaign, expected_version=1, brag="amber", evidence="First note", now=NOW
    )
    services.record_progress(
        "lead", plan.campaign, expected_version=2, brag="amber", evidence="Later note", now=NOW
    )
    services.record_progress(
        "lead", plan.schools, expected_version=1, brag="blue", evidence="Signed off", now=NOW
    )
    copy = services.create_strategy("pm", name="Copy", start_year=2025, end_year=2028)

    result = import_plan("pm", copy, spreadsheets.export_xlsx(plan.strategy), "plan.xlsx", now=NOW)
    again = import_plan("pm", copy, spreadsheets.export_xlsx(plan.strategy), "plan.xlsx", now=NOW)

    assert result.actions_added == 3
    assert again.actions_unchanged == 3
    assert spreadsheets.export_csv(copy) == spreadsheets.export_csv(plan.strategy)


def test_a_paper_shaped_plan_reports_problems_by_spreadsheet_row(strategy):
    book = Workbook()
    sheet = book.active
    sheet.append(["Our plan"])
    sheet.append(["1. PREVENT"])
    sheet.append(spreadsheets.SEED_COLUMNS)
    sheet.append(
        ["1.1.", "People spot the signs", "Run a campaign", "Bo Fenwick", "Sometime", "", "GREEN"]
    )
    sheet.append(["", "", "Train drivers", "", "Mar 2026", "", "ACTION CLOSED"])
    out = io.BytesIO()
    book.save(out)

    with pytest.raises(ImportProblems) as caught:
        import_plan("pm", strategy, out.getvalue(), "plan.xlsx")

    assert caught.value.problems == [
        (4, "due “Sometime” is not a month like Mar 2026 or 2026-03"),
        (5, "evidence is empty: a Blue rating needs the evidence that the action is complete"),
    ]


@pytest.mark.parametrize(
    "status,message",
    [
        ("Red", "a Red rating needs evidence saying why the action is off target"),
        ("amber", "an Amber rating needs evidence saying why it is at risk"),
        ("action complete", "a Blue rating needs the evidence that the action is complete"),
    ],
)
def test_a_rating_without_the_evidence_it_needs_is_refused_and_nothing_is_imported(
    strategy, status, message
):
    rows = [["Prevent", "2.1", "People spot the signs", "Run a campaign", "", "", "", status]]

    with pytest.raises(ImportProblems) as caught:
        import_plan("pm", strategy, as_csv(rows), "plan.csv")

    assert caught.value.problems == [(2, f"evidence is empty: {message}")]
    assert not DeliveryAction.objects.exists()
