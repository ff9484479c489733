"""Forms for children's records. Validation of the record's rules lives in services.py; these
forms check shape (required, formats) and the services refuse what the rules forbid."""

from __future__ import annotations

from django import forms

from lantern.accounts.models import Agency, User
from lantern.accounts.roles import Role
from lantern.children.models import (
    AllocationRole,
    Child,
    ContactDecision,
    ContactRoute,
    CseRole,
    ExitInterviewOutcome,
    InterviewOutcome,
    MaceOutcome,
    Service,
    ServiceReferralStatus,
    Threshold,
)
from lantern.core.editing import version_field
from lantern.core.forms import GovukForm, GovukModelForm
from lantern.risk.levels import RiskLevel

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MACE_ATTENDEE_ROWS = 6


def date_field(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text or "For example, 27 3 2015 (your browser may show a calendar)",
        widget=forms.DateInput,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a real date",
        },
    )


def datetime_field(label: str, required: bool = True) -> forms.DateTimeField:
    widget = forms.DateTimeInput(format=DATETIME_FORMAT)
    widget.input_type = "datetime-local"
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=widget,
        help_text="Date and time, for example 27 3 2015 21:30",
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a real date and time",
        },
    )


def radios(choices, label: str, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=choices,
        label=label,
        widget=forms.RadioSelect,
        error_messages={"required": f"Choose {label.lower()}"},
        **kwargs,
    )


class ChildForm(GovukModelForm):
    version = version_field()

    class Meta:
        model = Child
        fields = [
            "first_name",
            "last_name",
            "known_as",
            "date_of_birth",
            "gender",
            "ethnicity",
            "send",
            "looked_after",
            "placement",
            "placed_out_of_area",
            "school",
            "ward",
            "restricted",
        ]
        widgets = {"date_of_birth": forms.DateInput, "gender": forms.RadioSelect}
        labels = {
            "looked_after": "Looked after by the local authority",
            "placement": "Placement (if looked after)",
            "placed_out_of_area": "Placed outside the borough",
            "known_as": "Known as (optional)",
        }
        error_messages = {
            "first_name": {"required": "Enter the child's first name"},
            "last_name": {"required": "Enter the child's last name"},
            "date_of_birth": {
                "required": "Enter the child's date of birth",
                "invalid": "Enter the date of birth as a real date",
            },
            "gender": {"required": "Choose the child's gender"},
            "ethnicity": {"required": "Choose the child's ethnic group"},
        }


class EpisodeOpenForm(GovukForm):
    opened_on = date_field("Date opened")
    cse_role = radios(CseRole.choices, "Who leads")
    lead_team = forms.CharField(
        label="Lead team (if the CSE team supports)", required=False, max_length=200
    )


class EpisodeCloseForm(GovukForm):
    closed_on = date_field("Date closed")
    reason = forms.CharField(
        label="Why is the episode closing?",
        widget=forms.Textarea,
        error_messages={"required": "Enter why the episode is closing"},
    )
    exit_outcome = radios(ExitInterviewOutcome.choices, "Exit interview")
    exit_held_on = date_field("Date of the exit interview", required=False)
    child_views = forms.CharField(label="The child's views", widget=forms.Textarea, required=False)


class AllocationForm(GovukForm):
    worker = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True),
        label="Worker",
        error_messages={"required": "Choose the worker to allocate"},
    )
    role = radios(AllocationRole.choices, "Their role")
    started_on = date_field("Date allocated")


class ShareForm(GovukForm):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.filter(is_active=True),
        label="Partner agency",
        error_messages={"required": "Choose the agency to share with"},
    )
    lawful_basis = forms.CharField(
        label="Lawful basis for sharing",
        widget=forms.Textarea,
        error_messages={"required": "Enter the lawful basis for sharing"},
    )
    shared_on = date_field("Date shared")
    ends_on = date_field("Sharing ends on (optional)", required=False)


class ContactForm(GovukForm):
    received_on = date_field("Date received")
    route = radios(ContactRoute.choices, "How the contact came in")
    source = forms.CharField(
        label="Who made the contact",
        max_length=200,
        error_messages={"required": "Enter who made the contact"},
    )
    intake_reference = forms.CharField(
        label="Submission reference (optional)", max_length=40, required=False
    )
    about_cse = forms.BooleanField(
        label="The contact is about child sexual exploitation", required=False
    )
    summary = forms.CharField(
        label="What the contact said",
        widget=forms.Textarea,
        error_messages={"required": "Enter what the contact said"},
    )


class ContactDecisionForm(GovukForm):
    decision = radios(
        [c for c in ContactDecision.choices if c[0] != ContactDecision.PENDING], "The decision"
    )
    threshold = forms.ChoiceField(
        choices=[("", "Choose a level")] + list(Threshold.choices),
        label="Level of need (threshold descriptors)",
        required=False,
    )
    decided_on = date_field("Date decided")
    version = version_field()


