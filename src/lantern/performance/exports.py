"""Rendering a data summary as CSV, XLSX, HTML and PDF, and the Cabinet report as DOCX and PDF.

Every renderer takes a `summary.DataSummary` already prepared for its audience (suppressed or
not) and returns bytes. CSV and XLSX cells that a spreadsheet would read as a formula are
neutralised.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

from django.template.loader import render_to_string

from lantern.core.cells import safe_cell
from lantern.performance.summary import DIRECTION_WORDS, DataSummary, legend, note_lines

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
NUMBER = re.compile(r"\d{1,15}(\.\d{1,6})?")
# A fixed date for document metadata, so the same content renders to the same bytes.
FIXED_DATE = datetime(2000, 1, 1)


def render(summary: DataSummary, fmt: str, *, title: str = "") -> bytes:
    """The summary in one of csv, xlsx, html, pdf or docx."""
    title = title or f"Data summary {summary.period}"
    if fmt == "csv":
        return render_csv(summary)
    if fmt == "xlsx":
        return render_xlsx(summary, title)
    if fmt == "html":
        return render_html(summary, title).encode()
    if fmt == "pdf":
        return html_to_pdf(render_html(summary, title))
    if fmt == "docx":
        return render_docx(summary, title)
    raise ValueError(f"unknown format {fmt}")


def table_rows(summary: DataSummary) -> list[list[str]]:
    """The header and one line per measure: priority, section, measure, periods, direction,
    and the numbers of the notes that go with the measure's figures ("1; 3")."""
    lines = [["priority", "section", "measure", *summary.columns, "direction", "notes"]]
    for row in summary.rows:
        lines.append(
            [
                row.priority_label,
                row.section,
                row.measure,
                *[cell.display for cell in row.cells],
                row.direction,
                "; ".join(str(n) for n in row.note_refs),
            ]
        )
    return lines


def notes_rows(summary: DataSummary) -> list[list[str]]:
    """The numbered notes as rows: number, measure, period ("all periods" for a caveat on the
    measure itself), note."""
    return [
        [str(n["number"]), n["measure"], n["period"] or "all periods", n["text"]]
        for n in summary.notes
    ]


