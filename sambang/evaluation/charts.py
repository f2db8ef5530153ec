"""Charts drawn on the server as SVG: no chart library to load on a phone, and the same
drawing goes into the PDF."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape  # writes SVG, parses nothing  # nosec B406

PALETTE = ("#1f3a68", "#f2b705", "#1d6b34", "#a4161a", "#6b4f9e")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    maximum: float | None = None,
    unit: str = "",
    width: int = 560,
    height: int = 220,
) -> str:
    """A line chart with a dot per value; a gap where a value is missing."""
    left, right, top, bottom = 44, 12, 28, 40
    values = [v for s in series for v in s.values if v is not None]
    high = maximum if maximum is not None else max([*values, 1.0]) * 1.1
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(1, len(labels) - 1)

    def x(i: int) -> float:
        return left + i * step

    def y(v: float) -> float:
        return top + plot_h * (1 - v / high)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
        f'font-family="sans-serif" font-size="11">',
        f'<text x="{left}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    for fraction in (0, 0.5, 1):
        gy = top + plot_h * (1 - fraction)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{gy:.1f}" y2="{gy:.1f}" stroke="#d5dae1"/>'
            f'<text x="{left - 6}" y="{gy + 4:.1f}" text-anchor="end" fill="#4f5966">'
            f"{high * fraction:.0f}{escape(unit)}</text>"
        )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'fill="#4f5966">{escape(label)}</text>'
        )
    for index, item in enumerate(series):
        color = PALETTE[index % len(PALETTE)]
        points = [(x(i), y(v)) for i, v in enumerate(item.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>'
            )
        parts += [
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{color}"/>' for px, py in points
        ]
        lx = left + index * 150
        parts.append(
            f'<rect x="{lx}" y="{height - 14}" width="10" height="10" fill="{color}"/>'
            f'<text x="{lx + 14}" y="{height - 5}">{escape(item.name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


SCALE = ("#f1eef6", "#bdc9e1", "#74a9cf", "#2b8cbe", "#045a8d")


def _fill(value: float, top: float) -> str:
    if value <= 0 or top <= 0:
        return "#ffffff"
    return SCALE[min(len(SCALE) - 1, int(len(SCALE) * value / top - 1e-9))]


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def map_chart(layer: dict[str, Any], *, title: str, width: int = 560, height: int = 420) -> str:
    """A GeoJSON layer of valued areas as a static SVG map (for the PDF): shapes where
    there are boundaries, bubbles at centroids otherwise, shaded by value."""
    features = layer.get("features", [])
    points = [
        point
        for f in features
        for point in (
            [f["geometry"]["coordinates"]]
            if f["geometry"]["type"] == "Point"
            else [p for ring in _rings(f["geometry"]) for p in ring]
        )
    ]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
        f'<text x="8" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]
    if points:
        lngs, lats = [p[0] for p in points], [p[1] for p in points]
        squeeze = math.cos(math.radians((min(lats) + max(lats)) / 2))
        span_x = max((max(lngs) - min(lngs)) * squeeze, 1e-6)
        span_y = max(max(lats) - min(lats), 1e-6)
        size = min((width - 40) / span_x, (height - 60) / span_y)

        def xy(lng: float, lat: float) -> tuple[float, float]:
            return 20 + (lng - min(lngs)) * squeeze * size, 30 + (max(lats) - lat) * size

        top = max([f["properties"].get("value", 0) for f in features] + [0])
        for feature in features:
            value = feature["properties"].get("value", 0)
            colour = _fill(value, top)
            geometry = feature["geometry"]
            if geometry["type"] == "Point":
                x, y = xy(*geometry["coordinates"][:2])
                radius = 3 + 12 * math.sqrt(value / top) if top else 3
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{colour}" '
                    'stroke="#1f3a68" stroke-width="0.6"/>'
                )
            for ring in _rings(geometry):
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(*p[:2]) for p in ring))
                parts.append(
                    f'<polygon points="{path}" fill="{colour}" stroke="#1f3a68" '
                    'stroke-width="0.5"/>'
                )
        for index, colour in enumerate(SCALE):
            low = top * index / len(SCALE)
            parts.append(
                f'<rect x="{8 + index * 80}" y="{height - 16}" width="10" height="10" '
                f'fill="{colour}" stroke="#d5dae1"/><text x="{22 + index * 80}" '
                f'y="{height - 7}">&gt; {low:.0f}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
