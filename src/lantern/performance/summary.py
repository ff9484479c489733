"""The data summary for a quarter or a financial year: one row per measure, figures per period,
direction of travel (quarter to quarter, or since last year for an annual summary).

`build_summary(period)` reads the figures (computing the computed ones), checks totals against
their parts, and marks each figure that differs from the last published value. The result
serialises to plain JSON (`to_content`) and back (`from_content`), so a published report can be
re-rendered exactly from its snapshot; `suppress_for_audience` then hides small numbers for
audiences without access to the records.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation

from lantern.core.periods import QUARTER, YEAR, Period
from lantern.performance import registry, suppression
from lantern.performance.models import (
    PRIORITY_ORDER,
    STATUS_WORDS,
    Kind,
    Measure,
    MeasureValue,
    Priority,
    PublishedReport,
    Status,
    Timing,
    Unit,
)

OPERATIONAL = "operational"  # people with access to the records: figures as they are
AGGREGATE = "aggregate"  # board, scrutiny, the public: small numbers suppressed
TREND_QUARTERS = 8
TREND_YEARS = 5

DIRECTION_WORDS = {"up": "Up", "down": "Down", "same": "Same", "": ""}
DIRECTION_ARROWS = {"up": "↑", "down": "↓", "same": "→", "": ""}


@dataclass
class Cell:
    period: str
    value: str | None  # canonical decimal text, e.g. "12" or "33.5"; None without a figure
    status: str = Status.REPORTED
    amended: bool = False
    hidden: str = ""  # "", suppression.PRIMARY or suppression.SECONDARY
    display: str = ""
    note: str = ""  # the caveat given with this figure (a partner's note on it)

    @property
    def number(self) -> Decimal | None:
        return Decimal(self.value) if self.value is not None else None


@dataclass
class Row:
    code: str
    priority: str
    section: str
    measure: str
    unit: str
    polarity: str
    target: str | None
    cells: list[Cell]
    direction: str = ""
    trend: list[Cell] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    kind: str = ""  # computed, entered or imported ("" in reports published before it was kept)
    caveat: str = ""  # the measure's caveat, true of every figure
    owner: str = ""  # the owning agency's name ("" for Lantern's own computed figures)
    note_refs: list[int] = field(default_factory=list)  # numbers of the notes that apply

    @property
    def note_marks(self) -> str:
        """The note numbers as a report prints them after the measure's name: "[1] [3]"."""
        return " ".join(f"[{n}]" for n in self.note_refs)

    @property
    def label(self) -> str:
        """The measure's name with its note numbers, for documents that cannot superscript."""
        return f"{self.measure} {self.note_marks}" if self.note_refs else self.measure

    @property
    def priority_label(self) -> str:
        return Priority(self.priority).label

    @property
    def current(self) -> Cell:
        return self.cells[-1]

    @property
    def target_status(self) -> str:
        """ "On target", "Off target" or "" (no target, no figure, or no preferred direction)."""
        value = self.current.number
        if self.target is None or value is None or self.current.hidden:
            return ""
        target = Decimal(self.target)
        if self.polarity == "up":
            return "On target" if value >= target else "Off target"
        if self.polarity == "down":
            return "On target" if value <= target else "Off target"
        return ""


@dataclass
class DataSummary:
    period: str
    columns: list[str]
    rows: list[Row]
    amendments: list[dict] = field(default_factory=list)
    inconsistencies: list[dict] = field(default_factory=list)
    audience: str = OPERATIONAL
    small_label: str = ""
    notes: list[dict] = field(default_factory=list)  # {"number", "measure", "period", "text"}

    def column_labels(self) -> list[str]:
        return [Period.parse(c).label for c in self.columns]

    @property
    def is_annual(self) -> bool:
        return Period.parse(self.period).kind == YEAR

    @property
    def direction_label(self) -> str:
        """What the direction of travel compares, as a column heading."""
        return (
            "Direction of travel (since last year)"
            if self.is_annual
            else "Direction of travel (quarter to quarter)"
        )

    @property
    def trend_label(self) -> str:
        return "last years" if self.is_annual else "last quarters"

    def sections(self) -> list[tuple[str, list[tuple[str, list[Row]]]]]:
        """Rows grouped by priority label then section, in report order."""
        grouped: dict[str, dict[str, list[Row]]] = {}
        for row in self.rows:
            grouped.setdefault(row.priority_label, {}).setdefault(row.section, []).append(row)
        return [(p, list(s.items())) for p, s in grouped.items()]


