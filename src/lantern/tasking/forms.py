"""Tasking forms: each question with a message that says how to fix a wrong answer."""

from __future__ import annotations

from datetime import date

from django import forms
from django.urls import reverse

from lantern.accounts.models import Agency, AgencyKind, User
from lantern.core.editing import version_field
from lantern.core.forms import GovukForm
from lantern.tasking.models import (
    SERIES_TYPES,
    ActionStatus,
    ClosureReason,
    ItemStatus,
    Meeting,
    OperationStatus,
    PlanStatus,
    Priority,
    SubjectKind,
    Tactic,
)

REQUIRED = "Enter {}"


def _text(label, *, required=True, max_length=None, help_text="", rows=None, error=None):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=widget,
        strip=True,
        error_messages={"required": error or REQUIRED.format(label[0].lower() + label[1:])},
    )


def _date(label, help_text=""):
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=forms.DateInput(),
        error_messages={
            "required": f"Enter the {label[0].lower() + label[1:]}",
            "invalid": f"Enter the {label[0].lower() + label[1:]} as a real date",
        },
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name or obj.username} ({obj.agency or 'no agency'})"


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name or obj.username} ({obj.agency or 'no agency'})"


class SeriesForm(GovukForm):
    name = _text("Name of the meeting", max_length=200)
    meeting_type = forms.ChoiceField(
        label="Type of meeting",
        choices=SERIES_TYPES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of meeting"},
    )
    first_meeting_on = _date("Date of the first meeting")
    frequency_days = forms.IntegerField(
        label="Days between meetings",
        required=False,
        min_value=1,
        max_value=90,
        help_text="Leave empty for the usual: 7 (weekly), or 14 for a GAP meeting",
        error_messages={
            "invalid": "Enter the days between meetings as a number, like 7",
            "min_value": "Enter at least 1 day",
            "max_value": "Enter no more than 90 days",
        },
    )
    chair = UserChoiceField(
        label="Chair",
        queryset=User.objects.none(),
        error_messages={"required": "Choose the chair", "invalid_choice": "Choose the chair"},
    )
    member_agencies = forms.ModelMultipleChoiceField(
        label="Member agencies",
        queryset=Agency.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one member agency"},
    )
    members = UsersChoiceField(
        label="Members",
        required=False,
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="The people who attend, from the member agencies (optional)",
        error_messages={"invalid_choice": "Choose members from the list"},
    )
    item_limit = forms.IntegerField(
        label="Most items or children per meeting",
        required=False,
        min_value=1,
        max_value=100,
        help_text="Leave empty for no limit (MACE: 3)",
        error_messages={"invalid": "Enter a number, like 3", "min_value": "Enter at least 1"},
    )

    def __init__(self, *args, chairs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = chairs if chairs is not None else User.objects.none()
        self.fields["members"].queryset = (
            User.objects.filter(is_active=True, agency__is_active=True)
            .select_related("agency")
            .order_by("agency__name", "full_name", "username")
        )

    def clean(self):
        data = super().clean()
        agencies = set(data.get("member_agencies") or [])
        outside = [u for u in data.get("members") or [] if u.agency not in agencies]
        if outside and "member_agencies" in data:
            names = ", ".join(u.full_name or u.username for u in outside)
            self.add_error(
                "members",
                f"Choose members from the member agencies, or add their agency: {names}",
            )
        return data


class ItemForm(GovukForm):
    title = _text("Title", max_length=200)
    partner_summary = _text(
        "Summary for partners",
        rows=3,
        help_text="Every member agency can read this: no grading or handling details",
    )
    full_summary = _text(
        "Full summary (police and chair only)", required=False, rows=4, help_text=""
    )


class RecordItemForm(GovukForm):
    discussion = _text(
        "Discussion summary",
        rows=4,
        required=False,
        help_text="Goes in the minutes every member agency receives",
    )
    decisions = _text("Decisions", rows=3, required=False)
    outcome = forms.ChoiceField(
        label="Does the item stay on the schedule?",
        choices=[
            (ItemStatus.KEPT_ON, "Keep it on the schedule for the next meeting"),
            (ItemStatus.CLOSED, "Close it"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the item stays on the schedule or closes"},
    )
    closure_reason = forms.ChoiceField(
        label="Why is it closing?",
        choices=ClosureReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    rationale = _text("Rationale for closing", rows=3, required=False)
    conditional_fields = {"outcome": {ItemStatus.CLOSED: ("closure_reason", "rationale")}}
    version = version_field()

    def clean(self):
        data = super().clean()
        if data.get("outcome") == ItemStatus.CLOSED:
            if not data.get("closure_reason"):
                self.add_error("closure_reason", "Choose why the item is closing")
            if not data.get("rationale"):
                self.add_error("rationale", "Enter the rationale for closing the item")
        return data


def owners_follow_agency(form: forms.Form) -> None:
    """The owner list follows the chosen agency.

    With JavaScript, htmx asks `tasking:owner-options` for the chosen agency's people whenever
    the agency changes. Without it every person is listed, and `clean` checks that the owner
    works for the agency, as before. A form that comes back with an agency chosen (an error
    elsewhere) lists that agency's people only, and says so if the owner is someone else's.
    """
    agency_field = form.fields["owning_agency"]
    agency_field.widget.attrs.update(
        {
            "hx-get": reverse("tasking:owner-options"),
            "hx-target": "#id_owner",
            "hx-swap": "innerHTML",
            "hx-trigger": "change",
        }
    )
    chosen = str(
        form.data.get(form.add_prefix("owning_agency"), "")
        if form.is_bound
        else form.initial.get("owning_agency", "")
    )
    agency = agency_field.queryset.filter(pk=chosen).first() if chosen.isdigit() else None
    if agency is not None:
        owner = form.fields["owner"]
        owner.queryset = owner.queryset.filter(agency=agency)
        owner.error_messages["invalid_choice"] = f"Choose someone who works for {agency}"


class ActionForm(GovukForm):
    title = _text("What is to be done", max_length=200)
    description = _text("Detail", rows=3, required=False)
    owning_agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.filter(is_active=True),
        error_messages={"required": "Choose the agency", "invalid_choice": "Choose the agency"},
    )
    owner = UserChoiceField(
        label="Named owner",
        queryset=User.objects.filter(is_active=True).select_related("agency"),
        help_text="Someone who works for that agency",
        error_messages={"required": "Choose the owner", "invalid_choice": "Choose the owner"},
    )
    due_on = _date("Due date")
    priority = forms.ChoiceField(
        label="Priority",
        choices=Priority.choices,
        initial=Priority.MEDIUM,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the priority"},
    )

    def __init__(self, *args, today: date, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if agencies is not None:
            self.fields["owning_agency"].queryset = agencies
            self.fields["owner"].queryset = (
                User.objects.filter(is_active=True, agency__in=agencies)
                .select_related("agency")
                .order_by("agency__name", "full_name")
            )
        owners_follow_agency(self)

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < self.today:
            raise forms.ValidationError("The due date must be today or in the future")
        return due_on

    def clean(self):
        data = super().clean()
        agency, owner = data.get("owning_agency"), data.get("owner")
        if agency and owner and owner.agency_id != agency.pk:
            self.add_error("owner", f"Choose someone who works for {agency}")
        return data


class UpdateForm(GovukForm):
    note = _text("Update", rows=3, error="Enter the update")


class CompleteForm(GovukForm):
    result = _text(
        "Result", rows=4, help_text="What was done and what it found", error="Enter the result"
    )
    version = version_field()


class DueDateForm(GovukForm):
    due_on = _date("New due date")
    reason = _text("Reason for the change", rows=2, error="Enter the reason for the change")
    version = version_field()


OVERDUE_CHOICES = [("", "All"), ("yes", "Overdue only")]


class ScheduleFilterForm(GovukForm):
    """The schedule's filters, from the query string: a wrong value is named, not a 500."""

    meeting = forms.ModelChoiceField(
        queryset=Meeting.objects.all(),
        required=False,
        error_messages={"invalid_choice": "That meeting is not one you can filter by"},
    )
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        error_messages={"invalid_choice": "That agency is not one you can filter by"},
    )
    owner = forms.ModelChoiceField(
        queryset=User.objects.all(),
        required=False,
        error_messages={"invalid_choice": "That owner is not one you can filter by"},
    )
    status = forms.ChoiceField(
        choices=[("", "All"), *ActionStatus.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a status from the list"},
    )
    overdue = forms.ChoiceField(
        choices=OVERDUE_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Overdue is 'yes' or empty"},
    )


class PlanForm(GovukForm):
    subject_kind = forms.ChoiceField(
        label="Who or what is the plan about?",
        choices=SubjectKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a nominal, a location or a vehicle"},
    )
    subject_description = _text(
        "Description of the subject",
        max_length=200,
        help_text="For example a nominal's name, an address or a vehicle registration",
    )
    aim = _text("Aim of the plan", rows=3)
    review_on = _date("Review date")


class PlanTacticForm(GovukForm):
    tactic = forms.ModelChoiceField(
        label="Tactic",
        queryset=Tactic.objects.filter(is_active=True),
        error_messages={"required": "Choose a tactic", "invalid_choice": "Choose a tactic"},
    )
    owning_agency = ActionForm.base_fields["owning_agency"]
    owner = ActionForm.base_fields["owner"]
    due_on = _date("Due date")
    detail = _text("Detail", rows=3, required=False)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        owners_follow_agency(self)

    clean_due_on = ActionForm.clean_due_on

    def clean(self):
        data = super().clean()
        agency, owner, tactic = data.get("owning_agency"), data.get("owner"), data.get("tactic")
        if agency and owner and owner.agency_id != agency.pk:
            self.add_error("owner", f"Choose someone who works for {agency}")
        if agency and tactic and agency.kind != tactic.agency_kind:
            kind = AgencyKind(tactic.agency_kind).label.lower()
            self.add_error("owning_agency", f"{tactic.name} needs a {kind} agency")
        return data


class PlanUpdateForm(GovukForm):
    status = forms.ChoiceField(label="Status", choices=PlanStatus.choices, widget=forms.RadioSelect)
    review_on = _date("Review date")
    outcome = _text("Outcome", rows=3, required=False, help_text="Needed to close the plan")
    version = version_field()

    def clean(self):
        data = super().clean()
        if data.get("status") == PlanStatus.CLOSED and not data.get("outcome"):
            self.add_error("outcome", "Enter the outcome before closing the plan")
        return data


class TacticForm(GovukForm):
    name = _text("Tactic", max_length=120)
    agency_kind = forms.ChoiceField(
        label="Kind of agency that holds the power",
        choices=AgencyKind.choices,
        error_messages={"required": "Choose the kind of agency"},
    )
    power = _text("Power used", max_length=200, required=False)
    is_active = forms.BooleanField(label="In use", required=False, initial=True)
    version = version_field()


class OperationForm(GovukForm):
    name = _text("Operation name", max_length=120)
    summary = _text("Summary", rows=3)
    started_on = _date("Start date")


class OperationUpdateForm(GovukForm):
    status = forms.ChoiceField(
        label="Status", choices=OperationStatus.choices, widget=forms.RadioSelect
    )
    summary = _text("Summary", rows=3)
    version = version_field()


class OperationLinkForm(GovukForm):
    subject_kind = forms.ChoiceField(
        label="Nominal or location",
        choices=[c for c in SubjectKind.choices if c[0] != SubjectKind.VEHICLE],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a nominal or a location"},
    )
    description = _text("Description", max_length=200)


class RouteForm(GovukForm):
    interval_days = forms.IntegerField(
        label="Days between escalation levels",
        min_value=1,
        max_value=60,
        error_messages={
            "required": "Enter the days between escalation levels",
            "invalid": "Enter the days as a number, like 7",
            "min_value": "Enter at least 1 day",
            "max_value": "Enter no more than 60 days",
        },
    )
    reminder_days_before = forms.IntegerField(
        label="Days before the due date to remind the owner",
        min_value=0,
        max_value=30,
        error_messages={
            "required": "Enter the days before the due date",
            "invalid": "Enter the days as a number, like 2",
            "min_value": "Enter 0 or more days",
            "max_value": "Enter no more than 30 days",
        },
    )
    version = version_field()


class ChargeForm(GovukForm):
    """A charge: the nominal, the offence and the date, with the operation and the child (the
    victim) when there is one. The nominal and operation lists are what the user may see."""

    nominal = forms.ModelChoiceField(
        label="Nominal charged",
        queryset=None,
        error_messages={
            "required": "Choose the nominal who was charged",
            "invalid_choice": "Choose a nominal from the list",
        },
    )
    offence = _text("Offence", max_length=200)
    charged_on = _date("Date of charge")
    operation = forms.ModelChoiceField(
        label="Operation (optional)",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": "Choose an operation from the list"},
    )
    child_reference = _text(
        "Child's reference (optional)",
        max_length=20,
        required=False,
        help_text="The victim's Lantern reference, if the charge relates to a child we hold",
    )

    def __init__(self, *args, user, today: date, **kwargs):
        from lantern.accounts.access import visible
        from lantern.risk.models import Nominal
        from lantern.tasking.models import Operation

        super().__init__(*args, **kwargs)
        self.user, self.today = user, today
        self.fields["nominal"].queryset = visible(user, Nominal.objects.all())
        self.fields["operation"].queryset = visible(user, Operation.objects.all())

    def clean_charged_on(self):
        day = self.cleaned_data["charged_on"]
        if day > self.today:
            raise forms.ValidationError("The date of charge must be today or in the past")
        return day

    def clean_child_reference(self):
        from lantern.accounts.access import visible
        from lantern.children.models import Child

        reference = self.cleaned_data["child_reference"].strip()
        self.child = None
        if not reference:
            return ""
        child = visible(self.user, Child.objects.filter(reference__iexact=reference)).first()
        if child is None:
            raise forms.ValidationError(
                "There is no child with that reference you can see; check the reference"
            )
        self.child = child
        return reference
