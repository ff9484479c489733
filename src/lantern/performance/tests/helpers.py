"""Arranging measures and figures for the performance tests."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from django.utils.text import slugify

from lantern.performance.models import Measure, MeasureValue, Status

# After the second quarter of 2014/15 ended: the seed's report went to Cabinet in December 2014.
DECEMBER_2014 = datetime(2014, 12, 1, 10, 0, tzinfo=UTC)
JULY_2014 = datetime(2014, 7, 20, 10, 0, tzinfo=UTC)


def make_measure(
    name: str,
    *,
    priority: str = "pursue",
    section: str = "CSE Team",
    unit: str = "count",
    timing: str = "flow",
    kind: str = "entered",
    owner=None,
    components=(),
    **extra,
) -> Measure:
    measure = Measure.objects.create(
        code=slugify(f"{priority} {section} {name}")[:100],
        name=name,
        priority=priority,
        section=section,
        unit=unit,
        timing=timing,
        kind=kind,
        owner=owner,
        **extra,
    )
    if components:
        measure.components.set(components)
    return measure


def put(measure: Measure, period: str, value=None, status: str = Status.REPORTED) -> MeasureValue:
    """Store a figure directly (arrange step), replacing any figure already there."""
    figure, _ = MeasureValue.objects.update_or_create(
        measure=measure,
        period=period,
        defaults={
            "value": None if value is None else Decimal(str(value)),
            "status": status,
            "updated_at": DECEMBER_2014,
        },
    )
    return figure


def row(summary, measure: Measure):
    return next(r for r in summary.rows if r.code == measure.code)


def shown(summary, measure: Measure) -> list[str]:
    return [cell.display for cell in row(summary, measure).cells]
