"""What risk puts on tasking group agendas: nominals whose latest suspect risk assessment is high.

Titles and partner summaries carry the nominal's number only; the name is in the full summary,
which tasking shows only to those the nominal's rule lets see it (police).
"""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery

from lantern.risk.levels import RiskLevel
from lantern.risk.models import Nominal, RiskAssessment, ToolSubject
from lantern.tasking.agenda import AgendaCandidate, AgendaSource, register_source
from lantern.tasking.models import AgendaItem, ItemStatus, MeetingType


def register_risk_agenda_sources() -> None:
    register_source(
        AgendaSource(
            key="risk.high_risk_nominals",
            meeting_types={MeetingType.TASKING_GROUP},
            candidates=high_risk_nominals,
            order=40,
            section="nominals",
        )
    )


def high_risk_nominals(meeting, since: date | None, until: date) -> list[AgendaCandidate]:
    """Nominals whose latest suspect assessment on or before the meeting is high (the override
    where there is one). A nominal whose item this series closed on or after that assessment
    stays off until it is assessed again; one still open on the schedule is carried, not added
    twice (build_agenda skips a source already on the agenda)."""
    latest = RiskAssessment.objects.filter(
        nominal=OuterRef("pk"),
        version__tool__subject=ToolSubject.NOMINAL,
        assessed_on__lte=until,
    ).order_by("-assessed_on", "-pk")
    nominals = Nominal.objects.annotate(
        assessment_id=Subquery(latest.values("pk")[:1]),
    ).filter(assessment_id__isnull=False)
    assessments = RiskAssessment.objects.select_related("version__tool").in_bulk(
        [n.assessment_id for n in nominals]
    )
    closed_on = _last_closed_in_series(meeting)
    candidates = []
    for nominal in nominals:
        assessment = assessments[nominal.assessment_id]
        if assessment.level != RiskLevel.HIGH:
            continue
        closed = closed_on.get(str(nominal.pk))
        if closed is not None and closed >= assessment.assessed_on:
            continue
        judgement = (
            " (professional judgement)"
            if assessment.level != assessment.shown_computed_level
            else ""
        )
        candidates.append(
            AgendaCandidate(
                source=nominal,
                title=f"High-risk nominal {nominal.pk}",
                partner_summary=(
                    f"Nominal {nominal.pk} was assessed as high risk on "
                    f"{assessment.assessed_on:%-d %B %Y}."
                ),
                full_summary=(
                    f"{nominal.name}"
                    f"{f' (also known as {nominal.alias})' if nominal.alias else ''}: "
                    f"{assessment.version.tool.name} on {assessment.assessed_on:%-d %B %Y}, "
                    f"level {assessment.get_level_display()}{judgement}."
                ),
                reason=f"High risk, assessed on {assessment.assessed_on:%-d %B %Y}",
            )
        )
    return candidates


def _last_closed_in_series(meeting) -> dict[str, date]:
    """Nominal id -> the date of the series' last meeting that closed an item on it."""
    rows = AgendaItem.objects.filter(
        meeting__series=meeting.series,
        meeting__held_on__lt=meeting.held_on,
        source_type=ContentType.objects.get_for_model(Nominal),
        status=ItemStatus.CLOSED,
    ).values_list("source_id", "meeting__held_on")
    closed: dict[str, date] = {}
    for source_id, held_on in rows:
        closed[source_id] = max(held_on, closed.get(source_id, held_on))
    return closed
