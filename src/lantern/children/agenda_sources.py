"""What children's records put on tasking agendas: MACE reviews that fall due, and missing
episodes since the last meeting. Titles and partner summaries carry the child's reference only;
the name is in the full summary, which tasking shows only to those the child's rule lets see it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.models import Agency
from lantern.children.models import Child, MaceDiscussion, MissingEpisode, ServiceReferral
from lantern.children.services import mace_agenda_candidates
from lantern.tasking.agenda import (
    AgendaCandidate,
    AgendaSource,
    register_source,
    register_source_url,
)
from lantern.tasking.hooks import on_minutes
from lantern.tasking.models import Action, MeetingType

# How far back the first meeting of a series looks, when there is no previous meeting.
FIRST_MEETING_LOOKBACK = timedelta(days=28)
RISK_ORDER = {"high": 0, "medium": 1, "low": 2}


RESTRICTED_CONDITIONS = (
    "Restricted child's record: only the agencies of the workers allocated to the child may "
    "read this item."
)


def register_children_agenda_sources() -> None:
    on_minutes(mace_minutes)
    # An item opens the child's record, for the meeting's scope (children.views.child_detail).
    register_source_url(Child, lambda child: reverse("children:child-detail", args=[child.pk]))
    register_source_url(
        MissingEpisode, lambda episode: reverse("children:child-detail", args=[episode.child_id])
    )
    register_source(
        AgendaSource(
            key="children.mace_reviews_due",
            meeting_types={MeetingType.MACE},
            candidates=mace_reviews_due,
            order=20,
            section="reviews",
        )
    )
    register_source(
        AgendaSource(
            key="children.missing_episodes",
            meeting_types={MeetingType.TASKING_GROUP, MeetingType.MACE},
            candidates=missing_episodes_since,
            order=30,
            section="missing",
        )
    )


def mace_reviews_due(meeting, since: date | None, until: date) -> list[AgendaCandidate]:
    """Children whose MACE review is due by this meeting."""
    start = since or until - FIRST_MEETING_LOOKBACK
    return [
        AgendaCandidate(
            source=child,
            title=f"MACE review: child {child.reference}",
            partner_summary=f"Child {child.reference} is due a MACE review.",
            full_summary=f"{child}: current risk level {child.get_current_level_display()}.",
            reason="MACE review due",
            **_handling_for(child),
        )
        for child in mace_agenda_candidates(start, until)
    ]


def missing_episodes_since(meeting, since: date | None, until: date) -> list[AgendaCandidate]:
    """Missing episodes reported since the series' last meeting, highest risk first."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(since or until - FIRST_MEETING_LOOKBACK, time.min, tz)
    end = datetime.combine(until, time.max, tz)
    episodes = sorted(
        MissingEpisode.objects.filter(reported_at__range=(start, end)).select_related("child"),
        key=lambda e: (RISK_ORDER.get(e.risk_level, len(RISK_ORDER)), e.reported_at),
    )
    return [
        AgendaCandidate(
            source=episode,
            title=f"Missing episode: child {episode.child.reference}",
            partner_summary=(
                f"Child {episode.child.reference} was reported missing on "
                f"{timezone.localtime(episode.reported_at):%d %B %Y}"
                f"{'' if episode.found_at else ' and has not been found'}."
            ),
            full_summary=(
                f"{episode.child}: missing from "
                f"{timezone.localtime(episode.reported_at):%d %B %Y %H:%M}"
                f", risk at the time {episode.get_risk_level_display()}"
                f"{', CSE concern' if episode.cse_related else ''}"
                f"{f', found at {episode.where_found}' if episode.where_found else ''}."
            ),
            reason="Missing episode since the last meeting",
            **_handling_for(episode.child),
        )
        for episode in episodes
    ]


def _handling_for(child: Child) -> dict:
    """A restricted child's item is read only by the agencies of the workers allocated to the
    child (handling code C with those agencies cleared): the other members see nothing of it,
    so the agenda never tells them that the restricted record exists."""
    if not child.restricted:
        return {}
    agencies = Agency.objects.filter(
        pk__in=child.allocations.filter(ended_on__isnull=True).values("worker__agency")
    ).order_by("name")
    return {
        "handling_code": "C",
        "handling_conditions": RESTRICTED_CONDITIONS,
        "cleared_agencies": tuple(agencies),
    }


def mace_minutes(item) -> tuple[list[tuple[str, str]], list]:
    """For a child's MACE item, the discussion recorded for that meeting's day: the agreed
    level, outcomes and review date, and the actions its outcomes made."""
    if item.source_type_id is None or item.source_type.model_class() is not Child:
        return [], []
    discussion = (
        MaceDiscussion.objects.filter(child_id=item.source_id, held_on=item.meeting.held_on)
        .order_by("-pk")
        .first()
    )
    if discussion is None:
        return [], []
    notes = [("Level agreed", discussion.get_agreed_level_display())]
    attended = [str(user) for user in discussion.attendees.order_by("full_name", "username")]
    attended += [line.strip() for line in discussion.guests.splitlines() if line.strip()]
    if attended:
        notes.append(("Attended", "; ".join(attended)))
    if discussion.chosen_outcomes:
        notes.append(("Outcomes agreed", "; ".join(discussion.chosen_outcome_labels())))
    notes.append(("Review date", f"{discussion.review_on:%-d %B %Y}"))
    referrals = ServiceReferral.objects.filter(mace_discussion=discussion).values_list(
        "pk", flat=True
    )
    actions = list(
        Action.objects.filter(
            Q(
                origin_type=ContentType.objects.get_for_model(MaceDiscussion),
                origin_id=str(discussion.pk),
            )
            | Q(
                origin_type=ContentType.objects.get_for_model(ServiceReferral),
                origin_id__in=[str(pk) for pk in referrals],
            )
        )
        .select_related("owning_agency", "owner")
        .order_by("due_on", "pk")
    )
    return notes, actions
