"""The annual report: strategic objectives with progress from the delivery plan, case studies
and good news, the annual data summary with direction of travel since last year, and the
finance table (partners' direct costs actual and proposed, indirect contributions, funding
awards). Plain functions, one transaction each; refusals are AnnualRefused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction

from lantern.audit.models import AuditAction
from lantern.audit.services import record_change
from lantern.core.errors import LanternError
from lantern.core.periods import YEAR, Period
from lantern.performance.models import CaseStudy, FinanceKind, FinanceLine


class AnnualRefused(LanternError):
    """Something the annual report cannot take; `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


# --- the finance table ------------------------------------------------------------------------


def parse_money(text: str, field: str) -> Decimal | None:
    """Pounds as typed ("£120,000", "21000.50"); None when empty. Refuses a negative amount."""
    cleaned = (text or "").strip().replace(",", "").removeprefix("£").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise AnnualRefused("Enter an amount in pounds, like 120000 or £21,000", field) from None
    if not value.is_finite():
        raise AnnualRefused("Enter an amount in pounds, like 120000 or £21,000", field)
    if value < 0:
        raise AnnualRefused("A cost cannot be negative", field)
    if value >= Decimal("1e10"):
        raise AnnualRefused("The amount is too large", field)
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def record_finance_line(
    actor, *, year: Period, kind: str, partner: str, item: str, actual, proposed, note="", now
) -> FinanceLine:
    """Add a line to a year's finance table. Refuses a period that is not a financial year, an
    unknown kind, a missing partner or item, a negative cost, and a line with no amount at all
    (an indirect contribution may have none: it cannot be costed exactly)."""
    if year.kind != YEAR:
        raise AnnualRefused("The finance table is for a financial year, like 2014/15", "year")
    if kind not in FinanceKind.values:
        raise AnnualRefused("Choose a direct cost, an indirect contribution or an award", "kind")
    if not partner.strip():
        raise AnnualRefused("Enter the partner paying or awarding", "partner")
    if not item.strip():
        raise AnnualRefused("Enter the service, contribution or award", "item")
    for field, value in (("actual", actual), ("proposed", proposed)):
        if value is not None and value < 0:
            raise AnnualRefused("A cost cannot be negative", field)
    if kind != FinanceKind.INDIRECT and actual is None and proposed is None:
        raise AnnualRefused("Enter the actual or the proposed amount", "actual")
    line = FinanceLine.objects.create(
        year=str(year),
        kind=kind,
        partner=partner.strip(),
        item=item.strip(),
        actual=actual,
        proposed=proposed,
        note=note.strip(),
        recorded_by=actor,
        recorded_at=now,
    )
    record_change(actor, line, AuditAction.CREATE)
    return line


def finance_table(year: Period) -> list[dict]:
    """The year's finance lines by kind, each group with its totals (None where no line has
    that amount)."""
    groups = []
    lines = list(FinanceLine.objects.filter(year=str(year)))
    for kind, label in FinanceKind.choices:
        mine = [line for line in lines if line.kind == kind]
        if not mine:
            continue
        for line in mine:
            line.actual_text, line.proposed_text = money(line.actual), money(line.proposed)
        actual = _total(line.actual for line in mine)
        proposed = _total(line.proposed for line in mine)
        groups.append(
            {
                "kind": kind,
                "label": label,
                "lines": mine,
                "actual": actual,
                "proposed": proposed,
                "actual_text": money(actual),
                "proposed_text": money(proposed),
            }
        )
    return groups


def money(value: Decimal | None) -> str:
    """£120,000 or £21,000.50; an empty string for no amount."""
    if value is None:
        return ""
    text = f"{value:,.2f}"
    return f"£{text.removesuffix('.00')}"


def _total(values) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


# --- case studies and good news ---------------------------------------------------------------


@dataclass(frozen=True)
class StoryCheck:
    """What the partnership manager should know before approving a story."""

    names: list[str]  # words in the text that match the name of a person Lantern holds


@transaction.atomic
def save_case_study(
    actor, *, kind: str, title: str, text: str, consent_from: str, consent_on, now
) -> CaseStudy:
    """Write a case study or good-news story. It waits for approval; refuses an empty title or
    text."""
    if not title.strip():
        raise AnnualRefused("Enter a title", "title")
    if not text.strip():
        raise AnnualRefused("Write the story", "text")
    study = CaseStudy.objects.create(
        kind=kind,
        title=title.strip(),
        text=text.strip(),
        consent_from=consent_from.strip(),
        consent_on=consent_on,
        written_by=actor,
        written_at=now,
    )
    record_change(actor, study, AuditAction.CREATE)
    return study


def check_story(study: CaseStudy) -> StoryCheck:
    """Names in the story's text that match a child's or a person's record in Lantern: the
    story may not be anonymised. Only the words are returned, never whose record matched."""
    from lantern.children.models import Child
    from lantern.entities.models import Entity

    words = set(re.findall(r"\b[A-Z][a-z]{2,}\b", study.text))
    if not words:
        return StoryCheck([])
    lowered = {w.casefold(): w for w in words}
    known: set[str] = set()
    for field in ("first_name", "last_name", "known_as"):
        known |= {
            v.casefold()
            for v in Child.objects.filter(**{f"{field}__in": list(words)}).values_list(
                field, flat=True
            )
        }
    for field in ("first_name", "surname"):
        known |= {
            v.casefold()
            for v in Entity.objects.filter(**{f"{field}__in": list(words)}).values_list(
                field, flat=True
            )
        }
    return StoryCheck(sorted(lowered[k] for k in known if k in lowered))


@transaction.atomic
def approve_case_study(actor, study: CaseStudy, *, now) -> CaseStudy:
    """The partnership manager approves a story for reports. Refuses one without a consent
    record (who consented and when)."""
    if not study.has_consent:
        raise AnnualRefused(
            "Record who consented to this story and when before approving it", "consent_from"
        )
    study.approved_by, study.approved_at = actor, now
    study.version += 1
    study.save(update_fields=["approved_by", "approved_at", "version"])
    record_change(actor, study, AuditAction.UPDATE, changes={"approved": [False, True]})
    return study


@transaction.atomic
def choose_case_study(actor, study: CaseStudy, period: Period) -> CaseStudy:
    """Choose a story into the report for a quarter or a year. Refuses one without consent or
    without approval: it cannot be published."""
    if not study.has_consent:
        raise AnnualRefused("This story has no consent record, so it cannot be published")
    if not study.is_approved:
        raise AnnualRefused(
            "The partnership manager has not approved this story, so it cannot be published"
        )
    old = study.report_period
    study.report_period = str(period)
    study.version += 1
    study.save(update_fields=["report_period", "version"])
    record_change(actor, study, AuditAction.UPDATE, changes={"report_period": [old, str(period)]})
    return study


def stories_for(period: Period) -> list[CaseStudy]:
    """The approved, consented stories chosen into the report for a period."""
    return [
        s
        for s in CaseStudy.objects.filter(report_period=str(period), approved_at__isnull=False)
        if s.has_consent
    ]


# --- the annual report ------------------------------------------------------------------------


def annual_report(year: Period, audience: str) -> dict:
    """Everything the annual report shows for a financial year (see the module's docstring).

    The data summary is the one published for the year when there is one, otherwise the
    figures as they stand; either way suppressed for an aggregate audience.
    """
    from lantern.performance import reports, services, summary

    published = services.latest_published(str(year))
    built = reports.for_audience(
        summary.from_content(published.content) if published else summary.build_summary(year),
        audience,
    )
    strategy = reports.strategy_for(year)
    return {
        "title": f"Annual report on the child exploitation strategy {year}",
        "year": year,
        "strategy": strategy,
        "objectives": objective_progress(strategy),
        "stories": stories_for(year),
        "summary": built,
        "by_agency": summary.by_agency(built),
        "published": published,
        "finance": finance_table(year),
    }


def objective_progress(strategy) -> list[dict]:
    """Each strategic objective of the plan with its actions' BRAG counts and the latest
    evidence of progress of each action, in the plan's order."""
    from lantern.plans.models import BRAG_SHORT, Brag, EvidenceEntry, Objective
    from lantern.plans.services import live_actions

    if strategy is None:
        return []
    actions = list(live_actions(strategy))
    latest: dict[int, EvidenceEntry] = {}
    for entry in EvidenceEntry.objects.filter(action__in=actions).order_by("on", "pk"):
        latest[entry.action_id] = entry
    rows = []
    for objective in (
        Objective.objects.filter(strategy=strategy)
        .select_related("priority")
        .order_by("priority__position", "position", "pk")
    ):
        mine = [a for a in actions if a.objective_id == objective.pk]
        counts = dict.fromkeys(BRAG_SHORT.values(), 0)
        for action in mine:
            counts[BRAG_SHORT[Brag(action.brag)]] += 1
        rows.append(
            {
                "priority": objective.priority.name,
                "title": f"{objective.ref} {objective.title}",
                "counts": [(label, n) for label, n in counts.items() if n],
                "progress": [
                    {
                        "action": action.text,
                        "brag": BRAG_SHORT[Brag(action.brag)],
                        "evidence": latest[action.pk].text if action.pk in latest else "",
                    }
                    for action in mine
                ],
            }
        )
    return rows
