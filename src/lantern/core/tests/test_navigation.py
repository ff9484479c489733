"""The service navigation marks exactly one item, the one the page belongs to (issue 23)."""

import pytest

from lantern.accounts.roles import Role
from lantern.core.navigation import items_for
from lantern.core.testing import make_user

pytestmark = pytest.mark.django_db


def current(user, path):
    return [item["label"] for item in items_for(user, path) if item["current"]]


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("/", "Home"),
        ("/intake/", "Report a concern"),
        ("/intake/report/", "Report a concern"),
        ("/intake/queue/", "Intake queue"),
        ("/intake/LAN-2026-000001/", "Intake queue"),
        ("/intake/LAN-2026-000001/grade/", "Intake queue"),
        ("/intake/shared/", "Shared with us"),
    ],
)
def test_an_intelligence_officer_sees_the_page_they_are_on_marked(path, label):
    officer = make_user(Role.POLICE_INTELLIGENCE)
    assert current(officer, path) == [label]


def test_a_page_no_item_owns_marks_nothing():
    officer = make_user(Role.POLICE_INTELLIGENCE)
    assert current(officer, "/no-such-page/") == []
