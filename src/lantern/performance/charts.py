"""Server-side SVG sparklines: they print, need no JavaScript, and obey the page's CSP."""

from __future__ import annotations

import io
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


# --- trend charts for documents (data summary HTML, PDF and Word) ----------------------------

CHART_W, CHART_H, CHART_PAD, CHART_BOTTOM = 320, 96, 8, 18


def trend_points(row) -> list[tuple[str, Decimal | None, str]]:
    """A summary row's trend as chart points; a hidden (suppressed) figure is never plotted."""
    return [(c.period, None if c.hidden else c.number, c.display) for c in row.trend]


def trend_chart(points: list[tuple[str, Decimal | None, str]], label: str) -> SafeString:
    """A labelled SVG trend chart: the line, a dot per figure, first and last periods below.

    Server-side so it prints (WeasyPrint draws inline SVG) and needs no JavaScript.
    """
    description = "; ".join(f"{p}: {shown or 'no figure'}" for p, _, shown in points)
    title = escape(f"{label}: {description}")
    body = []
    for x, y, text in _chart_dots(points):
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1d70b8"/>')
        body.append(
            f'<text x="{x:.1f}" y="{max(y - 5, 9):.1f}" font-size="9" text-anchor="middle" '
            f'fill="#0b0c0c">{escape(text)}</text>'
        )
    for segment in _chart_segments(points):
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
        body.insert(
            0, f'<polyline points="{coords}" fill="none" stroke="#1d70b8" stroke-width="2"/>'
        )
    if points:
        base = CHART_H - 4
        body.append(
            f'<text x="{CHART_PAD}" y="{base}" font-size="9" fill="#505a5f">'
            f"{escape(points[0][0])}</text>"
        )
        body.append(
            f'<text x="{CHART_W - CHART_PAD}" y="{base}" font-size="9" text-anchor="end" '
            f'fill="#505a5f">{escape(points[-1][0])}</text>'
        )
    axis_y = CHART_H - CHART_BOTTOM
    return mark_safe(  # noqa: S308 - every interpolated value is escaped or numeric
        f'<svg class="lantern-trend" role="img" width="{CHART_W}" height="{CHART_H}" '
        f'viewBox="0 0 {CHART_W} {CHART_H}" aria-label="{title}"><title>{title}</title>'
        f'<line x1="{CHART_PAD}" y1="{axis_y}" x2="{CHART_W - CHART_PAD}" y2="{axis_y}" '
        f'stroke="#b1b4b6"/>{"".join(body)}</svg>'
    )


def trend_png(points: list[tuple[str, Decimal | None, str]], scale: int = 3) -> bytes:
    """The same chart as a PNG, for Word: python-docx cannot embed SVG (it takes PNG, JPEG,
    GIF, BMP and TIFF), and older Word cannot show it. Drawn with Pillow at `scale` times."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (CHART_W * scale, CHART_H * scale), "white")
    draw = ImageDraw.Draw(image)
    axis_y = (CHART_H - CHART_BOTTOM) * scale
    draw.line([(CHART_PAD * scale, axis_y), ((CHART_W - CHART_PAD) * scale, axis_y)], "#b1b4b6")
    for segment in _chart_segments(points):
        draw.line([(x * scale, y * scale) for x, y in segment], "#1d70b8", width=2 * scale)
    for x, y, text in _chart_dots(points):
        r = 3 * scale
        draw.ellipse([x * scale - r, y * scale - r, x * scale + r, y * scale + r], "#1d70b8")
        draw.text(
            (x * scale, max(y - 5, 9) * scale), text, "#0b0c0c", anchor="ms", font_size=9 * scale
        )
    if points:
        base = (CHART_H - 4) * scale
        draw.text(
            (CHART_PAD * scale, base), points[0][0], "#505a5f", anchor="ls", font_size=9 * scale
        )
        draw.text(
            ((CHART_W - CHART_PAD) * scale, base),
            points[-1][0],
            "#505a5f",
            anchor="rs",
            font_size=9 * scale,
        )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _chart_positions(points) -> list[tuple[float, float] | None]:
    values = [v for _, v, _ in points if v is not None]
    if not values:
        return [None] * len(points)
    low, high = min(min(values), Decimal(0)), max(values)
    span = (high - low) or Decimal(1)
    top, bottom = CHART_PAD + 10, CHART_H - CHART_BOTTOM - 2
    step = (CHART_W - 2 * CHART_PAD - 20) / max(len(points) - 1, 1)
    return [
        None
        if value is None
        else (CHART_PAD + 10 + i * step, bottom - float((value - low) / span) * (bottom - top))
        for i, (_, value, _) in enumerate(points)
    ]


def _chart_segments(points) -> list[list[tuple[float, float]]]:
    segments: list[list[tuple[float, float]]] = [[]]
    for position in _chart_positions(points):
        if position is None:
            segments.append([])
        else:
            segments[-1].append(position)
    return [s for s in segments if len(s) > 1]


def _chart_dots(points) -> list[tuple[float, float, str]]:
    return [
        (pos[0], pos[1], shown)
        for pos, (_, _, shown) in zip(_chart_positions(points), points, strict=True)
        if pos is not None
    ]
