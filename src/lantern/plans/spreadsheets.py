"""Importing a delivery plan from CSV or XLSX, and exporting it to CSV, XLSX and DOCX.

The import columns are priority, objective_ref, objective, action, lead, due, evidence, status.
An import is all or nothing: every problem is reported with its row number and nothing is saved
until the whole file is clean. Actions are matched by objective number and wording, so the same
file imported twice changes nothing. The CSV export uses the import's columns, so it re-imports
unchanged; the XLSX and DOCX exports are in the paper plan's shape (No., strategic objective,
actions, lead officer, when, evidence of progress, BRAG rating).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from lantern.audit.models import AuditAction
from lantern.audit.services import record, record_change
from lantern.core.cells import looks_like_formula, neutralise
from lantern.core.errors import LanternError
from lantern.plans.models import (
    BRAG_SHORT,
    Brag,
    DeliveryAction,
    LeadOfficer,
    Objective,
    Priority,
    Strategy,
)
from lantern.plans.services import (
    live_actions,
    normalise_ref,
    ref_position,
    write_brag_change,
    write_evidence_entry,
)

COLUMNS = ["priority", "objective_ref", "objective", "action", "lead", "due", "evidence", "status"]
SEED_COLUMNS = [
    "No.",
    "Strategic objective",
    "Actions",
    "Lead officer",
    "When",
    "Evidence of progress",
    "BRAG rating",
]
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
NOT_UTF8 = (
    "The file is not UTF-8 text (an unreadable byte at position {position}). Lantern accepts "
    "CSV files in UTF-8, with or without a byte-order mark: save it as “CSV UTF-8” and import "
    "it again"
)

# Status words a spreadsheet may use, lower-cased, and the rating each means.
# As on the action page: a Red or Amber rating says why, a Blue one shows the work is done.
NEEDS_EVIDENCE = {
    Brag.RED: "evidence is empty: a Red rating needs evidence saying why the action is off target",
    Brag.AMBER: "evidence is empty: an Amber rating needs evidence saying why it is at risk",
    Brag.BLUE: "evidence is empty: a Blue rating needs the evidence that the action is complete",
}
STATUS_WORDS = {
    "": Brag.NOT_RATED,
    "not rated": Brag.NOT_RATED,
    "not yet rated": Brag.NOT_RATED,
    "blue": Brag.BLUE,
    "closed": Brag.BLUE,
    "complete": Brag.BLUE,
    "completed": Brag.BLUE,
    "action closed": Brag.BLUE,
    "action complete": Brag.BLUE,
    "blue: action closed": Brag.BLUE,
    "green": Brag.GREEN,
    "amber": Brag.AMBER,
    "red": Brag.RED,
}
DUE_FORMATS = ["%b %Y", "%B %Y", "%Y-%m", "%Y-%m-%d", "%m/%Y", "%d/%m/%Y", "%b-%y", "%B-%y"]
_PRIORITY_HEADING = re.compile(r"^\d+\.\s*(?P<name>[^\d\s].*)$")
_EVIDENCE_ENTRY = re.compile(r"\n(?=\d{1,2} [A-Za-z]{3} \d{4}: )")
_EVIDENCE_DATE = re.compile(r"^\d{1,2} [A-Za-z]{3} \d{4}: ")
_LEAD_WITH_AGENCY = re.compile(r"^(?P<name>.+?)\s*\((?P<agency>[^()]+)\)\s*$")


class ImportProblems(LanternError):
    """The file cannot be imported; `problems` lists (row number, message), row 1 the header."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        super().__init__(f"The file has {len(problems)} problem{'s' if len(problems) != 1 else ''}")


@dataclass
class PlanRow:
    number: int
    priority: str
    objective_ref: str
    objective: str
    action: str
    lead: str
    due: date | None
    evidence: str
    brag: str


