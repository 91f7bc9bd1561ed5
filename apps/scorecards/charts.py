"""Server-side SVG charts (pure Python; no JavaScript, so the same SVG serves the page and the PDF).

Accessible by construction: ``role="img"`` with ``<title>`` and ``<desc>`` (the desc carries the
numbers as text), a legend, and every series told apart by marker shape and line dash as well as
colour (Okabe–Ito palette, readable by colour-blind people and in greyscale print). Only SVG 1.1
basics are used (paths, polygons, text, dash arrays) so WeasyPrint renders them as browsers do.

The caller passes already-translated strings; nothing here depends on Django.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

__all__ = ["PALETTE", "SHAPES", "RadarSeries", "ScatterPoint", "nice_ticks", "radar_svg", "scatter_svg"]

PALETTE: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999933")
SHAPES: tuple[str, ...] = ("circle", "square", "triangle", "diamond", "triangle-down", "cross", "plus", "star")
DASHES: tuple[str, ...] = ("", "6 3", "2 3", "8 3 2 3", "4 4", "1 2", "10 4", "3 3 1 3")
EXCLUDED_COLOUR = "#6c757d"
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'


@dataclass(frozen=True, slots=True)
class RadarSeries:
    label: str
    values: Sequence[float | None]  # 0–1 per axis; None draws at 0 with a hollow marker (missing)
    excluded: bool = False


@dataclass(frozen=True, slots=True)
class ScatterPoint:
    label: str
    x: float | None
    y: float | None
    excluded: bool = False


def _style(index: int, excluded: bool) -> tuple[str, str, str]:
    colour = EXCLUDED_COLOUR if excluded else PALETTE[index % len(PALETTE)]
    return colour, SHAPES[index % len(SHAPES)], DASHES[(index + index // len(SHAPES)) % len(DASHES)]


def _fmt(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def marker(shape: str, x: float, y: float, r: float, colour: str, *, hollow: bool = False) -> str:
    """One marker; hollow markers (white fill) flag missing or excluded data."""
    fill = "#ffffff" if hollow else colour
    common = f'fill="{fill}" stroke="{colour}" stroke-width="1.5"'
    if shape == "circle":
        return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(r)}" {common}/>'
    if shape == "square":
        return f'<rect x="{_fmt(x - r)}" y="{_fmt(y - r)}" width="{_fmt(2 * r)}" height="{_fmt(2 * r)}" {common}/>'
    if shape in ("cross", "plus"):
        a = 0.785398 if shape == "cross" else 0.0
        pts = []
        for k in range(4):
            t = a + k * math.pi / 2
            pts.append(f"M{_fmt(x)} {_fmt(y)}L{_fmt(x + r * 1.2 * math.cos(t))} {_fmt(y + r * 1.2 * math.sin(t))}")
        return f'<path d="{"".join(pts)}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
    if shape == "star":
        pts = []
        for k in range(10):
            rr = r * 1.3 if k % 2 == 0 else r * 0.55
            t = -math.pi / 2 + k * math.pi / 5
            pts.append(f"{_fmt(x + rr * math.cos(t))},{_fmt(y + rr * math.sin(t))}")
        return f'<polygon points="{" ".join(pts)}" {common}/>'
    corners = {
        "triangle": [(0, -1.25), (1.1, 0.8), (-1.1, 0.8)],
        "triangle-down": [(0, 1.25), (1.1, -0.8), (-1.1, -0.8)],
        "diamond": [(0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0)],
    }[shape]
    pts_s = " ".join(f"{_fmt(x + dx * r)},{_fmt(y + dy * r)}" for dx, dy in corners)
    return f'<polygon points="{pts_s}" {common}/>'


def _open(chart_id: str, width: float, height: float, title: str, desc: str) -> list[str]:
    tid, did = f"{chart_id}-title", f"{chart_id}-desc"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" id={quoteattr(chart_id)} class="chart" role="img" '
        f'viewBox="0 0 {_fmt(width)} {_fmt(height)}" width="{_fmt(width)}" height="{_fmt(height)}" '
        f'aria-labelledby="{tid} {did}" {FONT} font-size="12">',
        f"<title id={quoteattr(tid)}>{escape(title)}</title>",
        f"<desc id={quoteattr(did)}>{escape(desc)}</desc>",
        f'<rect x="0" y="0" width="{_fmt(width)}" height="{_fmt(height)}" fill="#ffffff"/>',
    ]


def _legend(
    entries: Sequence[tuple[str, int, bool]], *, top: float, width: float, with_line: bool, note: str = ""
) -> tuple[list[str], float]:
    """Legend rows (two columns when there is room); returns the SVG parts and the height used."""
    parts = ['<g class="legend">']
    cols = 2 if width >= 560 and len(entries) > 4 else 1
    col_w = (width - 40) / cols
    row_h = 20
    for i, (label, index, excluded) in enumerate(entries):
        colour, shape, dash = _style(index, excluded)
        x = 20 + (i % cols) * col_w
        y = top + (i // cols) * row_h + 10
        if with_line:
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{_fmt(x)}" y1="{_fmt(y)}" x2="{_fmt(x + 28)}" y2="{_fmt(y)}" stroke="{colour}" '
                f'stroke-width="2"{dash_attr}/>'
            )
        parts.append(marker(shape, x + 14, y, 4.5, colour, hollow=excluded))
        parts.append(f'<text x="{_fmt(x + 36)}" y="{_fmt(y + 4)}" fill="#212529">{escape(label)}</text>')
    rows = math.ceil(len(entries) / cols) if entries else 0
    used = rows * row_h + 10
    if note:
        for line in textwrap.wrap(note, width=max(20, int((width - 40) / 6.2))):
            parts.append(f'<text x="20" y="{_fmt(top + used + 6)}" fill="#495057" font-size="11">{escape(line)}</text>')
            used += 15
        used += 3
    parts.append("</g>")
    return parts, used


def radar_svg(
    *,
    chart_id: str,
    axes: Sequence[str],
    series: Sequence[RadarSeries],
    title: str,
    desc: str,
    note: str = "",
    size: float = 460,
    legend_labels: Sequence[str] | None = None,
) -> str:
    """A radar (spider) chart of 0–1 factor scores; one polygon per series."""
    n = len(axes)
    if n < 3:
        raise ValueError("a radar chart needs at least three axes")
    width = max(size + 180, 600)
    cx, cy, radius = width / 2, size / 2 + 10, size / 2 - 50
    legend_entries = [((legend_labels[i] if legend_labels else s.label), i, s.excluded) for i, s in enumerate(series)]
    legend_parts, legend_h = _legend(legend_entries, top=size + 20, width=width, with_line=True, note=note)
    height = size + 20 + legend_h + 10
    parts = _open(chart_id, width, height, title, desc)

    def point(axis: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * axis / n
        return cx + radius * value * math.cos(angle), cy + radius * value * math.sin(angle)

    parts.append('<g class="grid" fill="none" stroke="#ced4da" stroke-width="1">')
    for level in (0.25, 0.5, 0.75, 1.0):
        pts = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in (point(i, level) for i in range(n)))
        parts.append(f'<polygon points="{pts}"/>')
    for i in range(n):
        x, y = point(i, 1.0)
        parts.append(f'<line x1="{_fmt(cx)}" y1="{_fmt(cy)}" x2="{_fmt(x)}" y2="{_fmt(y)}"/>')
    parts.append("</g>")
    parts.append('<g class="scale" fill="#6c757d" font-size="10">')
    for level in (0.5, 1.0):
        x, y = point(0, level)
        parts.append(f'<text x="{_fmt(x + 4)}" y="{_fmt(y + 10)}">{int(level * 100)}</text>')
    parts.append("</g>")
    parts.append('<g class="axes" fill="#212529">')
    for i, label in enumerate(axes):
        x, y = point(i, 1.12)
        cos = math.cos(-math.pi / 2 + 2 * math.pi * i / n)
        anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
        parts.append(f'<text x="{_fmt(x)}" y="{_fmt(y + 4)}" text-anchor="{anchor}">{escape(label)}</text>')
    parts.append("</g>")
    for index, s in enumerate(series):
        colour, shape, dash = _style(index, s.excluded)
        vertices = [point(i, max(0.0, min(1.0, v or 0.0))) for i, v in enumerate(s.values)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<g class="series" data-series="{index}">')
        parts.append(
            f'<polygon points="{" ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in vertices)}" fill="{colour}" '
            f'fill-opacity="{0.04 if s.excluded else 0.08}" stroke="{colour}" stroke-width="2"{dash_attr}>'
            f"<title>{escape(s.label)}</title></polygon>"
        )
        for (x, y), v in zip(vertices, s.values, strict=False):
            parts.append(marker(shape, x, y, 3.5, colour, hollow=v is None or s.excluded))
        parts.append("</g>")
    parts.extend(legend_parts)
    parts.append("</svg>")
    return "".join(parts)


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (1, 2, 2.5, 5 × 10^k steps)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return [0.0]
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    raw_step = (hi - lo) / max(1, count)
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    start = math.floor(lo / step) * step
    ticks = [round(start, 10)]
    while ticks[-1] < hi - step * 1e-9 and len(ticks) < 50:
        ticks.append(round(start + len(ticks) * step, 10))
    return ticks


def scatter_svg(
    *,
    chart_id: str,
    points: Sequence[ScatterPoint],
    title: str,
    desc: str,
    x_label: str,
    y_label: str,
    note: str = "",
    format_x: Callable[[float], str] = _fmt,
    format_y: Callable[[float], str] = _fmt,
    legend_labels: Sequence[str] | None = None,
    width: float = 640,
    plot_height: float = 340,
) -> str:
    """Cost (x) against quality (y); points without both values are left out (say so in ``note``).

    Each point carries its legend number next to it, so 50 candidates stay readable.
    """
    left, right, top = 70.0, 20.0, 20.0
    plot_w = width - left - right
    plotted = [(i, p) for i, p in enumerate(points) if p.x is not None and p.y is not None]
    xs = [float(p.x) for _, p in plotted]  # type: ignore[arg-type]
    ys = [float(p.y) for _, p in plotted]  # type: ignore[arg-type]
    x_ticks = nice_ticks(min(xs + [0.0]), max(xs + [0.0]) or 1.0)
    y_lo = min(ys) if ys else 0.0
    y_hi = max(ys) if ys else 1.0
    pad = (y_hi - y_lo) * 0.1 or max(1.0, abs(y_hi) * 0.1)
    y_ticks = nice_ticks(y_lo - pad, y_hi + pad)
    x0, x1 = x_ticks[0], x_ticks[-1]
    y0, y1 = y_ticks[0], y_ticks[-1]

    def sx(v: float) -> float:
        return left + (v - x0) / ((x1 - x0) or 1.0) * plot_w

    def sy(v: float) -> float:
        return top + plot_height - (v - y0) / ((y1 - y0) or 1.0) * plot_height

    legend_entries = [
        (f"{i + 1}. {legend_labels[i] if legend_labels else p.label}", i, p.excluded) for i, p in enumerate(points)
    ]
    axis_bottom = top + plot_height + 50
    legend_parts, legend_h = _legend(legend_entries, top=axis_bottom, width=width, with_line=False, note=note)
    height = axis_bottom + legend_h + 10
    parts = _open(chart_id, width, height, title, desc)
    parts.append('<g class="grid" stroke="#e9ecef" stroke-width="1" font-size="10" fill="#495057">')
    for t in x_ticks:
        x = sx(t)
        parts.append(f'<line x1="{_fmt(x)}" y1="{_fmt(top)}" x2="{_fmt(x)}" y2="{_fmt(top + plot_height)}"/>')
        parts.append(
            f'<text x="{_fmt(x)}" y="{_fmt(top + plot_height + 16)}" text-anchor="middle" stroke="none">'
            f"{escape(format_x(t))}</text>"
        )
    for t in y_ticks:
        y = sy(t)
        parts.append(f'<line x1="{_fmt(left)}" y1="{_fmt(y)}" x2="{_fmt(left + plot_w)}" y2="{_fmt(y)}"/>')
        parts.append(
            f'<text x="{_fmt(left - 6)}" y="{_fmt(y + 4)}" text-anchor="end" stroke="none">{escape(format_y(t))}</text>'
        )
    parts.append("</g>")
    parts.append(
        f'<rect x="{_fmt(left)}" y="{_fmt(top)}" width="{_fmt(plot_w)}" height="{_fmt(plot_height)}" fill="none" '
        'stroke="#adb5bd"/>'
    )
    parts.append(
        f'<text x="{_fmt(left + plot_w / 2)}" y="{_fmt(top + plot_height + 36)}" text-anchor="middle" '
        f'fill="#212529">{escape(x_label)}</text>'
    )
    parts.append(
        f'<text transform="translate(16 {_fmt(top + plot_height / 2)}) rotate(-90)" text-anchor="middle" '
        f'fill="#212529">{escape(y_label)}</text>'
    )
    parts.append('<g class="points">')
    for i, p in plotted:
        colour, shape, _dash = _style(i, p.excluded)
        x, y = sx(float(p.x)), sy(float(p.y))  # type: ignore[arg-type]
        parts.append(f'<g data-series="{i}"><title>{escape(p.label)}</title>')
        parts.append(marker(shape, x, y, 5.5, colour, hollow=p.excluded))
        parts.append(f'<text x="{_fmt(x + 8)}" y="{_fmt(y - 6)}" font-size="10" fill="{colour}">{i + 1}</text></g>')
    parts.append("</g>")
    parts.extend(legend_parts)
    parts.append("</svg>")
    return "".join(parts)
