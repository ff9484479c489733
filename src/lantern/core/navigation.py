"""The service navigation: each app registers the pages a role may reach from the header."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from lantern.accounts.access import has_capability


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str | None  # None: every signed-in user
    order: int = 100


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    """Add a page to the service navigation (called from an app's AppConfig.ready)."""
    if item not in _ITEMS:
        _ITEMS.append(item)


def items_for(user, current_path: str) -> list[dict]:
    """The navigation items this user may reach, marking the one for the current page."""
    if not user.is_authenticated:
        return []
    result = []
    for item in sorted(_ITEMS, key=lambda i: (i.order, i.label)):
        if item.capability is not None and not has_capability(user, item.capability):
            continue
        href = reverse(item.url_name)
        current = current_path == href if href == "/" else current_path.startswith(href)
        result.append({"label": item.label, "href": href, "current": current})
    return result
