"""The child page's browser title is the child's name as text, and "Who has seen this record"
appears once (issue 26: the title held the list's raw HTML, and the list appeared twice)."""

from __future__ import annotations

import re

import pytest

from lantern.accounts.roles import Role
from lantern.children.tests import factories as f
from lantern.core.testing import make_user, sign_in

pytestmark = pytest.mark.django_db


def test_the_title_is_the_name_and_the_viewers_list_appears_once(client):
    worker = sign_in(client, make_user(Role.CSE_SOCIAL_WORKER, username="worker1"))
    child = f.make_child(by=worker, first_name="Jordan", last_name="Example")
    client.get(f"/children/{child.pk}/")  # one read, so the list has an entry
    page = client.get(f"/children/{child.pk}/").content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.strip() == "Jordan Example – Lantern"
    assert page.count("Who has seen this record") == 1
