from __future__ import annotations

from datetime import date

from django import forms

from lantern.core.editing import version_field
from lantern.core.forms import GovukForm
from lantern.core.models import Ward
from lantern.core.periods import FIRST_YEAR, LAST_YEAR, Period, UnknownPeriod
from lantern.entities.models import DetailHandling, EntityKind, PremisesType


def dob_field() -> forms.DateField:
    """A person's date of birth, as the note, correction and mention forms ask for it."""
    return forms.DateField(
        label="Date of birth",
        required=False,
        widget=forms.DateInput,
        error_messages={
            "invalid": "Enter the date of birth as a real date, for example 2009-04-17"
        },
    )


def age_field(label: str, help_text: str = "") -> forms.IntegerField:
    """An estimated age in whole years, for when the date of birth is not known."""
    return forms.IntegerField(
        label=label,
        help_text=help_text,
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


def gender_field() -> forms.ChoiceField:
    """Gender as people's records hold it: "f" or "m" (the matching normaliser's form)."""
    return forms.ChoiceField(
        label="Gender",
        required=False,
        choices=[("", "Not known"), ("f", "Female"), ("m", "Male")],
    )


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
    dob = dob_field()
    age = age_field("Or their estimated age")
    gender = gender_field()
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


class EntityForm(GovukForm):
    """Correct an entity's details. The view keeps only the fields its kind has."""

    label = forms.CharField(
        label="Name shown for it",
        max_length=200,
        error_messages={"required": "Enter the name shown for this entity"},
    )
    first_name = forms.CharField(label="Given name", required=False, max_length=100)
    surname = forms.CharField(label="Surname", required=False, max_length=100)
    aliases = forms.CharField(
        label="Aliases",
        help_text="Other names it is known by, separated by commas",
        required=False,
        max_length=300,
    )
    dob = dob_field()
    age = age_field(
        "Or their estimated age today", "Leave empty to keep the estimate already recorded"
    )
    gender = gender_field()
    ethnicity = forms.CharField(label="Ethnicity", required=False, max_length=60)
    address = forms.CharField(label="Address", required=False, max_length=300)
    premises_type = forms.ChoiceField(
        label="Premises type", required=False, choices=[("", "Not known"), *PremisesType.choices]
    )
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    ward = forms.ModelChoiceField(
        label="Ward", queryset=Ward.objects.all(), required=False, empty_label="Not known"
    )
    latitude = forms.FloatField(
        label="Latitude",
        help_text="Decimal degrees, for example 53.4808",
        required=False,
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-10", "step": "any"}),
        error_messages={
            "invalid": "Enter the latitude as a number, for example 53.4808",
            "min_value": "Enter a latitude between -90 and 90",
            "max_value": "Enter a latitude between -90 and 90",
        },
    )
    longitude = forms.FloatField(
        label="Longitude",
        help_text="Decimal degrees, for example -2.2426",
        required=False,
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-10", "step": "any"}),
        error_messages={
            "invalid": "Enter the longitude as a number, for example -2.2426",
            "min_value": "Enter a longitude between -180 and 180",
            "max_value": "Enter a longitude between -180 and 180",
        },
    )
    make = forms.CharField(label="Make", required=False, max_length=60)
    model = forms.CharField(label="Model", required=False, max_length=60)
    colour = forms.CharField(label="Colour", required=False, max_length=30)
    platform = forms.CharField(label="Platform", required=False, max_length=60)
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    handling = forms.ChoiceField(
        label="Who may see the details you change?",
        help_text="Police only keeps them from partners who see this entity through a record "
        "of their own; details you leave as they are keep their own source",
        required=False,
        choices=DetailHandling.choices,
        initial=DetailHandling.POLICE,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Why are you correcting these details?",
        help_text="This is kept in the entity's history",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the details are being corrected"},
    )
    version = version_field()

    def __init__(self, *args, fields: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in fields and name not in ("handling", "reason", "version"):
                del self.fields[name]

    def clean_handling(self):
        # Left unanswered, the safer choice: police only.
        return self.cleaned_data.get("handling") or DetailHandling.POLICE

    def clean(self):
        data = super().clean()
        if data.get("dob") and data.get("age") is not None:
            self.add_error("age", "Give a date of birth or an estimated age, not both")
        half_a_pair = (data.get("latitude") is None) != (data.get("longitude") is None)
        if "latitude" in self.fields and half_a_pair and not self.errors.get("latitude"):
            self.add_error("longitude", "Give both the latitude and the longitude, or neither")
        return data


class MentionForm(GovukForm):
    """What a record says about one entity: its kind, how it was written, and details."""

    kind = forms.ChoiceField(
        label="What does the record mention?",
        choices=EntityKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the record mentions"},
    )
    text = forms.CharField(
        label="As written in the record",
        help_text="A registration (write an unread character as ?), phone number, email, "
        "address or place name, @handle or organisation. For a person, their name.",
        required=False,
        max_length=300,
    )
    first_name = forms.CharField(label="Person's given name", required=False, max_length=100)
    surname = forms.CharField(label="Person's surname", required=False, max_length=100)
    dob = NoteForm.base_fields["dob"]
    age = NoteForm.base_fields["age"]
    gender = NoteForm.base_fields["gender"]
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    premises_type = forms.ChoiceField(
        label="Premises type (for a place)",
        required=False,
        choices=[("", "Not known"), *PremisesType.choices],
    )
    ward = forms.ModelChoiceField(
        label="Ward (for a place)",
        queryset=Ward.objects.all(),
        required=False,
        empty_label="Not known",
        error_messages={"invalid_choice": "Choose a ward from the list"},
    )
    make = forms.CharField(label="Vehicle make", required=False, max_length=60)
    model = forms.CharField(label="Vehicle model", required=False, max_length=60)
    colour = forms.CharField(label="Vehicle colour", required=False, max_length=30)
    platform = forms.CharField(
        label="Platform (for an online account)", required=False, max_length=60
    )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        has_name = data.get("first_name") or data.get("surname")
        if kind == EntityKind.PERSON:
            if not has_name and not data.get("text"):
                self.add_error("surname", "Enter the person's name")
        elif kind and not data.get("text"):
            self.add_error("text", "Enter the mention as it is written in the record")
        if data.get("dob") and data.get("age") is not None:
            self.add_error("age", "Give a date of birth or an estimated age, not both")
        return data

    def mention_input(self):
        """The mention as the services take it."""
        from lantern.entities.services import MentionInput

        data = self.cleaned_data
        kind = data["kind"]
        details: dict = {}
        raw = data["text"].strip()
        if kind == EntityKind.PERSON:
            details = {
                "first_name": data["first_name"],
                "surname": data["surname"],
                "dob": data["dob"].isoformat() if data["dob"] else "",
                "age": data["age"],
                "gender": data["gender"],
                "postcode": data["postcode"],
            }
            raw = raw or f"{data['first_name']} {data['surname']}".strip()
        elif kind == EntityKind.LOCATION:
            details = {
                "postcode": data["postcode"],
                "premises_type": data["premises_type"],
                "ward_id": data["ward"].pk if data["ward"] else None,
            }
        elif kind == EntityKind.VEHICLE:
            details = {"make": data["make"], "model": data["model"], "colour": data["colour"]}
        elif kind == EntityKind.ONLINE:
            details = {"platform": data["platform"]}
        return MentionInput(kind, raw, {k: v for k, v in details.items() if v not in ("", None)})
