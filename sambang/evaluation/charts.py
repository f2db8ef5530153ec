"""Charts drawn on the server as SVG: no chart library to load on a phone, and the same
drawing goes into the PDF."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

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
