"""A nominal is cross-referenced with the entities app's people when created or changed."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType

from lantern.accounts.roles import Role
from lantern.core.testing import make_user, sign_in
from lantern.entities import services as entities
from lantern.entities.models import EntityKind, Mention
from lantern.risk import services
from lantern.risk.models import Nominal

pytestmark = pytest.mark.django_db


def mentions_of(nominal):
    return Mention.objects.filter(
        content_type=ContentType.objects.get_for_model(Nominal), object_id=nominal.pk
    )


def test_a_new_nominal_is_recorded_as_a_person_mention_and_its_page_links_the_entity(client):
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    sign_in(client, analyst)
    response = client.post(
        "/risk/nominals/add/",
        {"name": "Dale Wexford", "alias": "DW", "date_of_birth": "1990-03-04"},
    )
    nominal = Nominal.objects.get()
    assert response.status_code == 302
    [mention] = mentions_of(nominal)
    assert mention.kind == EntityKind.PERSON
    assert mention.details["dob"] == "1990-03-04"
    assert mention.entity_id is not None
    page = client.get(f"/risk/nominals/{nominal.pk}/").content.decode()
    assert f"/entities/{mention.entity_id}/" in page


def test_editing_the_name_records_a_new_mention_and_a_stale_edit_is_refused(client):
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    nominal = services.create_nominal(
        analyst, name="Dale Wexford", alias="", date_of_birth=None, now=f_now()
    )
    sign_in(client, analyst)
    response = client.post(
        f"/risk/nominals/{nominal.pk}/edit/",
        {"name": "Dale Wexford-Hart", "alias": "", "date_of_birth": "", "version": "1"},
    )
    assert response.status_code == 302
    assert mentions_of(nominal).count() == 2
    stale = client.post(
        f"/risk/nominals/{nominal.pk}/edit/",
        {"name": "Someone Else", "alias": "", "date_of_birth": "", "version": "1"},
    )
    assert stale.status_code == 200
    assert "Someone else changed this nominal" in stale.content.decode()
    assert Nominal.objects.get().name == "Dale Wexford-Hart"


def test_a_failure_in_matching_never_loses_the_nominal(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("linkage model unavailable")

    monkeypatch.setattr(entities, "add_mentions", broken)
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    nominal = services.create_nominal(
        analyst, name="Kit Example", alias="", date_of_birth=date(1988, 1, 1), now=f_now()
    )
    assert Nominal.objects.filter(pk=nominal.pk).exists()
    assert not mentions_of(nominal).exists()


def f_now():
    from django.utils import timezone

    return timezone.now()


def test_gender_and_ethnicity_are_recorded_shown_and_carried_to_the_person(client):
    analyst = make_user(Role.POLICE_INTELLIGENCE)
    sign_in(client, analyst)
    response = client.post(
        "/risk/nominals/add/",
        {"name": "Dale Wexford", "gender": "male", "ethnicity": "white_irish"},
    )
    assert response.status_code == 302
    nominal = Nominal.objects.get()
    [mention] = mentions_of(nominal)
    assert (mention.entity.gender, mention.entity.ethnicity) == ("m", "White: Irish")
    page = client.get(f"/risk/nominals/{nominal.pk}/").content.decode()
    assert "Male" in page and "White: Irish" in page
    person = client.get(f"/entities/{mention.entity_id}/").content.decode()
    assert '<dd class="govuk-summary-list__value">Male</dd>' in person
    refused = client.post("/risk/nominals/add/", {"name": "Other Person", "gender": "martian"})
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert Nominal.objects.count() == 1