def summary_columns(period: Period) -> list[Period]:
    """For a quarter: the two previous financial years, then each quarter of the year up to it.
    For a financial year: the two years before it, then the year itself (the annual report's
    shape, with the direction of travel since last year)."""
    if period.kind == YEAR:
        return [period.shift(-2), period.shift(-1), period]
    if period.kind != QUARTER:
        period = period.quarters()[0]
    year = period.financial_year()
    return [year.shift(-2), year.shift(-1), *period.quarters_to_date()]


def trend_periods(current: Period) -> list[Period]:
    """The periods a row's trend line covers, oldest first: quarters, or years for a year."""
    steps = TREND_YEARS if current.kind == YEAR else TREND_QUARTERS
    return [current.shift(-i) for i in range(steps - 1, -1, -1)]


def build_summary(period: Period, *, priority: str | None = None) -> DataSummary:
    """The data summary for a quarter or a financial year, as operational staff see it (no
    suppression). The direction of travel compares the period with the one before it: the
    previous quarter, or for a year the previous year.

    Figures: computed measures are computed; entered and imported ones are read; a year with no
    figure of its own is made from its quarters (the sum for a flow measure when all four are
    reported, the fourth quarter for a snapshot). A measure with parts shows the total of its
    parts; a partner's own total that disagrees is listed in `inconsistencies`.
    """
    from lantern.performance.services import sync_catalogue

    sync_catalogue()
    columns = summary_columns(period)
    current = columns[-1]
    trend = trend_periods(current)
    needed = {*columns, current.previous(), *trend}
    measures = list(
        Measure.objects.filter(is_active=True)
        .select_related("owner")
        .prefetch_related("components")
    )
    if priority:
        measures = [m for m in measures if m.priority == priority]
    measures.sort(key=lambda m: (PRIORITY_ORDER.get(m.priority, 99), m.section, m.order, m.name))
    figures = _Figures(measures, needed)
    figures.precompute(sorted(needed, key=lambda p: (p.kind, p.start)))
    published = last_published_values()
    summary = DataSummary(period=str(current), columns=[str(c) for c in columns], rows=[])
    for measure in measures:
        cells = [figures.cell(measure, p) for p in columns]
        for cell in cells:
            old = published.get((measure.code, cell.period))
            if old is not None and old != _canonical(cell):
                cell.amended = True
                summary.amendments.append(
                    {
                        "measure": measure.name,
                        "code": measure.code,
                        "period": cell.period,
                        "old": _display_canonical(old, measure.unit),
                        "new": _display_canonical(_canonical(cell), measure.unit),
                    }
                )
        summary.rows.append(
            Row(
                code=measure.code,
                priority=measure.priority,
                section=measure.section,
                measure=measure.name,
                unit=measure.unit,
                polarity=measure.polarity,
                target=_text(measure.target),
                cells=cells,
                direction=direction(figures.cell(measure, current.previous()), cells[-1]),
                trend=[figures.cell(measure, p) for p in trend],
                components=[c.code for c in measure.components.all()],
                kind=measure.kind,
                caveat=measure.caveat,
                owner=measure.owner.name if measure.owner_id else "",
            )
        )
    summary.inconsistencies = figures.inconsistencies
    number_notes(summary)
    for row in summary.rows:
        for cell in [*row.cells, *row.trend]:
            cell.display = display_value(cell, row.unit)
    return summary


