"""What the children app does: every change to a child's record goes through here.

Plain functions with explicit arguments (the actor, the records, the time as `now`), one
transaction each, each writing its audit entry inside that transaction. Refusals are
`ChildRecordRefused`, carrying the form field they are about so a view can show the message
by that field.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q

from lantern.accounts.models import User
from lantern.accounts.roles import Role
from lantern.audit.models import AuditAction
from lantern.audit.services import record, record_change
from lantern.children.models import (
    Alert,
    AlertKind,
    Allocation,
    AllocationRole,
    BreakGlass,
    Child,
    ChildShare,
    Contact,
    ContactDecision,
    Episode,
    ExitInterview,
    ExitInterviewOutcome,
    InterviewOutcome,
    MaceDiscussion,
    MaceOpinion,
    MaceOutcome,
    MissingEpisode,
    Referral,
    ReturnInterview,
    Service,
    ServiceReferral,
)
from lantern.children.signals import where_found_recorded
from lantern.core.errors import LanternError
from lantern.core.versioning import save_if_unchanged
from lantern.risk.levels import LEVEL_RANK, RiskLevel
from lantern.tasking import services as tasking
from lantern.tasking.models import Action, AgendaItem, MeetingType

OLDEST_AGE = 25  # care leavers are supported up to 25; anyone older is a mistake
TRANSITION_WINDOW_DAYS = 183  # "within six months of their 18th birthday"
RETURN_INTERVIEW_HOURS = 72
BREAK_GLASS_MINUTES = 60
ON_CALL_ROLES = (Role.MACE_CHAIR, Role.POLICE_SUPERVISOR)

CHILD_FIELDS = [
    "first_name",
    "last_name",
    "known_as",
    "date_of_birth",
    "gender",
    "ethnicity",
    "send",
    "looked_after",
    "placement",
    "placed_out_of_area",
    "school",
    "ward",
    "restricted",
]

# Which services each MACE outcome refers the child to (Service.code).
OUTCOME_SERVICES = {
    MaceOutcome.SEXUAL_HEALTH: "sexual-health",
    MaceOutcome.DRUGS_ALCOHOL: "drugs-alcohol",
    MaceOutcome.CAMHS: "camhs",
    MaceOutcome.YOUTH_STEP_DOWN: "youth-support",
}

# The rules by level: what MACE is offered as the outcome for an agreed level.
SUGGESTED_OUTCOMES = {
    RiskLevel.HIGH: [
        MaceOutcome.ALLOCATE_SPECIALIST,
        MaceOutcome.SEXUAL_HEALTH,
        MaceOutcome.DRUGS_ALCOHOL,
        MaceOutcome.CAMHS,
    ],
    RiskLevel.MEDIUM: [
        MaceOutcome.ALLOCATE_SPECIALIST,
        MaceOutcome.SEXUAL_HEALTH,
        MaceOutcome.DRUGS_ALCOHOL,
        MaceOutcome.CAMHS,
    ],
    RiskLevel.LOW: [MaceOutcome.YOUTH_STEP_DOWN],
    RiskLevel.NONE: [MaceOutcome.YOUTH_STEP_DOWN, MaceOutcome.EXIT_INTERVIEW],
}
# How long until a child's next MACE review, by agreed level.
REVIEW_AFTER_DAYS = {
    RiskLevel.HIGH: 28,
    RiskLevel.MEDIUM: 42,
    RiskLevel.LOW: 84,
    RiskLevel.NONE: 84,
}


class ChildRecordRefused(LanternError):
    """A change to a child's record that Lantern will not make, and the field it is about."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# --- The child ------------------------------------------------------------------------------


def create_child(actor: Any, *, now: datetime, **fields: Any) -> Child:
    """Add a child's record. Refuses a date of birth in the future or making them over 25."""
    check_date_of_birth(fields["date_of_birth"], now.date())
    with transaction.atomic():
        child = Child.objects.create(
            reference="pending", created_by=_user(actor), created_at=now, **fields
        )
        child.reference = f"CH-{child.pk:06d}"
        child.save(update_fields=["reference"])
        record_change(actor, child, AuditAction.CREATE)
    return child


