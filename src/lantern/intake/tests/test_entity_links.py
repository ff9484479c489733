"""A submission is cross-referenced as it arrives, and linking can never cost a report."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from lantern.entities.models import EntityKind, Mention
from lantern.intake import entity_links
from lantern.intake.models import Submission, TraceKind
from lantern.intake.tests.factories import make_submission

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime(2026, 11, 2, 9))


def test_a_vehicle_reported_twice_resolves_to_one_entity_and_the_trace_says_so():
    first = make_submission(vehicles=["YX12 ABC"], phones=["07700 900123"], now=NOW)
    second = make_submission(
        vehicles=["yx12abc"],
        people=[{"name": "Jay Example", "approximate_age": "about 17"}],
        location="Behind the Mill Street takeaway",
        now=NOW,
    )
    vehicle_mentions = Mention.objects.filter(kind=EntityKind.VEHICLE)
    assert vehicle_mentions.count() == 2
    assert len(set(vehicle_mentions.values_list("entity_id", flat=True))) == 1
    kinds = set(Mention.objects.filter(object_id=second.pk).values_list("kind", flat=True))
    assert kinds == {EntityKind.VEHICLE, EntityKind.PERSON, EntityKind.LOCATION}
    linked = second.trace.get(kind=TraceKind.LINKED)
    assert "1 matched" in linked.summary
    assert first.trace.filter(kind=TraceKind.LINKED).exists()


def test_a_failure_in_cross_referencing_still_saves_the_report(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the matching model could not be loaded")

    monkeypatch.setattr(entity_links, "add_mentions", broken)
    submission = make_submission(vehicles=["YX12 ABC"], now=NOW)
    assert Submission.objects.filter(pk=submission.pk).exists()
    assert submission.vehicles.count() == 1
    assert not Mention.objects.exists()


def test_the_reporters_chosen_ward_travels_with_the_place_into_the_location_entity():
    from lantern.core.models import Ward

    ward = Ward.objects.create(name="Linkward", code="L01")
    make_submission(location="The underpass by Linkward station", ward_id=ward.pk, now=NOW)
    location = Mention.objects.get(kind=EntityKind.LOCATION).entity
    assert location.ward == ward


def test_a_known_place_with_no_ward_takes_the_ward_a_later_reporter_chose():
    from lantern.core.models import Ward

    ward = Ward.objects.create(name="Laterward", code="L02")
    make_submission(location="The Canal Road takeaway", now=NOW)
    make_submission(location="the canal road takeaway", ward_id=ward.pk, now=NOW)
    entities = {m.entity for m in Mention.objects.filter(kind=EntityKind.LOCATION)}
    assert len(entities) == 1
    assert entities.pop().ward == ward


def test_the_entity_page_shows_the_age_as_reported_beside_the_birth_years_inferred(client):
    from django.urls import reverse

    from lantern.accounts.roles import Role
    from lantern.core.testing import make_user, sign_in

    submission = make_submission(
        people=[{"name": "Kez Example", "approximate_age": "30s"}], now=NOW
    )
    person = Mention.objects.get(kind=EntityKind.PERSON).entity
    sign_in(client, make_user(Role.POLICE_INTELLIGENCE))
    body = client.get(reverse("entities:detail", args=[person.pk])).content.decode()
    assert "Born between 1993 and 1998" in body  # inferred
    assert "“30s”" in body  # as the reporter wrote it
    assert submission.reference in body.split("Age as reported", 1)[1].split("</div>", 1)[0]
