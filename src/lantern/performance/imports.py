"""Importing figures from a CSV file: all or nothing, and the same file twice changes nothing.

The file has the columns `priority,section,measure,period,value,status,note`. Measures are
matched by name within priority and section (ignoring case and surrounding spaces). Every
problem is found at once, each naming its row and column, and the first 100 are listed with a
count of the rest; nothing is saved unless the whole file is good. The file is read as a stream
and refused past MAX_IMPORT_BYTES or MAX_IMPORT_ROWS, as the plan importer's files are.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db import transaction

from lantern.core.errors import LanternError
from lantern.core.periods import Period, UnknownPeriod
from lantern.performance.models import Kind, Measure, Priority, Status, Unit
from lantern.performance.services import (
    COUNT_NOT_PERCENTAGE,
    check_figure,
    new_measure_code,
    parse_value,
    store_figure,
)

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 10_000
MAX_LISTED_PROBLEMS = 100
HEADER = ["priority", "section", "measure", "period", "value", "status", "note"]
STATUS_NAMES = {
    "": Status.REPORTED,
    "reported": Status.REPORTED,
    "not collected": Status.NOT_COLLECTED,
    "not_collected": Status.NOT_COLLECTED,
    "not applicable": Status.NOT_APPLICABLE,
    "not_applicable": Status.NOT_APPLICABLE,
    "n/a": Status.NOT_APPLICABLE,
    "not available": Status.NOT_AVAILABLE,
    "not_available": Status.NOT_AVAILABLE,
}
PRIORITY_NAMES = {label.lower(): code for code, label in Priority.choices} | {
    code: code for code in Priority.values
}


class ImportRefused(LanternError):
    """The file was not imported; `problems` lists every reason, each naming row and column."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems[:MAX_LISTED_PROBLEMS]
        self.more = max(0, len(problems) - MAX_LISTED_PROBLEMS)
        listed = list(self.problems)
        if self.more:
            listed.append(
                f"... and {self.more} more problems, not listed: fix these and import the file "
                "again to see the rest"
            )
        super().__init__("Nothing was imported:\n" + "\n".join(listed))


@dataclass
class ImportResult:
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    created_measures: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        made = f", {len(self.created_measures)} measures created" if self.created_measures else ""
        return (
            f"{self.added} figures added, {self.changed} changed, {self.unchanged} unchanged{made}."
        )


def import_figures(data: bytes | BinaryIO, *, actor, now, create: bool = False) -> ImportResult:
    """Import a CSV file's figures (the bytes, or a binary file read as a stream). Refuses
    (ImportRefused) the whole file on any problem: larger than MAX_IMPORT_BYTES or longer than
    MAX_IMPORT_ROWS, not UTF-8, a wrong header, an unknown priority, period or status, a bad
    figure (see `services.check_figure`), a row repeated, or measures not in the catalogue
    (unless `create`, which adds them as imported measures)."""
    rows = _read_rows(io.BytesIO(data) if isinstance(data, bytes) else data)
    problems: list[str] = []
    parsed = []
    unknown: dict[tuple[str, str, str], int] = {}
    catalogue = {
        (m.priority, m.section.strip().lower(), m.name.strip().lower()): m
        for m in Measure.objects.all()
    }
    seen: dict[tuple, int] = {}
    for number, row in rows:
        problems_before = len(problems)
        priority = PRIORITY_NAMES.get(row["priority"].strip().lower())
        if priority is None:
            problems.append(
                f"Row {number}, column priority: “{row['priority'][:40]}” is not a priority "
                f"(use one of {', '.join(Priority.labels)})"
            )
        section, name = row["section"].strip(), row["measure"].strip()
        if not section:
            problems.append(f"Row {number}, column section: enter the section")
        if not name:
            problems.append(f"Row {number}, column measure: enter the measure's name")
        try:
            period = Period.parse(row["period"])
            if period.kind == "month":
                raise UnknownPeriod("a month")
        except UnknownPeriod:
            problems.append(
                f"Row {number}, column period: “{row['period'][:40]}” is not a period "
                "(write a financial year like 2014/15 or a quarter like 2014/15-Q2)"
            )
            period = None
        status = STATUS_NAMES.get(row["status"].strip().lower())
        if status is None:
            problems.append(
                f"Row {number}, column status: “{row['status'][:40]}” is not a status (use "
                "reported, not collected, not applicable or not available)"
            )
        try:
            value = parse_value(row["value"])
        except ValueError as error:
            problems.append(f"Row {number}, column value: {error}")
            value = None
        if len(problems) > problems_before:
            continue
        key = (priority, section.lower(), name.lower())
        measure = catalogue.get(key)
        if measure is None:
            unknown.setdefault(key, number)
            measure = Measure(
                priority=priority,
                section=section,
                name=name,
                kind=Kind.IMPORTED,
                unit=Unit.PERCENTAGE if row["value"].strip().endswith("%") else Unit.COUNT,
            )
            catalogue[key] = measure
        elif measure.kind == Kind.COMPUTED:
            problems.append(
                f"Row {number}, column measure: “{name}” is computed from Lantern's records "
                "and cannot be imported"
            )
            continue
        if row["value"].strip().endswith("%") and measure.unit == Unit.COUNT:
            problems.append(f"Row {number}, column value: {COUNT_NOT_PERCENTAGE}")
        for column, message in check_figure(measure, period, value, status, now).items():
            problems.append(f"Row {number}, column {column}: {message}")
        if (key, str(period)) in seen:
            problems.append(
                f"Row {number}, column period: {name} for {period} is already on row "
                f"{seen[(key, str(period))]}"
            )
        seen[(key, str(period))] = number
        parsed.append((measure, period, value, status, row["note"].strip()))
    if unknown and not create:
        listed = "; ".join(
            f"row {n}: {Priority(k[0]).label} / {catalogue[k].section} / {catalogue[k].name}"
            for k, n in unknown.items()
        )
        problems.append(
            f"Column measure: {len(unknown)} measures are not in the catalogue ({listed}). "
            "Check their names, or import with --create to add them as imported measures"
        )
    if problems:
        raise ImportRefused(problems)
    return _save(parsed, unknown, catalogue, actor=actor, now=now)


