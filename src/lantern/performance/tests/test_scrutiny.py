"""The one-page scrutiny summary per quarter and the scrutiny forward plan."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.core.periods import Period
from lantern.core.testing import make_user, sign_in
from lantern.performance import scrutiny, services, summary
from lantern.performance.models import ScrutinyItem
from lantern.performance.tests.helpers import DECEMBER_2014, make_measure, put

pytestmark = pytest.mark.django_db
Q2 = Period.parse("2014/15-Q2")


@pytest.fixture
def quarter():
    trained = make_measure(
        "Staff trained", priority="prevent", polarity="up", target=30, section="Training"
    )
    put(trained, "2014/15-Q1", 35)
    put(trained, "2014/15-Q2", 22)
    arrests = make_measure("Arrests", polarity="up")
    put(arrests, "2014/15-Q1", 10)
    put(arrests, "2014/15-Q2", 14)
    from lantern.plans import services as plans

    strategy = plans.create_strategy("test", name="Plan 2014-17", start_year=2014, end_year=2017)
    objective = plans.save_objective(
        "test", strategy, priority=strategy.priorities.first(), ref="1.1", title="Lead well"
    )
    plans.create_action(
        "test", objective, text="Agree the protocol", lead=None, due=date(2014, 8, 1)
    )
    plans.create_action("test", objective, text="Due later", lead=None, due=date(2015, 1, 1))
    services.publish_report(
        make_user(Role.PERFORMANCE_OFFICER), Q2, now=DECEMBER_2014, accept_gaps=True
    )


def test_the_one_page_summary_gives_headlines_exceptions_and_overdue_actions(quarter):
    page = scrutiny.one_page_summary(Q2, summary.AGGREGATE)

    headlines = {h["row"].measure: h["direction"] for h in page["headlines"]}
    assert headlines["Staff trained"] == "Down"
    assert headlines["Arrests"] == "Up"
    assert len(page["headlines"]) <= 3 * 6  # at most three per priority: one page
    assert [row.measure for row in page["exceptions"]] == ["Staff trained"]
    assert [a.text for a in page["overdue"]] == ["Agree the protocol"]
    assert page["published"] is not None


def test_a_scrutiny_member_reads_the_summary_on_one_page(client, quarter):
    sign_in(client, make_user(Role.SCRUTINY_MEMBER))

    page = client.get(reverse("performance:scrutiny") + "?period=2014-15-Q2").content.decode()

    assert "Scrutiny summary: 2014/15 Q2 (end of September)" in page
    assert "Exceptions against targets (1)" in page
    assert "Agree the protocol" in page
    assert "Survivors&#x27; feedback" in page or "Survivors' feedback" in page


def test_the_partnership_manager_keeps_the_forward_plan(client):
    sign_in(client, make_user(Role.PARTNERSHIP_MANAGER))

    client.post(
        reverse("performance:forward-plan"),
        {
            "topic": "Support for survivors",
            "meeting_on": "2099-01-14",
            "report": "Post-abuse support update",
            "report_due_on": "2099-01-07",
            "lead": "Head of Commissioning",
        },
    )

    assert ScrutinyItem.objects.filter(topic="Support for survivors").exists()
    page = client.get(reverse("performance:forward-plan")).content.decode()
    assert "Post-abuse support update" in page and "14 January 2099" in page


def test_a_report_due_after_its_meeting_is_refused_by_the_field(client):
    sign_in(client, make_user(Role.PARTNERSHIP_MANAGER))
    page = client.post(
        reverse("performance:forward-plan"),
        {"topic": "Missing children", "meeting_on": "2099-01-14", "report_due_on": "2099-02-01"},
    ).content.decode()
    assert "The report must be due on or before the meeting" in page
    assert 'value="Missing children"' in page


def test_a_scrutiny_member_reads_the_forward_plan_but_cannot_add_to_it(client):
    sign_in(client, make_user(Role.SCRUTINY_MEMBER))
    assert "Add a topic" not in client.get(reverse("performance:forward-plan")).content.decode()
    response = client.post(
        reverse("performance:forward-plan"), {"topic": "x", "meeting_on": "2099-01-01"}
    )
    assert response.status_code == 403
    assert not ScrutinyItem.objects.exists()
