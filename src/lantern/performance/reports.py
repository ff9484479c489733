"""Reports for people: the board dashboard, the Cabinet report, the tactical briefing and the
problem profile. Each is assembled here from the data summary and registered providers; views
and commands only render what these functions return."""

from __future__ import annotations

from decimal import Decimal

from lantern.accounts.access import Cap, has_capability
from lantern.core.periods import Period
from lantern.performance import charts, registry, services, summary, suppression
from lantern.performance.models import PRIORITY_ORDER, ObjectiveUpdate, Priority


def audience_for(user) -> str:
    """Operational for people who work the records or run the framework; aggregate otherwise."""
    if has_capability(user, Cap.MANAGE_PERFORMANCE) or has_capability(
        user, Cap.VIEW_RESTRICTED_REPORTS
    ):
        return summary.OPERATIONAL
    return summary.AGGREGATE


def for_audience(built: summary.DataSummary, audience: str) -> summary.DataSummary:
    if audience == summary.AGGREGATE:
        return summary.suppress_for_audience(built)
    return built


def dashboard(priority: str, audience: str) -> dict:
    """One priority's measures from the latest published report, with trend and target status.

    Board and scrutiny members see what was published, not figures still being entered.
    """
    report = services.latest_published()
    if report is None:
        return {"report": None, "tiles": []}
    built = for_audience(summary.from_content(report.content), audience)
    built.rows = [row for row in built.rows if row.priority == priority]
    summary.number_notes(built)  # the notes on this priority's figures, numbered from 1
    tiles = []
    for row in built.rows:
        points = [(c.period, None if c.hidden else c.number, c.display) for c in row.trend]
        tiles.append(
            {
                "row": row,
                "sparkline": charts.sparkline(
                    points, f"{row.measure}, last {len(points)} quarters"
                ),
                "direction": summary.DIRECTION_WORDS[row.direction],
                "arrow": summary.DIRECTION_ARROWS[row.direction],
            }
        )
    return {"report": report, "tiles": tiles, "summary": built}


def cabinet_report(period: Period, audience: str = summary.AGGREGATE) -> dict:
    """The quarterly report to Cabinet: per priority the leads' achievements and next steps for
    each objective, then the data summary tables (suppressed for a non-operational audience).

    The tables are the published report for the quarter when there is one, so the report to
    Cabinet says what was published; otherwise the figures as they stand.
    """
    published = services.latest_published(str(period))
    built = for_audience(
        summary.from_content(published.content) if published else summary.build_summary(period),
        audience,
    )
    objectives = objective_updates(period)
    priorities = []
    for code, label in sorted(Priority.choices, key=lambda c: PRIORITY_ORDER[c[0]]):
        mine = [entry for entry in objectives["entries"] if entry["priority"] == code]
        sections = [
            (section, rows)
            for p_label, secs in built.sections()
            if p_label == label
            for section, rows in secs
        ]
        if mine or sections:
            priorities.append({"label": label, "objectives": mine, "sections": sections})
    return {
        "title": f"Child exploitation action plan: {period.label} progress report",
        "introduction": (
            f"This report sets out the progress made in delivering the partnership's strategy "
            f"and action plan in {period.label}, the next steps for each priority, and the data "
            "summary with the direction of travel from the previous quarter."
        ),
        "priorities": priorities,
        "strategy": objectives["strategy"],
        "summary": built,
        "period": period,
        "published": published,
    }


def objective_updates(period: Period) -> dict:
    """Each objective of the delivery plan in force in the quarter, in the plan's order, with
    its leads (the leads of its delivery actions) and the update written for the quarter (None
    if none yet); then any update for the quarter about an objective outside that plan, or
    written before updates were linked to the plan and matching none of its objectives."""
    from lantern.plans.models import DeliveryAction, Objective

    strategy = strategy_for(period)
    updates = {
        u.objective_id: u
        for u in ObjectiveUpdate.objects.filter(period=str(period)).select_related(
            "objective__priority", "written_by"
        )
    }
    objectives = list(
        Objective.objects.filter(strategy=strategy)
        .select_related("priority")
        .order_by("priority__position", "position", "pk")
        if strategy
        else []
    )
    leads: dict[int, list[str]] = {}
    for objective_id, name in (
        DeliveryAction.objects.filter(objective__in=objectives, lead__isnull=False)
        .order_by("lead__name")
        .values_list("objective_id", "lead__name")
        .distinct()
    ):
        leads.setdefault(objective_id, []).append(name)
    entries = [
        {
            "objective": objective,
            "title": str(objective),
            "priority": services.priority_of_objective(objective),
            "leads": leads.get(objective.pk, []),
            "update": updates.pop(objective.pk, None),
        }
        for objective in objectives
    ]
    entries += [
        {
            "objective": update.objective,
            "title": update.objective_title,
            "priority": update.priority,
            "leads": [],
            "update": update,
        }
        for update in sorted(updates.values(), key=lambda u: u.objective_title)
    ]
    return {"strategy": strategy, "entries": entries}


def strategy_for(period: Period):
    """The delivery plan in force in the period: the latest-starting strategy whose years
    cover the period's first day, else the most recent strategy; None when there is none."""
    from lantern.plans.models import Strategy

    year = period.start.year
    covering = Strategy.objects.filter(start_year__lte=year, end_year__gte=year)
    return (
        covering.order_by("-start_year", "pk").first()
        or Strategy.objects.order_by("-start_year", "pk").first()
    )