@dataclass
class ImportResult:
    rows: int = 0
    actions_added: int = 0
    actions_changed: int = 0
    actions_unchanged: int = 0
    objectives_added: int = 0
    priorities_added: int = 0
    lead_officers_added: int = 0
    messages: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return (
            f"{self.rows} rows read: {self.actions_added} actions added, "
            f"{self.actions_changed} changed, {self.actions_unchanged} unchanged; "
            f"{self.objectives_added} objectives, {self.priorities_added} priorities and "
            f"{self.lead_officers_added} lead officers added."
        )


# --- Import ------------------------------------------------------------------------------------


def import_plan(
    actor: Any,
    strategy: Strategy,
    content: bytes,
    filename: str,
    *,
    now: datetime | None = None,
) -> ImportResult:
    """Read a CSV or XLSX plan and bring the strategy's plan into line with it.

    Adds priorities, objectives, lead officers and actions it does not have; updates the lead,
    due month, BRAG rating (kept in the BRAG history) and evidence of actions it has; never
    removes anything. Refuses the whole file, with every problem by row number, for a missing
    column, an unknown status word, a due date that does not parse, an objective number given
    two titles or two priorities, an action listed twice, or a file that is not CSV or XLSX.
    """
    now = now or timezone.now()
    rows = parse_plan_rows(read_table(content, filename), strategy)
    result = ImportResult(rows=len(rows))
    with transaction.atomic():
        _apply_rows(actor, strategy, rows, result, now)
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=strategy,
            details={"import": {"file": Path(filename).name[:200], "summary": result.summary}},
        )
    return result


def read_table(content: bytes, filename: str) -> list[list[Any]]:
    """The rows of the first sheet of an XLSX file or of a CSV file, told apart by content.

    Refuses a file whose content is neither, or whose name says one type and content another.
    """
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportProblems([(0, "The file is larger than 2 MB: split it or remove images")])
    suffix = Path(filename).suffix.lower()
    is_zip = content[:4] == b"PK\x03\x04"
    if is_zip:
        if suffix not in ("", ".xlsx"):
            raise ImportProblems([(0, f"The file is a spreadsheet (XLSX) but is named {suffix}")])
        return _read_xlsx(content)
    if suffix == ".xlsx":
        raise ImportProblems([(0, "The file is named .xlsx but is not an Excel (XLSX) workbook")])
    if suffix not in ("", ".csv", ".txt"):
        raise ImportProblems([(0, "Choose a CSV or XLSX file")])
    return _read_csv(content)


