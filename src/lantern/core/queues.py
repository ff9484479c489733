"""What every work queue shares: sorting by a column named in the query string, and
remembering the user's last filters.

A queue names its columns once (`Sorts`), so an unknown `sort=` value is an error beside the
filters and the list is still shown in its default order; a queue's filters are remembered in
the user's session, so coming back to the queue shows what they last chose (with a way to
clear it)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict


@dataclass(frozen=True)
class Sort:
    key: str  # as it appears in ?sort= (a leading "-" reverses it)
    label: str
    ordering: tuple[str, ...]  # the ORM ordering for ascending


class Sorts:
    """A queue's sortable columns and its default order."""

    def __init__(self, *sorts: Sort, default: tuple[str, ...]):
        self.by_key = {sort.key: sort for sort in sorts}
        self.default = default

    def parse(self, value: str) -> tuple[str, tuple[str, ...], str]:
        """(the sort key as given or "", the ORM ordering, an error message or "")."""
        if not value:
            return "", self.default, ""
        key = value.removeprefix("-")
        sort = self.by_key.get(key)
        if sort is None:
            names = ", ".join(self.by_key)
            return "", self.default, f"Sort: choose one of {names} (add - for the reverse)"
        if value.startswith("-"):
            flipped = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in sort.ordering)
            return value, (*flipped, "-pk"), ""
        return value, (*sort.ordering, "pk"), ""

    def headers(self, current: str, query: QueryDict) -> dict[str, dict]:
        """For each column, the link that sorts by it (reversing when already sorted by it)
        and its aria-sort value."""
        result = {}
        for key, sort in self.by_key.items():
            ascending, descending = current == key, current == f"-{key}"
            q = query.copy()
            q.pop("page", None)
            q["sort"] = f"-{key}" if ascending else key
            result[key] = {
                "label": sort.label,
                "href": f"?{q.urlencode()}",
                "aria_sort": "ascending" if ascending else "descending" if descending else "none",
            }
        return result


def remembered_query(request, queue: str, names: list[str]) -> tuple[QueryDict, bool]:
    """The query to use for this queue: the request's own when it has any of `names` (and it
    is remembered for next time), else the one remembered in the session, else empty.
    `?clear=1` forgets it. Returns (query, whether it came from memory)."""
    key = f"lantern.queue.{queue}"
    if request.GET.get("clear"):
        request.session.pop(key, None)
        return QueryDict(mutable=True), False
    given = {name: request.GET.getlist(name) for name in names if request.GET.getlist(name)}
    if given:
        request.session[key] = given
        return request.GET.copy(), False
    saved = request.session.get(key)
    if not saved:
        return request.GET.copy(), False
    query = request.GET.copy()
    for name, values in saved.items():
        if name in names:
            query.setlist(name, values)
    return query, True
