from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation

from lantern.accounts.models import Agency, AgencyKind, Team, User
from lantern.accounts.roles import Role
from lantern.core.editing import version_field
from lantern.core.forms import GovukForm, GovukModelForm, SaysWhatToDoMixin


class SignInForm(SaysWhatToDoMixin, GovukForm):
    username = forms.CharField(
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class CodeForm(SaysWhatToDoMixin, GovukForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=6,
        min_length=6,
        help_text="The 6-digit code shown in the app, for example 123456",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input--width-5",
                "spellcheck": "false",
            }
        ),
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "min_length": "Enter the 6-digit code: it is 6 numbers long",
            "max_length": "Enter the 6-digit code: it is 6 numbers long",
        },
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError("The code must be 6 numbers, for example 123456")
        return code


class AgencyForm(SaysWhatToDoMixin, GovukModelForm):
    version = version_field()

    class Meta:
        model = Agency
        fields = ["name", "short_name", "kind"]
        labels = {"name": "Agency name", "short_name": "Short name", "kind": "Type of agency"}
        help_texts = {"short_name": "Optional. For example, CSC for children's social care"}
        error_messages = {
            "name": {
                "required": "Enter the agency's name",
                "unique": "An agency with this name already exists",
            },
            "kind": {"required": "Select the type of agency"},
        }
        widgets = {"kind": forms.Select(choices=[("", "Select a type"), *AgencyKind.choices])}


class ArchiveForm(SaysWhatToDoMixin, GovukForm):
    reason = forms.CharField(
        label="Why is this being archived?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )


class TeamForm(SaysWhatToDoMixin, GovukModelForm):
    version = version_field()

    class Meta:
        model = Team
        fields = ["name"]
        labels = {"name": "Team name"}
        error_messages = {"name": {"required": "Enter the team's name"}}


class UserForm(SaysWhatToDoMixin, GovukModelForm):
    """Create or edit a user. A new user chooses their own password from an invitation email."""

    version = version_field()
    roles = forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={
            "required": "Select at least one role",
            "invalid_choice": "Choose roles from the list",
        },
    )

    class Meta:
        model = User
        fields = [
            "full_name",
            "username",
            "email",
            "job_title",
            "phone",
            "agency",
            "team",
            "manager",
            "is_active",
        ]
        labels = {
            "full_name": "Full name",
            "email": "Email address",
            "is_active": "Active",
            "manager": "Line manager",
            "job_title": "Job title",
            "phone": "Phone number",
        }
        help_texts = {
            "username": "Letters, numbers and . _ - only",
            "email": "The invitation to choose a password is sent here",
            "is_active": "Untick to stop this person signing in",
            "manager": "Overdue actions owned by this person escalate to their manager",
        }
        error_messages = {
            "full_name": {"required": "Enter the person's full name"},
            "username": {
                "required": "Enter a username",
                "invalid": "Enter a username using only letters, numbers and . _ - @ +",
                "unique": "That username is already taken",
            },
            "email": {
                "required": "Enter an email address",
                "invalid": "Enter an email address in the correct format, like name@example.org",
            },
        }

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = creating
        self.fields["email"].required = True
        self.fields["full_name"].required = True
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True)
        self.fields["agency"].empty_label = "No agency (for example, a member of the public)"
        self.fields["team"].queryset = Team.objects.filter(is_active=True).select_related("agency")
        self.fields["team"].empty_label = "No team"
        self.fields["manager"].queryset = User.objects.filter(is_active=True)
        self.fields["manager"].empty_label = "No line manager"
        if not creating:
            self.initial.setdefault("roles", sorted(self.instance.role_codes))
        else:
            del self.fields["is_active"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        others = User.objects.filter(username__iexact=username).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError("That username is already taken")
        return username

    def clean(self):
        cleaned = super().clean()
        team, agency = cleaned.get("team"), cleaned.get("agency")
        if team and team.agency_id != getattr(agency, "pk", None):
            self.add_error("team", "Choose a team that belongs to the selected agency")
        return cleaned


class ChoosePasswordForm(SaysWhatToDoMixin, GovukForm):
    """The invited person chooses their password, typed twice."""

    password = forms.CharField(
        label="Create a password",
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters. A few unrelated words make a strong password",
        error_messages={"required": "Enter a password"},
    )
    confirm = forms.CharField(
        label="Type the password again",
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Type the password again"},
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        password, confirm = cleaned.get("password"), cleaned.get("confirm")
        if password and confirm and password != confirm:
            self.add_error("confirm", "The passwords do not match. Type the same password twice")
        elif password:
            try:
                password_validation.validate_password(password, self.user)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ResetSecondFactorForm(SaysWhatToDoMixin, GovukForm):
    reason = forms.CharField(
        label="Why are you resetting this person's second factor?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason"},
    )
