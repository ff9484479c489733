"""The shared edit-with-version helper: a stale form gets a conflict, not an overwrite."""

from __future__ import annotations

import pytest
from django import forms

from lantern.accounts.models import Agency
from lantern.core.editing import save_with_version, version_field, versioned_initial
from lantern.core.errors import EditConflict, LanternError
from lantern.core.versioning import save_if_unchanged

pytestmark = pytest.mark.django_db


class AgencyNameForm(forms.Form):
    name = forms.CharField()
    version = version_field()


def _rename(agency_pk: int, name: str):
    def save(expected_version: int) -> Agency:
        agency = Agency.objects.get(pk=agency_pk)
        agency.name = name
        save_if_unchanged(agency, expected_version, ["name"])
        return agency

    return save


def _agency() -> Agency:
    return Agency.objects.create(name="Northmere Youth Service", kind="youth_service")


def test_initial_values_carry_the_fields_and_the_version_read():
    agency = _agency()
    assert versioned_initial(agency, "name", note="x") == {
        "name": "Northmere Youth Service",
        "note": "x",
        "version": agency.version,
    }


def test_a_current_form_saves_and_returns_what_the_service_returned():
    agency = _agency()
    form = AgencyNameForm({"name": "Northmere Youth Hub", "version": agency.version})
    assert form.is_valid()

    saved = save_with_version(form, _rename(agency.pk, form.cleaned_data["name"]))

    assert saved and saved.result.name == "Northmere Youth Hub"
    assert Agency.objects.get(pk=agency.pk).version == agency.version + 1


def test_a_stale_form_gets_the_conflict_as_an_error_and_writes_nothing():
    agency = _agency()
    stale = AgencyNameForm({"name": "Typed by me", "version": agency.version})
    _rename(agency.pk, "Saved by someone else")(agency.version)
    assert stale.is_valid()

    assert save_with_version(stale, _rename(agency.pk, "Typed by me")) is None

    assert stale.non_field_errors() == [str(EditConflict())]
    assert stale["name"].value() == "Typed by me"
    assert Agency.objects.get(pk=agency.pk).name == "Saved by someone else"


def test_a_refusal_that_names_a_field_is_shown_beside_it():
    form = AgencyNameForm({"name": "x", "version": 1})
    assert form.is_valid()
    refusal = LanternError("Enter a name of at least two letters")
    refusal.field = "name"

    def refuse(expected_version: int):
        raise refusal

    assert save_with_version(form, refuse) is None
    assert form.errors["name"] == ["Enter a name of at least two letters"]
