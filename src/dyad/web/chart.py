"""Server-side SVG charts: they need no JavaScript and no network."""

from __future__ import annotations

from html import escape

QUAD_COLOURS = {1: "#4c78a8", 2: "#54a24b", 3: "#f58518", 4: "#e45756"}
QUAD_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}


def monthly_chart(rows: list[dict], width: int = 720, height: int = 220) -> str:
    """Stacked bars of events per month by quad class, with the mean Goldstein value as a line.

    rows: ``{"month": "2017-03", "quad_class": 1, "n": 4, "goldstein": 3.2}``.
    """
    months = sorted({r["month"] for r in rows})
    if not months:
        return '<p class="muted">No dated events.</p>'
    counts: dict[str, dict[int, int]] = {m: {} for m in months}
    gold: dict[str, list[tuple[float, int]]] = {m: [] for m in months}
    for r in rows:
        counts[r["month"]][r["quad_class"]] = r["n"]
        gold[r["month"]].append((r["goldstein"], r["n"]))
    top = max(sum(c.values()) for c in counts.values()) or 1
    pad = 30
    bar = max(4, (width - 2 * pad) // len(months) - 2)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>Events per month by quad class, '
        f"mean Goldstein line</title>"
    ]
    points = []
    for i, month in enumerate(months):
        x = pad + i * (bar + 2)
        y = height - pad
        for quad in (1, 2, 3, 4):
            n = counts[month].get(quad, 0)
            if not n:
                continue
            h = (height - 2 * pad) * n / top
            y -= h
            parts.append(
                f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{h:.1f}" '
                f'fill="{QUAD_COLOURS[quad]}"><title>{escape(month)}: {n} '
                f"{QUAD_NAMES[quad]}</title></rect>"
            )
        total = sum(n for _, n in gold[month])
        mean = sum(g * n for g, n in gold[month]) / total if total else 0.0
        gy = height / 2 - mean / 10 * (height / 2 - pad)
        points.append(f"{x + bar / 2:.1f},{gy:.1f}")
    parts.append(
        f'<polyline fill="none" stroke="#333" stroke-width="1.5" '
        f'points="{" ".join(points)}"><title>mean Goldstein</title></polyline>'
    )
    parts.append(f'<text x="{pad}" y="{height - 8}" font-size="11">{escape(months[0])}</text>')
    parts.append(
        f'<text x="{width - pad}" y="{height - 8}" font-size="11" '
        f'text-anchor="end">{escape(months[-1])}</text></svg>'
    )
    return "".join(parts)
