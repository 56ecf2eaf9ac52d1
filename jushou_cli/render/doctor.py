"""`jushou doctor`: each finding with its fix, as JSON or as lines marked ok / NG / 注意."""

from __future__ import annotations

import json
from collections.abc import Sequence

from jushou_cli.render.screen import Renderers, Screen, Styled, Text, plain, styled
from jushou_cli.system.doctor import Finding


def missing(findings: Sequence[Finding]) -> list[Finding]:
    """What the main commands need and this machine lacks."""
    return [f for f in findings if not f.ok and f.required]


def as_json(findings: Sequence[Finding]) -> str:
    shown = [
        {"name": f.name, "ok": f.ok, "detail": f.detail, "fix": f.fix, "required": f.required}
        for f in findings
    ]
    return json.dumps(shown, ensure_ascii=False, indent=2) + "\n"


def text(findings: Sequence[Finding]) -> Screen:
    lines: list[Text] = []
    for f in findings:
        mark = (
            Styled("ok", "green")
            if f.ok
            else (Styled("NG", "red") if f.required else Styled("注意", "yellow"))
        )
        lines.append((mark, Styled(f"  {f.name}: {f.detail}")))
        if f.fix:
            lines.append(plain(f"      → {f.fix}"))
    lacking = missing(findings)
    if lacking:
        lines.append(styled(f"足りないものが {len(lacking)} 件あります。上の → を実行してください。", "red"))
    else:
        lines.append(styled("jushou を使う準備ができています。", "green"))
    return Screen(tuple(lines), wrap=False)


RENDERERS: Renderers[Sequence[Finding]] = {"text": text, "json": as_json}
