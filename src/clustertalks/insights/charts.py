"""Small server-side SVG charts: nothing runs in the browser, nothing comes from another host.

Each chart is an <svg role="img"> with a <title> and a <desc>, drawn with classes whose colours
come from CSS custom properties (site.css: light, dark and print), plus presentation attributes
as a fallback where no stylesheet applies (WeasyPrint's PDF). The page puts a <table> with the
same numbers next to each chart for screen readers and for print.
"""

import itertools

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FALLBACK = ["#004494", "#b34700", "#2e7d32", "#6a1b9a", "#00838f", "#8d6e00"]
_ids = itertools.count(1)


def _open(width: int, height: int, title: str, desc: str) -> tuple[str, str]:
    uid = f"chart{next(_ids)}"
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" '
            f'aria-labelledby="{uid}-t {uid}-d"><title id="{uid}-t">{escape(title)}</title>'
            f'<desc id="{uid}-d">{escape(desc)}</desc>')
    return uid, head


def _label(text: str, limit: int = 28) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(title: str, desc: str, rows: list[tuple[str, float]], width: int = 560) -> SafeString:
    """Horizontal bars, one per row, longest scale = the biggest value."""
    bar, gap, label_width, right = 18, 8, 190, 50
    height = max(len(rows), 1) * (bar + gap) + gap
    _uid, svg = _open(width, height, title, desc)
    parts = [svg]
    top = max((value for _l, value in rows), default=0) or 1
    span = width - label_width - right
    for index, (label, value) in enumerate(rows):
        y = gap + index * (bar + gap)
        length = max(span * value / top, 1 if value else 0)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar - 5}" text-anchor="end" font-size="12" '
            f'fill="#1b1f24">{escape(_label(label))}</text>'
            f'<rect class="c1" x="{label_width}" y="{y}" width="{length:.1f}" height="{bar}" '
            f'fill="{FALLBACK[0]}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + bar - 5}" font-size="12" '
            f'fill="#1b1f24">{escape(_number(value))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def line_chart(title: str, desc: str, x_labels: list, series: list[tuple[str, list[float]]],
               width: int = 560, height: int = 260) -> SafeString:
    """One line per series over the x labels (e.g. years), with a legend below."""
    left, right, top, legend_row = 36, 28, 12, 18
    plot_height = height - top - 28
    legend_height = legend_row * len(series)
    _uid, svg = _open(width, height + legend_height, title, desc)
    parts = [svg]
    peak = max((v for _n, values in series for v in values), default=0) or 1
    steps = max(len(x_labels) - 1, 1)
    span = width - left - right

    def x(i):
        return left + (span * i / steps if len(x_labels) > 1 else span / 2)

    def y(v):
        return top + plot_height - plot_height * v / peak

    for tick in sorted({0, peak // 2, peak}):
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" '
                     f'y2="{y(tick):.1f}" stroke="#c9d0da"/>'
                     f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="12" '
                     f'fill="#1b1f24">{tick}</text>')
    for i, label in enumerate(x_labels):
        parts.append(f'<text x="{x(i):.1f}" y="{top + plot_height + 18}" text-anchor="middle" '
                     f'font-size="12" fill="#1b1f24">{escape(str(label))}</text>')
    for n, (name, values) in enumerate(series):
        colour, css = FALLBACK[n % len(FALLBACK)], f"c{n % len(FALLBACK) + 1}"
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(f'<polyline class="{css}" points="{points}" fill="none" stroke="{colour}" '
                     f'stroke-width="2"/>')
        parts.extend(f'<circle class="{css}" cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"/>'
                     for i, v in enumerate(values))
        ly = height + n * legend_row
        parts.append(f'<rect class="{css}" x="{left}" y="{ly}" width="12" height="12" fill="{colour}"/>'
                     f'<text x="{left + 18}" y="{ly + 11}" font-size="12" fill="#1b1f24">'
                     f'{escape(_label(name, 60))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
