"""The action schedule as CSV, XLSX and PDF, and a meeting's minutes as DOCX and PDF.

Minutes are partner-safe: they carry the partner summary, discussion, decisions and actions,
never an item's full (police) summary. Each copy is prepared for one recipient agency and
records its distribution: a handling code C item (and its actions) is in the copies of the
agencies its conditions name only, with its C marking and conditions printed beside it.
CSV and XLSX cells that a spreadsheet would read as a formula are prefixed with an apostrophe
(`lantern.core.cells`, the one guard).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from lantern.accounts.access import reads_conditioned_action
from lantern.accounts.models import Agency
from lantern.core.cells import safe_cell
from lantern.core.table_pdf import Column, table_pdf
from lantern.tasking import hooks
from lantern.tasking.models import Action, AgendaItem, ItemStatus, Meeting

SCHEDULE_HEADERS = [
    "Reference",
    "Action",
    "Agency",
    "Owner",
    "Meeting",
    "Due",
    "Priority",
    "Status",
    "Escalation level",
    "Result",
    "Handling",
]
RESTRICTED = "Restricted action: handling code C, outside your conditions"


def schedule_rows(actions: Iterable[Action], *, reader: Any) -> list[list[str]]:
    """One row per action; a code C action the reader is outside the conditions of keeps only
    its reference, agency, dates and status, and every C row carries its marking."""
    return [_schedule_row(a, reads_conditioned_action(reader, a)) for a in actions]


def _schedule_row(a: Action, read: bool) -> list[str]:
    marking = f"C: {a.handling_conditions}" if a.handling_code == "C" else "P"
    return [
        f"A{a.pk}",
        a.title if read else RESTRICTED,
        a.owning_agency.name,
        str(a.owner),
        str(a.meeting) if a.meeting_id else "",
        a.due_on.isoformat(),
        a.get_priority_display(),
        a.get_status_display(),
        str(a.escalation_level),
        a.result if read else "",
        marking,
    ]


def schedule_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(SCHEDULE_HEADERS)
    writer.writerows([safe_cell(c) for c in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def schedule_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Action schedule"
    sheet.append(SCHEDULE_HEADERS)
    for row in rows:
        sheet.append([safe_cell(c) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Up to this many rows the schedule PDF is laid out from HTML; more are drawn as a plain table
# (lantern.core.table_pdf), which is linear in the rows and hundreds of times faster.
PDF_HTML_ROWS = 100
_PDF_WIDTHS = [9, 41, 20, 18, 22, 10, 8, 10, 10, 22, 20]


def schedule_pdf(rows: list[list[str]], title: str) -> bytes:
    """The schedule as PDF; a large one as a plain table (see PDF_HTML_ROWS)."""
    at = timezone.now()
    if len(rows) > PDF_HTML_ROWS:
        return table_pdf(
            title,
            [Column(h, w) for h, w in zip(SCHEDULE_HEADERS, _PDF_WIDTHS, strict=True)],
            rows,
            subtitle=f"Exported {timezone.localtime(at):%-d %B %Y, %H:%M}. "
            f"{len(rows)} action{'s' if len(rows) != 1 else ''}.",
            footer=SCHEDULE_HANDLING_NOTE,
        )
    html = render_to_string(
        "tasking/export_schedule.html",
        {
            "rows": rows,
            "headers": SCHEDULE_HEADERS,
            "title": title,
            "at": at,
            "note": SCHEDULE_HANDLING_NOTE,
        },
    )
    return _pdf(html)


SCHEDULE_HANDLING_NOTE = (
    "Actions marked C are under handling code C: use and share them only as their conditions say."
)


def minutes_context(meeting: Meeting, *, recipient: Agency | None) -> dict:
    """The minutes for one recipient agency: the items (and actions) it may read. `None` is
    the whole record, for police only (the caller decides who may ask for it)."""
    items = list(meeting.items.prefetch_related("cleared_agencies").order_by("position", "pk"))
    items = [item for item in items if _item_for(item, recipient)]
    actions = list(
        meeting.actions.select_related("owning_agency", "owner").order_by("due_on", "pk")
    )
    by_origin: dict[str, list[Action]] = {}
    for action in actions:
        if _action_for(action, recipient):
            by_origin.setdefault(action.origin_id, []).append(action)
    rows = []
    for item in items:
        # What the meeting recorded elsewhere (a MACE discussion): its notes, and its actions
        # under the same handling as the item's own.
        item.minutes_notes, recorded = hooks.minutes_record(item)
        own = by_origin.get(str(item.pk), [])
        seen = {a.pk for a in own}
        extra = [a for a in recorded if a.pk not in seen and _action_for(a, recipient)]
        rows.append((item, own + extra))
    return {
        "meeting": meeting,
        "items": rows,
        "agencies": list(meeting.series.member_agencies.order_by("name")),
        "recipient": recipient,
        "prepared_for": recipient.name if recipient else "the whole record (police)",
    }


def minutes_docx(context: dict) -> bytes:
    doc = _paper_opening("Minutes", context)
    for number, (item, actions) in enumerate(context["items"], 1):
        doc.add_heading(f"{number}. {item.title}", level=2)
        if item.handling_code == "C":
            _para(doc, "HANDLING CODE C", _c_marking(item))
        _para(doc, "Summary", item.partner_summary)
        _para(doc, "Discussion", item.discussion)
        _para(doc, "Decisions", item.decisions)
        _para(doc, "Outcome", _outcome(item))
        for label, text in item.minutes_notes:
            _para(doc, label, text)
        for action in actions:
            doc.add_paragraph(
                f"{action.title}: {action.owning_agency}, {action.owner}, "
                f"due {action.due_on:%-d %B %Y}",
                style="List Bullet",
            )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def minutes_pdf(context: dict) -> bytes:
    return _pdf(
        render_to_string("tasking/export_minutes.html", {**context, "note": DISTRIBUTION_NOTE})
    )


def agenda_context(meeting: Meeting, *, recipient: Agency | None) -> dict:
    """The agenda paper for one recipient agency: its sections in the meeting's order, with the
    items that agency may read (partner-safe summaries only; a handling code C item only in the
    copies of the agencies its conditions name). `None` is the police copy of the whole agenda.
    """
    from lantern.tasking.agenda import in_sections

    items = list(meeting.items.prefetch_related("cleared_agencies").order_by("position", "pk"))
    rows = [(item, None) for item in items if _item_for(item, recipient)]
    return {
        "meeting": meeting,
        "sections": in_sections(rows),
        "agencies": list(meeting.series.member_agencies.order_by("name")),
        "recipient": recipient,
        "prepared_for": recipient.name if recipient else "the whole agenda (police)",
    }


def agenda_docx(context: dict) -> bytes:
    doc = _paper_opening("Agenda", context)
    for number, part in enumerate(context["sections"], 1):
        doc.add_heading(f"{number}. {part.section.title}", level=2)
        doc.add_paragraph(_section_line(part))
        for place, (item, _) in enumerate(part.rows, 1):
            doc.add_heading(f"{number}.{place} {item.title}", level=3)
            if item.handling_code == "C":
                _para(doc, "HANDLING CODE C", _c_marking(item))
            _para(doc, "Why it is on the agenda", item.reason)
            _para(doc, "Summary", item.partner_summary)
            if item.status != ItemStatus.TO_DISCUSS:
                _para(doc, "Status", item.get_status_display())
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def agenda_pdf(context: dict) -> bytes:
    return _pdf(
        render_to_string(
            "tasking/export_agenda.html",
            {
                **context,
                "note": DISTRIBUTION_NOTE,
                "lines": {p.section.key: _section_line(p) for p in context["sections"]},
            },
        )
    )


def _section_line(part) -> str:
    line = f"{part.count} item{'s' if part.count != 1 else ''}"
    if part.to_discuss:
        return f"{line}; suggested time about {part.suggested_minutes} minutes"
    return f"{line}; all done"


DISTRIBUTION_NOTE = (
    "Items under handling code C are in the copies of the agencies their conditions name only."
)


def _paper_opening(kind: str, context: dict):
    """A new Word document opening as every meeting paper does: title, chair, whose copy it is,
    its distribution and that it is partner-safe."""
    from docx import Document

    meeting = context["meeting"]
    doc = Document()
    doc.add_heading(f"{kind}: {meeting}", level=1)
    doc.add_paragraph(f"Chair: {meeting.series.chair}")
    doc.add_paragraph(f"Prepared for: {context['prepared_for']}")
    doc.add_paragraph("Distribution: " + ", ".join(a.name for a in context["agencies"]))
    doc.add_paragraph(DISTRIBUTION_NOTE)
    doc.add_paragraph(f"Partner-safe {kind.lower()}: the full police summaries are not included.")
    return doc


def _action_for(action: Action, recipient: Agency | None) -> bool:
    return (
        action.handling_code != "C" or recipient is None or action.owning_agency_id == recipient.pk
    )


def _item_for(item: AgendaItem, recipient: Agency | None) -> bool:
    if item.handling_code != "C" or recipient is None:
        return True
    return any(agency.pk == recipient.pk for agency in item.cleared_agencies.all())


def _c_marking(item: AgendaItem) -> str:
    agencies = ", ".join(a.name for a in item.cleared_agencies.all()) or "police only"
    return f"{item.handling_conditions or 'no conditions given'}. Shared only with {agencies}."


def _outcome(item: AgendaItem) -> str:
    text = item.get_status_display()
    if item.closure_reason:
        text += f": {item.get_closure_reason_display()}. {item.rationale}"
    return text


def _para(doc, label: str, text: str) -> None:
    if text:
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(text)


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
