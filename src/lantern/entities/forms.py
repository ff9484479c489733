from __future__ import annotations

from datetime import date

from django import forms

from lantern.core.forms import GovukForm
from lantern.core.models import Ward
from lantern.entities.models import EntityKind, PremisesType
from lantern.performance.periods import FIRST_YEAR, LAST_YEAR, Period, UnknownPeriod


class SearchForm(GovukForm):
    q = forms.CharField(
        label="Name, registration, phone number, postcode, email or handle",
        required=False,
        max_length=200,
    )
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Any kind"), *EntityKind.choices],
    )


class NoteForm(GovukForm):
    """A note and what it mentions: a person's details, and identifiers found in the text."""

    text = forms.CharField(
        label="What do you know?",
        help_text="Registrations, phone numbers, postcodes, emails and @handles in the text "
        "are offered below for you to confirm.",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what you know"},
    )
    first_name = forms.CharField(label="Person's given name", required=False, max_length=100)
    surname = forms.CharField(label="Person's surname", required=False, max_length=100)
    dob = forms.DateField(
        label="Date of birth",
        required=False,
        widget=forms.DateInput,
        error_messages={
            "invalid": "Enter the date of birth as a real date, for example 2009-04-17"
        },
    )
    age = forms.IntegerField(
        label="Or their estimated age",
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "invalid": "Enter the estimated age in whole years, for example 16",
            "min_value": "Enter an age of 0 or more",
            "max_value": "Enter an age of 120 or less",
        },
    )
    gender = forms.ChoiceField(
        label="Gender",
        required=False,
        choices=[("", "Not known"), ("F", "Female"), ("M", "Male")],
    )
    postcode = forms.CharField(label="Person's postcode", required=False, max_length=10)
    candidates = forms.MultipleChoiceField(
        label="Found in the text: tick each one to record it as a mention",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].choices = [
            (c.key, f"{c.kind_label}: {c.text}") for c in candidates
        ]

    def clean(self):
        data = super().clean()
        has_name = data.get("first_name") or data.get("surname")
        if (data.get("dob") or data.get("age") is not None) and not has_name:
            self.add_error("surname", "Enter the person's name, or leave their details empty")
        if data.get("dob") and data.get("age") is not None:
            self.add_error("age", "Give a date of birth or an estimated age, not both")
        return data


class ExtractForm(GovukForm):
    text = forms.CharField(
        label="Text to look through",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter some text to look through"},
    )


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Is this the same?",
        choices=[("confirm", "Yes, link them"), ("reject", "No, they are different")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes or no"},
    )
    reason = forms.CharField(
        label="Reason (if they are different)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MergeForm(GovukForm):
    other = forms.IntegerField(
        label="Reference number of the entity to merge into this one",
        help_text="It is shown on the entity's page, for example E-1234. Enter the number.",
        min_value=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={
            "required": "Enter the reference number of the other entity",
            "invalid": "Enter the reference number as digits, for example 1234",
        },
    )
    reason = forms.CharField(
        label="Why are they the same?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why these are the same"},
    )


class SplitForm(GovukForm):
    reason = forms.CharField(
        label="Why are they not the same?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why these are not the same"},
    )


class HotspotForm(GovukForm):
    """Which hot spots to show: a named period (a quarter, month or financial year) or dates,
    a ward and a premises type. Every bad value gets an error beside its field."""

    period = forms.CharField(
        label="Period",
        help_text="A quarter like 2014/15-Q2, a month like 2014-07 or a financial year like "
        "2014/15. Or leave it empty and give dates below.",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    period_start = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput,
        error_messages={"invalid": "Enter a real date, for example 2025-04-01"},
    )
    period_end = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput,
        error_messages={"invalid": "Enter a real date, for example 2025-06-30"},
    )
    ward = forms.ModelChoiceField(
        label="Ward",
        queryset=Ward.objects.all(),
        required=False,
        empty_label="All wards",
        error_messages={"invalid_choice": "Choose a ward from the list"},
    )
    premises_type = forms.ChoiceField(
        label="Premises type",
        required=False,
        choices=[("", "All types"), *PremisesType.choices],
        error_messages={"invalid_choice": "Choose a premises type from the list"},
    )

    def clean_period(self):
        text = self.cleaned_data["period"].strip()
        if not text:
            return None
        try:
            return Period.parse(text)
        except UnknownPeriod as error:
            raise forms.ValidationError(str(error)) from error

    def clean_period_start(self):
        return _within_range(self.cleaned_data["period_start"])

    def clean_period_end(self):
        return _within_range(self.cleaned_data["period_end"])

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if data.get("period") and (start or end):
            self.add_error("period", "Choose a period or dates, not both")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be on or after its start")
        return data


def _within_range(day):
    if day is not None and not (date(FIRST_YEAR, 1, 1) <= day <= date(LAST_YEAR, 12, 31)):
        raise forms.ValidationError(
            f"Enter a date between {FIRST_YEAR} and {LAST_YEAR}, for example 2025-04-01"
        )
    return day
