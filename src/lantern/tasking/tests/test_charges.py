"""Recording charges: police only, audited, and bad input refused beside the field."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lantern.accounts.roles import Role
from lantern.audit.models import AuditAction, AuditEntry
from lantern.children.models import ChildShare
from lantern.children.tests.factories import make_child, make_nominal
from lantern.core.testing import make_user, sign_in
from lantern.tasking import charges
from lantern.tasking.models import Charge, Operation
from lantern.tasking.services import TaskingRefused

pytestmark = pytest.mark.django_db


def share_with(child, user):
    ChildShare.objects.create(
        child=child,
        agency=user.agency,
        lawful_basis="Children Act 2004 s11",
        shared_on=timezone.localdate(),
        shared_by=child.created_by,
    )


@pytest.fixture
def police():
    return make_user(Role.POLICE_INTELLIGENCE)


def charge_data(who, **overrides):
    data = {
        "nominal": who.pk,
        "offence": "Meeting a child following sexual grooming",
        "charged_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "operation": "",
        "child_reference": "",
    }
    return {**data, **overrides}


def test_a_police_officer_records_a_charge_with_its_operation_and_child(client, police):
    nominal = make_nominal(police)
    operation = Operation.objects.create(
        name="Operation Larkspur", summary="x", started_on=timezone.localdate(), lead=police
    )
    child = make_child()
    share_with(child, police)
    sign_in(client, police)

    response = client.post(
        reverse("tasking:charge-create"),
        charge_data(nominal, operation=operation.pk, child_reference=child.reference.lower()),
    )

    assert response.status_code == 302
    charge = Charge.objects.get()
    assert (charge.nominal, charge.operation, charge.child) == (nominal, operation, child)
    assert charge.recorded_by == police
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, object_type="tasking.charge", object_id=str(charge.pk)
    ).exists()
    listing = client.get(reverse("tasking:charge-list"))
    assert "Meeting a child following sexual grooming" in listing.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.LIST, object_type="tasking.charge").exists()


def test_a_charge_dated_in_the_future_is_refused_by_its_field(client, police):
    nominal = make_nominal(police)
    sign_in(client, police)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client.post(
        reverse("tasking:charge-create"), charge_data(nominal, charged_on=tomorrow)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["charged_on"] == [
        "The date of charge must be today or in the past"
    ]
    assert 'value="Meeting a child following sexual grooming"' in response.content.decode()
    assert not Charge.objects.exists()


def test_a_charge_without_a_nominal_is_refused_by_its_field(client, police):
    nominal = make_nominal(police)
    sign_in(client, police)

    response = client.post(reverse("tasking:charge-create"), charge_data(nominal, nominal=""))

    assert response.context["form"].errors["nominal"] == ["Choose the nominal who was charged"]
    assert not Charge.objects.exists()


@pytest.mark.parametrize("reference", ["CH-NOPE", "unshared"])
def test_a_child_the_officer_cannot_see_is_refused_by_its_field(client, police, reference):
    nominal = make_nominal(police)
    unshared = make_child()
    sign_in(client, police)
    reference = unshared.reference if reference == "unshared" else reference

    response = client.post(
        reverse("tasking:charge-create"), charge_data(nominal, child_reference=reference)
    )

    assert "child_reference" in response.context["form"].errors
    assert not Charge.objects.exists()


def test_the_service_refuses_a_future_charge_date(police):
    now = timezone.now()
    with pytest.raises(TaskingRefused):
        charges.record_charge(
            police,
            nominal=make_nominal(police),
            charged_on=timezone.localdate(now) + timedelta(days=1),
            offence="Offence",
            now=now,
        )
    assert not Charge.objects.exists()


@pytest.mark.parametrize("role", [Role.CSE_SOCIAL_WORKER, Role.PARTNER_PRACTITIONER])
def test_charges_do_not_exist_for_anyone_but_the_police(client, role):
    sign_in(client, make_user(role))

    assert client.get(reverse("tasking:charge-list")).status_code == 404
    assert client.get(reverse("tasking:charge-create")).status_code == 404


def test_demo_charges_come_after_their_childs_first_cse_referral(police):
    from random import Random

    from faker import Faker

    from lantern.children.tests.factories import make_referral
    from lantern.demo.registry import DemoContext
    from lantern.tasking import demo

    for day in (date(2015, 1, 10), date(2015, 2, 20)):
        make_referral(make_child(), referred_on=day)
    make_nominal(police)
    now = timezone.make_aware(datetime(2015, 6, 1, 9))
    ctx = DemoContext(scale="borough", rng=Random(3), faker=Faker("en_GB"), made={})

    made = demo._charges(ctx, {"supervisor": police}, timezone.localdate(now), now)

    assert made == Charge.objects.count() == demo.CHARGES["borough"]
    with_child = Charge.objects.filter(child__isnull=False).select_related("child")
    assert with_child.exists()
    for charge in with_child:
        first = charge.child.referrals.order_by("referred_on").first().referred_on
        assert first < charge.charged_on <= date(2015, 6, 1)
