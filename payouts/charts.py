"""Inline-SVG charts for the finance console (no JavaScript library, no CDN).

Percentages here only size shapes on a page; money itself stays integer everywhere else.
"""

COLORS = ["#e4572e", "#2e8b57", "#3a6ea5", "#c9821b", "#8e5ea2", "#17a2b8", "#6c757d",
          "#b8401d", "#5fa55a", "#d4a017", "#7a7a7a"]  # fmt: skip
CREATOR, CONTRIBUTORS, PLATFORM = "#e4572e", "#2e8b57", "#3a6ea5"
# Contributors' shades: none of them is the creator's or the platform's colour.
CONTRIBUTOR_SHADES = ["#2e8b57", "#5fa55a", "#8fbf6a", "#17a2b8", "#c9821b", "#d4a017",
                      "#8e5ea2", "#b07cc6", "#6c757d"]  # fmt: skip


def donut(parts: list[dict]) -> list[dict]:
    """[{label, amount}] → segments with stroke-dasharray values for a r=15.915 circle
    (circumference 100), each with its colour and share in percent."""
    total = sum(p["amount"] for p in parts if p["amount"] > 0)
    if not total:
        return []
    segments, offset = [], 0.0
    for i, part in enumerate(p for p in parts if p["amount"] > 0):
        share = 100.0 * part["amount"] / total
        segments.append(
            {
                **part,
                "color": part.get("color") or COLORS[i % len(COLORS)],
                "dash": f"{share:.3f} {100 - share:.3f}",
                "offset": f"{25 - offset:.3f}",
                "percent": f"{share:.1f}",
            }
        )
        offset += share
    return segments


def stacked_bars(rows: list[dict], keys: list[str]) -> list[dict]:
    """One horizontal bar per row, split by ``keys``: widths in percent of the row's total."""
    out = []
    for row in rows:
        total = sum(int(row.get(k) or 0) for k in keys)
        parts, x = [], 0.0
        for i, key in enumerate(keys):
            amount = int(row.get(key) or 0)
            width = 100.0 * amount / total if total else 0.0
            parts.append(
                {"key": key, "amount": amount, "x": f"{x:.3f}", "width": f"{width:.3f}",
                 "color": COLORS[i % len(COLORS)]}
            )  # fmt: skip
            x += width
        out.append({**row, "total": total, "parts": parts})
    return out