def parse_plan_rows(table: list[list[Any]], strategy: Strategy) -> list[PlanRow]:
    """Check every row and return them all, or raise ImportProblems listing every problem.

    Reads the import's columns, or a plan in the paper shape (a table per priority with No.,
    strategic objective, actions, ..., BRAG rating, as the XLSX export writes it).
    """
    if not table:
        raise ImportProblems([(1, "The file is empty: the first row must name the columns")])
    if len(table) - 1 > MAX_IMPORT_ROWS:
        raise ImportProblems([(0, f"The file has more than {MAX_IMPORT_ROWS} rows")])
    header = [_header_name(cell) for cell in table[0]]
    missing = [c for c in COLUMNS if c not in header]
    records = _paper_plan_records(table, strategy) if missing else None
    if missing and records is None:
        raise ImportProblems([(1, f"Missing column: {', '.join(missing)}")])
    if records is None:
        index = {name: header.index(name) for name in COLUMNS}
        records = [
            (number, {name: raw[i] if i < len(raw) else None for name, i in index.items()})
            for number, raw in enumerate(table[1:], start=2)
        ]
    known_titles = dict(strategy.objectives.values_list("ref", "title"))
    rows, problems = [], []
    titles: dict[str, tuple[str, int]] = {}
    priorities: dict[str, tuple[str, int]] = {}
    seen_actions: dict[tuple[str, str], int] = {}
    for number, values in records:
        cells = {name: _cell_text(value) for name, value in values.items()}
        if not any(cells.values()):
            continue
        row_problems: list[str] = []
        for name in ("priority", "objective_ref", "action"):
            if not cells[name]:
                row_problems.append(f"{name} is empty")
        ref = normalise_ref(cells["objective_ref"])
        title = cells["objective"]
        if ref and title:
            first = titles.setdefault(ref, (title, number))
            if first[0] != title:
                row_problems.append(
                    f"objective {ref} has a different title from row {first[1]}: "
                    "give each objective number one title"
                )
        if ref and cells["priority"]:
            first_priority = priorities.setdefault(ref, (cells["priority"].lower(), number))
            if first_priority[0] != cells["priority"].lower():
                row_problems.append(
                    f"objective {ref} is under a different priority on row {first_priority[1]}"
                )
        status = cells["status"].lower()
        if status not in STATUS_WORDS:
            row_problems.append(
                f"status “{cells['status']}” is not one of blue, green, amber, red, closed, "
                "complete or empty"
            )
        elif not cells["evidence"] and STATUS_WORDS[status] in NEEDS_EVIDENCE:
            row_problems.append(NEEDS_EVIDENCE[STATUS_WORDS[status]])
        due, due_ok = _parse_due(values["due"])
        if not due_ok:
            row_problems.append(f"due “{cells['due']}” is not a month like Mar 2026 or 2026-03")
        key = (ref, cells["action"])
        if ref and cells["action"]:
            if key in seen_actions:
                row_problems.append(f"the same action is already on row {seen_actions[key]}")
            seen_actions.setdefault(key, number)
        if row_problems:
            problems.extend((number, p) for p in row_problems)
            continue
        rows.append(
            PlanRow(
                number=number,
                priority=cells["priority"],
                objective_ref=ref,
                objective=title,
                action=cells["action"],
                lead=cells["lead"],
                due=due,
                evidence=cells["evidence"],
                brag=STATUS_WORDS[status],
            )
        )
    for row in rows:
        if not row.objective and row.objective_ref not in titles:
            if row.objective_ref in known_titles:
                continue
            problems.append((row.number, f"objective {row.objective_ref} has no title"))
    if problems:
        raise ImportProblems(sorted(problems))
    for row in rows:
        row.objective = row.objective or titles.get(row.objective_ref, ("",))[0]
    return rows


# --- Export ------------------------------------------------------------------------------------


def export_rows(strategy: Strategy) -> list[dict]:
    """The plan as rows of the import's columns, in plan order: what the CSV export writes."""
    rows = []
    for action in live_actions(strategy).prefetch_related("evidence"):
        latest = next(iter(action.evidence.all()), None)
        rows.append(
            {
                "priority": action.objective.priority.name,
                "objective_ref": action.objective.ref,
                "objective": action.objective.title,
                "action": action.text,
                "lead": action.lead.label if action.lead else "",
                "due": action.due_label,
                "evidence": latest.text if latest else "",
                "status": action.brag,
            }
        )
    return rows