def restricted_parts(parts: dict[str, str], period: Period, audience: str, user=None) -> list[dict]:
    """Each part of a restricted report: from its registered provider, or said to be missing.

    Counts a provider returns as rows of (label, count) are suppressed for aggregate audiences.
    A part that lists records is built for the viewer (`user`) and only when there is one.
    """
    shown = []
    for key, title in parts.items():
        provider = registry.provider(key)
        if provider is None:
            shown.append({"key": key, "title": title, "missing": True})
            continue
        if provider.per_viewer:
            if user is None:
                shown.append({"key": key, "title": title, "missing": True})
                continue
            context = provider.build(period, audience, user)
        else:
            context = provider.build(period, audience)
        if "rows" in context:
            context = {**context, "rows": _rows_with_shares(context["rows"], audience)}
        shown.append(
            {"key": key, "title": provider.title, "template": provider.template, **context}
        )
    return shown


def briefing(month: Period, user=None) -> dict:
    """The monthly tactical briefing: the month's computed figures and the restricted parts,
    the parts that list records showing only those `user` may see."""
    figures = []
    for spec in registry.computed_measures():
        value = spec.compute(month)
        figures.append(
            {
                "name": spec.name,
                "value": "Not available"
                if value is None
                else summary.format_number(Decimal(value), spec.unit),
                "previous": _shown(spec, month.previous()),
            }
        )
    return {
        "month": month,
        "figures": figures,
        "parts": restricted_parts(registry.BRIEFING_PARTS, month, summary.OPERATIONAL, user),
    }


# The problem profile's parts that give the partner-safe briefing its themes for the month.
PARTNER_THEMES = {
    "profile.locations_by_premises": "Places of concern, by type of premises",
    "profile.locations_by_ward": "Places of concern, by ward",
    "profile.suspects_by_gender": "Suspects and offenders by gender",
}


def partner_briefing(month: Period) -> dict:
    """The partner-safe monthly tactical briefing, for the multi-agency sub-group and the
    operational managers: the month's computed figures, how many children and nominals were
    at high risk and how many operations ran, and the month's themes. Counts only, small ones
    withheld as for any aggregate audience; no child, nominal or operation is named."""
    from lantern.performance.providers import high_risk_children_at, high_risk_nominals_at
    from lantern.tasking.models import Operation, OperationStatus

    figures = []
    for spec in registry.computed_measures():
        figures.append(
            {
                "name": spec.name,
                "value": _withheld(spec.compute(month), spec.unit),
                "previous": _withheld(spec.compute(month.previous()), spec.unit),
            }
        )
    children = high_risk_children_at(month.end)
    nominals = high_risk_nominals_at(month.end)
    operations = (
        Operation.objects.filter(started_on__lte=month.end)
        .exclude(status=OperationStatus.CLOSED)
        .count()
    )
    counts = [
        ("Children at high risk at the end of the month", len(children)),
        (
            "Of whom, became high risk during the month",
            sum(1 for day in children.values() if day >= month.start),
        ),
        ("Nominals (people of interest) assessed as high risk", len(nominals)),
        (
            "Of whom, assessed as high risk during the month",
            sum(1 for day in nominals.values() if day >= month.start),
        ),
        ("Police operations running in the month", operations),
    ]
    return {
        "month": month,
        "figures": figures,
        "counts": [(label, _withheld(value, "count")) for label, value in counts],
        "themes": restricted_parts(PARTNER_THEMES, month, summary.AGGREGATE),
        "small_label": suppression.small_label(),
    }


def _withheld(value, unit: str) -> str:
    """A figure for an aggregate audience: a count from 1 to the threshold is withheld."""
    if value is None:
        return "Not available"
    if unit == "count" and suppression.suppress({"v": value}):
        return suppression.small_label()
    return summary.format_number(Decimal(value), unit)


def problem_profile(period: Period, audience: str) -> dict:
    return {
        "period": period,
        "audience": audience,
        "parts": restricted_parts(registry.PROFILE_PARTS, period, audience),
        "small_label": suppression.small_label(),
    }


def _shown(spec, period: Period) -> str:
    value = spec.compute(period)
    return "Not available" if value is None else summary.format_number(Decimal(value), spec.unit)


def _rows_with_shares(rows: list[tuple[str, int]], audience: str) -> list[tuple[str, str, str]]:
    """(label, count, share of the whole) rows, with small counts and the shares that would
    reveal them withheld for a non-operational audience. A row labelled "Total" is the whole,
    and is protected by secondary suppression."""
    values = dict(rows)
    parts = [label for label in values if label != "Total"]
    whole = values.get("Total", sum(values[label] for label in parts))
    hidden = (
        suppression.suppress(values, [("Total", parts)] if "Total" in values else [])
        if audience == summary.AGGREGATE
        else {}
    )
    shown = []
    for label, count in rows:
        if label in hidden:
            mark = (
                suppression.small_label()
                if hidden[label] == suppression.PRIMARY
                else suppression.SECONDARY_MARK
            )
            shown.append((label, mark, mark))
            continue
        share = f"{Decimal(100) * count / whole:.1f}%" if whole else ""
        shown.append((label, str(count), share))
    return shown