def number_notes(summary: DataSummary) -> DataSummary:
    """Number the caveats that go with the figures, in report order (in place).

    Each row's caveat is a note on every figure of the measure; a figure's own note (a
    partner's caveat on that period, such as a seasonal effect) is a note naming its period.
    A figure withheld as a small number takes its note with it, so nothing is said about it.
    """
    summary.notes = []
    for row in summary.rows:
        row.note_refs = []
        texts = [("", row.caveat)] if row.caveat else []
        texts += [(c.period, c.note) for c in row.cells if c.note and not c.hidden]
        for period, text in texts:
            number = len(summary.notes) + 1
            summary.notes.append(
                {"number": number, "measure": row.measure, "period": period, "text": text}
            )
            row.note_refs.append(number)
    return summary


def note_lines(summary: DataSummary) -> list[str]:
    """The numbered notes as lines of text: "[1] Measure, 2014/15-Q2: text"."""
    lines = []
    for note in summary.notes:
        about = f"{note['measure']}, {note['period']}" if note["period"] else note["measure"]
        lines.append(f"[{note['number']}] {about}: {note['text']}")
    return lines


def by_agency(summary: DataSummary) -> list[tuple[str, list[Row]]]:
    """The rows grouped by the agency that owns each measure, agencies by name, with the
    figures Lantern computes from its own records last: each partner's contribution."""
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in summary.rows:
        grouped[row.owner].append(row)
    named = sorted((owner, rows) for owner, rows in grouped.items() if owner)
    own = grouped.get("", [])
    return named + ([("Computed from Lantern's records", own)] if own else [])


def duplicate_rows(summary: DataSummary) -> list[tuple[Row, Row]]:
    """Pairs of rows that show one figure twice under two names (`duplicates`)."""
    from lantern.performance import duplicates

    by_code = {row.code: row for row in summary.rows}
    named = [duplicates.Named(r.code, r.measure, r.unit, r.kind) for r in summary.rows]
    return [(by_code[a.code], by_code[b.code]) for a, b in duplicates.duplicate_pairs(named)]


def direction(previous: Cell, current: Cell) -> str:
    """ "up", "down" or "same" between two periods; "" when either has no reported figure."""
    if previous.value is None or current.value is None:
        return ""
    a, b = Decimal(previous.value), Decimal(current.value)
    return "up" if b > a else "down" if b < a else "same"


def display_value(cell: Cell, unit: str) -> str:
    """A cell as a report shows it: the figure, the status in words, "<5"; "*" if amended."""
    if cell.hidden == suppression.PRIMARY:
        return suppression.small_label()
    if cell.hidden == suppression.SECONDARY:
        return suppression.SECONDARY_MARK
    if cell.value is None:
        text = STATUS_WORDS.get(cell.status, "")
    else:
        text = format_number(Decimal(cell.value), unit)
    return f"{text}*" if cell.amended and text else text


def legend(summary: DataSummary) -> str:
    """The key to the marks a report's cells may carry."""
    parts = ["* marks a figure amended since the last published report."]
    if summary.small_label:
        highest = int(summary.small_label[1:]) - 1
        parts.insert(
            0,
            f"{summary.small_label} is a count from 1 to {highest}, withheld so that no child can "
            f"be identified; {suppression.SECONDARY_MARK} is withheld so that such a count cannot "
            "be worked out from a total.",
        )
    return " ".join(parts)


def format_number(value: Decimal, unit: str) -> str:
    text = f"{value.normalize():f}" if value != value.to_integral() else f"{int(value)}"
    return f"{text}%" if unit == Unit.PERCENTAGE else text


