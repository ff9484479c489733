"""Forms for risk assessments: one checkbox and one evidence box per indicator of a version."""

from __future__ import annotations

from django import forms

from lantern.accounts.models import User
from lantern.accounts.roles import Role
from lantern.core.demographics import Ethnicity, Gender
from lantern.core.editing import version_field
from lantern.core.forms import GovukForm, govuk_widget
from lantern.risk.levels import RiskLevel
from lantern.risk.models import Indicator, IndicatorAnswer, RiskAssessment, RiskToolVersion

NOTHING_RECORDED = (
    "Record each indicator as present, absent or not known: nothing has been recorded yet"
)


class AssessmentForm(GovukForm):
    """The indicators of one tool version: for each, present, absent or not known, and a box
    for the evidence. Nothing is assumed: an indicator left unanswered is an error."""

    assessed_on = forms.DateField(
        label="Date of the assessment",
        widget=forms.DateInput,
        error_messages={
            "required": "Enter the date of the assessment",
            "invalid": "Enter the date of the assessment as a real date",
        },
    )

    def __init__(self, *args, version: RiskToolVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.indicators = list(
            Indicator.objects.filter(group__version=version).select_related("group")
        )
        for indicator in self.indicators:
            self.fields[f"answer_{indicator.pk}"] = forms.ChoiceField(
                label=indicator.text,
                required=False,
                choices=IndicatorAnswer.choices,
                widget=forms.RadioSelect,
                help_text=indicator.guidance,
            )
            self.fields[f"evidence_{indicator.pk}"] = forms.CharField(
                label=f"Evidence: {indicator.text}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Required when the indicator is present",
            )
        self.fields["notes"] = forms.CharField(
            label="Overall notes (optional)", widget=forms.Textarea, required=False
        )
        for field in self.fields.values():
            field.widget = govuk_widget(field.widget)

    def clean(self):
        data = super().clean()
        given = {i.pk: data.get(f"answer_{i.pk}") or "" for i in self.indicators}
        recorded = {a for a in given.values() if a}
        if self.indicators and (not recorded or recorded == {IndicatorAnswer.NOT_KNOWN}):
            message = (
                NOTHING_RECORDED
                if not recorded
                else "Record at least one indicator as present or absent: with every indicator "
                "not known this would not be an assessment"
            )
            self.add_error(f"answer_{self.indicators[0].pk}", message)
            return data
        by_answer: dict[str, dict[int, str]] = {a: {} for a in IndicatorAnswer.values}
        for indicator in self.indicators:
            answer = given[indicator.pk]
            evidence = (data.get(f"evidence_{indicator.pk}") or "").strip()
            if not answer:
                self.add_error(
                    f"answer_{indicator.pk}",
                    f"Choose whether \u201c{indicator.text}\u201d is present, absent or not known",
                )
            elif answer == IndicatorAnswer.PRESENT and not evidence:
                self.add_error(
                    f"evidence_{indicator.pk}",
                    f"Enter the evidence for \u201c{indicator.text}\u201d",
                )
            else:
                by_answer[answer][indicator.pk] = evidence
        data["ticked"] = by_answer[IndicatorAnswer.PRESENT]
        data["absent"] = by_answer[IndicatorAnswer.ABSENT]
        data["not_known"] = by_answer[IndicatorAnswer.NOT_KNOWN]
        return data

    def groups(self) -> list[dict]:
        """The form's fields grouped as the tool groups its indicators, for the template."""
        grouped: dict[int, dict] = {}
        for indicator in self.indicators:
            group = grouped.setdefault(indicator.group_id, {"group": indicator.group, "rows": []})
            group["rows"].append(
                (indicator, self[f"answer_{indicator.pk}"], self[f"evidence_{indicator.pk}"])
            )
        return list(grouped.values())


class OverrideForm(GovukForm):
    level = forms.ChoiceField(
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        label="Level in your professional judgement",
        error_messages={"required": "Choose the level in your professional judgement"},
    )
    rationale = forms.CharField(
        label="Rationale",
        widget=forms.Textarea,
        help_text="Why the computed level does not reflect the risk: what you know that the "
        "indicators do not show",
        error_messages={"required": "Enter the rationale for your professional judgement"},
    )
    approver = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Approver",
        help_text="They are asked to approve it; until they do, the computed level counts",
        error_messages={"required": "Choose who must approve the override"},
    )

    def __init__(self, *args, assessment: RiskAssessment, **kwargs):
        super().__init__(*args, **kwargs)
        role = Role.MACE_CHAIR if assessment.child_id else Role.POLICE_SUPERVISOR
        self.fields["approver"].queryset = User.objects.filter(
            is_active=True, role_assignments__role=role
        ).exclude(pk=assessment.assessed_by_id)


