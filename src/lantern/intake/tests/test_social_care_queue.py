"""The social care queue shows the work still to do, urgent and oldest first, against a target.

The defect: every referral ever made stayed in the queue with "Record as a contact", concluded
ones too, newest first, with no filter and no clock.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.children.tests.factories import make_child
from lantern.core.testing import make_user, sign_in
from lantern.intake import children_links
from lantern.intake.models import Route, Status, Submission
from lantern.intake.tests.factories import make_submission

pytestmark = pytest.mark.django_db

MONDAY_9 = timezone.make_aware(datetime(2026, 3, 2, 9, 0))


def referral(at, **fields):
    fields.setdefault("narrative", "A pupil is collected by older men after school.")
    return make_submission(route=Route.SPECIFIC_CHILD, now=at, **fields)


def references(body: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"LAN-\d{4}-\d{6}", body)))


@pytest.fixture
def queue():
    worker = make_user(Role.CSE_SOCIAL_WORKER)
    old = referral(MONDAY_9 - timedelta(days=7))
    new = referral(MONDAY_9 - timedelta(days=1))
    urgent = make_submission(
        route=Route.IMMEDIATE_DANGER, now=MONDAY_9 - timedelta(hours=2), narrative="Now."
    )
    Submission.objects.filter(pk=urgent.pk).update(decision="social_care")
    recorded = referral(MONDAY_9 - timedelta(days=10))
    children_links.record_contact_from_submission(
        worker, recorded, make_child(by=worker), summary="x", now=MONDAY_9
    )
    concluded = referral(MONDAY_9 - timedelta(days=9))
    Submission.objects.filter(pk=concluded.pk).update(
        status=Status.CONCLUDED, concluded_at=MONDAY_9
    )
    return {
        "worker": worker,
        "old": old,
        "new": new,
        "urgent": urgent,
        "recorded": recorded,
        "concluded": concluded,
    }


def test_the_queue_shows_only_work_still_to_do_urgent_then_oldest_first(client, queue):
    sign_in(client, queue["worker"])
    body = client.get(reverse("intake:social-care-queue")).content.decode()
    assert references(body) == [
        queue["urgent"].reference,
        queue["old"].reference,
        queue["new"].reference,
    ]
    assert "3 referrals: still to do" in body


@pytest.mark.parametrize(
    ("show", "expected"),
    [("recorded", ["recorded"]), ("concluded", ["concluded"])],
)
def test_a_filter_shows_the_rest(client, queue, show, expected):
    sign_in(client, queue["worker"])
    body = client.get(reverse("intake:social-care-queue"), {"show": show}).content.decode()
    assert references(body) == [queue[name].reference for name in expected]
    assert "Record as a contact" not in body


def test_all_shows_every_referral(client, queue):
    sign_in(client, queue["worker"])
    body = client.get(reverse("intake:social-care-queue"), {"show": "all"}).content.decode()
    assert len(references(body)) == 5


def test_each_referral_has_a_clock_against_its_target(client, queue):
    sign_in(client, queue["worker"])
    body = client.get(reverse("intake:social-care-queue")).content.decode()
    assert "Due" in body and "(1 working day)" in body and "(1 hour)" in body
    assert "overdue" in body


def test_the_clock_counts_working_days_and_stops_when_the_contact_is_recorded(queue):
    friday = timezone.make_aware(datetime(2026, 3, 6, 16, 0))
    item = referral(friday)
    monday = timezone.make_aware(datetime(2026, 3, 9, 10, 0))
    clock = children_links.social_care_clock(item, monday)
    assert not clock.overdue  # the weekend is not a working day
    assert clock.due.date() == monday.date()
    later = children_links.social_care_clock(item, monday + timedelta(days=3), recorded_at=monday)
    assert later.waited == monday - friday and not later.overdue


@pytest.mark.parametrize("bad", ["everything", "<script>", "to_do'"])
def test_a_bad_filter_is_explained_by_the_filter_not_a_server_error(client, queue, bad):
    sign_in(client, queue["worker"])
    response = client.get(reverse("intake:social-care-queue"), {"show": bad})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Choose which referrals to show from the list" in body
    assert 'href="#id_show"' in body and 'id="id_show-error"' in body
    assert references(body) == []
    assert "<script>" not in body.split("<main", 1)[1]


def test_the_page_of_a_long_queue_is_the_same_filter(client, queue):
    sign_in(client, queue["worker"])
    response = client.get(reverse("intake:social-care-queue"), {"show": "all", "page": "99"})
    assert response.status_code == 200
