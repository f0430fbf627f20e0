"""Small bar charts as inline SVG: no script, no external library, crisp at any zoom.

Shapes are SVG attributes (not inline styles), so the app's Content-Security-Policy
stays strict; colours come from the stylesheet through class names.
"""

from __future__ import annotations

from markupsafe import Markup, escape


def hbar_chart(items: list[tuple[str, int]], *, width: int = 520, bar: int = 22,
               label_width: int = 150, title: str = "") -> Markup:
    """Horizontal bars, one per ``(label, value)``, values printed at the bar's end."""
    if not items:
        return Markup('<p class="muted">暂无数据</p>')
    top = max(v for _, v in items) or 1
    gap, plot = 6, width - label_width - 50
    height = len(items) * (bar + gap) + gap
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" aria-label="{escape(title)}">']
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for i, (label, value) in enumerate(items):
        y = gap + i * (bar + gap)
        length = max(1, round(plot * value / top)) if value else 0
        parts.append(
            f'<text class="chart-label" x="{label_width - 8}" y="{y + bar * 0.7:.1f}" '
            f'text-anchor="end">{escape(label)}</text>'
            f'<rect class="chart-bar" x="{label_width}" y="{y}" width="{length}" '
            f'height="{bar}" rx="2"><title>{escape(label)}：{value}</title></rect>'
            f'<text class="chart-value" x="{label_width + length + 6}" '
            f'y="{y + bar * 0.7:.1f}">{value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def column_chart(items: list[tuple[str, int]], *, width: int = 420, height: int = 200,
                 title: str = "") -> Markup:
    """Vertical bars with their labels underneath (e.g. queue age buckets)."""
    if not items:
        return Markup('<p class="muted">暂无数据</p>')
    top = max(v for _, v in items) or 1
    base, head = height - 28, 18
    slot = width / len(items)
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" aria-label="{escape(title)}">']
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    parts.append(f'<line class="chart-axis" x1="0" y1="{base}" x2="{width}" y2="{base}"/>')
    for i, (label, value) in enumerate(items):
        h = round((base - head) * value / top) if value else 0
        x = i * slot + slot * 0.2
        w = slot * 0.6
        parts.append(
            f'<rect class="chart-bar" x="{x:.1f}" y="{base - h}" width="{w:.1f}" height="{h}" '
            f'rx="2"><title>{escape(label)}：{value}</title></rect>'
            f'<text class="chart-value" x="{x + w / 2:.1f}" y="{base - h - 4}" '
            f'text-anchor="middle">{value}</text>'
            f'<text class="chart-label" x="{x + w / 2:.1f}" y="{height - 8}" '
            f'text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
