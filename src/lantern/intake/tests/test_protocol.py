"""The members' protocol as a service: stages, deadlines, escalation by the tick, the trace."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lantern.accounts.roles import Role
from lantern.core import periodic
from lantern.core.errors import EditConflict
from lantern.core.testing import make_user
from lantern.intake import protocol
from lantern.intake.models import MemberQuery, QueryStatus, Source, TraceKind
from lantern.intake.tests.factories import make_submission

pytestmark = pytest.mark.django_db

# A Monday morning, so the working-day deadlines are easy to read.
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def _councillor_item():
    councillor = make_user(Role.COUNCILLOR)
    item = make_submission(councillor, source=Source.COUNCILLOR, now=MONDAY - timedelta(days=20))
    return councillor, item


def test_a_query_starts_at_stage_one_with_a_five_working_day_deadline_on_the_trace():
    councillor, item = _councillor_item()

    query = protocol.raise_query(councillor, item, text="Nobody has told me anything.", now=MONDAY)

    assert query.stage == 1 and query.status == QueryStatus.OPEN
    assert query.stage_due_at == MONDAY + timedelta(days=7)  # Monday a week on
    event = item.trace.filter(kind=TraceKind.QUERY).get()
    assert "stage 1" in event.summary and event.reason == "Nobody has told me anything."


def test_an_empty_query_is_refused_by_the_field():
    councillor, item = _councillor_item()

    with pytest.raises(protocol.QueryRefused) as refused:
        protocol.raise_query(councillor, item, text="   ", now=MONDAY)

    assert refused.value.field == "text"
    assert not MemberQuery.objects.exists()


def test_a_reporter_cannot_raise_a_query_about_someone_elses_item():
    _, item = _councillor_item()
    other = make_user(Role.COUNCILLOR)

    with pytest.raises(protocol.QueryRefused):
        protocol.raise_query(other, item, text="What happened?", now=MONDAY)


def test_a_second_open_query_on_the_same_item_is_refused():
    councillor, item = _councillor_item()
    protocol.raise_query(councillor, item, text="First", now=MONDAY)

    with pytest.raises(protocol.QueryRefused):
        protocol.raise_query(councillor, item, text="Second", now=MONDAY)


def test_the_tick_moves_an_unanswered_query_to_stage_two_only_after_its_deadline():
    councillor, item = _councillor_item()
    query = protocol.raise_query(councillor, item, text="Any news?", now=MONDAY)

    before = protocol.escalate_overdue_queries(query.stage_due_at - timedelta(minutes=1))
    query.refresh_from_db()
    assert query.stage == 1 and before.startswith("0 queries moved")

    later = query.stage_due_at + timedelta(minutes=1)
    protocol.escalate_overdue_queries(later)
    query.refresh_from_db()
    assert query.stage == 2 and query.status == QueryStatus.OPEN
    assert query.stage_due_at > later
    moved = item.trace.filter(kind=TraceKind.QUERY, summary__contains="stage 2").get()
    assert "not answered by the stage 1 deadline" in moved.summary

    # Idempotent: the same tick again changes nothing.
    again = protocol.escalate_overdue_queries(later)
    query.refresh_from_db()
    assert query.stage == 2 and again.startswith("0 queries moved")


def test_the_tick_runs_the_escalation_as_a_registered_job():
    councillor, item = _councillor_item()
    query = protocol.raise_query(councillor, item, text="Any news?", now=MONDAY)

    out = periodic.run_all(query.stage_due_at + timedelta(days=1))

    query.refresh_from_db()
    assert query.stage == 2
    assert "1 queries moved" in dict(out)["intake-member-queries"]


def test_a_query_overdue_at_stage_three_stays_there():
    councillor, item = _councillor_item()
    query = protocol.raise_query(councillor, item, text="Any news?", now=MONDAY)
    now = MONDAY
    for _ in range(4):
        query.refresh_from_db()
        now = query.stage_due_at + timedelta(hours=1)
        summary = protocol.escalate_overdue_queries(now)

    query.refresh_from_db()
    assert query.stage == 3
    assert summary.endswith("1 overdue at the last stage")


def test_each_stage_is_answered_only_by_its_people():
    from lantern.accounts.access import can

    councillor, item = _councillor_item()
    query = protocol.raise_query(councillor, item, text="Any news?", now=MONDAY)
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    manager = make_user(Role.PARTNERSHIP_MANAGER)
    chair = make_user(Role.BOARD_MEMBER)

    assert can(analyst, "answer", query) and not can(manager, "answer", query)
    query.stage = 2
    assert can(manager, "answer", query) and not can(analyst, "answer", query)
    assert can(make_user(Role.POLICE_SUPERVISOR), "answer", query)
    query.stage = 3
    assert can(chair, "answer", query) and not can(manager, "answer", query)
    assert not can(councillor, "answer", query)


def test_an_answer_goes_on_the_trace_and_the_reporter_can_take_it_further():
    councillor, item = _councillor_item()
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    query = protocol.raise_query(councillor, item, text="Any news?", now=MONDAY)

    protocol.answer_query(
        analyst,
        query,
        text="Your report is with the tasking group.",
        expected_version=query.version,
        now=MONDAY + timedelta(days=1),
    )
    assert query.status == QueryStatus.ANSWERED
    assert item.trace.filter(summary__startswith="Query answered at stage 1").exists()
    # An answered query is not escalated by the tick, however late.
    protocol.escalate_overdue_queries(MONDAY + timedelta(days=60))
    query.refresh_from_db()
    assert query.stage == 1

    protocol.take_to_next_stage(
        councillor,
        query,
        reason="That tells me nothing.",
        expected_version=query.version,
        now=MONDAY + timedelta(days=2),
    )
    query.refresh_from_db()
    assert query.stage == 2 and query.status == QueryStatus.OPEN
    assert item.trace.filter(summary__contains="the reporter asked for the next stage").exists()


def test_taking_an_unanswered_query_further_or_with_no_reason_is_refused():
    councillor, item = _councillor_item()
    query = protocol.raise_query(councillor, item, text="Any news?", now=MONDAY)

    with pytest.raises(protocol.QueryRefused):
        protocol.take_to_next_stage(
            councillor, query, reason="Still waiting", expected_version=query.version, now=MONDAY
        )
    with pytest.raises(protocol.QueryRefused) as refused:
        protocol.take_to_next_stage(
            councillor, query, reason="", expected_version=query.version, now=MONDAY
        )
    assert refused.value.field == "reason"


def test_an_answer_from_a_stale_form_is_a_conflict_not_an_overwrite():
    councillor, item = _councillor_item()
    query = protocol.raise_query(councillor, item, text="Any news?", now=MONDAY)
    opened_at = query.version
    protocol.escalate_overdue_queries(query.stage_due_at + timedelta(hours=1))  # moved on

    with pytest.raises(EditConflict):
        protocol.answer_query(
            make_user(Role.POLICE_INTELLIGENCE),
            query,
            text="Late answer",
            expected_version=opened_at,
            now=MONDAY + timedelta(days=8),
        )
    assert not query.answers.exists()


def test_the_reporter_closes_an_answered_query():
    councillor, item = _councillor_item()
    query = protocol.raise_query(councillor, item, text="Any news?", now=MONDAY)
    protocol.answer_query(
        make_user(Role.POLICE_INTELLIGENCE),
        query,
        text="It was acted on.",
        expected_version=query.version,
        now=MONDAY,
    )

    protocol.close_query(councillor, query, expected_version=query.version, now=MONDAY)

    query.refresh_from_db()
    assert query.status == QueryStatus.CLOSED
    with pytest.raises(protocol.QueryRefused):
        protocol.answer_query(
            make_user(Role.POLICE_INTELLIGENCE),
            query,
            text="More",
            expected_version=query.version,
            now=MONDAY,
        )
