"""Every record type the trail can hold makes a working link, and a mistyped type is a 404."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.audit import registry
from lantern.audit.models import AuditAction
from lantern.audit.services import record
from lantern.core.testing import make_user, sign_in

pytestmark = pytest.mark.django_db

# Object ids as the apps write them: a primary key, a period, a report for a period, and an id
# with characters a URL must escape.
AWKWARD_IDS = ["161", "2026/27-Q2", "2014/15", "a b?c#d%e/f"]


def every_record_type() -> list[str]:
    models = {model._meta.label_lower for model in apps.get_models()}
    return sorted(models | set(registry.record_types()))


def test_the_audit_trail_opens_after_every_record_type_is_audited(client):
    admin = sign_in(client, make_user(Role.ADMINISTRATOR))
    types = every_record_type()
    assert {"performance.cabinetreport", "performance.datasummary"} <= set(types)
    for number, object_type in enumerate(types):
        record(
            actor=admin,
            action=AuditAction.EXPORT,
            object_type=object_type,
            object_id=AWKWARD_IDS[number % len(AWKWARD_IDS)],
            object_repr=f"Audited {object_type}",
        )

    links: set[str] = set()
    page = 1
    while True:
        response = client.get(reverse("audit:search"), {"page": page})
        assert response.status_code == 200
        body = response.content.decode()
        links |= set(re.findall(r'href="(/audit/record/[^"]+)"', body))
        if not response.context["page_obj"].has_next():
            break
        page += 1

    opened = set()
    for link in sorted(links):
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link
        opened.add(response.context["object_type"])
    assert set(types) <= opened


@pytest.mark.parametrize("object_id", AWKWARD_IDS)
def test_a_record_page_shows_the_entries_for_an_awkward_id(client, object_id):
    admin = sign_in(client, make_user(Role.ADMINISTRATOR))
    record(
        actor=admin,
        action=AuditAction.EXPORT,
        object_type="performance.cabinetreport",
        object_id=object_id,
        object_repr="Cabinet report (docx)",
    )
    url = reverse("audit:record", args=["performance.cabinetreport", object_id])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["object_id"] == object_id
    assert len(response.context["page_obj"].object_list) == 1


def test_an_unknown_record_type_is_not_found(client):
    sign_in(client, make_user(Role.ADMINISTRATOR))
    response = client.get("/audit/record/child/161/")
    assert response.status_code == 404
    assert "Nobody has opened this record yet" not in response.content.decode()


def test_a_known_type_with_no_entries_says_so(client):
    sign_in(client, make_user(Role.ADMINISTRATOR))
    response = client.get(reverse("audit:record", args=["children.child", "99999"]))
    assert response.status_code == 200
    assert "No audit entries match" in response.content.decode()


def test_an_entry_of_an_unknown_type_is_listed_without_a_link(client):
    admin = sign_in(client, make_user(Role.ADMINISTRATOR))
    record(actor=admin, action=AuditAction.READ, object_type="child", object_id="161")
    body = client.get(reverse("audit:search")).content.decode()
    assert "/audit/record/child/" not in body
