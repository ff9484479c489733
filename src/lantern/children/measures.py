"""Measures the performance framework reads from children's records (seed measure names).

Each takes the period's first and last day, inclusive, and returns a count. Measures "as at
the end of the period" ignore `start`. Figures come from the records, never typed in.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from lantern.children.models import (
    Contact,
    ContactDecision,
    CseRole,
    Episode,
    Gender,
    InterviewOutcome,
    MaceDiscussion,
    MissingEpisode,
    Referral,
    ReturnInterview,
)
from lantern.risk.levels import RiskLevel


def cases_open_to_cse_team(start: date, end: date) -> int:
    """Cases led by the CSE team, open at the end of the period."""
    return _open_at(end).filter(cse_role=CseRole.LEAD).count()


def cases_open_to_cse_team_boys(start: date, end: date) -> int:
    """Of the cases led by the CSE team at the end of the period, how many are boys."""
    return _open_at(end).filter(cse_role=CseRole.LEAD, child__gender=Gender.MALE).count()


def cases_co_worked(start: date, end: date) -> int:
    """Other open cases the CSE team co-works or supports, at the end of the period."""
    return _open_at(end).filter(cse_role=CseRole.SUPPORT).count()


def cse_contacts(start: date, end: date) -> int:
    """Contacts made to social care about CSE in the period."""
    return _cse_contacts(start, end).count()


def children_in_cse_contacts(start: date, end: date) -> int:
    """The number of children those contacts relate to (each child once, never siblings)."""
    return _cse_contacts(start, end).values("child_id").distinct().count()


def contacts_leading_to_referral(start: date, end: date) -> int:
    """Contacts about CSE received in the period that became a referral for assessment."""
    return _cse_contacts(start, end).filter(decision=ContactDecision.REFERRAL).count()


def children_referred(start: date, end: date) -> int:
    """The number of children referred for assessment in the period."""
    return (
        Referral.objects.filter(referred_on__range=(start, end))
        .values("child_id")
        .distinct()
        .count()
    )


def assessments_completed(start: date, end: date) -> int:
    """Social care assessments completed in the period."""
    return Referral.objects.filter(assessment_completed_on__range=(start, end)).count()


def risk_assessments_completed(start: date, end: date) -> int:
    """Risk assessments of children made in the period, with any tool."""
    from lantern.risk.models import RiskAssessment

    return RiskAssessment.objects.filter(
        child__isnull=False, assessed_on__range=(start, end)
    ).count()


def high_risk_children(start: date, end: date) -> int:
    """Children with an open episode at the end of the period whose level as it stood then
    (the latest assessment or MACE agreement on or before that day) was high."""
    from lantern.risk.models import RiskAssessment

    open_children = set(_open_at(end).values_list("child_id", flat=True))
    latest: dict[int, tuple] = {}
    assessments = RiskAssessment.objects.filter(
        child_id__in=open_children, assessed_on__lte=end
    ).values_list(
        "child_id", "assessed_on", "pk", "computed_level", "override_level", "override_status"
    )
    for child_id, day, pk, computed, override, status in assessments:
        key = (day, 0, pk)
        if child_id not in latest or key > latest[child_id][0]:
            # An override counts only once approved (RiskAssessment.level).
            latest[child_id] = (key, override if override and status == "approved" else computed)
    discussions = MaceDiscussion.objects.filter(
        child_id__in=open_children, held_on__lte=end
    ).values_list("child_id", "held_on", "pk", "agreed_level")
    for child_id, day, pk, level in discussions:
        key = (day, 1, pk)
        if child_id not in latest or key > latest[child_id][0]:
            latest[child_id] = (key, level)
    return sum(1 for _, level in latest.values() if level == RiskLevel.HIGH)


def missing_incidents(start: date, end: date) -> int:
    """Missing episodes reported in the period for children with a Lantern record (children
    known to the CSE team). Borough-wide runaway incidents are the police's figure, entered
    or imported as a measure of their own."""
    return _missing(start, end).count()


def children_missing(start: date, end: date) -> int:
    """The number of children known to the CSE team those missing episodes relate to."""
    return _missing(start, end).values("child_id").distinct().count()


def return_interviews(start: date, end: date) -> int:
    """Return home interviews held in the period."""
    first, last = _day_bounds(start, end)
    return ReturnInterview.objects.filter(
        outcome=InterviewOutcome.DONE, held_at__gte=first, held_at__lt=last
    ).count()


def mace_meetings_held(start: date, end: date) -> int:
    """MACE meetings held in the period: meetings of a MACE series marked held (two meetings
    on one day are two meetings; a day of discussions with no meeting record is none)."""
    from lantern.tasking.models import Meeting, MeetingStatus, MeetingType

    return Meeting.objects.filter(
        series__meeting_type=MeetingType.MACE,
        status=MeetingStatus.HELD,
        held_on__range=(start, end),
    ).count()


def children_discussed_at_mace(start: date, end: date) -> int:
    return (
        MaceDiscussion.objects.filter(held_on__range=(start, end))
        .values("child_id")
        .distinct()
        .count()
    )


MEASURES = {
    "cases_open_to_cse_team": cases_open_to_cse_team,
    "cases_open_to_cse_team_boys": cases_open_to_cse_team_boys,
    "cases_co_worked": cases_co_worked,
    "cse_contacts": cse_contacts,
    "children_in_cse_contacts": children_in_cse_contacts,
    "contacts_leading_to_referral": contacts_leading_to_referral,
    "children_referred": children_referred,
    "assessments_completed": assessments_completed,
    "risk_assessments_completed": risk_assessments_completed,
    "high_risk_children": high_risk_children,
    "missing_incidents": missing_incidents,
    "children_missing": children_missing,
    "return_interviews": return_interviews,
    "mace_meetings_held": mace_meetings_held,
    "children_discussed_at_mace": children_discussed_at_mace,
}


def _open_at(day: date) -> QuerySet[Episode]:
    return Episode.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=day), opened_on__lte=day
    )


def _cse_contacts(start: date, end: date) -> QuerySet[Contact]:
    return Contact.objects.filter(about_cse=True, received_on__range=(start, end))


def _missing(start: date, end: date) -> QuerySet[MissingEpisode]:
    first, last = _day_bounds(start, end)
    return MissingEpisode.objects.filter(reported_at__gte=first, reported_at__lt=last)


def _day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )
