"""Batch deduplication of people migrated from another system (`lantern people dedupe`).

The input is read and checked whole before anything runs: a bad file gives every problem with
its row number and no output is written.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lantern.core.errors import LanternError
from lantern.entities import batch, linkage
from lantern.entities import normalise as norm

INPUT_COLUMNS = (
    "record_id",
    "first_name",
    "surname",
    "dob",
    "age_estimate",
    "gender",
    "postcode",
    "address",
    "phone",
)
MAX_PROBLEMS_SHOWN = 20


class BadInputFile(LanternError):
    """The input file cannot be deduplicated; `problems` says where and why."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        text = "\n".join(shown) + (f"\n... and {more} more problems" if more else "")
        super().__init__(text)


@dataclass(frozen=True)
class DedupeResult:
    person_ids: dict[str, str]  # record_id -> person_id, in input order
    people: int
    trained: bool


def read_people_csv(path: Path, *, as_of: date) -> list[linkage.Record]:
    """Read and check the input file; return prepared records or raise BadInputFile."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise BadInputFile(
            [f"Line {line}: the file is not UTF-8 text. Save it as CSV UTF-8 and try again."]
        ) from error
    except OSError as error:
        raise BadInputFile([f"The file cannot be read: {error.strerror}."]) from error
    if not text.strip():
        raise BadInputFile(["The file is empty: it needs a header row and at least one record."])
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in INPUT_COLUMNS if c not in header]
    if missing:
        raise BadInputFile(
            [
                f"Row 1 (the header): these columns are missing: {', '.join(missing)}. "
                f"The header must be {','.join(INPUT_COLUMNS)}."
            ]
        )
    reader.fieldnames = header
    problems: list[str] = []
    records: list[linkage.Record] = []
    seen: dict[str, int] = {}
    for row_number, row in enumerate(reader, start=2):
        record = _record_from_row(row, row_number, as_of, seen, problems)
        if record is not None:
            records.append(record)
    if not records and not problems:
        problems.append("The file has a header row but no records.")
    if problems:
        raise BadInputFile(problems)
    return records


def _record_from_row(row, row_number, as_of, seen, problems) -> linkage.Record | None:
    if None in row:
        problems.append(f"Row {row_number}: more values than there are columns.")
        return None
    record_id = (row.get("record_id") or "").strip()
    if not record_id:
        problems.append(f"Row {row_number}: record_id is empty; every record needs one.")
        return None
    if record_id in seen:
        problems.append(
            f"Row {row_number}: record_id {record_id} is already used on row {seen[record_id]}."
        )
        return None
    seen[record_id] = row_number
    try:
        dob = norm.date_of_birth(row.get("dob"))
    except ValueError:
        problems.append(
            f"Row {row_number}: dob '{row['dob']}' is not a date; write it as YYYY-MM-DD or "
            "leave it empty."
        )
        return None
    age_text = (row.get("age_estimate") or "").strip()
    age = None
    if age_text:
        if not age_text.isdigit() or int(age_text) > 120:
            problems.append(
                f"Row {row_number}: age_estimate '{age_text}' must be whole years (0 to 120) "
                "or empty."
            )
            return None
        age = int(age_text)
    return linkage.prepare_person(
        record_id,
        first_name=row.get("first_name") or "",
        surname=row.get("surname") or "",
        dob=dob,
        age=age,
        age_on=as_of,
        gender=row.get("gender") or "",
        postcode=row.get("postcode") or "",
        phone=row.get("phone") or "",
        address=row.get("address") or "",
    )


def dedupe_records(
    records: list[linkage.Record],
    *,
    model_json: dict | None,
    threshold: float,
    household_guard: bool = True,
    backend: str = "duckdb",
) -> DedupeResult:
    """Give each record a person id; train on the records themselves when there is no model.
    `backend` is where Splink runs ("duckdb" or "spark"); the model and rules are the same."""
    trained = model_json is None
    if model_json is None:
        model_json = batch.train(records, backend=backend)
    clusters = batch.dedupe(records, model_json, threshold, vetoes=household_guard, backend=backend)
    # Person ids are stable and readable: P + the first record_id of each cluster.
    first_of: dict = {}
    person_ids: dict[str, str] = {}
    for record in records:
        cluster = clusters.get(record["unique_id"], record["unique_id"])
        first_of.setdefault(cluster, f"P-{record['unique_id']}")
        person_ids[record["unique_id"]] = first_of[cluster]
    return DedupeResult(person_ids, len(first_of), trained)


def write_output(path: Path, person_ids: dict[str, str]) -> None:
    """Write record_id,person_id; written to a temporary file and renamed, so a failure leaves
    no half-written output."""
    temporary = path.with_name(path.name + ".partial")
    with temporary.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["record_id", "person_id"])
        for record_id, person_id in person_ids.items():
            writer.writerow([_safe_cell(record_id), _safe_cell(person_id)])
    temporary.replace(path)


def _safe_cell(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