class AssessmentCompleteForm(GovukForm):
    completed_on = date_field("Date the assessment was completed")
    outcome = forms.CharField(
        label="Outcome of the assessment",
        widget=forms.Textarea,
        error_messages={"required": "Enter the outcome of the assessment"},
    )
    version = version_field()


class MaceDiscussionForm(GovukForm):
    """The discussion of one child at MACE: up to six attendees' opinions, the agreed level."""

    held_on = date_field("Date of the meeting")
    chair = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True, role_assignments__role=Role.MACE_CHAIR),
        label="Chair",
        error_messages={"required": "Choose who chaired the meeting"},
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            # Recorded from a MACE meeting: who attended, from its series' members.
            self.fields["attendees"] = forms.ModelMultipleChoiceField(
                queryset=members,
                label="Who attended",
                help_text="Select the members of this MACE who were at the meeting",
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
            self.fields["guests"] = forms.CharField(
                label="Guests (optional)",
                help_text="Anyone else at the meeting: name and agency, one a line",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=2000,
            )
        level_choices = [("", "Choose a level")] + list(RiskLevel.choices)
        for row in range(1, MACE_ATTENDEE_ROWS + 1):
            self.fields[f"attendee_{row}"] = forms.CharField(
                label=f"Attendee {row}: name", required=False, max_length=200
            )
            self.fields[f"agency_{row}"] = forms.CharField(
                label=f"Attendee {row}: agency", required=False, max_length=200
            )
            self.fields[f"level_{row}"] = forms.ChoiceField(
                label=f"Attendee {row}: opinion of the risk",
                choices=level_choices,
                required=False,
            )
        self.fields["agreed_level"] = radios(RiskLevel.choices, "Level agreed by the meeting")
        self.fields["review_on"] = date_field(
            "Review date",
            required=False,
            help_text="Leave blank to use the usual interval for the level agreed",
        )
        self.fields["summary"] = forms.CharField(
            label="Summary of the discussion", widget=forms.Textarea, required=False
        )
        from lantern.core.forms import govuk_widget

        for field in self.fields.values():
            field.widget = govuk_widget(field.widget)

    def clean(self):
        data = super().clean()
        opinions = []
        for row in range(1, MACE_ATTENDEE_ROWS + 1):
            name = (data.get(f"attendee_{row}") or "").strip()
            agency = (data.get(f"agency_{row}") or "").strip()
            level = data.get(f"level_{row}") or ""
            if not (name or agency or level):
                continue
            if not name:
                self.add_error(f"attendee_{row}", f"Enter attendee {row}'s name")
            if not agency:
                self.add_error(f"agency_{row}", f"Enter attendee {row}'s agency")
            if not level:
                self.add_error(f"level_{row}", f"Choose attendee {row}'s opinion of the risk")
            opinions.append((name, agency, level))
        if not opinions:
            self.add_error("attendee_1", "Record at least one attendee's opinion")
        data["opinions"] = opinions
        return data


class MaceOutcomesForm(GovukForm):
    outcomes = forms.MultipleChoiceField(
        choices=MaceOutcome.choices,
        label="Outcomes agreed",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The outcomes the rules suggest for the agreed level are ticked",
    )
    specialist = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True, role_assignments__role=Role.CSE_SOCIAL_WORKER),
        label="Specialist CSE social worker to allocate",
        required=False,
    )


class MissingEpisodeForm(GovukForm):
    reported_at = datetime_field("Time reported missing")
    found_at = datetime_field("Time found (leave blank if still missing)", required=False)
    where_found = forms.CharField(label="Where found", required=False, max_length=300)
    risk_level = radios(RiskLevel.choices, "Risk at the time")
    cse_related = forms.BooleanField(label="There is a CSE concern", required=False)
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False)


class FoundForm(GovukForm):
    found_at = datetime_field("Time found")
    where_found = forms.CharField(
        label="Where found", max_length=300, error_messages={"required": "Enter where found"}
    )
    version = version_field()


class ReturnInterviewForm(GovukForm):
    offered_at = datetime_field("Time the interview was offered")
    outcome = radios(InterviewOutcome.choices, "Outcome")
    held_at = datetime_field("Time the interview was held (if held)", required=False)
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False)


class ServiceReferralForm(GovukForm):
    service = forms.ModelChoiceField(
        queryset=Service.objects.filter(is_active=True),
        label="Service",
        error_messages={"required": "Choose the service"},
    )
    referred_on = date_field("Date referred")
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False)


class ServiceReferralUpdateForm(GovukForm):
    status = radios(ServiceReferralStatus.choices, "Status")
    notes = forms.CharField(label="Notes (optional)", widget=forms.Textarea, required=False)
    version = version_field()


class BreakGlassForm(GovukForm):
    reason = forms.CharField(
        label="Why do you need to open this record?",
        widget=forms.Textarea,
        help_text="The allocated workers will be told, and your reason is kept in the audit "
        "trail. You will have access for one hour.",
        error_messages={"required": "Enter why you need to open this record"},
    )
