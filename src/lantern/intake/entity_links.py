"""Cross-referencing a submission as it arrives: the people, vehicles, phones, online accounts and
place it mentions become entity mentions, resolved at once against everything already known
(motion point 5: "cross referencing reports to build a fuller picture").

Linking never costs a report: it runs in a savepoint, and if it fails the submission is still
saved; its mention rows stay in intake and the failure is logged for an analyst to relink.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any

from django.db import transaction

from lantern.entities.models import EntityKind, LinkMethod, Mention
from lantern.entities.services import MentionInput, add_mentions
from lantern.intake.models import Submission, TraceKind

log = logging.getLogger(__name__)


def link_mentions(submission: Submission, *, actor: Any, now: datetime) -> list[Mention]:
    """Record the submission's mentions as entity mentions and resolve them; [] if it failed."""
    inputs = mention_inputs(submission)
    if not inputs:
        return []
    try:
        with transaction.atomic():
            mentions = add_mentions(submission, inputs, actor=actor, now=now)
    except Exception:
        log.exception("Cross-referencing %s failed; the submission is saved", submission)
        return []
    from lantern.intake.services import add_trace  # the trace writer (services imports us)

    matched = sum(1 for m in mentions if m.entity_id and m.method != LinkMethod.NEW)
    add_trace(
        submission,
        TraceKind.LINKED,
        actor,
        f"Cross-referenced {len(mentions)} mention{'s' if len(mentions) != 1 else ''}: "
        f"{matched} matched a known person, place, vehicle, phone or account",
        at=now,
    )
    return mentions


def mention_inputs(submission: Submission) -> list[MentionInput]:
    """What the submission says about people, vehicles, phones, online accounts and the place."""
    inputs = [
        MentionInput(EntityKind.PERSON, person.name, _person_details(person))
        for person in submission.people.all()
        if person.name.strip()
    ]
    inputs += [
        MentionInput(
            EntityKind.VEHICLE,
            vehicle.raw or vehicle.registration,
            {"make": vehicle.make, "model": vehicle.model, "colour": vehicle.colour},
        )
        for vehicle in submission.vehicles.all()
        if (vehicle.raw or vehicle.registration).strip()
    ]
    inputs += [MentionInput(EntityKind.PHONE, phone.raw) for phone in submission.phones.all()]
    inputs += [
        MentionInput(EntityKind.ONLINE, account.raw, {"platform": account.platform})
        for account in submission.online_accounts.all()
    ]
    if submission.location.strip():
        # The ward the reporter chose goes with the place, so the location entity is in it.
        inputs.append(
            MentionInput(EntityKind.LOCATION, submission.location, {"ward_id": submission.ward_id})
        )
    return inputs


def _person_details(person) -> dict:
    parts = person.name.split()
    first, surname = (parts[0], " ".join(parts[1:])) if len(parts) > 1 else (person.name, "")
    age = re.search(r"\d{1,2}", person.approximate_age or "")
    return {
        "first_name": first,
        "surname": surname,
        "age": int(age.group()) if age else None,
        # As the reporter wrote it ("30s", "about 17"), shown beside the years inferred from it.
        "age_reported": (person.approximate_age or "").strip()[:40],
    }
