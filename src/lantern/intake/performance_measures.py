"""The single point of entry's figures in the performance framework (Pursue: intelligence)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from lantern.intake import measures
from lantern.intake.models import Source
from lantern.performance.registry import ComputedMeasure, register

SECTION = "Single point of entry"


def register_intake_measures() -> None:
    for order, (value, label) in enumerate(Source.choices):
        register(
            ComputedMeasure(
                code=f"pursue-submissions-{value}",
                name=f"Pieces of information received from: {label.lower()}",
                priority="pursue",
                section=SECTION,
                timing="flow",
                polarity="neither",
                definition=(
                    f"Pieces of information (strands) received in the period whose source was "
                    f"{label.lower()}."
                ),
                compute=_by_source(value),
                order=200 + order,
            )
        )
    register(
        ComputedMeasure(
            code="pursue-hours-to-grade",
            name="Median hours from receipt to grading",
            priority="pursue",
            section=SECTION,
            timing="flow",
            polarity="down",
            definition=(measures.median_hours_to_grade.__doc__ or "").strip(),
            compute=_decimal(measures.median_hours_to_grade),
            order=210,
        )
    )
    register(
        ComputedMeasure(
            code="pursue-days-to-conclusion",
            name="Median days from receipt to conclusion, per piece of information",
            priority="pursue",
            section=SECTION,
            timing="flow",
            polarity="down",
            definition=(measures.median_days_to_conclusion.__doc__ or "").strip(),
            compute=_decimal(measures.median_days_to_conclusion),
            order=211,
        )
    )
    register(
        ComputedMeasure(
            code="pursue-share-to-tasking",
            name="Pieces of information decided that went to the tasking group",
            priority="pursue",
            section=SECTION,
            unit="percentage",
            timing="flow",
            polarity="neither",
            definition=(measures.share_to_tasking.__doc__ or "").strip(),
            compute=_percentage(measures.share_to_tasking),
            order=212,
        )
    )
    register(
        ComputedMeasure(
            code="participation-feedback-sent",
            name="Feedback messages sent to people who reported",
            priority="participation",
            section="Feedback to people who report",
            timing="flow",
            polarity="up",
            definition=(measures.feedback_sent.__doc__ or "").strip(),
            compute=lambda period: sum(measures.feedback_sent(*_bounds(period)).values()),
            order=213,
        )
    )

    register(
        ComputedMeasure(
            code="pursue-pieces-received",
            name="Pieces of information received",
            priority="pursue",
            section=SECTION,
            timing="flow",
            polarity="neither",
            definition=(measures.pieces_received.__doc__ or "").strip(),
            compute=lambda period: measures.pieces_received(*_bounds(period)),
            order=199,
        )
    )
    for stage, who in measures.QUERY_STAGES.items():
        register(
            ComputedMeasure(
                code=f"participation-queries-stage-{stage}",
                name=f"Reporters' queries that reached stage {stage} ({who.lower()})",
                priority="participation",
                section="Feedback to people who report",
                timing="flow",
                polarity="down" if stage > 1 else "neither",
                definition=(measures.queries_by_stage.__doc__ or "").strip(),
                compute=_query_stage(stage),
                order=214 + stage,
            )
        )
    register(
        ComputedMeasure(
            code="participation-days-to-answer-query",
            name="Median days from a reporter's query to its first answer",
            priority="participation",
            section="Feedback to people who report",
            timing="flow",
            polarity="down",
            definition=(measures.median_days_to_first_answer.__doc__ or "").strip(),
            compute=_decimal(measures.median_days_to_first_answer),
            order=218,
        )
    )


def _query_stage(stage: int):
    def compute(period):
        return measures.queries_by_stage(*_bounds(period))[stage]

    return compute


def _bounds(period) -> tuple[datetime, datetime]:
    """The period as aware datetimes: its first day inclusive, the day after its last exclusive."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(period.start, time.min, tz),
        datetime.combine(period.end + timedelta(days=1), time.min, tz),
    )


def _by_source(source: str):
    def compute(period):
        return measures.new_submissions_by_source(*_bounds(period))[source]

    return compute


def _decimal(fn):
    def compute(period):
        value = fn(*_bounds(period))
        return None if value is None else Decimal(str(value))

    return compute


def _percentage(fn):
    def compute(period):
        share = fn(*_bounds(period))
        return None if share is None else (Decimal(str(share)) * 100).quantize(Decimal("0.1"))

    return compute
