"""The service navigation: each app registers the pages a role may reach from the header."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import Resolver404, resolve, reverse

from lantern.accounts.access import has_capability


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str | None  # None: every signed-in user
    order: int = 100
    # Pages (namespaced URL names) that belong to this item though their paths do not start
    # with its own: a submission's pages belong to the intake queue, not to "Report a concern".
    pages: tuple[str, ...] = ()
    # Marked current only on its own page and its `pages`, never on every path below it.
    exact: bool = False
    # The section of the header it sits in (one of GROUPS); "" puts it in the header itself.
    group: str = ""


# The header's sections, in order: each shows as one link (to its page of the same name when
# the user can reach it, else to the first page in it they can reach), so a role with many
# pages keeps the header on one line; the section's pages are listed under the header while
# the user is in it. A section with one page for this user shows that page's own name instead.
INTELLIGENCE = "Intelligence"
TASKING = "Tasking"
CHILDREN = "Children"
FIGURES = "Performance"
ADMINISTRATION = "Administration"
GROUPS = (INTELLIGENCE, TASKING, CHILDREN, FIGURES, ADMINISTRATION)


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    """Add a page to the service navigation (called from an app's AppConfig.ready)."""
    if item not in _ITEMS:
        _ITEMS.append(item)


def _view_name(path: str) -> str:
    try:
        return resolve(path).view_name
    except Resolver404:
        return ""


def items_for(user, current_path: str) -> list[dict]:
    """The navigation items this user may reach, marking the one for the current page.

    At most one item is current: the one that names the page, else the one whose address is
    the longest start of the page's path.
    """
    if not user.is_authenticated:
        return []
    view_name = _view_name(current_path)
    result = []
    for item in sorted(_ITEMS, key=lambda i: (i.order, i.label)):
        if item.capability is not None and not has_capability(user, item.capability):
            continue
        result.append(
            {
                "label": item.label,
                "href": reverse(item.url_name),
                "current": False,
                "group": item.group,
            }
        )
        result[-1]["item"] = item
    named = [e for e in result if view_name == e["item"].url_name or view_name in e["item"].pages]
    if named:
        named[0]["current"] = True
    else:
        below = [
            e
            for e in result
            if e["href"] != "/" and not e["item"].exact and current_path.startswith(e["href"])
        ]
        if below:
            max(below, key=lambda e: len(e["href"]))["current"] = True
    for entry in result:
        del entry["item"]
    return result


def menu_for(user, current_path: str) -> dict:
    """The header as sections: `top` holds one entry per section (or ungrouped page), in the
    order of each one's first page; `sub` is the current section's own pages, when it has more
    than one, for the navigation under the header."""
    items = items_for(user, current_path)
    top: list[dict] = []
    sections: dict[str, dict] = {}
    for item in items:
        group = item["group"]
        if not group:
            top.append(item)
            continue
        if group not in sections:
            sections[group] = {"label": group, "href": item["href"], "current": False, "pages": []}
            top.append(sections[group])
        sections[group]["pages"].append(item)
        sections[group]["current"] |= item["current"]
        if item["label"] == group:  # the section's own page: "Children" opens the caseload
            sections[group]["href"] = item["href"]
    for index, entry in enumerate(top):
        if "pages" in entry and len(entry["pages"]) == 1:
            top[index] = entry["pages"][0]  # a section of one: the page's own name
    current = next((e for e in top if e["current"] and len(e.get("pages", ())) > 1), None)
    return {"top": top, "sub": current}