def render_csv(summary: DataSummary) -> bytes:
    """The table, then (when there are any) a blank line and the numbered notes under a
    "note,measure,period,text" header, so the figures stay one table a program can read."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for line in table_rows(summary):
        writer.writerow([safe_cell(c) for c in line])
    if summary.notes:
        writer.writerow([])
        writer.writerow(["note", "measure", "period", "text"])
        for line in notes_rows(summary):
            writer.writerow([safe_cell(c) for c in line])
    return out.getvalue().encode("utf-8")


def render_xlsx(summary: DataSummary, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Data summary"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    for line in table_rows(summary):
        sheet.append([_spreadsheet_value(c) for c in line])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["C"].width = 60
    if summary.notes:
        noted = book.create_sheet("Notes")
        noted.append(["note", "measure", "period", "text"])
        for line in notes_rows(summary):
            noted.append([int(line[0]), *[safe_cell(c) for c in line[1:]]])
    if summary.amendments:
        amended = book.create_sheet("Amendments")
        amended.append(["measure", "period", "previously published", "now"])
        for a in summary.amendments:
            amended.append(
                [safe_cell(a["measure"]), a["period"], safe_cell(a["old"]), safe_cell(a["new"])]
            )
    if summary.inconsistencies:
        checks = book.create_sheet("Totals that disagree")
        checks.append(["measure", "period", "total supplied", "sum of its parts"])
        for i in summary.inconsistencies:
            checks.append([safe_cell(i["measure"]), i["period"], i["supplied"], i["computed"]])
    book.properties.created = FIXED_DATE
    book.properties.modified = FIXED_DATE
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _spreadsheet_value(text: str):
    """A plain figure as a number a spreadsheet can add up; anything else as safe text."""
    if NUMBER.fullmatch(text or ""):
        return int(text) if text.isdigit() else float(text)
    return safe_cell(text)


def render_html(summary: DataSummary, title: str) -> str:
    return render_to_string(
        "performance/documents/data_summary.html",
        {
            "summary": summary,
            "title": title,
            "direction_words": DIRECTION_WORDS,
            "legend": legend(summary),
        },
    )


def add_docx_notes(document, summary: DataSummary) -> None:
    """The numbered notes under a heading, when there are any."""
    if not summary.notes:
        return
    document.add_heading("Notes", level=2)
    for line in note_lines(summary):
        document.add_paragraph(line)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def render_docx(summary: DataSummary, title: str) -> bytes:
    """The data summary as a Word document: per section its table, then each measure's trend.

    The charts are PNG pictures of the same trend lines the HTML and PDF draw as SVG: python-docx
    cannot embed SVG, and Word before 2016 cannot show it.
    """
    from docx import Document
    from docx.shared import Cm

    from lantern.performance import charts

    document = Document()
    document.core_properties.created = FIXED_DATE
    document.core_properties.modified = FIXED_DATE
    document.core_properties.title = title
    document.add_heading(title, level=0)
    for priority, sections in summary.sections():
        document.add_heading(f"Data summary – {priority}", level=1)
        for section, rows in sections:
            document.add_heading(f"{priority}: {section}", level=2)
            _summary_table(document, summary, rows)
            charted = [row for row in rows if row.trend]
            if charted:
                document.add_paragraph(f"Trend, {summary.trend_label}: {priority}, {section}")
            for row in charted:
                document.add_picture(
                    io.BytesIO(charts.trend_png(charts.trend_points(row))), width=Cm(9)
                )
                document.add_paragraph(
                    f"Trend: {row.measure}. "
                    + "; ".join(f"{c.period}: {c.display or 'no figure'}" for c in row.trend)
                )
    document.add_paragraph(legend(summary))
    add_docx_notes(document, summary)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _summary_table(document, summary: DataSummary, rows) -> None:
    table = document.add_table(rows=1, cols=len(summary.columns) + 2)
    table.style = "Table Grid"
    header = table.rows[0].cells
    header[0].text = "Measure"
    for i, label in enumerate(summary.column_labels(), start=1):
        header[i].text = label
    header[-1].text = summary.direction_label
    for row in rows:
        cells = table.add_row().cells
        cells[0].text = row.label
        for i, cell in enumerate(row.cells, start=1):
            cells[i].text = cell.display
        cells[-1].text = DIRECTION_WORDS[row.direction]


# --- the Cabinet report -----------------------------------------------------------------------


def render_cabinet_docx(report: dict) -> bytes:
    """The quarterly Cabinet-style report: summary, per objective achievements and next steps,
    then the data summary tables and any amendments."""
    from docx import Document

    document = Document()
    document.core_properties.created = FIXED_DATE
    document.core_properties.modified = FIXED_DATE
    document.core_properties.title = report["title"]
    document.add_heading(report["title"], level=0)
    document.add_paragraph(report["introduction"])
    for priority in report["priorities"]:
        document.add_heading(priority["label"], level=1)
        if not priority["objectives"]:
            document.add_paragraph("The delivery plan has no objective under this priority.")
        for entry in priority["objectives"]:
            document.add_heading(entry["title"], level=2)
            if entry["leads"]:
                document.add_paragraph(f"Leads: {', '.join(entry['leads'])}")
            update = entry["update"]
            if update is None:
                document.add_paragraph("No update has been written for this objective yet.")
                continue
            document.add_heading("Achievements", level=3)
            document.add_paragraph(update.achievements or "None recorded.")
            document.add_heading("Next steps", level=3)
            document.add_paragraph(update.next_steps or "None recorded.")
        for section, rows in priority["sections"]:
            document.add_heading(f"Data summary – {priority['label']}: {section}", level=3)
            _summary_table(document, report["summary"], rows)
    summary = report["summary"]
    document.add_paragraph(legend(summary))
    add_docx_notes(document, summary)
    if summary.amendments:
        document.add_heading("Appendix: figures amended since the previous report", level=1)
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, ["Measure", "Period", "Was", "Now"], strict=True
        ):
            cell.text = text
        for a in summary.amendments:
            cells = table.add_row().cells
            for cell, text in zip(
                cells, [a["measure"], a["period"], a["old"], a["new"]], strict=True
            ):
                cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render_cabinet_pdf(report: dict) -> bytes:
    html = render_to_string(
        "performance/documents/cabinet.html",
        {**report, "direction_words": DIRECTION_WORDS, "legend": legend(report["summary"])},
    )
    return html_to_pdf(html)


# --- the annual report ------------------------------------------------------------------------


def render_annual_docx(report: dict) -> bytes:
    """The annual report: strategic objectives with progress from the delivery plan, case
    studies and good news, the annual data summary with its notes, and the finance table."""
    from docx import Document

    from lantern.performance.annual import money

    document = Document()
    document.core_properties.created = FIXED_DATE
    document.core_properties.modified = FIXED_DATE
    document.core_properties.title = report["title"]
    document.add_heading(report["title"], level=0)
    document.add_heading("Strategic objectives and progress", level=1)
    if not report["objectives"]:
        document.add_paragraph("No delivery plan covers this year.")
    for objective in report["objectives"]:
        document.add_heading(f"{objective['priority']}: {objective['title']}", level=2)
        if objective["counts"]:
            document.add_paragraph(
                "Actions: " + ", ".join(f"{n} {label.lower()}" for label, n in objective["counts"])
            )
        for row in objective["progress"]:
            document.add_paragraph(
                f"{row['action']} ({row['brag']})"
                + (f": {row['evidence']}" if row["evidence"] else ""),
                style="List Bullet",
            )
    document.add_heading("Case studies and good news", level=1)
    if not report["stories"]:
        document.add_paragraph("No case study has been chosen for this report.")
    for story in report["stories"]:
        document.add_heading(f"{story.get_kind_display()}: {story.title}", level=2)
        for paragraph in story.text.split("\n\n"):
            document.add_paragraph(paragraph)
    summary = report["summary"]
    document.add_heading(f"Data summary {summary.period}", level=1)
    for priority, sections in summary.sections():
        for section, rows in sections:
            document.add_heading(f"{priority}: {section}", level=2)
            _summary_table(document, summary, rows)
    document.add_paragraph(legend(summary))
    add_docx_notes(document, summary)
    from lantern.performance.summary import by_agency

    document.add_heading("Partners' contribution: figures by owning agency", level=1)
    for agency, rows in by_agency(summary):
        document.add_heading(agency, level=2)
        _summary_table(document, summary, rows)
    document.add_heading("Finance", level=1)
    if not report["finance"]:
        document.add_paragraph("No finance has been recorded for this year.")
    for group in report["finance"]:
        document.add_heading(group["label"], level=2)
        table = document.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        header = ["Partner", "Service or award", "Actual", "Proposed"]
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
        for line in group["lines"]:
            cells = table.add_row().cells
            values = [line.partner, line.item, money(line.actual), money(line.proposed)]
            for cell, text in zip(cells, values, strict=True):
                cell.text = text
        cells = table.add_row().cells
        for cell, text in zip(
            cells, ["Total", "", money(group["actual"]), money(group["proposed"])], strict=True
        ):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render_annual_pdf(report: dict) -> bytes:
    html = render_to_string(
        "performance/documents/annual.html",
        {**report, "direction_words": DIRECTION_WORDS, "legend": legend(report["summary"])},
    )
    return html_to_pdf(html)