def update_child(
    actor: Any, child: Child, *, expected_version: int, now: datetime, **fields: Any
) -> Child:
    """Change a child's details. Refuses a bad date of birth and a stale form (EditConflict)."""
    check_date_of_birth(fields["date_of_birth"], now.date())
    with transaction.atomic():
        changes = _changes(child, fields)
        for name, value in fields.items():
            setattr(child, name, value)
        save_if_unchanged(child, expected_version, list(fields))
        record_change(actor, child, AuditAction.UPDATE, changes=changes)
    return child


def check_date_of_birth(dob: date, today: date) -> None:
    if dob > today:
        raise ChildRecordRefused("Date of birth must be today or in the past", "date_of_birth")
    age = today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
    if age >= OLDEST_AGE:
        raise ChildRecordRefused(
            f"Date of birth must make the child younger than {OLDEST_AGE}", "date_of_birth"
        )


def approaching_eighteen(child: Child, today: date) -> bool:
    """True if the child has an open episode and turns 18 within six months: plan transition."""
    birthday = child.eighteenth_birthday()
    if not (today <= birthday <= today + timedelta(days=TRANSITION_WINDOW_DAYS)):
        return False
    return child.episodes.filter(closed_on__isnull=True).exists()


def approaching_eighteen_q(today: date) -> Q:
    """The same test as a filter on children, for the caseload list."""
    earliest_dob = _years_before(today, 18)
    latest_dob = _years_before(today + timedelta(days=TRANSITION_WINDOW_DAYS), 18)
    return Q(date_of_birth__gte=earliest_dob, date_of_birth__lte=latest_dob) & has_open_episode_q()


def has_open_episode_q() -> Q:
    """Children with an open episode, as a filter on children."""
    return Q(is_open=True)


# --- Episodes, allocation, sharing ------------------------------------------------------------


def open_episode(
    actor: Any, child: Child, *, opened_on: date, cse_role: str, lead_team: str = ""
) -> Episode:
    """Open an episode of involvement. Refuses a second open episode."""
    if child.episodes.filter(closed_on__isnull=True).exists():
        raise ChildRecordRefused("This child already has an open episode", "opened_on")
    with transaction.atomic():
        episode = Episode.objects.create(
            child=child,
            opened_on=opened_on,
            cse_role=cse_role,
            lead_team=lead_team,
            opened_by=_user(actor),
        )
        Child.objects.filter(pk=child.pk).update(is_open=True)
        record_change(actor, episode, AuditAction.CREATE)
    return episode


def close_episode(
    actor: Any,
    episode: Episode,
    *,
    closed_on: date,
    reason: str,
    exit_outcome: str,
    exit_held_on: date | None = None,
    child_views: str = "",
) -> Episode:
    """Close an episode with the exit interview's outcome and the child's views. Refuses a
    closure before the opening, an exit interview held but not dated, or no reason."""
    if not episode.is_open:
        raise ChildRecordRefused("This episode is already closed", "closed_on")
    if closed_on < episode.opened_on:
        raise ChildRecordRefused("The closing date must be on or after the opening", "closed_on")
    if not reason.strip():
        raise ChildRecordRefused("Enter why the episode is closing", "reason")
    if exit_outcome == ExitInterviewOutcome.DONE and exit_held_on is None:
        raise ChildRecordRefused("Enter the date the exit interview was held", "exit_held_on")
    with transaction.atomic():
        episode.closed_on = closed_on
        episode.closure_reason = reason
        episode.save(update_fields=["closed_on", "closure_reason"])
        Child.objects.filter(pk=episode.child_id).update(is_open=False)
        ExitInterview.objects.create(
            episode=episode,
            outcome=exit_outcome,
            held_on=exit_held_on if exit_outcome == ExitInterviewOutcome.DONE else None,
            child_views=child_views,
            recorded_by=_user(actor),
        )
        record_change(
            actor, episode, AuditAction.UPDATE, changes={"closed_on": [None, str(closed_on)]}
        )
    return episode


