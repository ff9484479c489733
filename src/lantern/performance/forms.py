from __future__ import annotations

from django import forms

from lantern.accounts.models import Agency
from lantern.core.editing import version_field
from lantern.core.forms import GovukForm, GovukModelForm
from lantern.core.periods import UnknownPeriod
from lantern.performance.models import Kind, Measure, Status
from lantern.performance.services import parse_period


class PeriodField(forms.CharField):
    """A period typed as text, checked against the kinds allowed."""

    def __init__(self, *args, kinds=("quarter", "year"), **kwargs):
        self.kinds = kinds
        example = {"quarter": "2014/15-Q2", "year": "2014/15", "month": "2014-07"}
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", "For example, " + " or ".join(example[k] for k in kinds))
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
        )
        super().__init__(*args, **kwargs)
        self.error_messages["required"] = "Enter the period, " + self.help_text.lower()

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_period(value, kinds=self.kinds)
        except UnknownPeriod as error:
            raise forms.ValidationError(str(error)) from None


class PeriodForm(GovukForm):
    """A quarter or a financial year: the data summary, publishing, the problem profile."""

    period = PeriodField(label="Quarter or financial year")


class QuarterForm(GovukForm):
    """A quarter only: the quarterly report to Cabinet."""

    period = PeriodField(label="Quarter", kinds=("quarter",))


class MonthForm(GovukForm):
    month = PeriodField(label="Month", kinds=("month",))


class MeasureForm(GovukModelForm):
    version = version_field()

    class Meta:
        model = Measure
        fields = [
            "name",
            "priority",
            "section",
            "definition",
            "unit",
            "kind",
            "timing",
            "polarity",
            "owner",
            "source_name",
            "target",
            "caveat",
            "components",
        ]
        labels = {
            "definition": "Definition in plain words",
            "kind": "Where the figure comes from",
            "timing": "Snapshot or flow",
            "polarity": "Which direction is better",
            "owner": "Owning agency (it enters the figures)",
            "target": "Target (optional)",
            "source_name": "Source of the figures (optional)",
            "caveat": "Caveat shown with every figure (optional)",
            "components": "This measure is the total of (optional)",
        }
        widgets = {
            "unit": forms.RadioSelect,
            "kind": forms.RadioSelect,
            "timing": forms.RadioSelect,
            "polarity": forms.RadioSelect,
            "components": forms.CheckboxSelectMultiple,
            "definition": forms.Textarea(attrs={"rows": 3}),
            "caveat": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (Kind.ENTERED, Kind.ENTERED.label),
            (Kind.IMPORTED, Kind.IMPORTED.label),
        ]
        self.fields["owner"].queryset = Agency.objects.filter(is_active=True)
        self.fields["owner"].required = False
        components = Measure.objects.filter(is_active=True)
        if self.instance.pk:
            components = components.exclude(pk=self.instance.pk).filter(
                priority=self.instance.priority
            )
        self.fields["components"].queryset = components
        self.fields["components"].required = False
        self.fields["name"].error_messages["required"] = "Enter the measure's name"
        self.fields["section"].error_messages["required"] = "Enter the section it belongs to"

    def clean(self):
        data = super().clean()
        if data.get("kind") == Kind.ENTERED and not data.get("owner"):
            self.add_error("owner", "Choose the agency that enters this measure's figures")
        target = data.get("target")
        if target is not None and target < 0:
            self.add_error("target", "The target cannot be negative")
        if data.get("name") and data.get("unit"):
            from lantern.performance.services import computed_twin_message, computed_twin_of

            probe = Measure(code=self.instance.code or "", name=data["name"], unit=data["unit"])
            twin = computed_twin_of(probe)
            if twin is not None:
                self.add_error("name", computed_twin_message(twin))
        return data


class RequestFiguresForm(GovukForm):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(is_active=True),
        label="Agency",
        error_messages={"required": "Choose the agency to ask"},
    )
    period = PeriodField(label="Period", kinds=("quarter", "year"))
    due_on = forms.DateField(
        label="Figures due by (optional)",
        required=False,
        error_messages={"invalid": "Enter the date the figures are due, like 2014-10-15"},
    )


class FiguresForm(GovukForm):
    """One value, status and note for each of an agency's measures."""

    def __init__(self, *args, measures, initial_values=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = list(measures)
        initial_values = initial_values or {}
        for measure in self.measures:
            stored = initial_values.get(measure.pk)
            unit = "a percentage, like 40%" if measure.unit == "percentage" else "a whole number"
            self.fields[f"{measure.code}-value"] = forms.CharField(
                label=measure.name,
                required=False,
                max_length=20,
                help_text=f"{measure.get_timing_display()}: {unit}",
                initial=_shown(stored),
                widget=forms.TextInput(
                    attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}
                ),
            )
            self.fields[f"{measure.code}-status"] = forms.ChoiceField(
                label=f"Status of “{measure.name}”",
                choices=Status.choices,
                initial=stored.status if stored else Status.REPORTED,
                widget=forms.RadioSelect,
            )
            self.fields[f"{measure.code}-note"] = forms.CharField(
                label=f"Note on “{measure.name}” (optional)",
                required=False,
                max_length=2000,
                initial=stored.note if stored else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        from lantern.core.forms import govuk_widget

        for field in self.fields.values():
            field.widget = govuk_widget(field.widget)

    def groups(self):
        """(measure, value field, status field, note field) for the template."""
        return [
            (m, self[f"{m.code}-value"], self[f"{m.code}-status"], self[f"{m.code}-note"])
            for m in self.measures
        ]


class ObjectiveChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.ref} {obj.title} ({obj.strategy.name})"


