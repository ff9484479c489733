"""{% trend_chart row %}: a data summary row's trend as an SVG chart, for the documents."""

from __future__ import annotations

from django import template

from lantern.performance import charts

register = template.Library()


@register.simple_tag
def trend_chart(row):
    points = charts.trend_points(row)
    return charts.trend_chart(points, f"{row.measure}, last {len(points)} quarters")