def export_csv(strategy: Strategy) -> bytes:
    """The plan as CSV in the import's columns (UTF-8 with BOM, so Excel reads it)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in export_rows(strategy):
        writer.writerow({k: neutralise(v) for k, v in row.items()})
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(strategy: Strategy) -> bytes:
    """The plan as a workbook in the paper plan's shape: version control, BRAG key, lead
    officers, then a table per priority."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = "Delivery plan"
    bold = Font(bold=True)
    fills = {
        Brag.BLUE: PatternFill("solid", fgColor="9CC3E6"),
        Brag.GREEN: PatternFill("solid", fgColor="A9D08E"),
        Brag.AMBER: PatternFill("solid", fgColor="FFD966"),
        Brag.RED: PatternFill("solid", fgColor="F4B084"),
    }

    def put(values: list, *, font=None) -> None:
        sheet.append([neutralise(v) if isinstance(v, str) else v for v in values])
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if font:
                cell.font = font

    put([strategy.name], font=Font(bold=True, size=14))
    put([])
    for block_title, header, lines in _front_matter(strategy):
        put([block_title], font=bold)
        put(header, font=bold)
        for line in lines:
            put(line)
        put([])
    for section in plan_sections(strategy):
        put([f"{section['number']}. {section['name'].upper()}"], font=Font(bold=True, size=12))
        if section["description"]:
            put([section["description"]])
        put(SEED_COLUMNS, font=bold)
        for row in section["rows"]:
            put(row["cells"])
            if row["brag"] in fills:
                sheet.cell(row=sheet.max_row, column=7).fill = fills[row["brag"]]
        put([])
    for column, width in zip("ABCDEFG", (8, 40, 50, 22, 11, 50, 16), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export_docx(strategy: Strategy) -> bytes:
    """The plan as a Word document in the paper plan's shape."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    document.styles["Normal"].font.size = Pt(9)
    document.add_heading(strategy.name, level=0)
    if strategy.governance:
        document.add_heading("Governance", level=1)
        document.add_paragraph(strategy.governance)
    for block_title, header, lines in _front_matter(strategy):
        document.add_heading(block_title.title(), level=1)
        _docx_table(document, header, lines)
    for part in plan_sections(strategy):
        document.add_heading(f"{part['number']}. {part['name'].upper()}", level=1)
        if part["description"]:
            document.add_paragraph(part["description"])
        _docx_table(document, SEED_COLUMNS, [row["cells"] for row in part["rows"]])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def plan_sections(strategy: Strategy) -> list[dict]:
    """The plan in the paper shape: per priority, rows of the seven columns, with the objective's
    number and title only on its first action's row."""
    actions = live_actions(strategy).prefetch_related("evidence")
    by_objective: dict[int, list[DeliveryAction]] = {}
    for action in actions:
        by_objective.setdefault(action.objective_id, []).append(action)
    sections = []
    for number, priority in enumerate(strategy.priorities.prefetch_related("objectives"), 1):
        rows = []
        for objective in priority.objectives.all():
            for i, action in enumerate(by_objective.get(objective.pk, [])):
                evidence = "\n".join(f"{e.on:%d %b %Y}: {e.text}" for e in action.evidence.all())
                rows.append(
                    {
                        "brag": action.brag,
                        "cells": [
                            f"{objective.ref}." if i == 0 else "",
                            objective.title if i == 0 else "",
                            action.text,
                            action.lead.label if action.lead else "",
                            action.due_label,
                            evidence,
                            seed_brag_words(action.brag),
                        ],
                    }
                )
        sections.append(
            {
                "number": number,
                "name": priority.name,
                "description": priority.description,
                "rows": rows,
            }
        )
    return sections


def seed_brag_words(brag: str) -> str:
    """The BRAG rating as the paper plan writes it: blue actions are "ACTION CLOSED"."""
    if brag == Brag.BLUE:
        return "BLUE: ACTION CLOSED"
    return BRAG_SHORT[Brag(brag)].upper() if brag else ""


def record_export(actor: Any, strategy: Strategy, fmt: str, request: Any = None) -> None:
    """Audit an export: the plan names lead officers, so who took a copy is kept."""
    record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=strategy,
        request=request,
        details={"format": fmt},
    )


# --- Helpers -----------------------------------------------------------------------------------