def allocate_worker(
    actor: Any,
    child: Child,
    *,
    worker: User,
    role: str,
    started_on: date,
    mace_discussion: MaceDiscussion | None = None,
) -> Allocation:
    """Allocate a worker to a child. Refuses a worker already allocated and not ended."""
    if child.allocations.filter(worker=worker, ended_on__isnull=True).exists():
        raise ChildRecordRefused(f"{worker} is already allocated to this child", "worker")
    with transaction.atomic():
        allocation = Allocation.objects.create(
            child=child,
            worker=worker,
            role=role,
            started_on=started_on,
            allocated_by=_user(actor),
            mace_discussion=mace_discussion,
        )
        record_change(actor, allocation, AuditAction.CREATE)
    return allocation


def share_with_agency(
    actor: Any, child: Child, *, agency: Any, lawful_basis: str, shared_on: date, ends_on=None
) -> ChildShare:
    """Share a child's summary with a partner agency. Refuses a share without a lawful basis."""
    if not lawful_basis.strip():
        raise ChildRecordRefused("Enter the lawful basis for sharing", "lawful_basis")
    if ends_on is not None and ends_on < shared_on:
        raise ChildRecordRefused("The end date must be after the date shared", "ends_on")
    with transaction.atomic():
        share = ChildShare.objects.create(
            child=child,
            agency=agency,
            lawful_basis=lawful_basis,
            shared_on=shared_on,
            ends_on=ends_on,
            shared_by=_user(actor),
        )
        record_change(actor, share, AuditAction.CREATE)
    return share


def break_glass(actor: Any, child: Child, *, reason: str, now: datetime) -> BreakGlass:
    """Open a restricted child's record to someone outside its circle for a limited time.
    The reason is audited and the child's allocated workers are alerted. Refuses an empty
    reason and a record that is not restricted."""
    if not reason.strip():
        raise ChildRecordRefused("Enter why you need to open this record", "reason")
    if not child.restricted:
        raise ChildRecordRefused("This record is not restricted", "reason")
    user = _user(actor)
    with transaction.atomic():
        grant = BreakGlass.objects.create(
            child=child,
            user=user,
            reason=reason,
            granted_at=now,
            expires_at=now + timedelta(minutes=BREAK_GLASS_MINUTES),
        )
        record(
            actor=user,
            action=AuditAction.BREAK_GLASS,
            obj=child,
            reason=reason,
            request=actor if hasattr(actor, "user") else None,
        )
        owners = User.objects.filter(
            child_allocations__child=child, child_allocations__ended_on__isnull=True, is_active=True
        ).exclude(email="")
        emails = sorted(set(owners.values_list("email", flat=True)))
        message = f"{user} opened the restricted record {child.reference}: {reason}"[:300]
        Alert.objects.create(
            kind=AlertKind.BREAK_GLASS,
            child=child,
            message=message,
            raised_at=now,
            emailed_to=emails,
        )
        if emails:
            transaction.on_commit(
                lambda: send_mail(
                    "Lantern: a restricted record was opened",
                    f"{user} opened the restricted record {child.reference}.\n"
                    "Sign in to Lantern to see who and why.",
                    None,
                    emails,
                )
            )
    return grant


# --- Contacts and referrals -------------------------------------------------------------------


def record_contact(actor: Any, child: Child, *, today: date, **fields: Any) -> Contact:
    """Record a contact about a child. Refuses a contact dated in the future."""
    if fields["received_on"] > today:
        raise ChildRecordRefused("The date received must be today or in the past", "received_on")
    with transaction.atomic():
        contact = Contact.objects.create(child=child, recorded_by=_user(actor), **fields)
        record_change(actor, contact, AuditAction.CREATE)
    return contact


