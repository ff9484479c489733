"""The demo borough's caseload: children with linked records a social worker can open."""

from __future__ import annotations

import pytest

from lantern.accounts.models import User
from lantern.children import services
from lantern.children.models import Child, MissingEpisode
from lantern.core.testing import sign_in
from lantern.risk.models import RiskAssessment

pytestmark = pytest.mark.django_db


def test_the_demo_borough_has_a_caseload_whose_levels_come_from_the_records(demo_borough, client):
    assert Child.objects.count() == 160
    assert RiskAssessment.objects.filter(child__isnull=False).exists()
    assert MissingEpisode.objects.exists()
    for child in Child.objects.all()[:20]:
        points = services.risk_points(child)
        assert child.current_level == (points[-1][2] if points else "")
    sign_in(client, User.objects.get(username="socialworker"))
    child = Child.objects.exclude(current_level="").first()
    response = client.get(f"/children/{child.pk}/")
    assert response.status_code == 200
    assert 'data-testid="risk-chart"' in response.content.decode()
    assert client.get("/children/").status_code == 200
