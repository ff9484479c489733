"""Open work on a submission held by later apps (tasking's agenda items and actions).

Intake cannot import tasking, so tasking registers a provider here from its AppConfig.ready:
a function that names, in plain words, each piece of work on a submission still open
("Action for Test licensing: visit the premises (due 4 December 2026)"). Concluding a strand
"acted on" is refused while any provider names something.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

OpenWorkProvider = Callable[[Any], list[str]]

_PROVIDERS: dict[str, OpenWorkProvider] = {}


def register(key: str, provider: OpenWorkProvider) -> None:
    """Add (or replace, by key) a provider of open work."""
    _PROVIDERS[key] = provider


def open_work_for(submission: Any) -> list[str]:
    """Every piece of open work on the submission, as the providers name it."""
    return [line for key in sorted(_PROVIDERS) for line in _PROVIDERS[key](submission)]
