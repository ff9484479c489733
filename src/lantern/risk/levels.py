"""Risk levels, shared by every risk tool, MACE discussions and missing episodes."""

from __future__ import annotations

from django.db import models


class RiskLevel(models.TextChoices):
    NONE = "none", "No apparent risk"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


# Ordered lowest to highest: the chart's vertical axis and "is this higher than that".
LEVEL_ORDER = [RiskLevel.NONE, RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH]
LEVEL_RANK = {level.value: rank for rank, level in enumerate(LEVEL_ORDER)}

# Not a level: an assessment whose recorded indicators total nothing while some indicators are
# not known has not found "no apparent risk", it has not found out. Never ranked, never charted
# as a level.
NOT_KNOWN = "not_known"
NOT_KNOWN_LABEL = "Not known"


def level_label(level: str) -> str:
    """The words for a level, "Not known" included."""
    if level == NOT_KNOWN:
        return NOT_KNOWN_LABEL
    return RiskLevel(level).label if level else ""