def decide_contact(
    actor: Any,
    contact: Contact,
    *,
    decision: str,
    threshold: str,
    decided_on: date,
    expected_version: int,
) -> Contact:
    """Decide what happens to a contact, against the threshold descriptors. A referral
    decision creates the referral for assessment. Refuses a decision before the contact, a
    referral without a threshold level, a decision already made, or a stale form."""
    if contact.decision != ContactDecision.PENDING:
        raise ChildRecordRefused("A decision has already been made on this contact", "decision")
    if decision == ContactDecision.PENDING:
        raise ChildRecordRefused("Choose what happens to this contact", "decision")
    if decided_on < contact.received_on:
        raise ChildRecordRefused("The decision date must be on or after the contact", "decided_on")
    if decision == ContactDecision.REFERRAL and not threshold:
        raise ChildRecordRefused("Choose the level of need for the referral", "threshold")
    with transaction.atomic():
        contact.decision = decision
        contact.threshold = threshold
        contact.decided_on = decided_on
        contact.decided_by = _user(actor)
        save_if_unchanged(
            contact, expected_version, ["decision", "threshold", "decided_on", "decided_by"]
        )
        record_change(actor, contact, AuditAction.UPDATE, changes={"decision": [None, decision]})
        if decision == ContactDecision.REFERRAL:
            referral = Referral.objects.create(
                contact=contact, child=contact.child, referred_on=decided_on, threshold=threshold
            )
            record_change(actor, referral, AuditAction.CREATE)
    return contact


def complete_assessment(
    actor: Any, referral: Referral, *, completed_on: date, outcome: str, expected_version: int
) -> Referral:
    """Record that the social care assessment for a referral is complete. Refuses a date before
    the referral, an empty outcome, an assessment already completed, or a stale form."""
    if referral.assessment_completed_on is not None:
        raise ChildRecordRefused("This assessment is already complete", "completed_on")
    if completed_on < referral.referred_on:
        raise ChildRecordRefused(
            "The completion date must be on or after the referral", "completed_on"
        )
    if not outcome.strip():
        raise ChildRecordRefused("Enter the outcome of the assessment", "outcome")
    with transaction.atomic():
        referral.assessment_completed_on = completed_on
        referral.assessment_outcome = outcome
        save_if_unchanged(
            referral, expected_version, ["assessment_completed_on", "assessment_outcome"]
        )
        record_change(
            actor,
            referral,
            AuditAction.UPDATE,
            changes={"assessment_completed_on": [None, str(completed_on)]},
        )
    return referral


# --- MACE ------------------------------------------------------------------------------------


def suggested_outcomes(level: str) -> list[str]:
    """The outcomes the rules suggest for an agreed level (MACE chooses; these are defaults)."""
    return [str(code) for code in SUGGESTED_OUTCOMES.get(level, [])]


def default_review_date(level: str, held_on: date) -> date:
    return held_on + timedelta(days=REVIEW_AFTER_DAYS.get(level, 84))


def record_mace_discussion(
    actor: Any,
    child: Child,
    *,
    held_on: date,
    chair: User,
    opinions: list[tuple[str, str, str]],
    agreed_level: str,
    review_on: date,
    summary: str,
    now: datetime,
    meeting: Any = None,
    attendees: Iterable[User] = (),
    guests: str = "",
) -> MaceDiscussion:
    """Record a child's MACE discussion: each attendee's (name, agency, level), the level
    agreed and the review date; at a `meeting`, who attended (members of its series) and
    guests by name. Refuses no opinions, a review date not after the meeting, a meeting date
    in the future and an attendee who is not a member of the meeting's series."""
    attendees = list(attendees)
    if meeting is not None:
        members = set(meeting.series.members.values_list("pk", flat=True))
        if any(a.pk not in members for a in attendees):
            raise ChildRecordRefused(
                "Choose attendees from the meeting's members; name anyone else as a guest",
                "attendees",
            )
    if held_on > now.date():
        raise ChildRecordRefused("The meeting date must be today or in the past", "held_on")
    if not opinions:
        raise ChildRecordRefused("Record at least one attendee's opinion", "opinions")
    if review_on <= held_on:
        raise ChildRecordRefused("The review date must be after the meeting", "review_on")
    with transaction.atomic():
        discussion = MaceDiscussion.objects.create(
            child=child,
            held_on=held_on,
            chair=chair,
            agreed_level=agreed_level,
            review_on=review_on,
            summary=summary,
            recorded_by=_user(actor),
            created_at=now,
            meeting=meeting,
            guests=guests.strip(),
        )
        discussion.attendees.set(attendees)
        MaceOpinion.objects.bulk_create(
            MaceOpinion(discussion=discussion, attendee=name, agency=agency, level=level)
            for name, agency, level in opinions
        )
        record_change(actor, discussion, AuditAction.CREATE)
        refresh_current_level(child)
    return discussion


