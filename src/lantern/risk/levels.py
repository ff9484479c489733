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
