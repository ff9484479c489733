"""What the performance framework does: the catalogue, partners' figures, publishing.

Plain functions with explicit arguments, one transaction each; refusals are exceptions below,
turned into messages by the views and commands.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction

from lantern.audit.models import AuditAction
from lantern.audit.services import record_change
from lantern.core.errors import LanternError
from lantern.core.periods import MONTH, Period, UnknownPeriod
from lantern.performance import registry
from lantern.performance.models import (
    FiguresRequest,
    Kind,
    Measure,
    MeasureValue,
    ObjectiveUpdate,
    Priority,
    PublishedFile,
    PublishedReport,
    Status,
    Unit,
)

COUNT_NOT_PERCENTAGE = "This measure is a count: enter a whole number without %"
COMPUTED_NOT_TYPED = (
    "“{measure}” is computed from Lantern's records, so its figure cannot be entered or imported"
)


class FiguresInvalid(LanternError):
    """Some figures were refused; `errors` maps each field to what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("Some figures need correcting: " + "; ".join(errors.values()))


class PublishRefused(LanternError):
    """A report that cannot be published (the period is not over, or not a quarter)."""


class RequestRefused(LanternError):
    """A request for figures that cannot be made."""


# --- the catalogue ------------------------------------------------------------------------------


def sync_catalogue() -> int:
    """Copy every registered computed measure into the catalogue; the number added or changed.

    Idempotent. Refuses nothing; a catalogue measure that is no longer registered is kept (its
    published figures still refer to it) and shows "Not available" for new periods.
    """
    changed = 0
    for spec in registry.computed_measures():
        fields = {
            "name": spec.name,
            "priority": spec.priority,
            "section": spec.section,
            "definition": spec.definition,
            "unit": spec.unit,
            "kind": Kind.COMPUTED,
            "timing": spec.timing,
            "polarity": spec.polarity,
            "order": spec.order,
        }
        measure = Measure.objects.filter(code=spec.code).first()
        if measure is None:
            Measure.objects.create(code=spec.code, **fields)
            changed += 1
        elif any(getattr(measure, k) != v for k, v in fields.items()):
            for key, value in fields.items():
                setattr(measure, key, value)
            measure.save(update_fields=[*fields])
            changed += 1
    return changed


@transaction.atomic
def save_measure(actor, measure: Measure, *, components: list[Measure] | None = None) -> Measure:
    """Add or change a partner-entered or imported measure. Refuses to edit a computed one, and
    a typed-in measure that counts what a computed measure already counts (`computed_twin`)."""
    if measure.kind == Kind.COMPUTED:
        raise LanternError("A computed measure is defined in code and cannot be edited here")
    twin = computed_twin_of(measure)
    if twin is not None:
        raise LanternError(computed_twin_message(twin))
    creating = measure.pk is None
    if not creating:
        measure.version += 1
    measure.save()
    if components is not None:
        measure.components.set([c for c in components if c.pk != measure.pk])
    record_change(actor, measure, AuditAction.CREATE if creating else AuditAction.UPDATE)
    return measure


def computed_twin_of(measure: Measure):
    """The computed measure that already counts what `measure` (typed in) would count, if any."""
    from lantern.performance import duplicates

    computed = [
        duplicates.Named(spec.code, spec.name, spec.unit, duplicates.COMPUTED)
        for spec in registry.computed_measures()
        if spec.code != measure.code
    ]
    return duplicates.computed_twin(measure.name, measure.unit, computed)


def computed_twin_message(twin) -> str:
    return (
        f"Lantern already computes “{twin.name}” from its records, and a figure Lantern computes "
        "must not also be typed in: use that measure, or name exactly what this one counts "
        "that it does not (for example, borough-wide incidents from the police's own system)"
    )


def new_measure_code(measure: Measure) -> str:
    """A unique code for a new measure, from its priority and name."""
    from django.utils.text import slugify

    base = slugify(f"{measure.priority} {measure.name}")[:100] or "measure"
    code, n = base, 1
    while Measure.objects.filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


# --- validating a figure ------------------------------------------------------------------------


def parse_value(text: str) -> Decimal | None:
    """A figure as typed: digits, an optional decimal point, an optional trailing %."""
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text.removesuffix("%").strip())
    except InvalidOperation:
        raise ValueError("Enter a number, like 12 or 33.5%") from None
    if not value.is_finite():
        raise ValueError("Enter a number, like 12 or 33.5%")
    return value


