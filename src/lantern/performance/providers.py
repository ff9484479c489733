"""The parts of the tactical briefing and the problem profile, filled from other apps' records.

The briefing's parts list records (high-risk children, high-risk nominals, live operations) and
are built for the person reading them: each shows only what `access.visible` lets that person
see, and says how many more there are that they cannot. The problem profile's parts are counts
(suspects by gender and ethnicity, locations by ward and premises type, referrals per week,
time from referral to charge); the report withholds small ones from non-operational audiences.

Registered from `PerformanceConfig.ready` by `register_providers()`.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from statistics import median

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from lantern.accounts.access import Cap, children_opened_to, has_capability, visible
from lantern.core.periods import Period
from lantern.entities.seen import in_figures
from lantern.performance import summary, suppression
from lantern.performance.registry import Provider, register_provider

NOT_RECORDED = "Not recorded"
# People's records hold "f"/"m" (the matching normaliser's form); nominals the ONS-style codes.
GENDERS = {"f": "Female", "m": "Male", "female": "Female", "male": "Male", "other": "Other"}
WITHHELD = "withheld"


def register_providers() -> None:
    for provider in PROVIDERS:
        register_provider(provider)


# --- the tactical briefing (built for the viewer) -----------------------------------------------


def high_risk_children_part(month: Period, audience: str, user) -> dict:
    """Children open to the CSE team at the month's end whose level then was high, newest
    first; those the viewer may not see are counted, not listed."""
    from lantern.children.models import Child

    levels = high_risk_children_at(month.end)
    records = visible(user, Child.objects.filter(pk__in=levels).select_related("ward"))
    opened = children_opened_to(user)
    children = sorted(
        (
            {
                "child": child,
                "since": levels[child.pk],
                "new": levels[child.pk] >= month.start,
                "name": (
                    "Restricted record"
                    if child.restricted and child.pk not in opened
                    else child.full_name
                ),
            }
            for child in records
        ),
        key=lambda row: (row["since"], row["child"].reference),
        reverse=True,
    )
    return {
        "total": len(levels),
        "new_this_month": sum(1 for day in levels.values() if day >= month.start),
        "children": children,
        "not_shown": len(levels) - len(children),
        "audit": [(Child, len(children))],
    }


def high_risk_nominals_part(month: Period, audience: str, user) -> dict:
    """Nominals whose latest assessment on or before the month's end rated them high, with the
    charges made in the month; only the police see who they are."""
    from lantern.risk.models import Nominal
    from lantern.tasking.models import Charge

    levels = high_risk_nominals_at(month.end)
    records = visible(user, Nominal.objects.filter(pk__in=levels))
    charged = Counter(
        Charge.objects.filter(
            nominal_id__in=levels, charged_on__range=(month.start, month.end)
        ).values_list("nominal_id", flat=True)
    )
    nominals = sorted(
        (
            {
                "nominal": nominal,
                "assessed_on": levels[nominal.pk],
                "new": levels[nominal.pk] >= month.start,
                "charges": charged.get(nominal.pk, 0),
            }
            for nominal in records
        ),
        key=lambda row: (row["assessed_on"], row["nominal"].name),
        reverse=True,
    )
    return {
        "total": len(levels),
        "new_this_month": sum(1 for day in levels.values() if day >= month.start),
        "nominals": nominals,
        "not_shown": len(levels) - len(nominals),
        "audit": [(Nominal, len(nominals))],
    }


def operations_part(month: Period, audience: str, user) -> dict:
    """The operations running in the month (started by its end and not closed), each with its
    summary, what is linked to it and the charges made in the month. Operations exist only
    for police roles: anyone else is told so and sees no count."""
    from lantern.tasking.models import Charge, Operation, OperationStatus

    running = visible(
        user,
        Operation.objects.filter(started_on__lte=month.end)
        .exclude(status=OperationStatus.CLOSED)
        .select_related("lead")
        .annotate(linked=Count("links", distinct=True)),
    ).order_by("name")
    charges: dict[int, list] = {}
    for charge in (
        Charge.objects.filter(
            operation__in=[o.pk for o in running], charged_on__range=(month.start, month.end)
        )
        .select_related("nominal")
        .order_by("charged_on", "pk")
    ):
        charges.setdefault(charge.operation_id, []).append(charge)
    operations = [
        {
            "operation": operation,
            "new": operation.started_on >= month.start,
            "charges": charges.get(operation.pk, []),
        }
        for operation in running
    ]
    return {
        "allowed": has_capability(user, Cap.VIEW_OPERATIONS),
        "operations": operations,
        "audit": [(Operation, len(operations))],
    }


def high_risk_children_at(day: date) -> dict[int, date]:
    """{child id: the day their level became what it is} for children with an open episode on
    `day` whose level as it stood then (the latest risk assessment or MACE agreement on or
    before that day, professional judgement first) was high. The same rule as the Protect
    measure "High-risk children at period end"."""
    from lantern.children.models import Episode, MaceDiscussion
    from lantern.risk.levels import RiskLevel
    from lantern.risk.models import RiskAssessment

    open_children = Episode.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=day), opened_on__lte=day
    ).values("child_id")
    latest: dict[int, tuple] = {}
    assessments = RiskAssessment.objects.filter(
        child_id__in=open_children, assessed_on__lte=day
    ).values_list("child_id", "assessed_on", "pk", "computed_level", "override_level")
    for child_id, on, pk, computed, override in assessments:
        _keep_latest(latest, child_id, (on, 0, pk), override or computed)
    discussions = MaceDiscussion.objects.filter(
        child_id__in=open_children, held_on__lte=day
    ).values_list("child_id", "held_on", "pk", "agreed_level")
    for child_id, on, pk, level in discussions:
        _keep_latest(latest, child_id, (on, 1, pk), level)
    return {
        child_id: key[0] for child_id, (key, level) in latest.items() if level == RiskLevel.HIGH
    }


def high_risk_nominals_at(day: date) -> dict[int, date]:
    """{nominal id: day of the assessment} for nominals whose latest assessment on or before
    `day` (professional judgement first) was high."""
    from lantern.risk.levels import RiskLevel
    from lantern.risk.models import RiskAssessment

    latest: dict[int, tuple] = {}
    assessments = RiskAssessment.objects.filter(
        nominal__isnull=False, assessed_on__lte=day
    ).values_list("nominal_id", "assessed_on", "pk", "computed_level", "override_level")
    for nominal_id, on, pk, computed, override in assessments:
        _keep_latest(latest, nominal_id, (on, 0, pk), override or computed)
    return {
        nominal_id: key[0] for nominal_id, (key, level) in latest.items() if level == RiskLevel.HIGH
    }


# --- the problem profile (counts) ---------------------------------------------------------------


def suspects_by_gender(period: Period, audience: str) -> dict:
    """Suspects and offenders in the period, each once: nominals assessed or charged in the
    period, by the gender the police recorded, and people named as possible perpetrators in
    submissions received in the period who are not one of those nominals, by the gender on
    their person record."""
    counts = Counter(
        GENDERS.get((gender or "").lower(), NOT_RECORDED) for gender, _ in _suspect_people(period)
    )
    order = ["Female", "Male", "Other", NOT_RECORDED]
    return {"label": "Gender", "rows": _with_total(counts, order)}


def suspects_by_ethnicity(period: Period, audience: str) -> dict:
    """The same people by the ethnicity recorded for them."""
    counts = Counter(
        (ethnicity or "").strip() or NOT_RECORDED for _, ethnicity in _suspect_people(period)
    )
    order = sorted(k for k in counts if k != NOT_RECORDED) + [NOT_RECORDED]
    return {"label": "Ethnicity", "rows": _with_total(counts, order)}


def locations_by_ward(period: Period, audience: str) -> dict:
    """Places mentioned in submissions received in the period (each place once), by ward: the
    ward on the place's record, else the ward the submission gave."""
    counts = Counter(ward or NOT_RECORDED for ward, _ in _locations(period).values())
    order = sorted(k for k in counts if k != NOT_RECORDED) + [NOT_RECORDED]
    return {"label": "Ward", "rows": _with_total(counts, order)}


