"""The intelligence unit's queue: what is open, in what order, and how long it has waited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from lantern.intake.models import Status, Submission
from lantern.intake.working_days import add_working_days, working_days_before

# Targets for grading: urgent items within 1 hour, others within three working days
# (weekends and bank holidays not counted; see working_days). Override with
# settings.LANTERN_INTAKE_TARGETS; "routine_hours" instead of "routine_working_days" sets a
# target in plain hours.
DEFAULT_TARGETS = {"urgent_hours": 1, "routine_working_days": 3}


@dataclass(frozen=True)
class Clock:
    waited: timedelta
    due: datetime
    overdue: bool
    target_label: str = ""

    @property
    def label(self) -> str:
        hours = int(self.waited.total_seconds() // 3600)
        if hours < 1:
            waited = f"{int(self.waited.total_seconds() // 60)} minutes"
        elif hours < 48:
            waited = f"{hours} hours"
        else:
            waited = f"{hours // 24} days"
        return f"{waited} ({'overdue' if self.overdue else 'within target'})"

    @property
    def due_label(self) -> str:
        return f"{timezone.localtime(self.due):%a %d %b %H:%M}"


def targets() -> dict:
    configured = settings.LANTERN_INTAKE_TARGETS
    t = {**DEFAULT_TARGETS, **configured}
    if "routine_hours" in configured and "routine_working_days" not in configured:
        t.pop("routine_working_days")
    return t


def due_at(submission: Submission) -> tuple[datetime, str]:
    """When the submission should be graded by, and the target in words."""
    t = targets()
    if submission.urgent:
        hours = t["urgent_hours"]
        return submission.received_at + timedelta(hours=hours), f"{hours} hours"
    if "routine_working_days" in t:
        days = t["routine_working_days"]
        return add_working_days(submission.received_at, days), f"{days} working days"
    hours = t["routine_hours"]
    return submission.received_at + timedelta(hours=hours), f"{hours} hours"


def overdue_q(now: datetime) -> Q:
    """Not yet graded and past its target, as a query (for counts)."""
    t = targets()
    urgent = Q(urgent=True, received_at__lt=now - timedelta(hours=t["urgent_hours"]))
    if "routine_working_days" in t:
        cutoff = working_days_before(now, t["routine_working_days"])
    else:
        cutoff = now - timedelta(hours=t["routine_hours"])
    routine = Q(urgent=False, received_at__lt=cutoff)
    return Q(graded_at__isnull=True) & (urgent | routine)


def clock_for(submission: Submission, now: datetime) -> Clock:
    """How long the submission has waited to be graded (or took), against its target."""
    due, label = due_at(submission)
    end = submission.graded_at or now
    return Clock(
        waited=end - submission.received_at, due=due, overdue=end > due, target_label=label
    )


def queue_queryset(visible_qs: QuerySet, *, show: str, user) -> QuerySet:
    """Open submissions, urgent first then oldest first; `show` narrows to mine or unassigned."""
    # A split document is worked through its strands, so only pieces of information queue.
    qs = (
        visible_qs.exclude(status=Status.CONCLUDED)
        .filter(is_piece=True)
        .select_related("assigned_to", "ward")
    )
    if show == "mine":
        qs = qs.filter(assigned_to=user)
    elif show == "unassigned":
        qs = qs.filter(status=Status.RECEIVED)
    return qs.only(
        "reference",
        "status",
        "urgent",
        "received_at",
        "graded_at",
        "source",
        "route",
        "assigned_to__full_name",
        "assigned_to__username",
        "ward__name",
        "partner_summary",
        "narrative",
        "signs",
        "version",
        "intelligence_assessment",
        "source_evaluation",
        "handling_code",
    ).order_by("-urgent", "received_at", "id")


# --- Filters, sorting and bulk assignment (issue 20) -----------------------------------------

QUEUE_FILTERS = ["show", "source", "ward", "grade", "assignee", "clock", "sort"]


def queue_sorts():
    from lantern.core.queues import Sort, Sorts

    return Sorts(
        Sort("reference", "Reference", ("reference",)),
        Sort("received", "Received", ("received_at",)),
        Sort("source", "Source", ("source",)),
        Sort("ward", "Ward", ("ward__name",)),
        Sort("status", "Status", ("status",)),
        Sort("assignee", "Assigned to", ("assigned_to__full_name",)),
        default=("-urgent", "received_at", "id"),
    )


def queue_filter_form(data, *, officers):
    """The queue's filters as a GOV.UK form: an unknown value is an error by its field."""
    from django import forms

    from lantern.core.forms import GovukFormMixin
    from lantern.core.models import Ward
    from lantern.intake.models import IntelligenceAssessment, Source

    def choice(label, choices, what):
        return forms.ChoiceField(
            label=label,
            required=False,
            choices=[("", "Any")] + list(choices),
            error_messages={"invalid_choice": f"{label}: choose {what} from the list"},
        )

    class QueueFilters(GovukFormMixin, forms.Form):
        show = forms.ChoiceField(
            label="Show",
            required=False,
            choices=[
                ("open", "All open"),
                ("unassigned", "Not assigned"),
                ("mine", "Assigned to me"),
            ],
            error_messages={"invalid_choice": "Show: choose all open, not assigned or mine"},
        )
        source = choice("Source", Source.choices, "a source")
        ward = forms.ModelChoiceField(
            label="Ward",
            required=False,
            queryset=Ward.objects.order_by("name"),
            empty_label="Any",
            error_messages={"invalid_choice": "Ward: choose a ward from the list"},
        )
        grade = choice(
            "Grade",
            [("ungraded", "Not graded yet"), *IntelligenceAssessment.choices],
            "a grade",
        )
        assignee = forms.ModelChoiceField(
            label="Assigned to",
            required=False,
            queryset=officers,
            empty_label="Anyone",
            error_messages={"invalid_choice": "Assigned to: choose an officer from the list"},
        )
        clock = choice(
            "Time to grade",
            [("overdue", "Past the target"), ("within", "Within the target")],
            "past or within the target",
        )

    return QueueFilters(data)


def filter_queue(qs: QuerySet, cleaned: dict, *, now: datetime) -> QuerySet:
    """Narrow the queue by the filters that were valid (an invalid one is left out)."""
    if cleaned.get("source"):
        qs = qs.filter(source=cleaned["source"])
    if cleaned.get("ward"):
        qs = qs.filter(ward=cleaned["ward"])
    grade = cleaned.get("grade")
    if grade == "ungraded":
        qs = qs.filter(graded_at__isnull=True)
    elif grade:
        qs = qs.filter(intelligence_assessment=grade)
    if cleaned.get("assignee"):
        qs = qs.filter(assigned_to=cleaned["assignee"])
    if cleaned.get("clock") == "overdue":
        qs = qs.filter(overdue_q(now))
    elif cleaned.get("clock") == "within":
        qs = qs.filter(graded_at__isnull=True).exclude(overdue_q(now))
    return qs