@transaction.atomic
def _save(parsed, unknown, catalogue, *, actor, now) -> ImportResult:
    result = ImportResult()
    for key in unknown:
        measure = catalogue[key]
        measure.code = new_measure_code(measure)
        measure.save()
        result.created_measures.append(measure.name)
    for measure, period, value, status, note in parsed:
        outcome = store_figure(actor, measure, period, value, status, note, Kind.IMPORTED, now)
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def _read_rows(source: BinaryIO) -> list[tuple[int, dict[str, str]]]:
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(0)
    if size > MAX_IMPORT_BYTES:
        raise ImportRefused(
            [
                f"The file is {size / 1024 / 1024:.1f} MB: the largest Lantern imports is "
                f"{MAX_IMPORT_BYTES // 1024 // 1024} MB ({MAX_IMPORT_ROWS:,} rows). Split it "
                "and import each part"
            ]
        )
    reader = csv.reader(_decoded_lines(source))
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        header = next(reader, None)
        if header is None:
            raise ImportRefused(["Row 1: the file is empty"])
        if [h.strip().lower() for h in header] != HEADER:
            raise ImportRefused(
                [
                    f"Row 1: the header must be exactly {','.join(HEADER)} "
                    f"(found {','.join(header)[:200]})"
                ]
            )
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(HEADER):
                raise ImportRefused(
                    [f"Row {number}: expected {len(HEADER)} columns, found {len(cells)}"]
                )
            if len(rows) >= MAX_IMPORT_ROWS:
                raise ImportRefused(
                    [
                        f"The file has more than {MAX_IMPORT_ROWS:,} rows of figures. Split it "
                        "and import each part"
                    ]
                )
            rows.append((number, dict(zip(HEADER, cells, strict=True))))
    except _NotUtf8 as error:
        raise ImportRefused(
            [
                f"Row {error.line}: the file is not UTF-8 text (an unreadable byte at position "
                f"{error.position}). Save it as “CSV UTF-8” and import it again"
            ]
        ) from None
    return rows


class _NotUtf8(Exception):
    def __init__(self, line: int, position: int) -> None:
        self.line, self.position = line, position


def _decoded_lines(source: BinaryIO) -> Iterator[str]:
    """The file's lines as text, one at a time (a newline byte is never inside a UTF-8
    character, so each line decodes on its own)."""
    position = 0
    for line, raw in enumerate(source, start=1):
        text_start = 3 if line == 1 and raw.startswith(codecs.BOM_UTF8) else 0
        try:
            yield raw[text_start:].decode("utf-8")
        except UnicodeDecodeError as error:
            raise _NotUtf8(line, position + text_start + error.start) from None
        position += len(raw)
