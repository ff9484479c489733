"""Home page panels: each app registers what a role should see first when signing in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lantern.accounts.access import has_capability


@dataclass(frozen=True)
class HomePanel:
    key: str
    template: str
    capability: str | None
    context: Callable  # (request) -> dict
    order: int = 100


@dataclass(frozen=True)
class NeedsMe:
    """One kind of thing waiting on the user, for the top of the home page ("what needs me
    today"). `rows(request)` returns dicts of label, count, href and, optionally, overdue
    (True makes the row stand out). Each count must be computed by the same query as the list
    its link opens, so the page the link opens holds exactly that many items."""

    key: str
    capability: str | None
    rows: Callable  # (request) -> list[dict]
    order: int = 100


_PANELS: dict[str, HomePanel] = {}
_NEEDS: dict[str, NeedsMe] = {}
_PUBLIC_START: list[Callable] = []


def register_public_start(view: Callable) -> None:
    """The page shown at / to people who are not signed in (intake registers its start page,
    so core need not import intake)."""
    _PUBLIC_START[:] = [view]


def public_start() -> Callable | None:
    return _PUBLIC_START[0] if _PUBLIC_START else None


def register(panel: HomePanel) -> None:
    _PANELS[panel.key] = panel


def panels_for(request) -> list[dict]:
    """The panels this user may see, each with its template and context, in order."""
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda p: (p.order, p.key)):
        if panel.capability is None or has_capability(request.user, panel.capability):
            shown.append({"template": panel.template, **panel.context(request)})
    return shown


def register_needs(needs: NeedsMe) -> None:
    _NEEDS[needs.key] = needs


def needs_for(request) -> list[dict]:
    """What is waiting on this user, in order; rows with nothing waiting are left out."""
    shown = []
    for needs in sorted(_NEEDS.values(), key=lambda n: (n.order, n.key)):
        if needs.capability is None or has_capability(request.user, needs.capability):
            shown.extend(row for row in needs.rows(request) if row["count"])
    return shown
