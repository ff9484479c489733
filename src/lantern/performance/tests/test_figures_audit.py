"""Opening a measure's figures is recorded in the audit trail (issue 21)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.audit.models import AuditAction, AuditEntry
from lantern.core.periods import Period
from lantern.core.testing import AgencyFactory, make_user, sign_in
from lantern.performance import services
from lantern.performance.tests.helpers import DECEMBER_2014, make_measure

pytestmark = pytest.mark.django_db


def test_opening_a_measures_page_with_its_figures_is_audited(client):
    measure = make_measure("Staff trained in CSE", priority="prevent", section="Training")
    reader = sign_in(client, make_user(Role.BOARD_MEMBER))
    response = client.get(reverse("performance:measure-detail", args=[measure.code]))
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.READ, object_type="performance.measure")
    assert entry.actor == reader and entry.object_id == str(measure.pk)


def test_opening_an_agencys_figures_to_enter_is_audited(client):
    health = AgencyFactory(name="Northmere Health Trust")
    make_measure("Staff trained in CSE", priority="prevent", section="Training", owner=health)
    officer = make_user(Role.PERFORMANCE_OFFICER)
    asked = services.request_figures(
        officer, agency=health, period=Period.parse("2014/15-Q2"), due_on=None, now=DECEMBER_2014
    )
    sign_in(client, officer)
    assert client.get(reverse("performance:figures-enter", args=[asked.pk])).status_code == 200
    assert AuditEntry.objects.filter(
        action=AuditAction.READ, actor=officer, object_type="performance.figuresrequest"
    ).exists()