def apply_mace_outcomes(
    actor: Any,
    discussion: MaceDiscussion,
    *,
    outcomes: list[str],
    specialist: User | None,
    now: datetime,
) -> MaceDiscussion:
    """Carry out the outcomes MACE chose: a real allocation of a specialist CSE social worker,
    real referrals to the services. Refuses outcomes already recorded, and an allocation
    without a worker."""
    if discussion.outcomes_recorded_at is not None:
        raise ChildRecordRefused("The outcomes of this discussion are already recorded", "outcomes")
    if MaceOutcome.ALLOCATE_SPECIALIST in outcomes and specialist is None:
        raise ChildRecordRefused("Choose the specialist CSE social worker", "specialist")
    child = discussion.child
    referrals = []
    with transaction.atomic():
        if (
            MaceOutcome.ALLOCATE_SPECIALIST in outcomes
            and not child.allocations.filter(worker=specialist, ended_on__isnull=True).exists()
        ):
            allocate_worker(
                actor,
                child,
                worker=specialist,
                role=AllocationRole.SPECIALIST,
                started_on=now.date(),
                mace_discussion=discussion,
            )
        for outcome, code in OUTCOME_SERVICES.items():
            if outcome in outcomes:
                service = Service.objects.get(code=code)
                referral = refer_to_service(
                    actor,
                    child,
                    service=service,
                    referred_on=now.date(),
                    mace_discussion=discussion,
                )
                referrals.append(referral)
        skipped = _mace_actions(actor, discussion, outcomes, specialist, referrals, now)
        discussion.chosen_outcomes = list(outcomes)
        discussion.outcomes_recorded_at = now
        discussion.save(update_fields=["chosen_outcomes", "outcomes_recorded_at"])
        record_change(actor, discussion, AuditAction.UPDATE, changes={"outcomes": [[], outcomes]})
    discussion.skipped_actions = skipped
    return discussion


def mace_actions(discussion: MaceDiscussion):
    """The tasking actions made from a discussion's outcomes (and its service referrals)."""
    referral_ids = [
        str(pk)
        for pk in ServiceReferral.objects.filter(mace_discussion=discussion).values_list(
            "pk", flat=True
        )
    ]
    return (
        Action.objects.filter(
            Q(
                origin_type=ContentType.objects.get_for_model(MaceDiscussion),
                origin_id=str(discussion.pk),
            )
            | Q(
                origin_type=ContentType.objects.get_for_model(ServiceReferral),
                origin_id__in=referral_ids,
            )
        )
        .select_related("owner", "owning_agency")
        .order_by("due_on", "pk")
    )


# How long a MACE outcome's action has when the review is further off (or already past).
MACE_ACTION_DAYS = 7


def mace_action_due(discussion: MaceDiscussion, today: date) -> date:
    """Within the review period, at most a week from today, never in the past."""
    due = today + timedelta(days=MACE_ACTION_DAYS)
    if today <= discussion.review_on < due:
        return discussion.review_on
    return due


def _mace_actions(actor, discussion, outcomes, specialist, referrals, now) -> list[str]:
    """One tasking action per chosen outcome that is a task for someone: the specialist's
    allocation (owned by the worker), each service referral and an exit interview (owned by the
    social worker recording them). An outcome whose owner cannot own an action (deactivated, no
    agency, an archived agency) is skipped; the returned messages say which."""
    recorder = _user(actor)
    due_on = mace_action_due(discussion, now.date())
    reference = discussion.child.reference
    tasks = []
    if MaceOutcome.ALLOCATE_SPECIALIST in outcomes:
        tasks.append(
            (
                f"Allocate a specialist CSE social worker: child {reference}",
                specialist,
                discussion,
            )
        )
    for referral in referrals:
        tasks.append((f"Refer to {referral.service}: child {reference}", recorder, referral))
    if MaceOutcome.EXIT_INTERVIEW in outcomes:
        tasks.append((f"Plan an exit interview: child {reference}", recorder, discussion))
    skipped = []
    for title, owner, origin in tasks:
        try:
            if owner.agency is None:
                raise tasking.TaskingRefused(f"{owner} belongs to no agency")
            tasking.check_new_action(
                owning_agency=owner.agency, owner=owner, due_on=due_on, now=now
            )
        except tasking.TaskingRefused as refusal:
            skipped.append(f"No action was created for \u201c{title}\u201d: {refusal}")
            continue
        tasking.create_action(
            actor,
            title=title,
            description=f"MACE outcome agreed on {discussion.held_on:%-d %B %Y}.",
            owning_agency=owner.agency,
            owner=owner,
            due_on=due_on,
            now=now,
            route=MeetingType.MACE,
            origin=origin,
            escalation_contact=discussion.chair,
        )
    return skipped