class NominalForm(GovukForm):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the nominal's name"}
    )
    alias = forms.CharField(label="Alias (optional)", max_length=200, required=False)
    date_of_birth = forms.DateField(
        label="Date of birth (optional)",
        required=False,
        widget=forms.DateInput,
        error_messages={"invalid": "Enter the date of birth as a real date"},
    )
    gender = forms.ChoiceField(
        label="Gender (optional)", required=False, choices=[("", "Not recorded"), *Gender.choices]
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity (optional)",
        required=False,
        choices=[("", "Not recorded"), *Ethnicity.choices],
    )
    version = version_field()


class DecisionForm(GovukForm):
    """The named approver's decision on a professional judgement override."""

    decision = forms.ChoiceField(
        choices=[("approve", "Approve the override"), ("decline", "Decline the override")],
        widget=forms.RadioSelect,
        label="Your decision",
        error_messages={"required": "Choose whether you approve or decline the override"},
    )
    note = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Required when you decline: the assessor sees it",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not (data.get("note") or "").strip():
            self.add_error("note", "Enter why you are declining the override")
        return data


# --- Authoring tool versions ------------------------------------------------------------------


class GuidanceForm(GovukForm):
    guidance = forms.CharField(
        label="Guidance for assessors",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )


class GroupForm(GovukForm):
    name = forms.CharField(
        label="Group name", max_length=200, error_messages={"required": "Enter the group's name"}
    )
    guidance = forms.CharField(
        label="Guidance (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    order = forms.IntegerField(
        label="Position",
        min_value=0,
        initial=0,
        help_text="Groups are shown in this order, lowest first",
        error_messages={
            "required": "Enter the group's position",
            "invalid": "Enter the position as a whole number",
            "min_value": "The position cannot be negative",
        },
    )


class IndicatorForm(GovukForm):
    text = forms.CharField(
        label="Indicator", max_length=300, error_messages={"required": "Enter the indicator"}
    )
    guidance = forms.CharField(
        label="Guidance (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    weight = forms.IntegerField(
        label="Weight",
        min_value=0,
        max_value=100,
        help_text="Added to the score when the indicator is ticked",
        error_messages={
            "required": "Enter the indicator's weight",
            "invalid": "Enter the weight as a whole number",
            "min_value": "The weight cannot be negative",
            "max_value": "The weight must be 100 or less",
        },
    )
    order = forms.IntegerField(
        label="Position",
        min_value=0,
        initial=0,
        error_messages={
            "required": "Enter the indicator's position",
            "invalid": "Enter the position as a whole number",
            "min_value": "The position cannot be negative",
        },
    )


class BandsForm(GovukForm):
    """One row per level: the lowest and highest score that maps to it. Leave a level's
    scores blank to leave it out; leave the highest band's upper score blank (no limit)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = list(RiskLevel.choices)
        for value, label in self.levels:
            self.fields[f"{value}_min"] = forms.IntegerField(
                label=f"{label}: from score",
                min_value=0,
                required=False,
                error_messages={
                    "invalid": "Enter the score as a whole number",
                    "min_value": "The score cannot be negative",
                },
            )
            self.fields[f"{value}_max"] = forms.IntegerField(
                label=f"{label}: to score (blank for no upper limit)",
                min_value=0,
                required=False,
                error_messages={
                    "invalid": "Enter the score as a whole number",
                    "min_value": "The score cannot be negative",
                },
            )
        for field in self.fields.values():
            field.widget = govuk_widget(field.widget)
            field.widget.attrs["class"] = "govuk-input govuk-input--width-4"

    @staticmethod
    def initial_for(bands) -> dict:
        initial = {}
        for band in bands:
            initial[f"{band.level}_min"] = band.min_score
            initial[f"{band.level}_max"] = band.max_score
        return initial

    def clean(self):
        from lantern.risk.engine import Band

        data = super().clean()
        bands = []
        for value, label in self.levels:
            low, high = data.get(f"{value}_min"), data.get(f"{value}_max")
            if low is None and high is None:
                continue
            if low is None:
                self.add_error(f"{value}_min", f"Enter the lowest score for {label.lower()}")
                continue
            if high is not None and high < low:
                self.add_error(f"{value}_max", "The upper score must not be below the lower")
                continue
            bands.append(Band(low, high, value))
        data["bands"] = bands
        return data

    def rows(self):
        return [(label, self[f"{value}_min"], self[f"{value}_max"]) for value, label in self.levels]
