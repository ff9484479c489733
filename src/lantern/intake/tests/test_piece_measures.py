"""The measures count pieces of information (strands), and the members' protocol's queries."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lantern.accounts.roles import Role
from lantern.core.periods import Period
from lantern.core.testing import make_user
from lantern.intake import measures, protocol, strands
from lantern.intake.models import Source
from lantern.intake.tests.factories import make_submission, move_to
from lantern.performance import registry

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)  # 2026/27 Q3
START, END = datetime(2026, 10, 1, tzinfo=LONDON), datetime(2027, 1, 1, tzinfo=LONDON)


def test_a_document_split_in_three_counts_as_three_pieces_received():
    officer = make_user(Role.POLICE_INTELLIGENCE)
    document = move_to(make_submission(source=Source.COUNCILLOR, now=NOW), "assigned", officer)
    strands.split_submission(
        officer,
        document,
        strands=[strands.NewStrand(summary=f"S{n}", partner_summary=f"S{n}") for n in range(3)],
        expected_version=document.version,
        now=NOW,
    )
    make_submission(source=Source.PARTNER, now=NOW)

    assert measures.pieces_received(START, END) == 4
    assert measures.new_submissions_by_source(START, END)[Source.COUNCILLOR] == 3
    figure = registry.computed_measure("pursue-pieces-received").compute(Period.parse("2026/27-Q3"))
    assert figure == 4


def test_queries_by_stage_and_the_median_days_to_a_first_answer():
    councillor = make_user(Role.COUNCILLOR)
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    answered = protocol.raise_query(
        councillor, make_submission(councillor, now=NOW), text="One", now=NOW
    )
    protocol.answer_query(
        analyst, answered, text="Done", expected_version=answered.version, now=NOW + timedelta(2)
    )
    late = protocol.raise_query(
        councillor, make_submission(councillor, now=NOW), text="Two", now=NOW
    )
    protocol.escalate_overdue_queries(late.stage_due_at + timedelta(hours=1))

    assert measures.queries_by_stage(START, END) == {1: 1, 2: 1, 3: 0}
    assert measures.median_days_to_first_answer(START, END) == 2.0
    quarter = Period.parse("2026/27-Q3")
    assert registry.computed_measure("participation-queries-stage-2").compute(quarter) == 1