class ObjectiveUpdateForm(GovukForm):
    period = PeriodField(label="Quarter", kinds=("quarter",))
    objective = ObjectiveChoiceField(
        label="Strategic objective",
        help_text="The delivery plan objective this update is about",
        queryset=None,
        error_messages={
            "required": "Choose the strategic objective this update is about",
            "invalid_choice": "Choose a strategic objective from the list",
        },
    )
    achievements = forms.CharField(
        label="Achievements this quarter", widget=forms.Textarea, required=False, max_length=10000
    )
    next_steps = forms.CharField(
        label="Next steps", widget=forms.Textarea, required=False, max_length=10000
    )
    version = version_field()

    def __init__(self, *args, **kwargs):
        from lantern.plans.models import Objective

        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = Objective.objects.select_related(
            "strategy", "priority"
        ).order_by("-strategy__start_year", "strategy__name", "priority__position", "position")

    def clean(self):
        data = super().clean()
        if (
            not (data.get("achievements") or "").strip()
            and not (data.get("next_steps") or "").strip()
        ):
            self.add_error("achievements", "Write the achievements, the next steps, or both")
        return data


def _shown(stored) -> str:
    if stored is None or stored.value is None:
        return ""
    from lantern.performance.summary import format_number

    return format_number(stored.value, stored.measure.unit)


class YearForm(GovukForm):
    """A financial year: the annual report and its finance table."""

    period = PeriodField(label="Financial year", kinds=("year",))


class FinanceLineForm(GovukForm):
    year = PeriodField(label="Financial year", kinds=("year",))
    kind = forms.ChoiceField(
        label="What it is",
        choices=[
            ("direct", "Direct cost of a service"),
            ("indirect", "Indirect contribution"),
            ("award", "Funding award"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a direct cost, an indirect contribution or an award"},
    )
    partner = forms.CharField(
        label="Partner", max_length=200, error_messages={"required": "Enter the partner"}
    )
    item = forms.CharField(
        label="Service, contribution or award",
        max_length=300,
        error_messages={"required": "Enter the service, contribution or award"},
    )
    actual = forms.CharField(
        label="Actual amount (optional)",
        required=False,
        max_length=20,
        help_text="In pounds, like 120000 or £21,000",
    )
    proposed = forms.CharField(label="Proposed amount (optional)", required=False, max_length=20)
    note = forms.CharField(
        label="Note (optional)", required=False, max_length=2000, widget=forms.Textarea
    )

    def clean(self):
        from lantern.performance.annual import AnnualRefused, parse_money

        data = super().clean()
        for field in ("actual", "proposed"):
            try:
                data[f"{field}_value"] = parse_money(data.get(field, ""), field)
            except AnnualRefused as error:
                self.add_error(field, str(error))
        return data


class CaseStudyForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of story",
        choices=[("case_study", "Case study"), ("good_news", "Good news story")],
        widget=forms.RadioSelect,
        initial="case_study",
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    text = forms.CharField(
        label="The story",
        help_text="Anonymised: change names and any detail that could identify a child",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        error_messages={"required": "Write the story"},
    )
    consent_from = forms.CharField(
        label="Who consented (optional until approval)",
        required=False,
        max_length=200,
        help_text="For example, the young person and their mother",
    )
    consent_on = forms.DateField(
        label="Date consent was given (optional until approval)",
        required=False,
        error_messages={"invalid": "Enter the date consent was given, like 2015-05-01"},
    )


class ChooseStoryForm(GovukForm):
    period = PeriodField(label="Report to choose it into")


class ForwardPlanForm(GovukForm):
    topic = forms.CharField(
        label="Topic", max_length=300, error_messages={"required": "Enter the topic"}
    )
    meeting_on = forms.DateField(
        label="Scrutiny meeting",
        help_text="For example, 2015-01-14",
        error_messages={
            "required": "Enter the date of the meeting",
            "invalid": "Enter the date of the meeting, like 2015-01-14",
        },
    )
    report = forms.CharField(
        label="Report or update due (optional)", required=False, max_length=300
    )
    report_due_on = forms.DateField(
        label="Report due by (optional)",
        required=False,
        error_messages={"invalid": "Enter the date the report is due, like 2015-01-07"},
    )
    lead = forms.CharField(label="Who presents it (optional)", required=False, max_length=200)
