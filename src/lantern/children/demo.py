"""Demo data: a borough's (or, at national scale, a country's) caseload of children at risk.

Everything is invented: names from Faker (en_GB), places from the fictional Northmere. Rows are
bulk-created so the national scale loads in seconds; levels come from the same engine the
pages use, from indicators ticked at random, because a level is never made up from nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from lantern.accounts.models import User
from lantern.accounts.roles import Role
from lantern.children.models import (
    Allocation,
    AllocationRole,
    Child,
    Contact,
    ContactDecision,
    ContactRoute,
    CseRole,
    Episode,
    Ethnicity,
    Gender,
    InterviewOutcome,
    MaceDiscussion,
    MaceOpinion,
    MissingEpisode,
    Referral,
    ReturnInterview,
    Send,
    Service,
    ServiceReferral,
    Threshold,
)
from lantern.demo.registry import DemoContext
from lantern.risk import engine
from lantern.risk.levels import LEVEL_ORDER, RiskLevel
from lantern.risk.models import (
    AssessedIndicator,
    Indicator,
    IndicatorAnswer,
    Nominal,
    RiskAssessment,
    RiskToolVersion,
    VersionStatus,
)

CHILDREN = {"borough": 160, "national": 20_000}
NOMINALS = {"borough": 40, "national": 2_000}
SOURCES = [
    "School designated safeguarding lead",
    "Sexual health nurse",
    "Police neighbourhood team",
    "Parent",
    "Youth worker",
    "Children's home manager",
    "GP practice",
]
WHERE_FOUND = ["At a friend's address", "Northmere bus station", "Riverside park", "Home"]
SCHOOLS = ["Northmere Academy", "Castlegate High School", "Kingsmead College", "Millbeck School"]
AGENCIES = ["Police", "Health", "Education", "Youth service", "Voluntary sector", "Social care"]


def generate(ctx: DemoContext) -> str:
    """Create the caseload. Returns a one-line summary."""
    today = timezone.localdate()
    workers = list(
        User.objects.filter(role_assignments__role=Role.CSE_SOCIAL_WORKER, is_active=True)
    )
    chair = User.objects.filter(role_assignments__role=Role.MACE_CHAIR).first()
    if not workers or chair is None:
        return "skipped: no social workers or MACE chair"
    with transaction.atomic():
        children = _children(ctx, today, workers)
        made = _linked_records(ctx, today, children, workers, chair)
        nominals = _nominals(ctx, today)
    ctx.made["children"] = children
    return (
        f"{len(children)} children, {made['assessments']} risk assessments, "
        f"{made['missing']} missing episodes, {made['mace']} MACE discussions, "
        f"{nominals} nominals"
    )


def _children(ctx, today, workers) -> list[Child]:
    wards = ctx.made.get("wards") or [None]
    count = CHILDREN.get(ctx.scale, CHILDREN["borough"])
    rng = ctx.rng
    creator = workers[0]
    children = []
    for index in range(count):
        gender = rng.choices([Gender.FEMALE, Gender.MALE, Gender.OTHER], [78, 20, 2])[0]
        first = ctx.faker.first_name_female() if gender == Gender.FEMALE else ctx.faker.first_name()
        age_days = rng.randint(11 * 365, 18 * 365 - 20)
        looked_after = rng.random() < 0.25
        children.append(
            Child(
                reference=f"CH-D{index + 1:06d}",
                first_name=first,
                last_name=ctx.faker.last_name(),
                date_of_birth=today - timedelta(days=age_days),
                gender=gender,
                ethnicity=rng.choice(Ethnicity.values),
                send=rng.choice(Send.values),
                looked_after=looked_after,
                placement="Children's home" if looked_after else "",
                placed_out_of_area=looked_after and rng.random() < 0.3,
                school=rng.choice(SCHOOLS),
                ward=rng.choice(wards),
                created_by=creator,
                created_at=timezone.now(),
            )
        )
    return Child.objects.bulk_create(children, batch_size=2000)


def _linked_records(ctx, today, children, workers, chair) -> dict:
    rng = ctx.rng
    versions = list(
        RiskToolVersion.objects.filter(tool__subject="child", status=VersionStatus.ACTIVE)
    )
    indicators = {
        v.pk: list(Indicator.objects.filter(group__version=v).values_list("pk", "weight"))
        for v in versions
    }
    bands = {v.pk: v.bands() for v in versions}
    services = {s.code: s for s in Service.objects.all()}
    episodes, contacts, allocations = [], [], []
    assessments, ticks = [], []
    discussions, opinion_specs = [], []
    missing, service_referrals = [], []
    levels: dict[int, tuple[date, str]] = {}
    for child in children:
        opened = today - timedelta(days=rng.randint(20, 600))
        worker = rng.choice(workers)
        closed = opened + timedelta(days=rng.randint(10, 200)) if rng.random() < 0.12 else None
        if closed and closed >= today:
            closed = None
        episodes.append(
            Episode(
                child=child,
                opened_on=opened,
                cse_role=CseRole.LEAD if rng.random() < 0.75 else CseRole.SUPPORT,
                lead_team="",
                closed_on=closed,
                closure_reason="Risk reduced; stepped down to youth support" if closed else "",
                opened_by=worker,
            )
        )
        allocations.append(
            Allocation(
                child=child,
                worker=worker,
                role=AllocationRole.SPECIALIST,
                started_on=opened,
                ended_on=closed,
                allocated_by=chair,
            )
        )
        for _ in range(rng.randint(1, 3)):
            received = opened - timedelta(days=rng.randint(0, 30))
            decision = rng.choice(
                [ContactDecision.REFERRAL, ContactDecision.REFERRAL, ContactDecision.EARLY_HELP]
            )
            contacts.append(
                Contact(
                    child=child,
                    received_on=received,
                    route=rng.choice(ContactRoute.values),
                    source=rng.choice(SOURCES),
                    about_cse=rng.random() < 0.9,
                    summary="Concern about older associates and late nights out.",
                    threshold=Threshold.TARGETED
                    if decision == "referral"
                    else Threshold.EARLY_HELP,
                    decision=decision,
                    decided_on=received,
                    decided_by=worker,
                    recorded_by=worker,
                )
            )
        day = opened
        for _ in range(rng.randint(1, 3)):
            day = day + timedelta(days=rng.randint(1, 60))
            if day > today:
                break
            version = rng.choice(versions)
            chosen = rng.sample(indicators[version.pk], rng.randint(0, 7))
            score = engine.total_score(w for _, w in chosen)
            level = engine.level_for(score, bands[version.pk])
            assessments.append(
                RiskAssessment(
                    version=version,
                    child=child,
                    assessed_on=day,
                    assessed_by=worker,
                    score=score,
                    computed_level=level,
                    created_at=timezone.now(),
                )
            )
            ticks.append([pk for pk, _ in chosen])
            levels[child.pk] = (day, level)
        last = levels.get(child.pk)
        if last and last[1] in (RiskLevel.MEDIUM, RiskLevel.HIGH):
            held = min(last[0] + timedelta(days=rng.randint(1, 14)), today)
            agreed = rng.choice([last[1], last[1], RiskLevel.HIGH])
            discussions.append(
                MaceDiscussion(
                    child=child,
                    held_on=held,
                    chair=chair,
                    agreed_level=agreed,
                    review_on=held + timedelta(days=28 if agreed == RiskLevel.HIGH else 42),
                    chosen_outcomes=["allocate_specialist", "sexual_health"],
                    outcomes_recorded_at=timezone.now(),
                    recorded_by=chair,
                    created_at=timezone.now(),
                )
            )
            opinion_specs.append([rng.choice(LEVEL_ORDER[1:]) for _ in range(rng.randint(3, 5))])
            levels[child.pk] = (held, agreed)
            service_referrals.append(
                ServiceReferral(
                    child=child,
                    service=services["sexual-health"],
                    referred_on=held,
                    referred_by=chair,
                )
            )
        if rng.random() < 0.3:
            for _ in range(rng.randint(1, 4)):
                reported = timezone.make_aware(
                    datetime.combine(
                        today - timedelta(days=rng.randint(1, 500)), time(rng.randint(0, 23))
                    )
                )
                found = reported + timedelta(hours=rng.randint(2, 72))
                missing.append(
                    MissingEpisode(
                        child=child,
                        reported_at=reported,
                        found_at=found,
                        where_found=rng.choice(WHERE_FOUND),
                        risk_level=rng.choice([RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH]),
                        cse_related=rng.random() < 0.7,
                        recorded_by=worker,
                    )
                )
    Episode.objects.bulk_create(episodes, batch_size=2000)
    Allocation.objects.bulk_create(allocations, batch_size=2000)
    contacts = Contact.objects.bulk_create(contacts, batch_size=2000)
    Referral.objects.bulk_create(
        (
            Referral(
                contact=c,
                child=c.child,
                referred_on=c.received_on,
                threshold=c.threshold,
                assessment_completed_on=c.received_on + timedelta(days=rng.randint(10, 45))
                if c.received_on + timedelta(days=45) < today
                else None,
                assessment_outcome="Specialist CSE support needed.",
            )
            for c in contacts
            if c.decision == ContactDecision.REFERRAL
        ),
        batch_size=2000,
    )
    assessments = RiskAssessment.objects.bulk_create(assessments, batch_size=2000)
    AssessedIndicator.objects.bulk_create(
        _demo_answers(assessments, ticks, {v: [pk for pk, _ in i] for v, i in indicators.items()}),
        batch_size=5000,
    )
    discussions = MaceDiscussion.objects.bulk_create(discussions, batch_size=2000)
    MaceOpinion.objects.bulk_create(
        (
            MaceOpinion(
                discussion=d,
                attendee=ctx.faker.name(),
                agency=AGENCIES[i % len(AGENCIES)],
                level=level,
            )
            for d, spec in zip(discussions, opinion_specs, strict=True)
            for i, level in enumerate(spec)
        ),
        batch_size=5000,
    )
    ServiceReferral.objects.bulk_create(service_referrals, batch_size=2000)
    missing = MissingEpisode.objects.bulk_create(missing, batch_size=2000)
    ReturnInterview.objects.bulk_create(
        (
            ReturnInterview(
                episode=m,
                offered_at=m.found_at + timedelta(hours=rng.randint(1, 60)),
                outcome=(outcome := rng.choice(InterviewOutcome.values)),
                held_at=m.found_at + timedelta(hours=70) if outcome == "done" else None,
                recorded_by=m.recorded_by,
            )
            for m in missing
            if rng.random() < 0.6 and m.found_at + timedelta(hours=70) < timezone.now()
        ),
        batch_size=2000,
    )
    by_level: dict[tuple, list[int]] = {}
    for child_id, (day, level) in levels.items():
        by_level.setdefault((day, level), []).append(child_id)
    open_ids = Episode.objects.filter(closed_on__isnull=True).values("child_id")
    Child.objects.filter(pk__in=open_ids).update(is_open=True)
    for (day, level), ids in by_level.items():
        Child.objects.filter(pk__in=ids).update(current_level=level, current_level_on=day)
    return {"assessments": len(assessments), "missing": len(missing), "mace": len(discussions)}


def _nominals(ctx, today) -> int:
    analyst = User.objects.filter(role_assignments__role=Role.POLICE_INTELLIGENCE).first()
    version = RiskToolVersion.objects.filter(tool__code="suspect-risk", status="active").first()
    if analyst is None or version is None:
        return 0
    rng = ctx.rng
    weights = list(Indicator.objects.filter(group__version=version).values_list("pk", "weight"))
    nominals = Nominal.objects.bulk_create(
        (
            Nominal(
                name=ctx.faker.name_male(),
                alias=rng.choice(["", "", "Taz", "Ricky", "Big M"]),
                date_of_birth=today - timedelta(days=rng.randint(19 * 365, 50 * 365)),
                gender=Gender.MALE,
                ethnicity=rng.choice(Ethnicity.values),
                created_by=analyst,
                created_at=timezone.now(),
            )
            for _ in range(NOMINALS.get(ctx.scale, NOMINALS["borough"]))
        ),
        batch_size=2000,
    )
    assessments, ticks = [], []
    for nominal in nominals:
        chosen = rng.sample(weights, rng.randint(0, len(weights)))
        ticks.append([pk for pk, _ in chosen])
        score = engine.total_score(w for _, w in chosen)
        assessments.append(
            RiskAssessment(
                version=version,
                nominal=nominal,
                assessed_on=today - timedelta(days=rng.randint(0, 300)),
                assessed_by=analyst,
                score=score,
                computed_level=engine.level_for(score, version.bands()),
                created_at=timezone.now(),
            )
        )
    assessments = RiskAssessment.objects.bulk_create(assessments, batch_size=2000)
    AssessedIndicator.objects.bulk_create(
        _demo_answers(assessments, ticks, {version.pk: [pk for pk, _ in weights]}),
        batch_size=5000,
    )
    return len(nominals)


def _demo_answers(assessments, ticks, indicator_ids):
    """Every indicator of each demo assessment answered: the chosen ones present, the rest
    absent (a real assessor records each one; see risk.forms.AssessmentForm)."""
    for assessment, present in zip(assessments, ticks, strict=True):
        chosen = set(present)
        for pk in indicator_ids[assessment.version_id]:
            yield AssessedIndicator(
                assessment=assessment,
                indicator_id=pk,
                answer=IndicatorAnswer.PRESENT if pk in chosen else IndicatorAnswer.ABSENT,
                evidence="Recorded by the worker." if pk in chosen else "",
            )