def mace_agenda_candidates(since: date, until: date) -> list[Child]:
    """Children whose latest MACE review falls due between `since` and `until`: the seam for the
    tasking app, which will put them on the next MACE agenda."""
    latest: dict[int, MaceDiscussion] = {}
    for discussion in MaceDiscussion.objects.order_by("child_id", "held_on", "pk"):
        latest[discussion.child_id] = discussion
    due = [d.child_id for d in latest.values() if since <= d.review_on <= until]
    return list(Child.objects.filter(has_open_episode_q(), pk__in=due))


# --- Missing episodes --------------------------------------------------------------------------


def record_missing_episode(
    actor: Any,
    child: Child,
    *,
    reported_at: datetime,
    found_at: datetime | None,
    where_found: str,
    risk_level: str,
    cse_related: bool,
    notes: str,
    now: datetime,
) -> MissingEpisode:
    """Record a missing episode. A high-risk CSE episode raises an alert to the on-call roles
    at once (a row and an email). Refuses a report in the future or a found time before it."""
    if reported_at > now:
        raise ChildRecordRefused("The time reported must be now or in the past", "reported_at")
    _check_found(reported_at, found_at, where_found, now)
    with transaction.atomic():
        episode = MissingEpisode.objects.create(
            child=child,
            reported_at=reported_at,
            found_at=found_at,
            where_found=where_found,
            risk_level=risk_level,
            cse_related=cse_related,
            notes=notes,
            recorded_by=_user(actor),
        )
        record_change(actor, episode, AuditAction.CREATE)
        if risk_level == RiskLevel.HIGH and cse_related:
            _raise_missing_alert(episode, now)
        if where_found.strip():
            where_found_recorded.send(MissingEpisode, episode=episode, actor=actor, now=now)
    return episode


def record_found(
    actor: Any,
    episode: MissingEpisode,
    *,
    found_at: datetime,
    where_found: str,
    now: datetime,
    expected_version: int,
) -> MissingEpisode:
    """Record that a missing child has been found. Refuses a found time before the report,
    in the future, or a stale form."""
    _check_found(episode.reported_at, found_at, where_found, now)
    with transaction.atomic():
        episode.found_at = found_at
        episode.where_found = where_found
        save_if_unchanged(episode, expected_version, ["found_at", "where_found"])
        record_change(
            actor, episode, AuditAction.UPDATE, changes={"found_at": [None, str(found_at)]}
        )
        if where_found.strip():
            where_found_recorded.send(MissingEpisode, episode=episode, actor=actor, now=now)
    return episode


def record_return_interview(
    actor: Any,
    episode: MissingEpisode,
    *,
    offered_at: datetime,
    outcome: str,
    held_at: datetime | None,
    notes: str,
    now: datetime,
) -> ReturnInterview:
    """Record the return home interview offered after a missing episode and its outcome.
    Refuses an episode with no return yet, an offer or interview before the return, one held
    without a time, and a second record for the same episode."""
    if episode.found_at is None:
        raise ChildRecordRefused("Record when the child was found first", "offered_at")
    if hasattr(episode, "return_interview"):
        raise ChildRecordRefused("A return home interview is already recorded", "offered_at")
    if offered_at < episode.found_at:
        raise ChildRecordRefused("The offer must be after the child returned", "offered_at")
    if outcome == InterviewOutcome.DONE:
        if held_at is None:
            raise ChildRecordRefused("Enter when the interview was held", "held_at")
        if held_at < episode.found_at:
            raise ChildRecordRefused("The interview must be after the child returned", "held_at")
        if held_at > now:
            raise ChildRecordRefused("The interview time must be now or in the past", "held_at")
    with transaction.atomic():
        interview = ReturnInterview.objects.create(
            episode=episode,
            offered_at=offered_at,
            outcome=outcome,
            held_at=held_at if outcome == InterviewOutcome.DONE else None,
            notes=notes,
            recorded_by=_user(actor),
        )
        record_change(actor, interview, AuditAction.CREATE)
    return interview


