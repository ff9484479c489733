"""Forms for the delivery plan, rendered in GOV.UK markup by the project's form renderer."""

from __future__ import annotations

import calendar
from datetime import date

from django import forms

from lantern.accounts.models import User
from lantern.core.editing import version_field
from lantern.core.forms import GovukForm
from lantern.plans.models import Brag
from lantern.plans.spreadsheets import MAX_IMPORT_BYTES

MONTHS = [("", "Month")] + [(str(i), calendar.month_name[i]) for i in range(1, 13)]


class VersionedForm(GovukForm):
    version = version_field()


class StrategyForm(VersionedForm):
    name = forms.CharField(
        label="Name", max_length=200, help_text="For example, CSE delivery plan 2025-28"
    )
    start_year = forms.IntegerField(label="First year", min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label="Last year", min_value=2000, max_value=2100)
    governance = forms.CharField(
        label="Governance",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who owns the plan and how its delivery is overseen. It comes first on the "
        "plan on a page.",
    )
    vision = forms.CharField(
        label="Vision", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start_year", "end_year"):
            self.fields[name].widget.attrs["class"] += " govuk-input--width-4"
            self.fields[name].error_messages["required"] = "Enter the year, like 2025"
        self.fields["name"].error_messages["required"] = "Enter the strategy's name"

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", "The last year must be the same as or after the first year")
        return data


class PriorityForm(VersionedForm):
    name = forms.CharField(label="Name", max_length=100)
    description = forms.CharField(
        label="What it means", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    position = forms.IntegerField(
        label="Position in the plan", min_value=1, max_value=99, help_text="1 comes first"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter the priority's name"
        self.fields["position"].widget.attrs["class"] += " govuk-input--width-2"


class ObjectiveForm(VersionedForm):
    priority = forms.ModelChoiceField(label="Priority", queryset=None, empty_label=None)
    ref = forms.CharField(label="Number", max_length=20, help_text="For example, 2.3")
    title = forms.CharField(label="Strategic objective", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = strategy.priorities.all()
        self.fields["ref"].widget.attrs["class"] += " govuk-input--width-5"
        self.fields["ref"].error_messages["required"] = "Enter the objective's number, like 2.3"
        self.fields["title"].error_messages["required"] = "Enter the strategic objective"


class MonthField(forms.MultiValueField):
    """A due month as two questions: month and year."""

    def __init__(self, **kwargs):
        fields = (
            forms.ChoiceField(choices=MONTHS, required=False),
            forms.IntegerField(min_value=2000, max_value=2100, required=False),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)
        self.widget = MonthWidget()

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        month, year = data_list
        if not month or not year:
            raise forms.ValidationError("Enter the due month and the year, like March 2026")
        return date(int(year), int(month), 1)


class MonthWidget(forms.MultiWidget):
    template_name = "plans/widgets/month.html"

    def __init__(self):
        super().__init__(
            widgets=[
                forms.Select(choices=MONTHS),
                forms.NumberInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
            ]
        )

    def decompress(self, value):
        if value:
            return [str(value.month), value.year]
        return ["", None]


class ActionForm(VersionedForm):
    objective = forms.ModelChoiceField(label="Strategic objective", queryset=None, empty_label=None)
    text = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 3}))
    lead = forms.ModelChoiceField(
        label="Lead officer",
        queryset=None,
        required=False,
        empty_label="No lead officer yet",
        help_text="Add someone new on the lead officers page first",
    )
    due = MonthField(label="Due month", required=False)
    recommendations = forms.ModelMultipleChoiceField(
        label="Recommendations this action answers",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = strategy.objectives.all()
        self.fields["objective"].label_from_instance = lambda o: f"{o.ref} {o.title[:90]}"
        self.fields["lead"].queryset = strategy.lead_officers.all()
        self.fields["lead"].label_from_instance = lambda lead: lead.label
        self.fields["recommendations"].queryset = strategy.recommendations.all()
        self.fields["text"].error_messages["required"] = "Enter what the action is"
        if not strategy.recommendations.exists():
            del self.fields["recommendations"]


class ProgressForm(VersionedForm):
    brag = forms.ChoiceField(
        label="BRAG rating",
        choices=[c for c in Brag.choices if c[0]],
        widget=forms.RadioSelect,
    )
    evidence = forms.CharField(
        label="Evidence of progress",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What has been done since the last update, and what happens next",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["brag"].error_messages["required"] = "Choose a BRAG rating"


class WithdrawForm(GovukForm):
    reason = forms.CharField(
        label="Why is this action being withdrawn?", widget=forms.Textarea(attrs={"rows": 3})
    )


class LeadOfficerForm(VersionedForm):
    name = forms.CharField(label="Name", max_length=200)
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    agency = forms.CharField(label="Agency", max_length=200, required=False)
    user = forms.ModelChoiceField(
        label="Lantern account",
        # Staff of a partner agency only: members of the public never lead plan actions.
        queryset=User.objects.filter(is_active=True, agency__isnull=False).select_related("agency"),
        required=False,
        empty_label="No account",
        help_text="Linking an account lets them add evidence and change the BRAG rating of the "
        "actions they lead",
    )
    email = forms.EmailField(
        label="Email for reminders",
        required=False,
        help_text="Only needed when they have no account",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "Enter the lead officer's name"
        self.fields["user"].label_from_instance = lambda u: f"{u} ({u.agency or 'no agency'})"


class RecommendationForm(VersionedForm):
    source = forms.CharField(
        label="Source", max_length=200, help_text="For example, Independent inquiry 2024"
    )
    reference = forms.CharField(
        label="Reference",
        max_length=60,
        help_text="For example, recommendation 3 or motion point 4",
    )
    text = forms.CharField(
        label="What it asks for", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].error_messages["required"] = (
            "Enter where the recommendation comes from"
        )
        self.fields["reference"].error_messages["required"] = (
            "Enter its number, like recommendation 3"
        )


class PublishForm(GovukForm):
    comment = forms.CharField(
        label="What does this version change?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, BRAG rating updates from action leads",
    )
    major = forms.BooleanField(
        label="This is a major version (for example, approved by the board)", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].error_messages["required"] = "Say what this version changes"


class ImportForm(GovukForm):
    file = forms.FileField(
        label="Upload a spreadsheet",
        help_text="CSV or Excel (XLSX), up to 2 MB, with the columns priority, objective_ref, "
        "objective, action, lead, due, evidence and status",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].error_messages["required"] = "Choose a CSV or XLSX file to upload"
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file must be smaller than 2 MB")
        if upload.size == 0:
            raise forms.ValidationError("The file is empty")
        return upload
