"""The caseload's filters, counts and order say nothing about a restricted child outside the
reader's circle: it shows only that it exists, whatever is asked (issue 21)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.children import services
from lantern.children.tests import factories as f
from lantern.core.testing import make_user, sign_in
from lantern.risk.levels import RiskLevel

pytestmark = pytest.mark.django_db

FILTERS = [
    "",
    "?status=open",
    "?status=closed",
    "?status=approaching_18",
    "?status=all",
    "?status=all&level=high",
    "?status=all&level=low",
    "?status=all&level=medium",
    "?status=open&level=high",
    "?status=closed&level=low",
    "?status=approaching_18&level=high",
]


def _nearly_eighteen() -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - 18) + timedelta(days=40)


@pytest.fixture
def caseload():
    """A restricted child who is high risk, nearly 18, open, with the first surname in the
    alphabet; and two ordinary children that differ from it in every filtered way."""
    owner = make_user(Role.CSE_SOCIAL_WORKER)
    hidden = f.make_child(
        by=owner,
        first_name="Secret",
        last_name="Aardvark",
        restricted=True,
        dob=_nearly_eighteen(),
        current_level=RiskLevel.HIGH,
    )
    services.allocate_worker(owner, hidden, worker=owner, role="specialist", started_on=f.TODAY)
    low = f.make_child(
        by=owner,
        first_name="Lowan",
        last_name="Middleton",
        current_level=RiskLevel.LOW,
        open_episode=False,
    )
    medium = f.make_child(
        by=owner,
        first_name="Meddy",
        last_name="Zephyr",
        current_level=RiskLevel.MEDIUM,
    )
    return {"hidden": hidden, "low": low, "medium": medium}


def _references(page: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"CH-T\d{5}", page)))


def test_every_filter_lists_the_restricted_record_the_same_way(client, caseload):
    # The attack: as the MACE chair, ?level=high and ?status=approaching_18 listed the
    # restricted child and ?level=low did not, so the filters told its level and age.
    sign_in(client, make_user(Role.MACE_CHAIR))
    hidden = caseload["hidden"].reference
    for query in FILTERS:
        page = client.get(f"/children/{query}").content.decode()
        assert hidden in page, query
        assert "Secret" not in page and "Aardvark" not in page, query


def test_the_restricted_record_is_listed_after_the_others_whatever_its_surname(client, caseload):
    # Sorted by surname, "Aardvark" came first and told where the surname falls.
    sign_in(client, make_user(Role.MACE_CHAIR))
    page = client.get("/children/?status=all").content.decode()
    refs = _references(page)
    assert refs[-1] == caseload["hidden"].reference
    assert refs[:-1] == [caseload["low"].reference, caseload["medium"].reference]


def test_the_count_does_not_move_with_the_restricted_records_details(client, caseload):
    sign_in(client, make_user(Role.MACE_CHAIR))
    high = client.get("/children/?status=all&level=high").content.decode()
    low = client.get("/children/?status=all&level=low").content.decode()
    assert "1 restricted record" in high and "1 restricted record" in low
    assert "0 children" in high  # no child the reader may see in full is high risk
    assert "1 child " in low or "1 child<" in low


def test_the_name_search_finds_only_what_the_reader_may_see(client, caseload):
    sign_in(client, make_user(Role.MACE_CHAIR))
    page = client.get("/children/?status=all&q=Aardvark").content.decode()
    assert "Secret" not in page  # (the search box keeps "Aardvark" as typed)
    other = client.get("/children/?status=all&q=Zephyr").content.decode()
    # Listed as existing in every result, the same as for any other search.
    assert caseload["hidden"].reference in page and caseload["hidden"].reference in other


def test_inside_the_circle_the_filters_work_on_the_restricted_record(client, caseload):
    sign_in(client, caseload["hidden"].created_by)
    high = client.get("/children/?status=all&level=high").content.decode()
    low = client.get("/children/?status=all&level=low").content.decode()
    assert "Aardvark" in high
    assert caseload["hidden"].reference not in low
    refs = _references(client.get("/children/?status=all").content.decode())
    assert refs[0] == caseload["hidden"].reference  # sorted by surname like any other


def test_the_mace_due_list_does_not_reveal_a_restricted_review(client, caseload):
    hidden = caseload["hidden"]
    f.make_mace(
        hidden,
        held_on=timezone.localdate() - timedelta(days=80),
        review_on=timezone.localdate() + timedelta(days=3),
    )
    sign_in(client, make_user(Role.MACE_CHAIR))
    page = client.get("/children/mace/reviews-due/").content.decode()
    assert hidden.reference not in page