def alert_overdue_return_interviews(now: datetime) -> str:
    """Alert the allocated workers of each child found more than 72 hours ago (in the last 30
    days) with no return home interview recorded. Idempotent: one alert per episode."""
    overdue = MissingEpisode.objects.filter(
        found_at__lte=now - timedelta(hours=RETURN_INTERVIEW_HOURS),
        found_at__gte=now - timedelta(days=30),
        return_interview__isnull=True,
    ).exclude(alerts__kind=AlertKind.INTERVIEW_OVERDUE)
    raised = 0
    for episode in overdue.select_related("child"):
        with transaction.atomic():
            emails = sorted(
                set(
                    User.objects.filter(
                        child_allocations__child=episode.child,
                        child_allocations__ended_on__isnull=True,
                        is_active=True,
                    )
                    .exclude(email="")
                    .values_list("email", flat=True)
                )
            )
            Alert.objects.create(
                kind=AlertKind.INTERVIEW_OVERDUE,
                child=episode.child,
                missing_episode=episode,
                message=f"Return home interview overdue for {episode.child.reference}",
                raised_at=now,
                emailed_to=emails,
            )
            if emails:
                reference = episode.child.reference
                transaction.on_commit(
                    lambda emails=emails, reference=reference: send_mail(
                        "Lantern: return home interview overdue",
                        f"No return home interview is recorded for {reference}, found more "
                        "than 72 hours ago.\nSign in to Lantern to record it.",
                        None,
                        emails,
                    )
                )
            raised += 1
    return f"{raised} overdue return home interview alert{'s' if raised != 1 else ''}"


# --- Services ----------------------------------------------------------------------------------


def refer_to_service(
    actor: Any,
    child: Child,
    *,
    service: Service,
    referred_on: date,
    notes: str = "",
    mace_discussion: MaceDiscussion | None = None,
) -> ServiceReferral:
    """Refer a child to a service. Refuses an inactive service."""
    if not service.is_active:
        raise ChildRecordRefused("This service no longer takes referrals", "service")
    with transaction.atomic():
        referral = ServiceReferral.objects.create(
            child=child,
            service=service,
            referred_on=referred_on,
            notes=notes,
            referred_by=_user(actor),
            mace_discussion=mace_discussion,
        )
        record_change(actor, referral, AuditAction.CREATE)
    return referral


def update_service_referral(
    actor: Any, referral: ServiceReferral, *, status: str, notes: str, expected_version: int
) -> ServiceReferral:
    """Change a service referral's status. Refuses a stale form."""
    with transaction.atomic():
        changes = _changes(referral, {"status": status, "notes": notes})
        referral.status = status
        referral.notes = notes
        save_if_unchanged(referral, expected_version, ["status", "notes"])
        record_change(actor, referral, AuditAction.UPDATE, changes=changes)
    return referral


# --- Meeting members' view ----------------------------------------------------------------------