def locations_by_premises(period: Period, audience: str) -> dict:
    """The same places by type of premises."""
    from lantern.entities.models import PremisesType

    labels = dict(PremisesType.choices)
    counts = Counter(
        labels.get(kind, NOT_RECORDED) if kind else NOT_RECORDED
        for _, kind in _locations(period).values()
    )
    order = [label for label in labels.values() if label in counts] + [NOT_RECORDED]
    return {"label": "Type of premises", "rows": _with_total(counts, order)}


def referrals_per_week(period: Period, audience: str) -> dict:
    """Referrals of children for a CSE assessment made in the period, by the week (Monday to
    Sunday) they were made in; a week with none shows 0."""
    from lantern.children.models import Referral

    made = Counter(
        _monday(day)
        for day in Referral.objects.filter(
            contact__about_cse=True, referred_on__range=(period.start, period.end)
        ).values_list("referred_on", flat=True)
    )
    weeks = []
    monday = _monday(period.start)
    while monday <= period.end:
        weeks.append((f"Week beginning {monday:%-d %b %Y}", made.get(monday, 0)))
        monday += timedelta(days=7)
    return {"label": "Week", "rows": [*weeks, ("Total", sum(made.values()))]}


def referral_to_charge(period: Period, audience: str) -> dict:
    """Charges made in the period for an offence against a child with a CSE referral, and the
    median days from the child's first CSE referral to the charge. When the count is small it
    is withheld from a non-operational audience, and the median with it (a median of a few
    cases is close to each of them)."""
    days = referral_to_charge_days(period)
    count = len(days)
    middle = f"{median(days):g}" if days else "No charges"
    small = 1 <= count <= suppression.threshold()
    if audience == summary.AGGREGATE and small:
        count_shown, middle = suppression.small_label(), WITHHELD
    else:
        count_shown = str(count)
    return {
        "figures": [
            ("Charges of offences against a referred child", count_shown),
            ("Median days from first CSE referral to charge", middle),
        ]
    }