def suppress_for_audience(summary: DataSummary, limit: int | None = None) -> DataSummary:
    """Hide small counts, and a second cell where a total would reveal one (in place).

    Suppression is decided per period over every count in the summary, so a figure hidden in
    the table is hidden in the trend line too.
    """
    summary.audience = AGGREGATE
    summary.small_label = suppression.small_label(limit)
    cells_by_period: dict[str, dict[str, list[Cell]]] = defaultdict(lambda: defaultdict(list))
    for row in summary.rows:
        if row.unit != Unit.COUNT:
            continue
        for cell in [*row.cells, *row.trend]:
            cells_by_period[cell.period][row.code].append(cell)
    for by_code in cells_by_period.values():
        values = {code: cells[0].number for code, cells in by_code.items()}
        sums = [
            (row.code, [c for c in row.components if c in values])
            for row in summary.rows
            if row.components and row.code in values
        ]
        for code, mark in suppression.suppress(values, sums, limit).items():
            for cell in by_code[code]:
                cell.hidden = mark
    hidden = {(row.code, c.period) for row in summary.rows for c in row.cells if c.hidden}
    for row in summary.rows:
        if row.cells[-1].hidden or any(c.hidden for c in row.trend[-2:]):
            row.direction = ""
        for cell in [*row.cells, *row.trend]:
            cell.display = display_value(cell, row.unit)
    summary.amendments = [a for a in summary.amendments if (a["code"], a["period"]) not in hidden]
    summary.inconsistencies = [
        i for i in summary.inconsistencies if (i["code"], i["period"]) not in hidden
    ]
    return number_notes(summary)


def to_content(summary: DataSummary) -> dict:
    """The summary as plain JSON-able data (figures as they are, before any suppression)."""
    return {
        "period": summary.period,
        "columns": summary.columns,
        "rows": [asdict(row) for row in summary.rows],
        "amendments": summary.amendments,
        "inconsistencies": summary.inconsistencies,
    }


def from_content(content: dict) -> DataSummary:
    rows = []
    for data in content["rows"]:
        data = dict(data)
        data["cells"] = [Cell(**c) for c in data["cells"]]
        data["trend"] = [Cell(**c) for c in data.get("trend", [])]
        rows.append(Row(**data))
    return number_notes(
        DataSummary(
            period=content["period"],
            columns=list(content["columns"]),
            rows=rows,
            amendments=list(content.get("amendments", [])),
            inconsistencies=list(content.get("inconsistencies", [])),
        )
    )


def last_published_values() -> dict[tuple[str, str], str]:
    """(measure code, period) -> the canonical figure in the latest report that showed it."""
    latest: dict[tuple[str, str], str] = {}
    for content in PublishedReport.objects.order_by("published_at", "id").values_list(
        "content", flat=True
    ):
        for row in content["rows"]:
            for cell in row["cells"]:
                latest[(row["code"], cell["period"])] = _canonical(Cell(**cell))
    return latest


# --- reading the figures ------------------------------------------------------------------------


