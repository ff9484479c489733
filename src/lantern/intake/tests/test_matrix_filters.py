"""The trace matrix filters strands by the questions a supervisor asks."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.core.testing import make_user, sign_in
from lantern.intake.models import Source
from lantern.intake.tests.factories import make_submission, move_to

pytestmark = pytest.mark.django_db


def test_the_matrix_filters_by_reporter_source_and_subject_with_a_count(client):
    councillor = make_user(Role.COUNCILLOR, username="cllr.ash")
    officer = make_user(Role.POLICE_INTELLIGENCE)
    mine = make_submission(councillor, source=Source.COUNCILLOR, vehicles=["NM12 ABC"])
    move_to(mine, "decided", officer)
    make_submission(councillor, source=Source.COUNCILLOR)
    make_submission(source=Source.PARTNER, vehicles=["NM12 ABC"])
    sign_in(client, make_user(Role.POLICE_SUPERVISOR))
    url = reverse("intake:trace-matrix")

    page = client.get(url, {"reporter": "cllr.ash", "source": "councillor"}).content.decode()
    assert "2 pieces of information" in page

    page = client.get(url, {"reporter": "cllr.ash", "subject": "nm12 abc"}).content.decode()
    assert "1 piece of information" in page and mine.reference in page

    page = client.get(url, {"decision": "tasking", "open_closed": "open"}).content.decode()
    assert "1 piece of information" in page

    export = client.get(url, {"reporter": "cllr.ash", "format": "csv"})
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert len(rows) == 3  # the header and the councillor's two items


def test_unknown_filter_values_are_errors_by_the_field_not_500s(client):
    sign_in(client, make_user(Role.POLICE_SUPERVISOR))
    response = client.get(
        reverse("intake:trace-matrix"),
        {"source": "aliens", "reporter": "nobody", "ward": "99999", "days_open_over": "x"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose a source type from the list" in page
    assert "There is no reporter with that username or email" in page
    assert "Choose a ward from the list" in page
    assert "Enter a whole number of days" in page