def check_figure(
    measure: Measure, period: Period, value: Decimal | None, status: str, now: datetime
) -> dict[str, str]:
    """What is wrong with a figure, by field ("period", "value", "status"); empty when fine.

    A computed measure takes no typed figure at all: Lantern computes it from its records.
    """
    errors: dict[str, str] = {}
    if measure.kind == Kind.COMPUTED:
        errors["value"] = COMPUTED_NOT_TYPED.format(measure=measure.name)
        return errors
    if period.kind == MONTH:
        errors["period"] = "Figures are for a financial year or a quarter, not a month"
    elif not period.is_over(now):
        errors["period"] = (
            f"{period} is not over until {period.end:%d %B %Y}: enter figures after it ends"
        )
    if status not in Status.values:
        errors["status"] = "Choose reported, not collected, not applicable or not available"
        return errors
    if status == Status.REPORTED and value is None:
        errors["value"] = "Enter the figure, or choose why there is no figure"
    elif status != Status.REPORTED and value is not None:
        errors["value"] = (
            f"Leave the figure empty when it is {Status(status).label.lower()}, or choose reported"
        )
    elif value is not None:
        if value < 0:
            errors["value"] = "The figure cannot be negative"
        elif measure.unit == Unit.PERCENTAGE and value > 100:
            errors["value"] = "A percentage cannot be more than 100"
        elif measure.unit == Unit.COUNT and value != value.to_integral():
            errors["value"] = "A count must be a whole number"
        elif abs(value) >= Decimal("1e12"):
            errors["value"] = "The figure is too large"
    return errors


def store_figure(
    actor, measure: Measure, period: Period, value, status: str, note: str, source: str, now
) -> str:
    """Write one checked figure; "added", "changed" or "unchanged". Call inside a transaction.

    Refuses (LanternError) a figure for a computed measure, whichever way it arrives.
    """
    if measure.kind == Kind.COMPUTED:
        raise LanternError(COMPUTED_NOT_TYPED.format(measure=measure.name))
    existing = (
        MeasureValue.objects.select_for_update().filter(measure=measure, period=str(period)).first()
    )
    if existing is None:
        figure = MeasureValue.objects.create(
            measure=measure,
            period=str(period),
            value=value,
            status=status,
            note=note,
            source=source,
            entered_by=actor if getattr(actor, "is_authenticated", False) else None,
            updated_at=now,
        )
        record_change(
            actor,
            figure,
            AuditAction.CREATE,
            changes={"value": [None, _s(value)], "status": [None, status]},
        )
        return "added"
    if (existing.value, existing.status, existing.note) == (value, status, note):
        return "unchanged"
    changes = {
        "value": [_s(existing.value), _s(value)],
        "status": [existing.status, status],
        "note": [existing.note, note],
    }
    existing.value, existing.status, existing.note = value, status, note
    existing.source = source
    existing.entered_by = actor if getattr(actor, "is_authenticated", False) else None
    existing.updated_at = now
    existing.version += 1
    existing.save()
    record_change(actor, existing, AuditAction.UPDATE, changes=changes)
    return "changed"


# --- partners' figures --------------------------------------------------------------------------


@transaction.atomic
def request_figures(actor, *, agency, period: Period, due_on: date | None, now) -> FiguresRequest:
    """Ask an agency for its manual figures for a period. Refuses a month, a repeat request,
    and an agency that owns no partner-entered measures."""
    if period.kind == MONTH:
        raise RequestRefused("Ask for figures for a quarter or a financial year, not a month")
    if not manual_measures_for(agency).exists():
        raise RequestRefused(
            f"{agency} owns no partner-entered measures: set the owning agency of its measures "
            "in the catalogue first"
        )
    if FiguresRequest.objects.filter(agency=agency, period=str(period)).exists():
        raise RequestRefused(f"{agency} has already been asked for its figures for {period}")
    request = FiguresRequest.objects.create(
        agency=agency, period=str(period), requested_by=actor, requested_at=now, due_on=due_on
    )
    record_change(actor, request, AuditAction.CREATE)
    return request


def manual_measures_for(agency):
    return Measure.objects.filter(owner=agency, kind=Kind.ENTERED, is_active=True).order_by(
        "priority", "section", "order", "name"
    )


@dataclass(frozen=True)
class FigureEntry:
    measure: Measure
    value_text: str
    status: str
    note: str