def meeting_briefs(user: Any, child: Child, today: date) -> list[dict]:
    """What a meeting member (who is not otherwise entitled to the record) sees of a child:
    for each meeting that opens the child to them (see access.meetings_opening_children_to),
    the meeting, the child's items on its agenda (title and partner summary) and the child's
    MACE discussion held that day (agreed level, opinions, summary, outcomes, review date).
    Newest meeting first; [] for a restricted child."""
    from lantern.accounts.access import meetings_opening_children_to

    if child.restricted:
        return []
    meetings = meetings_opening_children_to(user, today)
    episode_ids = [str(pk) for pk in child.missing_episodes.values_list("pk", flat=True)]
    items = (
        AgendaItem.objects.filter(meeting__in=meetings.values("pk"))
        .filter(
            Q(source_type=ContentType.objects.get_for_model(Child), source_id=str(child.pk))
            | Q(
                source_type=ContentType.objects.get_for_model(MissingEpisode),
                source_id__in=episode_ids,
            )
        )
        .select_related("meeting__series")
        .order_by("-meeting__held_on", "position", "pk")
    )
    briefs: dict[int, dict] = {}
    for item in items:
        brief = briefs.setdefault(item.meeting_id, {"meeting": item.meeting, "items": []})
        brief["items"].append(item)
    days = {brief["meeting"].held_on for brief in briefs.values()}
    discussions = {
        d.held_on: d
        for d in MaceDiscussion.objects.filter(child=child, held_on__in=days).prefetch_related(
            "opinions"
        )
    }
    for brief in briefs.values():
        brief["discussion"] = discussions.get(brief["meeting"].held_on)
    return list(briefs.values())


# --- Helpers -----------------------------------------------------------------------------------


def refresh_current_level(child: Child) -> None:
    """Set the child's current level to the latest of their assessments and MACE agreements.
    Called inside the transaction of whatever changed them."""
    points = risk_points(child)
    child.current_level = points[-1][2] if points else ""
    child.current_level_on = points[-1][0] if points else None
    Child.objects.filter(pk=child.pk).update(
        current_level=child.current_level, current_level_on=child.current_level_on
    )


def risk_points(child: Child) -> list[tuple[date, str, str]]:
    """(date, what, level) for every risk assessment and MACE agreed level, oldest first."""
    from lantern.risk.models import RiskAssessment

    points = [
        (a.assessed_on, a.pk, f"{a.version.tool.name}", a.level)
        for a in RiskAssessment.objects.filter(child=child).select_related("version__tool")
    ]
    points += [
        (d.held_on, d.pk, "MACE agreed level", d.agreed_level)
        for d in MaceDiscussion.objects.filter(child=child)
    ]
    points.sort(key=lambda p: (p[0], p[2] == "MACE agreed level", p[1]))
    return [(day, what, level) for day, _, what, level in points]


def level_is_at_least(level: str | None, floor: str) -> bool:
    # "Not known" has no rank: it is at least nothing.
    return level in LEVEL_RANK and LEVEL_RANK[level] >= LEVEL_RANK[floor]


def _check_found(reported_at, found_at, where_found, now) -> None:
    if found_at is None:
        return
    if found_at < reported_at:
        raise ChildRecordRefused("The time found must be after the time reported", "found_at")
    if found_at > now:
        raise ChildRecordRefused("The time found must be now or in the past", "found_at")
    if not where_found.strip():
        raise ChildRecordRefused("Enter where the child was found", "where_found")


def _raise_missing_alert(episode: MissingEpisode, now: datetime) -> Alert:
    on_call = User.objects.filter(is_active=True, role_assignments__role__in=ON_CALL_ROLES).exclude(
        email=""
    )
    emails = sorted(set(on_call.values_list("email", flat=True)))
    message = (
        f"High-risk CSE missing episode: {episode.child.reference} reported missing at "
        f"{episode.reported_at:%d %B %Y %H:%M}"
    )
    alert = Alert.objects.create(
        kind=AlertKind.HIGH_RISK_MISSING,
        child=episode.child,
        missing_episode=episode,
        message=message,
        raised_at=now,
        emailed_to=emails,
    )
    if emails:
        # The email names only the reference: the record itself is behind sign-in.
        transaction.on_commit(
            lambda: send_mail(
                "Lantern: high-risk missing episode",
                f"{message}.\nSign in to Lantern to see the child's record.",
                None,
                emails,
            )
        )
    return alert


def _changes(obj: Any, fields: dict) -> dict:
    result = {}
    for name, value in fields.items():
        old = getattr(obj, name)
        if old != value:
            result[name] = [str(old), str(value)]
    return result


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 2, 28)


def _user(actor: Any) -> User:
    return actor.user if hasattr(actor, "user") else actor
