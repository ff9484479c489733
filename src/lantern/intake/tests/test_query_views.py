"""The members' protocol pages, for each role that uses them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.core.testing import make_user, sign_in
from lantern.intake import protocol
from lantern.intake.models import MemberQuery, QueryStatus, Source
from lantern.intake.tests.factories import make_submission, move_to

pytestmark = pytest.mark.django_db


def _councillor_item(**fields):
    councillor = make_user(Role.COUNCILLOR)
    return councillor, make_submission(councillor, source=Source.COUNCILLOR, **fields)


def test_a_councillor_raises_a_query_about_their_own_item(client):
    councillor, item = _councillor_item()
    sign_in(client, councillor)

    response = client.post(
        reverse("intake:raise-query", args=[item.reference]), {"text": "What happened to it?"}
    )

    query = MemberQuery.objects.get()
    assert response.status_code == 302 and response.url == reverse("intake:query", args=[query.pk])
    page = client.get(response.url).content.decode()
    assert "What happened to it?" in page and "Stage 1 of 3" in page


def test_an_empty_query_is_refused_beside_the_field(client):
    councillor, item = _councillor_item()
    sign_in(client, councillor)

    response = client.post(reverse("intake:raise-query", args=[item.reference]), {"text": ""})

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Say what your query or concern is" in page
    assert not MemberQuery.objects.exists()


def test_a_reporter_cannot_open_another_reporters_item_or_query(client):
    _, item = _councillor_item()
    owner = item.submitted_by
    query = protocol.raise_query(owner, item, text="Mine", now=timezone.now())
    sign_in(client, make_user(Role.COUNCILLOR))

    assert client.get(reverse("intake:raise-query", args=[item.reference])).status_code == 404
    assert client.get(reverse("intake:query", args=[query.pk])).status_code == 404
    assert client.get(reverse("intake:detail", args=[item.reference])).status_code == 404


def test_the_reporter_reads_the_answer_in_plain_words_without_the_officers_notes(client):
    councillor, item = _councillor_item(narrative="A car outside the school every evening.")
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    move_to(item, "decided", analyst)
    query = protocol.raise_query(councillor, item, text="Any news?", now=timezone.now())
    sign_in(client, analyst)
    page = client.get(reverse("intake:query", args=[query.pk])).content.decode()
    assert "Send the answer" in page

    client.post(
        reverse("intake:query", args=[query.pk]),
        {"step": "answer", "version": query.version, "text": "It is being acted on."},
    )

    client.logout()
    sign_in(client, councillor)
    page = client.get(reverse("intake:query", args=[query.pk])).content.decode()
    assert "It is being acted on." in page
    assert "Known vehicle; see nominal record." not in page  # research notes
    assert str(analyst) not in page  # the unit answers, not a named officer
    assert "Send the answer" not in page


def test_an_answer_posted_after_the_query_moved_on_is_a_conflict(client):
    councillor, item = _councillor_item()
    query = protocol.raise_query(councillor, item, text="Any news?", now=timezone.now())
    opened_at = query.version
    protocol.escalate_overdue_queries(query.stage_due_at + timezone.timedelta(hours=1))
    sign_in(client, make_user(Role.POLICE_SUPERVISOR))

    response = client.post(
        reverse("intake:query", args=[query.pk]),
        {"step": "answer", "version": opened_at, "text": "A stale answer"},
    )

    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()
    assert not query.answers.exists()


def test_the_partnership_manager_answers_at_stage_two_but_not_stage_one(client):
    councillor, item = _councillor_item()
    query = protocol.raise_query(councillor, item, text="Any news?", now=timezone.now())
    manager = sign_in(client, make_user(Role.PARTNERSHIP_MANAGER))
    assert client.get(reverse("intake:query", args=[query.pk])).status_code == 404

    protocol.escalate_overdue_queries(query.stage_due_at + timezone.timedelta(hours=1))
    listing = client.get(reverse("intake:queries")).content.decode()
    assert item.reference in listing
    query.refresh_from_db()
    client.post(
        reverse("intake:query", args=[query.pk]),
        {"step": "answer", "version": query.version, "text": "We have looked again."},
    )

    query.refresh_from_db()
    assert query.status == QueryStatus.ANSWERED
    assert query.answers.get().answered_by == manager


def test_a_reporter_takes_an_answer_to_the_next_stage_and_cannot_answer_it(client):
    councillor, item = _councillor_item()
    query = protocol.raise_query(councillor, item, text="Any news?", now=timezone.now())
    protocol.answer_query(
        make_user(Role.POLICE_INTELLIGENCE),
        query,
        text="Recorded.",
        expected_version=query.version,
        now=timezone.now(),
    )
    sign_in(client, councillor)

    refused = client.post(
        reverse("intake:query", args=[query.pk]),
        {"step": "answer", "version": query.version, "text": "I answer myself"},
    )
    assert refused.status_code == 404
    client.post(
        reverse("intake:query", args=[query.pk]),
        {"step": "next", "version": query.version, "reason": "Not enough."},
    )

    query.refresh_from_db()
    assert query.stage == 2 and query.status == QueryStatus.OPEN
