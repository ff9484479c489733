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


def test_sections_keep_the_header_short_and_list_their_pages_underneath():
    from lantern.core.navigation import menu_for

    officer = make_user(Role.POLICE_INTELLIGENCE)
    menu = menu_for(officer, "/intake/queue/")
    labels = [entry["label"] for entry in menu["top"]]
    assert labels[:3] == ["Home", "Report a concern", "Intelligence"]
    assert "Intake queue" not in labels and "Tasking" in labels
    assert len(labels) <= 7, labels
    assert menu["sub"]["label"] == "Intelligence"
    pages = [(p["label"], p["current"]) for p in menu["sub"]["pages"]]
    assert ("Intake queue", True) in pages and ("Cross-referencing", False) in pages
    intelligence = next(e for e in menu["top"] if e["label"] == "Intelligence")
    assert intelligence["current"] and intelligence["href"] == "/intake/queue/"
    # Elsewhere, no section is open; a section with one page for this user shows that page.
    assert menu_for(officer, "/")["sub"] is None


def test_a_section_with_one_page_for_this_user_shows_the_page_itself():
    from lantern.core.navigation import menu_for

    councillor = make_user(Role.COUNCILLOR)
    for entry in menu_for(councillor, "/")["top"]:
        assert "pages" not in entry, entry


def test_a_section_opens_its_page_of_the_same_name():
    from lantern.core.navigation import menu_for

    worker = make_user(Role.CSE_SOCIAL_WORKER)
    children = next(e for e in menu_for(worker, "/")["top"] if e["label"] == "Children")
    assert children["href"] == "/children/"  # the caseload, not the social care queue first