@transaction.atomic
def enter_figures(actor, request: FiguresRequest, entries: list[FigureEntry], *, now) -> int:
    """Save an agency's figures for the requested period, all or none; the number changed.

    Refuses (FiguresInvalid, errors keyed "<measure code>-value" etc.) a figure that fails
    `check_figure`, a measure the agency does not own, and a period that is not over.
    """
    period = Period.parse(request.period)
    own = set(manual_measures_for(request.agency).values_list("pk", flat=True))
    errors: dict[str, str] = {}
    checked = []
    for entry in entries:
        prefix = entry.measure.code
        if entry.measure.pk not in own:
            errors[f"{prefix}-value"] = f"{entry.measure} is not one of {request.agency}'s measures"
            continue
        try:
            value = parse_value(entry.value_text)
        except ValueError as error:
            errors[f"{prefix}-value"] = f"{entry.measure}: {error}"
            continue
        if entry.value_text.strip().endswith("%") and entry.measure.unit == Unit.COUNT:
            errors[f"{prefix}-value"] = f"{entry.measure}: {COUNT_NOT_PERCENTAGE}"
            continue
        for field, message in check_figure(entry.measure, period, value, entry.status, now).items():
            key = "period" if field == "period" else f"{prefix}-{field}"
            errors[key] = message if field == "period" else f"{entry.measure}: {message}"
        checked.append((entry, value))
    if errors:
        raise FiguresInvalid(errors)
    changed = 0
    for entry, value in checked:
        outcome = store_figure(
            actor, entry.measure, period, value, entry.status, entry.note.strip(), Kind.ENTERED, now
        )
        changed += outcome != "unchanged"
    request.submitted_by, request.submitted_at = actor, now
    request.save(update_fields=["submitted_by", "submitted_at"])
    return changed


def requests_for_user(user):
    """Requests the user may answer or manage, newest period first."""
    from lantern.accounts.access import visible

    return visible(user, FiguresRequest.objects.select_related("agency", "requested_by"))


# --- publishing ---------------------------------------------------------------------------------

PUBLISHABLE = ("quarter", "year")  # the kinds of period a data summary is published for
FORMATS = ("csv", "xlsx", "html", "pdf")  # kept with each published report
DOWNLOAD_FORMATS = (*FORMATS, "docx")  # a data summary downloads in these


@dataclass(frozen=True)
class PublicationGap:
    """Something missing from a quarter's data summary, shown before it is published."""

    kind: str  # "figures not entered", "no value", "computed zero"
    text: str


def publication_gaps(period: Period) -> list[PublicationGap]:
    """What is missing from the quarter's figures: agencies asked for figures that have not
    entered them, measures with no value for the quarter, and computed measures that are zero
    for the quarter where the quarter before was not."""
    from lantern.performance import summary

    gaps = [
        PublicationGap(
            "figures not entered",
            f"{request.agency} has not entered its figures for {period} "
            f"(asked on {request.requested_at:%d %B %Y})",
        )
        for request in FiguresRequest.objects.filter(
            period=str(period), submitted_at__isnull=True
        ).select_related("agency")
    ]
    built = summary.build_summary(period)
    computed = set(Measure.objects.filter(kind=Kind.COMPUTED).values_list("code", flat=True))
    stated = {Status.NOT_COLLECTED, Status.NOT_APPLICABLE}
    for row in built.rows:
        current = row.cells[-1]
        if current.value is None and current.status not in stated:
            gaps.append(PublicationGap("no value", f"{row.measure}: no value for {period}"))
        elif row.code in computed and len(row.trend) >= 2:
            previous = row.trend[-2]
            if Decimal(current.value) == 0 and previous.value and Decimal(previous.value) != 0:
                gaps.append(
                    PublicationGap(
                        "computed zero",
                        f"{row.measure}: computed as 0 for {period}, but "
                        f"{previous.display or previous.value} for {previous.period}",
                    )
                )
    return gaps


def gaps_fingerprint(gaps: list[PublicationGap]) -> str:
    """A short hash of the gaps, so a confirmation accepts exactly the gaps that were shown."""
    return hashlib.sha256("\n".join(g.text for g in gaps).encode()).hexdigest()[:16]


def publish_report(actor, period: Period, *, now, accept_gaps: bool = False) -> PublishedReport:
    """Freeze the data summary for a quarter or a financial year as an immutable snapshot.

    The snapshot holds the figures as they are; the files are rendered for the aggregate
    audience (small numbers suppressed) and stored byte for byte. Refuses a month, a period not
    yet over, and a quarter with gaps (publication_gaps) unless the publisher
    accepts them: the snapshot and the audit trail then record who accepted which gaps.
    """
    from lantern.performance import exports, summary

    if period.kind not in PUBLISHABLE:
        raise PublishRefused(
            "Publish a quarter, like 2014/15-Q2, or a financial year, like 2014/15"
        )
    if not period.is_over(now):
        raise PublishRefused(f"{period} is not over until {period.end:%d %B %Y}")
    gaps = publication_gaps(period)
    if gaps and not accept_gaps:
        raise PublishRefused(
            f"{len(gaps)} thing{'s are' if len(gaps) != 1 else ' is'} missing from {period}: "
            "check them and accept them to publish anyway"
        )
    built = summary.build_summary(period)
    content = summary.to_content(built)
    content["published_at"] = now.isoformat()
    content["published_by"] = str(actor)
    if gaps:
        content["accepted_gaps"] = {"by": str(actor), "gaps": [g.text for g in gaps]}
    with transaction.atomic():
        report = PublishedReport.objects.create(
            period=str(period),
            content=content,
            content_hash=content_hash(content),
            published_by=actor,
            published_at=now,
        )
        public = summary.suppress_for_audience(summary.from_content(content))
        for fmt in FORMATS:
            data = exports.render(public, fmt, title=published_title(report))
            PublishedFile.objects.create(
                report=report, format=fmt, data=data, sha256=hashlib.sha256(data).hexdigest()
            )
        record_change(
            actor,
            report,
            AuditAction.CREATE,
            changes={"content_hash": [None, report.content_hash]},
            reason=(f"published with {len(gaps)} gaps accepted: " + "; ".join(g.text for g in gaps))
            if gaps
            else "",
        )
    return report


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def published_title(report: PublishedReport) -> str:
    return (
        f"Data summary {report.period}, published {report.published_at:%d %B %Y} "
        f"(content hash {report.content_hash[:12]})"
    )


