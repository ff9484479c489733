"""Every count on the children home panel is the length of the list it links to (issue 26:
the home page said 9 MACE reviews due while the list showed 13)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.children import services
from lantern.children.tests import factories as f
from lantern.core.testing import make_user, sign_in

pytestmark = pytest.mark.django_db


def _home_count(body: str, label: str) -> int:
    return int(re.search(rf">{label}</a>: (\d+)", body).group(1))


def test_the_mace_reviews_due_count_is_the_list_it_links_to(client):
    worker = sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    today = timezone.localdate()
    for days in (-20, -3, 0, 5, 13):  # overdue, due today and coming due in the fortnight
        child = f.make_child(by=worker)
        f.make_mace(
            child, held_on=today - timedelta(days=30), review_on=today + timedelta(days=days)
        )
    restricted = f.make_child(by=worker, restricted=True)  # outside this worker's circle
    f.make_mace(restricted, held_on=today - timedelta(days=30), review_on=today)

    listed = client.get("/children/mace/reviews-due/").context["children"]
    home = client.get("/").content.decode()

    assert _home_count(home, "MACE reviews due") == len(listed) == 5


def test_the_caseload_and_alert_counts_are_the_lists_they_link_to(client):
    worker = sign_in(client, make_user(Role.CSE_SOCIAL_WORKER))
    mine = [f.make_child(by=worker), f.make_child(by=worker, open_episode=False)]
    f.make_child(by=worker)  # not allocated to this worker
    f.make_child(by=worker, restricted=True)  # outside this worker's circle
    for child in mine:
        services.allocate_worker(
            worker, child, worker=worker, role="specialist", started_on=timezone.localdate()
        )
    home = client.get("/").content.decode()
    caseload_link = re.search(r'href="([^"]*)">Caseload</a>', home).group(1).replace("&amp;", "&")
    listed = client.get(caseload_link).context["full_count"]
    assert int(re.search(r"Caseload</a>: (\d+)", home).group(1)) == listed == 2

    alerts_link = re.search(r'href="([^"]*)">Alerts</a>', home).group(1)
    alerts = client.get(alerts_link).context["alerts"]
    assert int(re.search(r"Alerts</a> in the last 7 days: (\d+)", home).group(1)) == len(alerts)
