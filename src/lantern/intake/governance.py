"""Intake's records for information governance: intelligence submissions come up for review
by their grade (in the spirit of police information management review periods), and a
subject access request finds what a reporter sent and what submissions say about a person."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from lantern.accounts.access import Cap
from lantern.governance import registry
from lantern.governance.erasure import (
    DISPOSED,
    erase_free_text,
    erase_related,
    years_after,
    years_before,
)
from lantern.intake.models import Submission


def _years() -> dict[str, int]:
    return {str(k): int(v) for k, v in settings.LANTERN_RETENTION_INTELLIGENCE_YEARS.items()}


def _grade(submission) -> str:
    return submission.intelligence_assessment or "ungraded"


def review_date(submission) -> date:
    base = timezone.localdate(submission.graded_at or submission.received_at)
    years = _years()
    return years_after(base, years.get(_grade(submission), years.get("ungraded", 2)))


def due(today: date):
    years = _years()
    condition = Q(pk__in=[])
    for grade, count in years.items():
        cutoff = years_before(today, count)
        on_grade = (
            Q(intelligence_assessment="")
            if grade == "ungraded"
            else Q(intelligence_assessment=grade)
        )
        condition |= on_grade & Q(base__date__lte=cutoff)
    return (
        Submission.objects.annotate(base=Coalesce("graded_at", "received_at"))
        .filter(condition)
        .exclude(narrative=DISPOSED)
        .order_by("base", "pk")
    )


def dispose(submission) -> list[str]:
    """The narrative, contact details, notes, people, vehicles, phones, accounts and files go;
    the reference, dates, grade, route, status and ward stay."""
    removed = erase_free_text(submission, marker={"narrative": DISPOSED})
    return removed + erase_related(submission)


def reporter_items(kind: str, user) -> list[registry.Item]:
    """What a reporter (a user) sent: each submission's own words are theirs; the people they
    named are third parties, marked for redaction."""
    items = []
    for submission in Submission.objects.filter(submitted_by=user).prefetch_related("people"):
        rows = [
            ("Reference", submission.reference, False),
            ("Received", f"{timezone.localtime(submission.received_at):%d %B %Y %H:%M}", False),
            ("Contact name", submission.contact_name, False),
            ("Contact email", submission.contact_email, False),
            ("Contact phone", submission.contact_phone, False),
            ("What they told us", submission.narrative, False),
            ("Where", submission.location, True),
        ]
        rows += [
            (f"Person named ({p.get_role_display()})", p.name, True)
            for p in submission.people.all()
        ]
        items.append(registry.Item(f"Submission {submission.reference}", rows, submission))
    return items


def _submission_text_items(kind: str, subject, names: list[str]) -> list[registry.Item]:
    names = [n for n in names if n.strip()]
    if not names:
        return []
    condition = Q()
    for name in names:
        condition |= Q(people__name__iexact=name)
    items = []
    for submission in Submission.objects.filter(condition).distinct().prefetch_related("people"):
        rows = [("Reference", submission.reference, False)]
        for person in submission.people.all():
            theirs = person.name.strip().lower() in {n.strip().lower() for n in names}
            rows.append((f"Person named ({person.get_role_display()})", person.name, not theirs))
        rows += [
            ("What the submission says", submission.narrative, True),
            ("Who reported it", submission.contact_name or "", True),
        ]
        items.append(
            registry.Item(f"Mentioned in submission {submission.reference}", rows, submission)
        )
    return items


def named_items(kind: str, subject) -> list[registry.Item]:
    """Submissions naming the child or person: their name is theirs, the narrative and every
    other person in it are marked for redaction (the officer decides what may be disclosed)."""
    if kind == "child":
        names = [subject.full_name, f"{subject.known_as} {subject.last_name}".strip()]
    else:
        names = [f"{subject.first_name} {subject.surname}".strip(), subject.label]
    return _submission_text_items(kind, subject, names)


registry.register_retained_type(
    registry.RetainedType(
        label="intake.submission",
        name="Intelligence submissions",
        owner_capability=Cap.WORK_INTAKE,
        policy=(
            "Reviewed a number of years after grading (or receipt, if never graded) set by the "
            "intelligence assessment: " + ", ".join(f"{g} {y} years" for g, y in _years().items())
        ),
        due=due,
        review_date=review_date,
        stub_label=lambda s: f"Submission {s.reference}",
        dispose=dispose,
        is_disposed=lambda s: s.narrative == DISPOSED,
    )
)
registry.register_subject_source(
    registry.SubjectSource("intake-reporter", frozenset({"reporter"}), reporter_items)
)
registry.register_subject_source(
    registry.SubjectSource("intake-named", frozenset({"child", "person"}), named_items)
)
