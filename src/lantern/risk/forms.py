"""Forms for risk assessments: one checkbox and one evidence box per indicator of a version."""

from __future__ import annotations

from django import forms

from lantern.accounts.models import User
from lantern.accounts.roles import Role
from lantern.core.forms import GovukForm, govuk_widget
from lantern.risk.levels import RiskLevel
from lantern.risk.models import Indicator, RiskAssessment, RiskToolVersion


class AssessmentForm(GovukForm):
    """The indicators of one tool version, each with a box for the evidence."""

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
            self.fields[f"ind_{indicator.pk}"] = forms.BooleanField(
                label=indicator.text, required=False
            )
            self.fields[f"evidence_{indicator.pk}"] = forms.CharField(
                label=f"Evidence: {indicator.text}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["notes"] = forms.CharField(
            label="Overall notes (optional)", widget=forms.Textarea, required=False
        )
        for field in self.fields.values():
            field.widget = govuk_widget(field.widget)

    def clean(self):
        data = super().clean()
        ticked = {}
        for indicator in self.indicators:
            evidence = (data.get(f"evidence_{indicator.pk}") or "").strip()
            if data.get(f"ind_{indicator.pk}"):
                if not evidence:
                    self.add_error(
                        f"evidence_{indicator.pk}",
                        f"Enter the evidence for \u201c{indicator.text}\u201d",
                    )
                ticked[indicator.pk] = evidence
            elif evidence:
                self.add_error(
                    f"ind_{indicator.pk}",
                    "Tick this indicator, or remove the evidence you gave for it",
                )
        data["ticked"] = ticked
        return data

    def groups(self) -> list[dict]:
        """The form's fields grouped as the tool groups its indicators, for the template."""
        grouped: dict[int, dict] = {}
        for indicator in self.indicators:
            group = grouped.setdefault(indicator.group_id, {"group": indicator.group, "rows": []})
            group["rows"].append(
                (indicator, self[f"ind_{indicator.pk}"], self[f"evidence_{indicator.pk}"])
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
        label="Approved by",
        error_messages={"required": "Choose who approved the override"},
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
