"""Strands: splitting a submission, roll-up, merging, and conclusion following the tasking work."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from lantern.accounts.models import AgencyKind
from lantern.accounts.roles import Role
from lantern.core.errors import EditConflict
from lantern.core.testing import AgencyFactory, make_user
from lantern.intake import services, strands
from lantern.intake.models import (
    FeedbackKind,
    FeedbackMessage,
    Outcome,
    Source,
    Status,
    Submission,
    TraceKind,
)
from lantern.intake.services import TransitionRefused
from lantern.intake.strands import NewStrand, StrandRefused
from lantern.intake.tests.factories import make_submission, move_to
from lantern.tasking import services as tasking
from lantern.tasking.models import ItemStatus, MeetingType

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 2)


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _document(officer, councillor=None):
    submission = make_submission(
        councillor or "test",
        now=at(MONDAY - timedelta(days=6)),
        source=Source.COUNCILLOR,
        narrative="Three things: a car outside the school, a flat in Mill Road, a phone number.",
        vehicles=["AB12 CDE"],
        phones=["07700 900123"],
        contact_email="cllr@example.org",
    )
    return move_to(submission, "assigned", officer, now=at(MONDAY - timedelta(days=5)))


def _three_strands(submission):
    vehicle = submission.vehicles.get().pk
    phone = submission.phones.get().pk
    return [
        NewStrand(
            "Car outside the school at home time", "A car seen near a school", vehicles=[vehicle]
        ),
        NewStrand("Young people going into a flat", "Concern about a flat"),
        NewStrand("A phone number given to a child", "A phone number", phones=[phone]),
    ]


def _split(officer, submission):
    return strands.split_submission(
        officer,
        submission,
        strands=_three_strands(submission),
        expected_version=submission.version,
        now=at(MONDAY - timedelta(days=4)),
    )


@pytest.fixture
def officer():
    police = AgencyFactory(name="Test police", kind=AgencyKind.POLICE)
    return make_user(Role.POLICE_INTELLIGENCE, agency=police)


def test_a_split_makes_strands_and_keeps_the_document_whole(officer):
    document = _document(officer)

    made = _split(officer, document)

    document.refresh_from_db()
    assert [s.reference for s in made] == [f"{document.reference}-S{n}" for n in (1, 2, 3)]
    assert document.narrative.startswith("Three things")
    assert not document.is_piece
    assert all(s.original_id == document.pk and s.is_piece for s in made)
    assert made[0].vehicles.get().registration == "AB12CDE"
    assert not made[1].vehicles.exists()
    assert made[2].phones.get().e164 == "+447700900123"
    assert made[0].status == Status.ASSIGNED and made[0].assigned_to == officer
    assert document.trace.filter(kind=TraceKind.SPLIT).count() == 1
    assert strands.pieces_of_information().count() == 3


def test_a_split_with_fewer_than_two_strands_or_no_summary_saves_nothing(officer):
    document = _document(officer)
    with pytest.raises(StrandRefused, match="at least two strands"):
        strands.split_submission(
            officer, document, strands=[], expected_version=document.version, now=at(MONDAY)
        )
    with pytest.raises(StrandRefused, match="strand 2 is about") as refused:
        strands.split_submission(
            officer,
            document,
            strands=[NewStrand("One", "one"), NewStrand("", "two")],
            expected_version=document.version,
            now=at(MONDAY),
        )
    assert refused.value.field == "s2-summary"
    assert Submission.objects.count() == 1
    document.refresh_from_db()
    assert document.is_piece


def test_a_stale_split_form_is_a_conflict_and_makes_no_strands(officer):
    document = _document(officer)
    stale = document.version
    move_to(document, "graded", officer)

    with pytest.raises(EditConflict):
        strands.split_submission(
            officer,
            document,
            strands=_three_strands(document),
            expected_version=stale,
            now=at(MONDAY),
        )
    assert Submission.objects.count() == 1


def test_a_split_document_cannot_be_worked_itself(officer):
    document = _document(officer)
    _split(officer, document)
    document.refresh_from_db()
    with pytest.raises(TransitionRefused, match="split into strands"):
        move_to(document, "graded", officer)


def test_the_document_status_rolls_up_from_its_strands(officer):
    document = _document(officer)
    first, second, third = _split(officer, document)
    move_to(first, "concluded", officer, decision="record_only")
    move_to(second, "decided", officer, decision="social_care")
    document.refresh_from_db()
    assert document.status == Status.ASSIGNED  # the third is still only assigned

    move_to(third, "concluded", officer, decision="social_care")
    second.refresh_from_db()
    services.conclude_submission(
        officer, second, expected_version=second.version, notes="Referred", now=timezone.now()
    )

    document.refresh_from_db()
    assert document.status == Status.CONCLUDED
    assert document.outcome == Outcome.ACTED_ON
    assert document.trace.filter(kind=TraceKind.CONCLUDED).exists()


def test_a_strand_that_duplicates_another_item_is_merged(officer):
    earlier = move_to(make_submission(), "graded", officer)
    document = _document(officer)
    first, second, third = _split(officer, document)

    strands.merge_strand(
        officer,
        second,
        into=earlier,
        reason="Same flat, same week",
        expected_version=second.version,
        now=at(MONDAY),
    )

    second.refresh_from_db()
    assert second.outcome == Outcome.MERGED and not second.is_piece
    assert earlier.trace.filter(kind=TraceKind.MERGED).exists()
    assert strands.pieces_of_information().count() == 3  # earlier, first, third
    with pytest.raises(StrandRefused, match="not a piece of information"):
        strands.merge_strand(
            officer,
            third,
            into=document,
            reason="x",
            expected_version=third.version,
            now=at(MONDAY),
        )
    with pytest.raises(StrandRefused, match="Say why"):
        strands.merge_strand(
            officer, third, into=earlier, reason=" ", expected_version=third.version, now=at(MONDAY)
        )


# --- Conclusion follows the tasking work ----------------------------------------------------


def _tasking_world():
    police = AgencyFactory(name="Test police", kind=AgencyKind.POLICE)
    licensing = AgencyFactory(name="Test licensing", kind=AgencyKind.LICENSING)
    chair = make_user(Role.POLICE_SUPERVISOR, agency=police)
    officer = make_user(Role.POLICE_INTELLIGENCE, agency=police)
    worker = make_user(Role.PARTNER_PRACTITIONER, agency=licensing)
    series = tasking.create_series(
        chair,
        name="Northmere tasking group",
        meeting_type=MeetingType.TASKING_GROUP,
        first_meeting_on=MONDAY,
        frequency_days=7,
        chair=chair,
        member_agencies=[police, licensing],
    )
    tasking.generate_meetings(chair, series, until=MONDAY + timedelta(days=7))
    return chair, officer, worker, licensing, series


def test_acted_on_is_refused_while_tasking_work_is_open_and_allowed_when_it_closes():
    chair, officer, worker, licensing, series = _tasking_world()
    first_meeting, second_meeting = series.meetings.order_by("held_on")
    strand = move_to(
        make_submission(now=at(MONDAY - timedelta(days=4)), contact_email="r@example.org"),
        "decided",
        officer,
        now=at(MONDAY - timedelta(days=3)),
    )
    tasking.build_agenda(chair, first_meeting, now=at(MONDAY, 8))
    item = first_meeting.items.get(title__startswith=strand.reference)
    action = tasking.create_action(
        chair,
        title="Visit the premises",
        owning_agency=licensing,
        owner=worker,
        due_on=MONDAY + timedelta(days=5),
        now=at(MONDAY, 10),
        route=MeetingType.TASKING_GROUP,
        origin=item,
        meeting=first_meeting,
    )
    tasking.record_item(
        chair,
        item,
        expected_version=item.version,
        discussion="Licensing know the premises.",
        decisions="Licensing to visit this week.",
        outcome=ItemStatus.KEPT_ON,
        now=at(MONDAY, 11),
    )

    strand.refresh_from_db()
    with pytest.raises(TransitionRefused) as refused:
        services.conclude_submission(
            officer, strand, expected_version=strand.version, notes="Done", now=at(MONDAY, 12)
        )
    assert "Visit the premises" in str(refused.value)
    assert "kept on the schedule" in str(refused.value)

    tasking.complete_action(
        worker,
        action,
        expected_version=action.version,
        result="Visited",
        now=at(MONDAY + timedelta(1)),
    )
    tasking.build_agenda(chair, second_meeting, now=at(MONDAY + timedelta(days=7), 8))
    carried = second_meeting.items.get(title__startswith=strand.reference)
    tasking.record_item(
        chair,
        carried,
        expected_version=carried.version,
        discussion="No further concerns.",
        decisions="Close.",
        outcome=ItemStatus.CLOSED,
        closure_reason="eliminated",
        rationale="Premises visited; no young people present since.",
        now=at(MONDAY + timedelta(days=7), 11),
    )

    trace = list(strand.trace.values_list("kind", "summary"))
    agenda = [s for k, s in trace if k == TraceKind.AGENDA]
    assert agenda[0].endswith("kept on the schedule")
    assert agenda[1].endswith("closed (risk eliminated)")
    assert any("ready for the officer" in s for k, s in trace)
    strand.refresh_from_db()
    assert services.send_due_feedback(at(MONDAY + timedelta(days=7), 12)).startswith("0 ack")
    services.conclude_submission(
        officer,
        strand,
        expected_version=strand.version,
        notes="Premises visited; risk eliminated.",
        now=at(MONDAY + timedelta(days=7), 13),
    )
    services.send_due_feedback(at(MONDAY + timedelta(days=7), 14))
    message = FeedbackMessage.objects.get(submission=strand, kind=FeedbackKind.CONCLUSION)
    assert "acted on" in message.body


def test_an_outcome_needs_its_wording_confirmed(officer):
    strand = move_to(make_submission(), "decided", officer, decision="record_only")
    with pytest.raises(services.IntakeError, match="outcome wording"):
        services.conclude_submission(
            officer, strand, expected_version=strand.version, notes=" ", now=timezone.now()
        )


def test_significant_intelligence_goes_to_the_supervisor_and_the_next_agenda():
    chair, officer, worker, licensing, series = _tasking_world()
    meeting = series.meetings.order_by("held_on").first()
    strand = move_to(make_submission(now=at(MONDAY - timedelta(days=4))), "graded", officer)
    with pytest.raises(StrandRefused, match="Say why"):
        strands.flag_significant(
            officer, strand, reason=" ", expected_version=strand.version, now=at(MONDAY, 7)
        )

    strands.flag_significant(
        officer,
        strand,
        reason="Names an adult seen with several missing children",
        expected_version=strand.version,
        now=at(MONDAY - timedelta(days=1)),
    )

    assert list(strands.significant_queue()) == [strand]
    assert strand.trace.filter(kind=TraceKind.SIGNIFICANT).exists()
    tasking.build_agenda(chair, meeting, now=at(MONDAY, 8))
    item = meeting.items.get(title__startswith=strand.reference)
    assert item.reason.startswith("Flagged as significant intelligence")
