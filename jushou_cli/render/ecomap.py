"""The エコマップ as inline SVG, drawn here in Python (STACK.md: hand-written SVG renders quickly
and its text can be searched and copied; no plotting library). The person in the centre (a
double circle), the household to the left, the organizations and resources around the rest, each
joined to the centre by a line as thick as the number of records in the plan's period; a dashed
line for a plan's role with no record yet. Every text is escaped; nothing here reads a record,
only `queries.ecomap.Ecomap`, which holds no personal field.

Templates use it as a filter: `{{ section.ecomap | ecomap }}` (agenda HTML, handout).
"""

from __future__ import annotations

import math
from typing import Any

from jushou_cli.model.dates import wareki
from jushou_cli.queries.ecomap import CASE, HOUSEHOLD, ORGANIZATION, Ecomap, Node
from jushou_cli.render.report.charts import fit, text_width

WIDTH, HEIGHT = 560.0, 330.0
FONT = "'BIZ UDPGothic', 'IPAexGothic', 'Noto Sans CJK JP', sans-serif"
SIZE = 10.5
BOX_H = 34.0
MAX_BOX_W = 164.0
CENTER_R = 40.0
_FILL = {HOUSEHOLD: "#f3efe6", CASE: "#f3efe6", ORGANIZATION: "#e6eef7"}
_RESOURCE_FILL = "#e8f3e6"


def line_width(node: Node) -> float:
    """A household line is drawn plain; a support's grows with its records (capped at 10)."""
    if node.kind in (HOUSEHOLD, CASE):
        return 1.6
    return round(1.0 + 0.9 * min(node.weight, 10), 2)


def caption(ecomap: Ecomap) -> str:
    """What the lines' weights count, for the text under the map."""
    if ecomap.since is not None:
        period = f"{wareki(ecomap.since)}（プラン第{ecomap.plan_version}版）以降"
    else:
        period = "受付以降（プランはまだありません）"
    return f"線の太さと数: {period}の支援記録の件数。点線: プランの役割分担にあり、記録はまだない機関。"


def svg(ecomap: Ecomap | None) -> Any:
    """The map as an <svg> element (markupsafe.Markup: safe to place in autoescaped HTML)."""
    from markupsafe import Markup, escape

    if ecomap is None:
        return Markup("")
    cx, cy = WIDTH / 2, HEIGHT / 2
    rx, ry = WIDTH / 2 - MAX_BOX_W / 2 - 6, HEIGHT / 2 - BOX_H / 2 - 6
    nodes = ecomap.nodes
    count = max(len(nodes), 1)
    home = len(ecomap.household)
    lines: list[str] = []
    boxes: list[str] = []
    for i, node in enumerate(nodes):
        # The household centred on the left, the others round the rest, evenly spaced.
        angle = math.pi + 2 * math.pi * (i - (home - 1) / 2) / count
        x, y = cx + rx * math.cos(angle), cy + ry * math.sin(angle)
        width = line_width(node)
        dash = ' stroke-dasharray="5 4"' if node.kind not in (HOUSEHOLD, CASE) and node.weight == 0 else ""
        colour = "#7a6a4f" if node.kind in (HOUSEHOLD, CASE) else "#2f5d8a"
        lines.append(
            f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{colour}" '
            f'stroke-width="{width}"{dash}/>'
        )
        if node.kind not in (HOUSEHOLD, CASE):
            # the count on a white label half way along the line
            mx, my = cx + (x - cx) * 0.55, cy + (y - cy) * 0.55
            times = f"{node.weight}回"
            room = text_width(times, SIZE * 0.85) + 6
            lines.append(
                f'<rect x="{mx - room / 2:.1f}" y="{my - SIZE * 0.6:.1f}" width="{room:.1f}" '
                f'height="{SIZE * 1.2:.1f}" fill="#fff" stroke="{colour}" stroke-width="0.6" rx="2"/>'
                f'<text x="{mx:.1f}" y="{my + SIZE * 0.32:.1f}" font-size="{SIZE * 0.85:.2f}" '
                f'text-anchor="middle" fill="{colour}">{times}</text>'
            )
        label = fit(node.label, MAX_BOX_W - 10, SIZE)
        note = _note(node)
        box_w = min(max(text_width(label, SIZE), text_width(note, SIZE * 0.85)) + 14, MAX_BOX_W)
        fill = _FILL.get(node.kind, _RESOURCE_FILL)
        border = ' stroke-dasharray="3 2"' if node.kind == CASE else ""
        boxes.append(
            f'<g class="node {escape(node.kind)}" data-key="{escape(node.key)}" data-weight="{node.weight}">'
            f"<title>{escape(node.label)} {escape(note)}</title>"
            f'<rect x="{x - box_w / 2:.1f}" y="{y - BOX_H / 2:.1f}" width="{box_w:.1f}" height="{BOX_H}" '
            f'rx="{3 if node.kind in (HOUSEHOLD, CASE) else 7}" fill="{fill}" stroke="{colour}"{border}/>'
            f'<text x="{x:.1f}" y="{y - 2:.1f}" text-anchor="middle">{escape(label)}</text>'
            f'<text x="{x:.1f}" y="{y + 11:.1f}" text-anchor="middle" font-size="{SIZE * 0.85:.2f}" '
            f'fill="#555">{escape(note)}</text></g>'
        )
    center = fit(ecomap.center, CENTER_R * 2 - 10, SIZE)
    person = (
        f'<g class="node person" data-key="person:{escape(ecomap.case_id)}">'
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{CENTER_R}" fill="#fff" stroke="#222" stroke-width="1.5"/>'
        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{CENTER_R - 4}" fill="#fff" stroke="#222"/>'
        f'<text x="{cx:.1f}" y="{cy + 1:.1f}" text-anchor="middle" font-weight="bold">{escape(center)}</text>'
        f'<text x="{cx:.1f}" y="{cy + 14:.1f}" text-anchor="middle" font-size="{SIZE * 0.8:.2f}" '
        f'fill="#555">{escape(ecomap.case_id)}</text></g>'
    )
    empty = (
        f'<text x="{WIDTH - 8}" y="{HEIGHT - 6}" text-anchor="end" fill="#777">'
        "（家族・支援機関の記録はまだありません）</text>"
        if not nodes
        else ""
    )
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ecomap" role="img" '
        f'viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" width="{WIDTH:.0f}" height="{HEIGHT:.0f}" '
        f'font-family="{FONT}" font-size="{SIZE}" fill="#222">'
        f"<title>{escape(ecomap.center)}のエコマップ</title>"
        + "".join(lines)
        + "".join(boxes)
        + person
        + empty
        + "</svg>"
    )


def _note(node: Node) -> str:
    if node.kind == HOUSEHOLD:
        return node.note
    if node.kind == CASE:
        return f"同一世帯 {node.note}"
    kind = "機関" if node.kind == ORGANIZATION else "社会資源"
    return f"{kind}・プランに役割" if node.in_plan else kind