class _Figures:
    """Every figure the summary needs, read in one query and computed once per cell."""

    def __init__(self, measures: list[Measure], periods: set[Period]) -> None:
        self.measures = {m.code: m for m in measures}
        self.parts = {m.code: [c.code for c in m.components.all()] for m in measures}
        missing = {c for codes in self.parts.values() for c in codes} - set(self.measures)
        for extra in Measure.objects.filter(code__in=missing).prefetch_related("components"):
            self.measures[extra.code] = extra
            self.parts[extra.code] = [c.code for c in extra.components.all()]
        self.inconsistencies: list[dict] = []
        self._cache: dict[tuple[str, str], Cell] = {}
        wanted = {str(p) for p in periods}
        for p in periods:
            if p.kind == YEAR:
                wanted |= {str(q) for q in p.quarters()}
            else:
                wanted.add(str(p.financial_year()))
                wanted |= {str(q) for q in p.financial_year().quarters()}
        self.stored: dict[tuple[str, str], MeasureValue] = {
            (code, v.period): v
            for code, v in (
                (v.measure.code, v)
                for v in MeasureValue.objects.filter(
                    measure__code__in=set(self.measures), period__in=wanted
                ).select_related("measure")
            )
        }

    def precompute(self, periods: list[Period]) -> None:
        """Ask each computed measure for all the periods at once (one query if it can)."""
        for measure in self.measures.values():
            spec = registry.computed_measure(measure.code)
            if measure.kind != Kind.COMPUTED or spec is None or self.parts.get(measure.code):
                continue
            for period, value in spec.figures(periods).items():
                self._cache[(measure.code, str(period))] = (
                    Cell(str(period), None, Status.NOT_AVAILABLE)
                    if value is None
                    else Cell(str(period), _text(Decimal(value)))
                )

    def cell(self, measure: Measure, period: Period) -> Cell:
        key = (measure.code, str(period))
        if key not in self._cache:
            self._cache[key] = self._figure(measure, period)
        return Cell(**{**asdict(self._cache[key])})

    def _figure(self, measure: Measure, period: Period) -> Cell:
        components = [self.measures[code] for code in self.parts.get(measure.code, [])]
        if components:
            return self._total(measure, components, period)
        return self._own(measure, period)

    def _own(self, measure: Measure, period: Period) -> Cell:
        if measure.kind == Kind.COMPUTED:
            return _computed(measure, period)
        stored = self.stored.get((measure.code, str(period)))
        if stored is not None:
            return Cell(str(period), _text(stored.value), stored.status, note=stored.note)
        if period.kind == YEAR:
            return self._year_from_quarters(measure, period)
        return Cell(str(period), None, Status.NOT_AVAILABLE)

    def _year_from_quarters(self, measure: Measure, year: Period) -> Cell:
        quarters = [self._own(measure, q) for q in year.quarters()]
        if measure.timing == Timing.SNAPSHOT:
            return Cell(str(year), quarters[-1].value, quarters[-1].status)
        if all(q.value is not None for q in quarters) and measure.unit == Unit.COUNT:
            return Cell(str(year), _text(sum(Decimal(q.value) for q in quarters)))
        return Cell(str(year), None, Status.NOT_AVAILABLE)

    def _total(self, measure: Measure, components: list[Measure], period: Period) -> Cell:
        parts = [self.cell(c, period) for c in components]
        supplied = self._own(measure, period)
        reported = [Decimal(p.value) for p in parts if p.value is not None]
        if not reported:
            return supplied
        computed = _text(sum(reported))
        if supplied.value is not None and Decimal(supplied.value) != Decimal(computed):
            self.inconsistencies.append(
                {
                    "measure": measure.name,
                    "code": measure.code,
                    "period": str(period),
                    "supplied": format_number(Decimal(supplied.value), measure.unit),
                    "computed": format_number(Decimal(computed), measure.unit),
                }
            )
        return Cell(str(period), computed)


def _computed(measure: Measure, period: Period) -> Cell:
    spec = registry.computed_measure(measure.code)
    if spec is None:
        return Cell(str(period), None, Status.NOT_AVAILABLE)
    value = spec.compute(period)
    if value is None:
        return Cell(str(period), None, Status.NOT_AVAILABLE)
    return Cell(str(period), _text(Decimal(value)))


def _text(value) -> str | None:
    if value is None:
        return None
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError):
        return None
    return f"{int(value)}" if value == value.to_integral() else f"{value.normalize():f}"


def _canonical(cell: Cell) -> str:
    return cell.value if cell.value is not None else f"status:{cell.status}"


def _display_canonical(canonical: str, unit: str) -> str:
    if canonical.startswith("status:"):
        return STATUS_WORDS.get(canonical.removeprefix("status:"), "")
    return format_number(Decimal(canonical), unit)


def rows_by_priority(summary: DataSummary) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    for row in summary.rows:
        grouped[row.priority].append(row)
    return grouped
