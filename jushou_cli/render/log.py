"""`jushou log`: the history as JSON, or one block per commit for people. The values of personal
fields are already out of the result (queries/log.py); here they are said to be withheld."""

from __future__ import annotations

import json
from typing import Any

from jushou_cli.model.dates import wareki
from jushou_cli.queries.log import Log
from jushou_cli.render.screen import Renderers, Screen, Styled, Text, styled

MASK = "＊＊＊"
STATUS = {"added": "新規作成", "modified": "変更", "deleted": "削除", "renamed": "名前の変更"}


def value(shown: Any, masked: bool) -> str:
    """One side of a field change as people read it."""
    if masked:
        return MASK
    if shown is None:
        return "（なし）"
    if isinstance(shown, dict | list):
        return json.dumps(shown, ensure_ascii=False)
    return str(shown)


def as_json(result: Log) -> str:
    # default=str: YAML dates and times inside a changed value.
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2, default=str) + "\n"


def text(result: Log) -> Screen:
    lines: list[Text] = []
    if result.revealed:
        lines.append(
            styled(
                "個人情報の項目も表示しています（--reveal）。画面や印刷の扱いに注意してください。", "yellow"
            )
        )
    for c in result.commits:
        lines.append(
            (
                Styled("\n"),
                Styled(f"{wareki(c.when.date())} {c.when:%H:%M}", "bold"),
                Styled(f"  {c.author}  "),
                Styled(c.sha[:8], "dim"),
                Styled(f"  {c.subject}"),
            )
        )
        for f in c.files:
            moved = f"（{f.old_path} から）" if f.status == "renamed" else ""
            lines.append((Styled(f"  {f.path}  "), Styled(STATUS[f.status], "cyan"), Styled(moved)))
            if f.unreadable:
                lines.append(
                    (
                        Styled("    "),
                        Styled("YAML として読めない内容のため、項目ごとには比べられません", "yellow"),
                    )
                )
            if f.status in ("added", "deleted"):
                continue
            for x in f.fields:
                change = Styled(f"    {x.path}: {value(x.old, x.masked)} → {value(x.new, x.masked)}")
                lines.append((change, Styled("  "), Styled("（個人情報）", "dim")) if x.masked else (change,))
    # Each line whole, however long: a history is read with grep and less.
    return Screen(tuple(lines), wrap=False)


RENDERERS: Renderers[Log] = {"text": text, "json": as_json}