def referral_to_charge_days(period: Period) -> list[int]:
    """Days from each charged child's first CSE referral to the charge, for charges in the
    period (a charge before any referral is left out: there was no referral to count from)."""
    from lantern.children.models import Referral
    from lantern.tasking.models import Charge

    first = (
        Referral.objects.filter(child=OuterRef("child"), contact__about_cse=True)
        .order_by("referred_on")
        .values("referred_on")[:1]
    )
    pairs = (
        Charge.objects.filter(child__isnull=False, charged_on__range=(period.start, period.end))
        .annotate(first_referral=Subquery(first))
        .filter(first_referral__isnull=False)
        .values_list("charged_on", "first_referral")
    )
    return sorted((charged - referred).days for charged, referred in pairs if referred <= charged)


# --- helpers ------------------------------------------------------------------------------------


def _keep_latest(latest: dict, subject: int, key: tuple, level: str) -> None:
    if subject not in latest or key > latest[subject][0]:
        latest[subject] = (key, level)


def _suspect_people(period: Period) -> list[tuple[str, str]]:
    """(gender, ethnicity label) for each suspect or offender in the period, each once."""
    from lantern.entities.models import Mention
    from lantern.risk.models import Nominal, RiskAssessment
    from lantern.tasking.models import Charge

    first, last = period.start, period.end
    assessed = RiskAssessment.objects.filter(
        nominal__isnull=False, assessed_on__gte=first, assessed_on__lte=last
    ).values("nominal_id")
    charged = Charge.objects.filter(charged_on__gte=first, charged_on__lte=last)
    active = Q(pk__in=assessed) | Q(pk__in=charged.values("nominal_id"))
    nominals = list(Nominal.objects.filter(active))
    people = [(n.gender, n.get_ethnicity_display() if n.ethnicity else "") for n in nominals]
    as_nominals = Mention.objects.filter(
        content_type=ContentType.objects.get_for_model(Nominal),
        object_id__in=[n.pk for n in nominals],
        entity__isnull=False,
    ).values("entity_id")
    named = _suspects(period).exclude(pk__in=as_nominals)
    # Only the details the partnership's figures may count: never a police-only correction.
    counted = [in_figures(entity) for entity in named]
    return people + [(entity.gender, entity.ethnicity) for entity in counted]


