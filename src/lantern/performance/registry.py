"""Where apps plug their figures into the performance framework.

Two kinds of registration, both made from an app's `AppConfig.ready`:

- a **computed measure**: a figure Lantern can answer from its own records for any period,
  with an optional drill-down to the records behind it;
- a **provider**: a named part of a restricted report (the tactical briefing, the problem
  profile) that only another app's data can fill, such as high-risk children or nominals.

    from lantern.performance import registry
    registry.register(registry.ComputedMeasure(
        code="intake.submissions_received", name="Submissions received",
        priority="pursue", section="Single point of entry",
        unit="count", timing="flow", polarity="neither",
        definition="Submissions received at the single point of entry during the period.",
        compute=lambda period: Submission.objects.filter(
            received_at__date__range=(period.start, period.end)).count(),
        drilldown=lambda user, period: access.visible(user, Submission.objects.filter(...)),
    ))

`lantern.performance.services.sync_catalogue()` copies every registered measure into the
catalogue (it runs after each migrate and before every report), so a registered measure appears
in the data summary without anyone typing it in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lantern.core.periods import Period

Figure = int | Decimal | None


@dataclass(frozen=True)
class ComputedMeasure:
    """A measure Lantern computes from its own records.

    `compute(period)` returns the figure for a financial year, quarter or month (None when it
    cannot be known for that period). `drilldown(user, period)` returns a queryset of the records
    behind the figure, already filtered by `access.visible` for that user, or None when the
    user may not see them; leave it None when the records cannot be listed.
    """

    code: str
    name: str
    priority: str
    section: str
    compute: Callable[[Period], Figure]
    unit: str = "count"  # count | percentage
    timing: str = "flow"  # flow ("during the period") | snapshot ("as at end of period")
    polarity: str = "neither"  # up (higher is better) | down (lower is better) | neither
    definition: str = ""
    drilldown: Callable[[Any, Period], Any] | None = None
    order: int = 100
    # Optional: every period's figure in one query ({period: figure}); reports use it when set.
    compute_many: Callable[[list[Period]], dict[Period, Figure]] | None = None

    def figures(self, periods: list[Period]) -> dict[Period, Figure]:
        """The figure for each period, in one query when the measure offers one."""
        if self.compute_many is not None:
            return self.compute_many(periods)
        return {period: self.compute(period) for period in periods}


@dataclass(frozen=True)
class Provider:
    """A part of a restricted report filled from another app's records.

    `build(period, audience)` returns a dict for the template `template` (rows of aggregate
    figures; the report applies small-number suppression for non-operational audiences to any
    "rows" of (label, count) it returns).

    A part that lists records rather than counting them (the briefing's high-risk children,
    nominals and operations) sets `per_viewer`: it is then built as `build(period, audience,
    user)` and must show only what `access.visible(user, ...)` allows. It may return
    `"audit": [(Model, count), ...]`, the records it listed, which the page records as read.
    """

    key: str
    title: str
    template: str
    build: Callable[..., dict]
    per_viewer: bool = False


# The parts of the restricted reports that need another app's records. A key here with no
# provider registered shows "no data source registered yet" rather than an invented figure.
BRIEFING_PARTS = {
    "briefing.high_risk_children": "High-risk children",
    "briefing.nominals": "Nominals (people of interest)",
    "briefing.operations": "Operations narrative",
}
PROFILE_PARTS = {
    "profile.suspects_by_gender": "Suspects and offenders by gender",
    "profile.suspects_by_ethnicity": "Suspects and offenders by ethnicity",
    "profile.locations_by_ward": "Locations by ward",
    "profile.locations_by_premises": "Locations by premises type",
    "profile.referrals_per_week": "Referrals per week",
    "profile.referral_to_charge": "Time from referral to charge",
}

_MEASURES: dict[str, ComputedMeasure] = {}
_PROVIDERS: dict[str, Provider] = {}


def register(measure: ComputedMeasure) -> None:
    """Add (or replace, by code) a computed measure."""
    _MEASURES[measure.code] = measure


def computed_measures() -> list[ComputedMeasure]:
    return sorted(_MEASURES.values(), key=lambda m: (m.order, m.code))


def computed_measure(code: str) -> ComputedMeasure | None:
    return _MEASURES.get(code)


def register_provider(provider: Provider) -> None:
    """Fill one part of the tactical briefing or the problem profile (keys above)."""
    _PROVIDERS[provider.key] = provider


def provider(key: str) -> Provider | None:
    return _PROVIDERS.get(key)


def unregister(code: str) -> None:
    """Remove a computed measure (tests that register their own use this to tidy up)."""
    _MEASURES.pop(code, None)


def unregister_provider(key: str) -> None:
    _PROVIDERS.pop(key, None)
