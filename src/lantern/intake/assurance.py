"""Assurance for members: the aggregate picture of what councillors sent in and what became of
it (the review's "periodic framework of assurance"), and the "what to do if" page.

Figures are counted from the records, per financial quarter, over pieces of information
(strands), and small numbers are suppressed with the performance framework's own helper
(`lantern.performance.suppression`, as `intake.performance_measures` already uses the
performance registry): a councillor sees counts, never the records behind them.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from lantern.audit.models import AuditAction
from lantern.audit.services import record_change
from lantern.core.errors import EditConflict
from lantern.core.periods import Period, quarter_of
from lantern.core.versioning import save_if_unchanged
from lantern.intake.models import Decision, GuidancePage, Source, Status, Submission
from lantern.intake.services import IntakeError

WHAT_TO_DO_IF = "what-to-do-if"
DEFAULT_PAGES = {
    WHAT_TO_DO_IF: (
        "What to do if",
        "If a child is in immediate danger, call 999.\n\n"
        "If you are worried about a specific child, report it with “A specific child I am "
        "worried about”: it goes straight to children's social care.\n\n"
        "If you have information about people, places, vehicles or online activity, report it "
        "with “Information about people, places, vehicles or online activity”. One report may "
        "hold several concerns: the intelligence unit follows each one separately.\n\n"
        "If you are unhappy with how a report is being handled, open “Your reports” and raise "
        "a query about it. The intelligence unit answers first; if you are not satisfied, or "
        "no answer comes in time, it goes to the police supervisor and the partnership "
        "manager, and then to the partnership's independent chair or the scrutiny chair.",
    )
}


@dataclass
class Figure:
    label: str
    value: str  # as shown: a number, "<5", or a withheld median
    suppressed: bool = False


def quarter_figures(period: Period) -> list[Figure]:
    """Items received from councillors in the quarter and what became of them: how many,
    how many concluded, median days to conclusion, how many went to the tasking group."""
    from lantern.performance import suppression

    start, end = _bounds(period)
    received = Submission.objects.filter(
        source=Source.COUNCILLOR, is_piece=True, received_at__gte=start, received_at__lt=end
    )
    concluded = received.filter(status=Status.CONCLUDED, concluded_at__isnull=False)
    counts = {
        "received": received.count(),
        "concluded": concluded.count(),
        "tasking": received.filter(decision=Decision.TASKING).count(),
    }
    hidden = suppression.suppress(counts)
    small = suppression.small_label()

    def shown(key: str) -> tuple[str, bool]:
        return (small, True) if key in hidden else (str(counts[key]), False)

    days = [
        (done - got).total_seconds() / 86400
        for got, done in concluded.values_list("received_at", "concluded_at")
    ]
    if not days:
        median, median_hidden = "No items concluded", False
    elif len(days) <= suppression.threshold():
        median, median_hidden = f"Withheld: fewer than {suppression.threshold() + 1} items", True
    else:
        median, median_hidden = f"{statistics.median(days):.1f} days", False
    return [
        Figure("Items received from councillors", *shown("received")),
        Figure("Of those, concluded", *shown("concluded")),
        Figure("Median days from receipt to conclusion", median, median_hidden),
        Figure("Of those, taken to the tasking group", *shown("tasking")),
    ]


def assurance_quarters(today: date, count: int = 2) -> list[Period]:
    """This quarter and the ones before it, newest first."""
    quarters = [quarter_of(today)]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters


def guidance_page(key: str) -> GuidancePage:
    """The stored page, or an unsaved one with the default wording; unknown keys: LookupError."""
    page = GuidancePage.objects.filter(key=key).first()
    if page is not None:
        return page
    if key not in DEFAULT_PAGES:
        raise LookupError(key)
    title, body = DEFAULT_PAGES[key]
    return GuidancePage(key=key, title=title, body=body, version=0)


def edit_guidance_page(
    actor: Any, key: str, *, title: str, body: str, expected_version: int, now: datetime
) -> GuidancePage:
    """Save a guidance page. Refuses an empty title or body and a stale form (EditConflict):
    two managers editing at once do not overwrite each other. History is in the audit trail."""
    if not title.strip():
        raise IntakeError("Give the page a title")
    if not body.strip():
        raise IntakeError("Write what the page says")
    page = guidance_page(key)
    user = getattr(actor, "user", actor)
    with transaction.atomic():
        before = {"title": page.title, "body": page.body}
        page.title, page.body = title.strip(), body.strip()
        page.updated_at, page.updated_by = now, user
        if page.pk is None:
            # First edit of a default page: a page someone else saved meanwhile is a conflict.
            if expected_version != 0:
                raise EditConflict()
            page.version = 1
            try:
                with transaction.atomic():
                    page.save()
            except IntegrityError as error:
                raise EditConflict() from error
        else:
            save_if_unchanged(page, expected_version, ["title", "body", "updated_at", "updated_by"])
        record_change(
            actor,
            page,
            AuditAction.UPDATE,
            changes={
                k: [before[k], getattr(page, k)] for k in before if before[k] != getattr(page, k)
            },
        )
    return page


def _bounds(period: Period) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(period.start, time.min, tz),
        datetime.combine(period.end + timedelta(days=1), time.min, tz),
    )
