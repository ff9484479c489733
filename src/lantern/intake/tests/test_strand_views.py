"""The split and merge pages, and who may see strands."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lantern.accounts.roles import Role
from lantern.core.testing import make_user, sign_in
from lantern.intake.models import Source, Submission
from lantern.intake.tests.factories import make_submission, move_to

pytestmark = pytest.mark.django_db


def _posted(document, **fields):
    data = {"version": document.version, "blocks": 3}
    data.update(fields)
    return data


def test_an_officer_splits_a_document_into_three_strands(client):
    officer = sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    document = move_to(make_submission(vehicles=["AB12 CDE"]), "assigned", officer)
    vehicle = document.vehicles.get().pk

    response = client.post(
        reverse("intake:split", args=[document.reference]),
        _posted(
            document,
            **{
                "s1-summary": "A car",
                "s1-partner_summary": "A car",
                "s1-vehicles": [vehicle],
                "s2-summary": "A flat",
                "s2-partner_summary": "A flat",
                "s3-summary": "A phone",
                "s3-partner_summary": "A phone",
            },
        ),
    )

    assert response.status_code == 302
    assert document.strands.count() == 3
    assert document.strands.get(strand_number=1).vehicles.count() == 1
    page = client.get(reverse("intake:detail", args=[document.reference])).content.decode()
    assert f"{document.reference}-S3" in page


def test_a_refused_split_names_the_field_and_keeps_what_was_typed(client):
    officer = sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    document = move_to(make_submission(), "assigned", officer)

    response = client.post(
        reverse("intake:split", args=[document.reference]),
        _posted(
            document,
            **{
                "s1-summary": "A car",
                "s1-partner_summary": "A car",
                "s2-partner_summary": "Typed but no summary",
            },
        ),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and 'href="#s2-summary"' in page
    assert "Typed but no summary" in page
    assert Submission.objects.count() == 1


def test_a_stale_split_form_is_a_conflict(client):
    officer = sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    document = move_to(make_submission(), "assigned", officer)
    stale = document.version
    move_to(document, "graded", officer)

    response = client.post(
        reverse("intake:split", args=[document.reference]),
        {
            "version": stale,
            "blocks": 2,
            "s1-summary": "a",
            "s1-partner_summary": "a",
            "s2-summary": "b",
            "s2-partner_summary": "b",
        },
    )

    assert "Someone else changed this record" in response.content.decode()
    assert Submission.objects.count() == 1


def test_a_reporter_cannot_read_another_reporters_strands(client):
    officer = make_user(Role.POLICE_INTELLIGENCE)
    councillor = make_user(Role.COUNCILLOR)
    other = make_user(Role.COUNCILLOR)
    document = move_to(make_submission(councillor, source=Source.COUNCILLOR), "assigned", officer)
    from lantern.intake import strands

    made = strands.split_submission(
        officer,
        document,
        strands=[strands.NewStrand("a", "a"), strands.NewStrand("b", "b")],
        expected_version=document.version,
        now=document.received_at,
    )
    sign_in(client, councillor)
    mine = client.get(reverse("intake:mine")).content.decode()
    assert made[0].reference in mine and "What happens next" in mine
    assert client.get(reverse("intake:detail", args=[made[0].reference])).status_code == 200

    sign_in(client, other)
    assert client.get(reverse("intake:detail", args=[made[0].reference])).status_code == 404
    assert client.get(reverse("intake:split", args=[document.reference])).status_code in (403, 404)
