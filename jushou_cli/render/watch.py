"""`jushou watch status`: the watcher of a repository's folders (store/watcher.py), as lines or
as JSON."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, NamedTuple

from jushou_cli.model.dates import wareki
from jushou_cli.render.screen import Renderers, Screen, Text, plain


class WatchState(NamedTuple):
    root: str
    running: dict[str, Any] | None  # the watcher's own status (store/watcher.Watcher.reply)
    why: str  # why the last watcher stopped or could not start, when none runs and it said
    auto: bool  # git config jushou.watch: the next command starts a watcher when none runs

    @property
    def watching(self) -> bool:
        return self.running is not None and not self.running["lost"]


def as_json(state: WatchState) -> str:
    running = state.running or {}
    since = running.get("since")
    body = {
        "root": state.root,
        "watching": state.watching,
        "pid": running.get("pid"),
        "folders": running.get("folders", 0),
        "changes": running.get("changes", 0),
        "since": datetime.fromtimestamp(since).isoformat(timespec="seconds") if since else None,
        "problem": (running.get("lost") if state.running else state.why) or None,
        "auto": state.auto,
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def text(state: WatchState) -> Screen:
    running = state.running
    lines: list[Text] = []
    if running is None:
        lines.append(plain(f"{state.root} は見張っていません（始めるには: jushou watch start）"))
        if state.why:
            lines.append(plain(f"  前の見張り: {state.why}"))
        if state.auto and not state.why:
            lines.append(plain("  jushou.watch が true なので、次に答えを返すコマンドが見張りを始めます"))
    elif running["lost"]:
        lines.append(plain(f"{state.root} の見張りは変更を追えなくなっています: {running['lost']}"))
        lines.append(plain("  jushou watch stop のあと、原因を取り除いて jushou watch start"))
    else:
        moment = datetime.fromtimestamp(running["since"])
        lines.append(
            plain(
                f"{state.root} を見張っています: {running['folders']} フォルダ、"
                f"{wareki(moment.date())} {moment:%H:%M} から {running['changes']} 回の変更"
                f"（プロセス {running['pid']}）"
            )
        )
    if state.auto and running is not None:
        lines.append(plain("  jushou.watch が true なので、止めても次のコマンドがまた始めます"))
    return Screen(tuple(lines), wrap=False)


RENDERERS: Renderers[WatchState] = {"text": text, "json": as_json}
