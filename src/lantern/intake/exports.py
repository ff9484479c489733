"""The trace matrix: one row per submission from receipt to conclusion, as CSV and XLSX.

Cells that a spreadsheet would read as a formula are prefixed with an apostrophe by the one
guard in `lantern.core.cells`, so a reporter's text can never run in the reader's spreadsheet.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.utils import timezone

from lantern.core.cells import neutralise
from lantern.intake.models import Decision, Outcome, Source, TraceEvent, TraceKind

HEADERS = [
    "Reference",
    "Date received",
    "Source type",
    "Subjects",
    "Grade",
    "Grade in words",
    "Decision",
    "Actions",
    "Outcome",
    "Date closed",
    "Days open",
]


def matrix_queryset(qs: QuerySet, choice: dict) -> QuerySet:
    """The submissions chosen on the trace matrix page, oldest first."""
    from lantern.intake.matrix_filters import apply_filters

    qs = apply_filters(qs, choice)
    if choice.get("received_from"):
        qs = qs.filter(received_at__date__gte=choice["received_from"])
    if choice.get("received_to"):
        qs = qs.filter(received_at__date__lte=choice["received_to"])
    references = [r for r in re.split(r"[\s,]+", choice.get("references") or "") if r]
    if references:
        qs = qs.filter(reference__in=[r.upper() for r in references])
    # A correlated count, not a join and GROUP BY: it is worked out only for the rows shown
    # (and left out of .count()), so one reporter's 10,000 strands stay quick.
    actions = (
        TraceEvent.objects.filter(submission=OuterRef("pk"), kind=TraceKind.ACTION)
        .order_by()
        .values("submission")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        qs.annotate(action_count=Coalesce(Subquery(actions, output_field=IntegerField()), 0))
        .prefetch_related("people", "vehicles", "phones", "online_accounts")
        .order_by("received_at", "id")
    )


def matrix_rows(submissions, now: datetime | None = None) -> list[list[str]]:
    """Each submission as the matrix's row of text."""
    now = now or timezone.now()
    rows = []
    for s in submissions:
        closed = s.concluded_at
        days_open = ((closed or now) - s.received_at).days
        rows.append(
            [
                s.reference,
                timezone.localtime(s.received_at).strftime("%Y-%m-%d"),
                Source(s.source).label,
                _subjects(s),
                s.grade,
                s.grade_words,
                Decision(s.decision).label if s.decision else "",
                str(s.action_count) if s.action_count else "",
                Outcome(s.outcome).label if s.outcome else "",
                timezone.localtime(closed).strftime("%Y-%m-%d") if closed else "",
                str(days_open),
            ]
        )
    return rows


# A PDF is for reading and printing: past this many rows it says so and points to the XLSX.
PDF_MAX_ROWS = 2000


def response(qs: QuerySet, fmt: str, filters: list[tuple[str, str]] | None = None) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "pdf":
        total = qs.count()
        rows = matrix_rows(qs[:PDF_MAX_ROWS])
        resp = HttpResponse(to_pdf(rows, total, filters or []), content_type="application/pdf")
        resp["Content-Disposition"] = f'attachment; filename="trace-matrix-{stamp}.pdf"'
        resp["X-Content-Type-Options"] = "nosniff"
        return resp
    rows = matrix_rows(qs.iterator(chunk_size=2000))
    if fmt == "csv":
        body = to_csv(rows)
        resp = HttpResponse(body, content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = f'attachment; filename="trace-matrix-{stamp}.csv"'
    else:
        resp = HttpResponse(
            to_xlsx(rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        resp["Content-Disposition"] = f'attachment; filename="trace-matrix-{stamp}.xlsx"'
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


def to_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()


def to_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Trace matrix")
    sheet.append(HEADERS)
    for row in rows:
        # Written as strings, so openpyxl never stores a formula; neutralised as well, for
        # anyone who copies a cell into another sheet.
        sheet.append([neutralise(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_pdf(rows: list[list[str]], total: int, filters: list[tuple[str, str]]) -> bytes:
    """The matrix as a landscape PDF with the filters it was chosen by. Cells are escaped by
    the template and neutralised like the spreadsheets, so text copied out of it into a
    spreadsheet cannot run as a formula either."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string(
        "intake/trace_matrix_pdf.html",
        {
            "headers": HEADERS,
            "rows": [[neutralise(cell) for cell in row] for row in rows],
            "total": total,
            "shown": len(rows),
            "filters": filters,
            "made_at": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf()


def _subjects(s) -> str:
    """Who and what the submission names: people, registrations, phones, online handles."""
    people = [p.name or f"unnamed ({p.get_role_display().lower()})" for p in s.people.all()]
    vehicles = [v.registration or v.raw for v in s.vehicles.all()]
    phones = [str(p) for p in s.phones.all()]
    accounts = [str(a) for a in s.online_accounts.all()]
    return "; ".join(x for x in [*people, *vehicles, *phones, *accounts] if x)