def latest_published(period: str | None = None) -> PublishedReport | None:
    reports = PublishedReport.objects.all()
    if period:
        reports = reports.filter(period=period)
    return reports.order_by("-published_at", "-id").first()


# --- the Cabinet report's words -------------------------------------------------------------


@transaction.atomic
def save_objective_update(
    actor,
    *,
    period: Period,
    objective,
    achievements: str,
    next_steps: str,
    expected_version: int | None,
    now,
) -> ObjectiveUpdate:
    """Write a lead's achievements and next steps for one delivery plan objective and quarter.

    Refuses (EditConflict) a change to an update someone else saved after the form was opened.
    """
    from lantern.core.errors import EditConflict

    priority = priority_of_objective(objective)
    with transaction.atomic():
        update = (
            ObjectiveUpdate.objects.select_for_update()
            .filter(period=str(period), objective=objective)
            .first()
        )
        if update is None:
            update = ObjectiveUpdate.objects.create(
                period=str(period),
                objective=objective,
                priority=priority,
                achievements=achievements,
                next_steps=next_steps,
                written_by=actor,
                updated_at=now,
            )
            record_change(actor, update, AuditAction.CREATE)
            return update
        if expected_version is not None and expected_version != update.version:
            raise EditConflict()
        changes = {
            "achievements": [update.achievements, achievements],
            "next_steps": [update.next_steps, next_steps],
        }
        update.priority, update.achievements, update.next_steps = priority, achievements, next_steps
        update.written_by, update.updated_at = actor, now
        update.version += 1
        update.save()
        record_change(actor, update, AuditAction.UPDATE, changes=changes)
    return update


def priority_of_objective(objective) -> str:
    """The data summary priority an objective's plan priority is (matched by name: the plan's
    priorities are Leadership and the 5Ps unless renamed); Leadership when none matches."""
    wanted = objective.priority.name.strip().casefold()
    for code, label in Priority.choices:
        if wanted in {code.casefold(), str(label).casefold()}:
            return code
    return Priority.LEADERSHIP


# How each kind of period may be written, for error messages.
ACCEPTED_FORMS = {
    "quarter": "a quarter like 2014/15-Q2 (or 2014-15-Q2)",
    "year": "a financial year like 2014/15 (or 2014-15)",
    "month": "a month like 2014-07",
}
_DASHED = re.compile(r"^(\d{4})-(\d{2})(-q[1-4])?$", re.IGNORECASE)


def parse_period(text: str, *, kinds: tuple[str, ...] = ("quarter", "year")) -> Period:
    """A period of one of `kinds` from user input; UnknownPeriod naming the accepted forms.

    Besides Lantern's own forms (2014/15, 2014/15-Q2, 2014-07), a financial year may be written
    with a dash, as the partnership's documents do ("2014-15", "2014-15-Q2"), unless a month
    is wanted too: then "2014-12" is December 2014.
    """
    cleaned = (text or "").strip()
    dashed = _DASHED.match(cleaned)
    if dashed and (dashed[3] or "month" not in kinds):
        cleaned = f"{dashed[1]}/{dashed[2]}{(dashed[3] or '').upper()}"
    forms = " or ".join(ACCEPTED_FORMS[k] for k in kinds)
    try:
        period = Period.parse(cleaned)
    except UnknownPeriod:
        raise UnknownPeriod(
            f"“{(text or '').strip()[:40]}” is not a period: write {forms}"
        ) from None
    if period.kind not in kinds:
        raise UnknownPeriod(f"“{(text or '').strip()[:40]}” is a {period.kind}: write {forms}")
    return period


def _s(value) -> str | None:
    return None if value is None else str(value)
