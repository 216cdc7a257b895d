"""Charts as SVG drawn on the server: stacked bars, horizontal bars, a line. No JavaScript.

Each chart is one ``<svg role="img">`` with a ``<title>``, axis labels and a legend. Every text
that goes in is escaped here, so a name from the database can never become markup. Colours are
SVG presentation attributes (allowed by the console's CSP, unlike inline styles).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

PALETTE = ("#0b5cad", "#1a7f37", "#9a6700", "#b3261e", "#6f42c1", "#0a7f8c", "#8c959f")
WIDTH, HEIGHT = 760, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 34, 60
LEGEND_COLUMNS, LEGEND_ROW = 2, 16


def nice_max(value: float) -> int:
    """A round axis maximum at or above ``value``, with four whole-number steps (1, 2 or 5 × 10ⁿ)."""
    raw = max(value, 1) / 4
    power = 10 ** max(0, math.floor(math.log10(raw)))
    step = next(s * power for s in (1, 2, 5, 10) if s * power >= raw)
    return int(step * 4)


def _num(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _text(x: float, y: float, content: str, anchor: str = "middle", **extra: str) -> str:
    attrs = "".join(f' {k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in extra.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{attrs}>{escape(content)}</text>'


def _frame(
    title: str, x_label: str, y_label: str, body: list[str], legend: Sequence[str] = ()
) -> Markup:
    plot_bottom = HEIGHT - BOTTOM
    rows = math.ceil(len(legend) / LEGEND_COLUMNS)
    height = HEIGHT + LEGEND_ROW * max(0, rows - 1) - (0 if rows else LEGEND_ROW)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(title)}</title>",
        _text(WIDTH / 2, 16, title, class_="chart-title", font_weight="600"),
        *body,
        f'<line x1="{LEFT}" y1="{plot_bottom}" x2="{WIDTH - RIGHT}" y2="{plot_bottom}" '
        f'stroke="#5b6673"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{plot_bottom}" stroke="#5b6673"/>',
        _text((LEFT + WIDTH - RIGHT) / 2, HEIGHT - 24, x_label, class_="axis-label"),
        _text(
            14,
            (TOP + plot_bottom) / 2,
            y_label,
            class_="axis-label",
            transform=f"rotate(-90 14 {(TOP + plot_bottom) / 2:.1f})",
        ),
        *_legend(legend),
        "</svg>",
    ]
    return Markup("".join(parts))


def _y_grid(top_value: float, percent: bool = False) -> list[str]:
    plot_bottom, height = HEIGHT - BOTTOM, HEIGHT - BOTTOM - TOP
    lines = []
    for step in range(5):
        value = top_value * step / 4
        y = plot_bottom - height * step / 4
        label = f"{value * 100:.0f}%" if percent else _num(value)
        if step:
            lines.append(
                f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
                f'stroke="#d8dee4"/>'
            )
        lines.append(_text(LEFT - 6, y + 4, label, anchor="end"))
    return lines


def _x_labels(labels: Sequence[str], slot: float) -> list[str]:
    every = max(1, math.ceil(len(labels) / 15))
    return [
        _text(LEFT + slot * (n + 0.5), HEIGHT - BOTTOM + 14, label)
        for n, label in enumerate(labels)
        if n % every == 0
    ]


def _legend(names: Sequence[str]) -> list[str]:
    """A colour key below the chart, two names a row; long names cut, whole in a tooltip."""
    parts = []
    column = (WIDTH - LEFT - RIGHT) / LEGEND_COLUMNS
    for n, name in enumerate(names):
        x = LEFT + column * (n % LEGEND_COLUMNS)
        y = HEIGHT - 12 + LEGEND_ROW * (n // LEGEND_COLUMNS)
        short = name if len(name) <= 48 else name[:46].rstrip() + "…"
        parts.append(
            f'<g><title>{escape(name)}</title><rect x="{x:.1f}" y="{y}" width="10" height="10" '
            f'fill="{PALETTE[n % len(PALETTE)]}"/>{_text(x + 14, y + 9, short, anchor="start")}</g>'
        )
    return parts


def stacked_bars(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    x_label: str,
    y_label: str,
) -> Markup:
    """One bar per label, stacked from the series in order (bottom first)."""
    totals = [sum(values[n] for _, values in series) for n in range(len(labels))]
    top_value = nice_max(max(totals, default=0))
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    height = HEIGHT - BOTTOM - TOP
    body = _y_grid(top_value)
    for n, label in enumerate(labels):
        y = HEIGHT - BOTTOM
        for k, (name, values) in enumerate(series):
            if not values[n]:
                continue
            h = height * values[n] / top_value
            y -= h
            body.append(
                f'<rect x="{LEFT + slot * n + slot * 0.15:.1f}" y="{y:.1f}" '
                f'width="{slot * 0.7:.1f}" height="{h:.1f}" fill="{PALETTE[k % len(PALETTE)]}">'
                f"<title>{escape(label)} · {escape(name)}: {values[n]}</title></rect>"
            )
    body += _x_labels(labels, slot)
    return _frame(title, x_label, y_label, body, [name for name, _ in series])


def horizontal_bars(
    title: str, items: Sequence[tuple[str, int]], *, x_label: str, y_label: str
) -> Markup:
    """One horizontal bar per item, largest first as given; the label inside the plot."""
    top_value = nice_max(max((v for _, v in items), default=0))
    slot = (HEIGHT - BOTTOM - TOP) / max(1, len(items))
    width = WIDTH - LEFT - RIGHT
    body = []
    for step in range(5):
        x = LEFT + width * step / 4
        body.append(_text(x, HEIGHT - BOTTOM + 14, _num(top_value * step / 4)))
    for n, (label, value) in enumerate(items):
        y = TOP + slot * n
        w = width * value / top_value
        body.append(
            f'<rect x="{LEFT}" y="{y + slot * 0.12:.1f}" width="{w:.1f}" '
            f'height="{slot * 0.76:.1f}" fill="{PALETTE[0]}">'
            f"<title>{escape(label)}: {value}</title></rect>"
        )
        caption = f"{label} ({value})"
        if w > width * 0.55:  # a long bar holds its label; a short one has it just after
            body.append(_text(LEFT + w - 6, y + slot / 2 + 4, caption, anchor="end", fill="#fff"))
        else:
            body.append(_text(LEFT + w + 6, y + slot / 2 + 4, caption, anchor="start"))
    return _frame(title, x_label, y_label, body)


def line(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    x_label: str,
    y_label: str,
    percent: bool = True,
) -> Markup:
    """A line through the values (0..1 when ``percent``); gaps where a value is None."""
    top_value = 1.0 if percent else nice_max(max((v for v in values if v is not None), default=0))
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    height = HEIGHT - BOTTOM - TOP
    body = _y_grid(top_value, percent)
    segment: list[str] = []
    segments: list[list[str]] = []
    for n, value in enumerate(values):
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        x, y = LEFT + slot * (n + 0.5), HEIGHT - BOTTOM - height * value / top_value
        segment.append(f"{x:.1f},{y:.1f}")
        shown = f"{value * 100:.0f}%" if percent else _num(value)
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{PALETTE[1]}">'
            f"<title>{escape(labels[n])}: {shown}</title></circle>"
        )
    if segment:
        segments.append(segment)
    for points in segments:
        body.insert(
            0,
            f'<polyline points="{" ".join(points)}" fill="none" stroke="{PALETTE[1]}" '
            f'stroke-width="2"/>',
        )
    body += _x_labels(labels, slot)
    return _frame(title, x_label, y_label, body)
