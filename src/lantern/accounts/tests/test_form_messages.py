"""Every message on the accounts forms says what to do, in GOV.UK style, never Django's default."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lantern.accounts import forms as account_forms
from lantern.accounts.models import User
from lantern.accounts.roles import Role
from lantern.core.testing import AgencyFactory, TeamFactory, make_user, sign_in

pytestmark = pytest.mark.django_db

# Django's own wording, which tells the person nothing about which field or what to do.
DJANGO_DEFAULTS = (
    "This field is required",
    "Ensure this value",
    "Select a valid choice",
    "Enter a valid",
    "Enter a whole number",
)

ACCOUNT_FORMS = [
    (account_forms.SignInForm, {}),
    (account_forms.CodeForm, {}),
    (account_forms.AgencyForm, {}),
    (account_forms.ArchiveForm, {}),
    (account_forms.TeamForm, {}),
    (account_forms.UserForm, {"creating": True}),
    (account_forms.UserForm, {"instance_factory": True}),
    (account_forms.ResetSecondFactorForm, {}),
]


def _bad_inputs(form_class) -> list[dict]:
    """An empty form, one with every field too long, and one with unknown choices."""
    long = "x" * 5000
    names = list(form_class.base_fields)
    return [
        {},
        dict.fromkeys(names, long),
        dict.fromkeys(names, "999999"),
    ]


def _messages(form) -> list[str]:
    return [message for errors in form.errors.values() for message in errors]


@pytest.mark.parametrize(("form_class", "options"), ACCOUNT_FORMS)
def test_no_accounts_form_shows_a_django_default_message(form_class, options):
    options = dict(options)
    if options.pop("instance_factory", False):
        options["instance"] = make_user(Role.PARTNER_PRACTITIONER)
    for data in _bad_inputs(form_class):
        form = form_class(data, **options)
        form.is_valid()
        raw = [m for m in _messages(form) if any(d in m for d in DJANGO_DEFAULTS)]
        assert raw == [], f"{form_class.__name__} with {sorted(data)[:3]}...: {raw}"


def test_an_empty_add_a_user_form_says_what_to_enter_for_each_field(client):
    sign_in(client, make_user(Role.ADMINISTRATOR, username="root"))
    response = client.post(reverse("accounts:user-create"), {"full_name": "", "username": ""})
    body = response.content.decode()
    assert "This field is required" not in body
    errors = response.context["form"].errors
    assert errors["full_name"] == ["Enter the person's full name"]
    assert errors["username"] == ["Enter a username"]
    assert errors["email"] == ["Enter an email address"]
    assert errors["roles"] == ["Select at least one role"]
    assert not User.objects.filter(username="").exists()


def test_a_wrong_team_or_manager_choice_says_what_to_choose(client):
    sign_in(client, make_user(Role.ADMINISTRATOR, username="root"))
    agency = AgencyFactory(name="Form test health")
    TeamFactory(agency=agency)
    response = client.post(
        reverse("accounts:user-create"),
        {"agency": "99999", "team": "99999", "manager": "99999", "roles": ["no-such-role"]},
    )
    errors = response.context["form"].errors
    assert errors["agency"] == ["Choose an agency from the list"]
    assert errors["team"] == ["Choose a team from the list"]
    assert errors["manager"] == ["Choose a line manager from the list"]
    assert errors["roles"] == ["Choose roles from the list"]