def _suspects(period: Period):
    """Person entities named as possible perpetrators in submissions received in the period."""
    from lantern.entities.models import Entity, EntityKind
    from lantern.intake.models import PersonRole, Submission, SubmissionPerson

    named = SubmissionPerson.objects.filter(
        submission_id=OuterRef("object_id"),
        name=OuterRef("raw_text"),
        role=PersonRole.POSSIBLE_PERPETRATOR,
    )
    mentions = _mentions_in(period, Submission, EntityKind.PERSON).filter(Exists(named))
    return Entity.objects.filter(pk__in=mentions.values("entity_id"))


def _locations(period: Period) -> dict[int, tuple[str, str]]:
    """{place: (ward name, premises type)} for each location entity mentioned in submissions
    received in the period; the ward is the place's own, else the one its submission gave.
    A place's own ward and type count only when the figures may count them (`in_figures`):
    never from a police-only correction."""
    from lantern.core.models import Ward
    from lantern.entities.models import Entity, EntityKind
    from lantern.intake.models import Submission

    submission_ward = Submission.objects.filter(pk=OuterRef("object_id")).values("ward__name")
    mentions = list(
        _mentions_in(period, Submission, EntityKind.LOCATION)
        .annotate(given_ward=Subquery(submission_ward[:1]))
        .order_by("entity_id", "mentioned_at", "pk")
        .values_list("entity_id", "given_ward")
    )
    ids = {entity_id for entity_id, _ in mentions}
    entities = Entity.objects.in_bulk(ids)
    counted = {pk: in_figures(entity) for pk, entity in entities.items()}
    wards = dict(Ward.objects.values_list("pk", "name"))
    places: dict[int, tuple[str, str]] = {}
    for entity_id, given_ward in mentions:
        place = counted[entity_id]
        own_ward = wards.get(place.ward_id, "")
        ward, kind = places.get(entity_id, ("", place.premises_type))
        places[entity_id] = (own_ward or ward or given_ward or "", kind)
    return places


def _mentions_in(period: Period, model, kind: str):
    from lantern.entities.models import Mention

    first, after = _day_bounds(period)
    return Mention.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        kind=kind,
        entity__isnull=False,
        mentioned_at__gte=first,
        mentioned_at__lt=after,
    )


def _with_total(counts: Counter, order: list[str]) -> list[tuple[str, int]]:
    rows = [(label, counts[label]) for label in order if counts.get(label)]
    return [*rows, ("Total", sum(counts.values()))]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _day_bounds(period: Period) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(period.start, time.min, tzinfo=tz),
        datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=tz),
    )


PROVIDERS = [
    Provider(
        "briefing.high_risk_children",
        "High-risk children",
        "performance/parts/high_risk_children.html",
        high_risk_children_part,
        per_viewer=True,
    ),
    Provider(
        "briefing.nominals",
        "High-risk nominals",
        "performance/parts/nominals.html",
        high_risk_nominals_part,
        per_viewer=True,
    ),
    Provider(
        "briefing.operations",
        "Operations narrative",
        "performance/parts/operations.html",
        operations_part,
        per_viewer=True,
    ),
    Provider(
        "profile.suspects_by_gender",
        "Suspects and offenders by gender",
        "performance/_provider_rows.html",
        suspects_by_gender,
    ),
    Provider(
        "profile.suspects_by_ethnicity",
        "Suspects and offenders by ethnicity",
        "performance/_provider_rows.html",
        suspects_by_ethnicity,
    ),
    Provider(
        "profile.locations_by_ward",
        "Locations by ward",
        "performance/_provider_rows.html",
        locations_by_ward,
    ),
    Provider(
        "profile.locations_by_premises",
        "Locations by premises type",
        "performance/_provider_rows.html",
        locations_by_premises,
    ),
    Provider(
        "profile.referrals_per_week",
        "Referrals per week",
        "performance/_provider_rows.html",
        referrals_per_week,
    ),
    Provider(
        "profile.referral_to_charge",
        "Time from referral to charge",
        "performance/parts/figures.html",
        referral_to_charge,
    ),
]