def _apply_rows(
    actor: Any, strategy: Strategy, rows: list[PlanRow], result: ImportResult, now: datetime
) -> None:
    priorities = {p.name.lower(): p for p in strategy.priorities.all()}
    objectives = {o.ref: o for o in strategy.objectives.all()}
    leads = {lead.name.lower(): lead for lead in strategy.lead_officers.all()}
    next_position = max((p.position for p in priorities.values()), default=0) + 1
    for row in rows:
        priority = priorities.get(row.priority.lower())
        if priority is None:
            priority = Priority.objects.create(
                strategy=strategy, name=row.priority, position=next_position
            )
            next_position += 1
            priorities[row.priority.lower()] = priority
            result.priorities_added += 1
            record_change(actor, priority, AuditAction.CREATE)
        objective = objectives.get(row.objective_ref)
        if objective is None:
            objective = Objective.objects.create(
                strategy=strategy,
                priority=priority,
                ref=row.objective_ref,
                title=row.objective,
                position=ref_position(row.objective_ref),
            )
            objectives[row.objective_ref] = objective
            result.objectives_added += 1
            record_change(actor, objective, AuditAction.CREATE)
        elif objective.title != row.objective or objective.priority_id != priority.pk:
            changes = {
                "title": [objective.title, row.objective],
                "priority": [objective.priority.name, priority.name],
            }
            objective.title, objective.priority = row.objective, priority
            objective.version += 1
            objective.save(update_fields=["title", "priority", "version"])
            record_change(actor, objective, AuditAction.UPDATE, changes=changes)
        lead = _lead_for(row.lead, strategy, leads, actor, result)
        _import_action(actor, objective, row, lead, result, now)


def _import_action(
    actor: Any,
    objective: Objective,
    row: PlanRow,
    lead: LeadOfficer | None,
    result: ImportResult,
    now: datetime,
) -> None:
    action = objective.actions.filter(text=row.action).order_by("pk").first()
    if action is None:
        action = DeliveryAction.objects.create(
            objective=objective,
            text=row.action,
            lead=lead,
            due=row.due,
            position=objective.actions.count() + 1,
        )
        if row.brag:
            write_brag_change(actor, action, row.brag, now, "import")
            action.brag = row.brag
            action.save(update_fields=["brag"])
        if row.evidence:
            write_evidence_entry(actor, action, row.evidence, timezone.localdate(now), now)
        record_change(actor, action, AuditAction.CREATE, changes={"import": [None, row.number]})
        result.actions_added += 1
        return
    if action.withdrawn_at:
        result.actions_unchanged += 1
        return
    changes: dict = {}
    if action.lead_id != (lead.pk if lead else None):
        changes["lead"] = [str(action.lead or ""), str(lead or "")]
        action.lead = lead
    if action.due != row.due:
        changes["due"] = [str(action.due or ""), str(row.due or "")]
        action.due = row.due
    if action.brag != row.brag:
        changes["brag"] = [action.brag, row.brag]
        write_brag_change(actor, action, row.brag, now, "import")
        action.brag = row.brag
    latest = action.evidence.order_by("-on", "-pk").first()
    if row.evidence and (latest is None or latest.text != row.evidence):
        changes["evidence"] = [None, row.evidence]
        write_evidence_entry(actor, action, row.evidence, timezone.localdate(now), now)
    if not changes:
        result.actions_unchanged += 1
        return
    action.version += 1
    action.save(update_fields=["lead", "due", "brag", "version"])
    record_change(actor, action, AuditAction.UPDATE, changes=changes)
    result.actions_changed += 1


def _paper_plan_records(
    table: list[list[Any]], strategy: Strategy
) -> list[tuple[int, dict[str, Any]]] | None:
    """A plan in the paper shape as records of the import's columns, or None if it is not one.

    A heading row like "2. PREVENT" starts a priority; rows under a header row of the seven
    columns are actions, the objective's number and title carried down from the row that has
    them. Rows before the first header (version control, BRAG key, lead officers) are skipped.
    The latest evidence entry is taken, without the date the export puts before it.
    """
    seed = [c.lower() for c in SEED_COLUMNS]
    names = {p.name.lower(): p.name for p in strategy.priorities.all()}
    records: list[tuple[int, dict[str, Any]]] = []
    found = False
    priority = ref = title = ""
    for number, raw in enumerate(table, start=1):
        raw = list(raw)[:7] + [None] * (7 - len(raw[:7]))
        cells = [_cell_text(value) for value in raw]
        if [c.lower() for c in cells] == seed:
            found = True
            continue
        heading = None if any(cells[1:]) else _PRIORITY_HEADING.match(cells[0])
        if heading:
            name = heading["name"].strip()
            priority, ref, title = names.get(name.lower(), name.capitalize()), "", ""
            continue
        if not found or not cells[2]:
            continue
        ref, title = cells[0] or ref, cells[1] or title
        latest = _EVIDENCE_ENTRY.split(cells[5])[0]
        records.append(
            (
                number,
                {
                    "priority": priority,
                    "objective_ref": ref,
                    "objective": title,
                    "action": cells[2],
                    "lead": cells[3],
                    "due": raw[4],
                    "evidence": _EVIDENCE_DATE.sub("", latest),
                    "status": cells[6],
                },
            )
        )
    return records if found else None


