"""Small-number suppression for aggregate outputs shown to people without access to the records.

Board members, scrutiny members and the public see counts, never the records behind them. A
count from 1 to the threshold (setting LANTERN_SUPPRESSION_THRESHOLD, default 4) could identify
a child, so it is shown as "<5" (primary suppression). Where a total and its parts are all
shown, one hidden part could be worked out by subtraction, so a second cell in the same sum is
hidden too (secondary suppression): after suppression every sum has no hidden cell or at least
two, which leaves any hidden figure with at least two unknowns in its equation.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from decimal import Decimal

from django.conf import settings

PRIMARY = "primary"
SECONDARY = "secondary"
SECONDARY_MARK = "[c]"  # as in official statistics: withheld to protect a smaller figure


def threshold() -> int:
    return settings.LANTERN_SUPPRESSION_THRESHOLD


def small_label(limit: int | None = None) -> str:
    """How a suppressed small count reads: "<5" for the default threshold of 4."""
    return f"<{(threshold() if limit is None else limit) + 1}"


def suppress(
    values: Mapping[Hashable, int | Decimal | None],
    sums: Iterable[tuple[Hashable, list[Hashable]]] = (),
    limit: int | None = None,
) -> dict[Hashable, str]:
    """The cells to hide, each marked PRIMARY or SECONDARY.

    `values` are the counts by cell key (None for a cell with no figure, which is never hidden
    and takes no part in a sum); `sums` are (total key, part keys) relations that hold among
    them. Zero is not suppressed: it identifies nobody.
    """
    limit = threshold() if limit is None else limit
    hidden: dict[Hashable, str] = {
        key: PRIMARY for key, value in values.items() if value is not None and 1 <= value <= limit
    }
    sums = [(total, list(parts)) for total, parts in sums]
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            members = [k for k in [total, *parts] if values.get(k) is not None]
            if sum(1 for k in members if k in hidden) != 1:
                continue
            candidate = _second_cell(values, total, parts, hidden)
            if candidate is not None:
                hidden[candidate] = SECONDARY
                changed = True
    return hidden


def _second_cell(values, total, parts, hidden) -> Hashable | None:
    """The smallest part still shown (hiding the least information), else the total."""
    shown_parts = [k for k in parts if values.get(k) is not None and k not in hidden]
    if shown_parts:
        return min(shown_parts, key=lambda k: (values[k], str(k)))
    if values.get(total) is not None and total not in hidden:
        return total
    return None
