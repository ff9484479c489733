"""Server-side SVG sparklines: they print, need no JavaScript, and obey the page's CSP."""

from __future__ import annotations

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD = 120, 32, 3


def sparkline(points: list[tuple[str, Decimal | None, str]], label: str) -> SafeString:
    """A small line of the trend. `points` are (period, value or None, text as shown); a None
    value (no figure, or suppressed) breaks the line, so a hidden figure is never plotted."""
    values = [v for _, v, _ in points if v is not None]
    description = "; ".join(f"{p}: {shown or 'no figure'}" for p, _, shown in points)
    title = escape(f"{label}: {description}")
    if not values:
        return mark_safe(  # noqa: S308 - every interpolated value is escaped above
            f'<svg class="lantern-sparkline" role="img" width="{WIDTH}" height="{HEIGHT}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" aria-label="{title}"><title>{title}</title></svg>'
        )
    low, high = min(values), max(values)
    span = (high - low) or Decimal(1)
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)
    segments: list[list[str]] = [[]]
    dots = []
    for i, (_, value, _) in enumerate(points):
        if value is None:
            segments.append([])
            continue
        x = PAD + i * step
        y = HEIGHT - PAD - float((value - low) / span) * (HEIGHT - 2 * PAD)
        segments[-1].append(f"{x:.1f},{y:.1f}")
        dots.append((x, y))
    lines = "".join(
        f'<polyline points="{" ".join(s)}" fill="none" stroke="#1d70b8" stroke-width="2"/>'
        for s in segments
        if len(s) > 1
    )
    last = dots[-1]
    return mark_safe(  # noqa: S308 - every interpolated value is escaped or numeric
        f'<svg class="lantern-sparkline" role="img" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" aria-label="{title}"><title>{title}</title>{lines}'
        f'<circle cx="{last[0]:.1f}" cy="{last[1]:.1f}" r="2.5" fill="#0b0c0c"/></svg>'
    )
