"""A person whose part the reporter was not sure of is shown as "not sure", not "other"."""

import pytest
from django.http import QueryDict

from lantern.accounts.roles import Role
from lantern.core.testing import make_user, sign_in
from lantern.intake.models import PersonRole, SubmissionPerson
from lantern.intake.reporting import row_formsets, rows_to_mentions
from lantern.intake.tests.factories import make_submission

pytestmark = pytest.mark.django_db


def rows(**person):
    data = QueryDict(mutable=True)
    for key in ("person", "vehicle", "phone", "online"):
        data[f"{key}-TOTAL_FORMS"] = "1" if key == "person" else "0"
        data[f"{key}-INITIAL_FORMS"] = "0"
    for field, value in person.items():
        data[f"person-0-{field}"] = value
    formsets = row_formsets(data)
    assert all(f.is_valid() for f in formsets.values())
    return rows_to_mentions(formsets)


def test_not_sure_is_kept_as_not_sure():
    assert rows(name="Jay", role="")["people"][0]["role"] == PersonRole.NOT_SURE
    assert rows(name="Jay", role="other")["people"][0]["role"] == PersonRole.OTHER


def test_the_police_view_says_not_sure(client):
    submission = make_submission(people=[{"name": "Jay Doe", "role": PersonRole.NOT_SURE}])
    assert SubmissionPerson.objects.get(submission=submission).role == PersonRole.NOT_SURE
    officer = make_user(Role.POLICE_INTELLIGENCE)
    sign_in(client, officer)
    page = client.get(f"/intake/{submission.reference}/").content.decode()
    assert "Jay Doe (not sure)" in page
    assert "(other)" not in page