def _lead_for(
    text: str, strategy: Strategy, leads: dict, actor: Any, result: ImportResult
) -> LeadOfficer | None:
    if not text:
        return None
    match = _LEAD_WITH_AGENCY.match(text)
    name, agency = (match["name"], match["agency"].strip()) if match else (text, "")
    lead = leads.get(name.lower())
    if lead is None:
        lead = LeadOfficer.objects.create(strategy=strategy, name=name, agency=agency)
        leads[name.lower()] = lead
        result.lead_officers_added += 1
        record_change(actor, lead, AuditAction.CREATE)
    return lead


def _front_matter(strategy: Strategy) -> list[tuple[str, list[str], list[list[str]]]]:
    versions = [
        [v.number, f"{v.published_on:%d.%m.%Y}", v.author_label, v.comment]
        for v in strategy.versions.order_by("major", "minor")
    ]
    key = [[BRAG_SHORT[b].upper(), Brag(b).label.split(": ")[1]] for b in Brag if b]
    leads = [[lead.name, lead.job_title, lead.agency] for lead in strategy.lead_officers.all()]
    return [
        ("VERSION CONTROL", ["Version", "Date", "Author", "Comments"], versions),
        ("PROGRESS OF ACTIONS – BRAG RATING", ["Rating", "Meaning"], key),
        ("LEAD OFFICERS", ["Name", "Job title", "Agency"], leads),
    ]


def _docx_table(document: Any, header: list[str], lines: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for line in lines:
        cells = table.add_row().cells
        for cell, text in zip(cells, line, strict=False):
            cell.text = str(text)


def _read_xlsx(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportProblems([(0, "The file could not be read as an Excel (XLSX) workbook")]) from (
            error
        )
    try:
        sheet = book.worksheets[0]
        return [
            list(row)
            for _, row in zip(
                range(MAX_IMPORT_ROWS + 2), sheet.iter_rows(values_only=True), strict=False
            )
        ]
    finally:
        book.close()


def _read_csv(content: bytes) -> list[list[str]]:
    if b"\x00" in content:
        raise ImportProblems([(0, "The file is not a CSV or XLSX file")])
    try:
        # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark, which is not a header.
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # No guessing at another encoding: a latin-1 file read as Windows-1252 turns a stray
        # byte-order mark into "ï»¿priority" and is then refused for a missing column.
        row = content[: error.start].count(b"\n") + 1
        raise ImportProblems([(row, NOT_UTF8.format(position=error.start))]) from None
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise ImportProblems([(0, f"The CSV file could not be read: {error}")]) from error


def _header_name(cell: Any) -> str:
    return _cell_text(cell).lower().replace(" ", "_")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%b %Y")
    text = str(value).strip()
    # Undo the export's guard against formulas, so an export re-imports unchanged.
    if text.startswith("'") and looks_like_formula(text[1:]):
        text = text[1:]
    return text


def _parse_due(value: Any) -> tuple[date | None, bool]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, True
    if isinstance(value, datetime):
        return value.date().replace(day=1), True
    if isinstance(value, date):
        return value.replace(day=1), True
    text = re.sub(r"\s+", " ", str(value).strip())
    text = re.sub(r"(?i)^sept\b", "Sep", text)
    for fmt in DUE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().replace(day=1), True
        except ValueError:
            continue
    return None, False
