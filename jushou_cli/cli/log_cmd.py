"""jushou log"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from jushou_cli.cli.common import RepoOption, ReportFormat, cli_date, fail, find_repo

_STATUS_JA = {"added": "新規作成", "modified": "変更", "deleted": "削除", "renamed": "名前の変更"}


def _show(value: Any, personal: bool, reveal: bool) -> str:
    from jushou_cli.queries.history import MASK

    if personal and not reveal:
        return MASK
    if value is None:
        return "（なし）"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def log(
    target: Annotated[
        str, typer.Argument(metavar="CASE|PATH", help="ケース ID（例: C2024-0001）かファイルのパス")
    ],
    since: Annotated[str | None, typer.Option("--since", help="この日以後の変更だけ（ISO か和暦）")] = None,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="個人情報の項目の値も表示する（既定では伏せる）")
    ] = False,
    repo: RepoOption = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="出力の形式: text / json")
    ] = ReportFormat.text,
) -> None:
    """ケースかファイルの変更履歴を、項目ごとに（だれが・いつ・どの項目を・前 → 後）git から表示する。

    Field-level history from git (commit, author, time, YAML path, old → new); personal fields masked.
    """
    from pathlib import Path

    from jushou_cli.model.dates import wareki
    from jushou_cli.queries.history import history
    from jushou_cli.store.git import GitError, is_repository

    root = find_repo(repo)
    if not is_repository(root):
        fail(
            f"{root} は git のリポジトリではありません",
            "履歴は git のコミットから読みます（git init と git commit）",
        )
    day = cli_date(since, "--since")
    candidate = Path(target)
    if (root / "cases" / target).is_dir() or target.startswith("C"):
        specs, follow = [f"cases/{target}/"], False
    else:
        full = candidate if candidate.is_absolute() else (Path.cwd() / candidate)
        try:
            rel = full.resolve().relative_to(root).as_posix()
        except ValueError:
            rel = target
        specs, follow = [rel], True
    try:
        commits = history(root, specs, day.isoformat() if day else None, follow=follow)
    except GitError as exc:
        fail(str(exc))
    if not commits:
        fail(
            f"{target} の履歴がありません",
            "ケース ID かファイルのパスを確かめてください（コミットされていますか？）",
            code=1,
        )
    if fmt is ReportFormat.json:
        print(
            json.dumps(
                [
                    {
                        "commit": c.sha,
                        "author": c.author,
                        "date": c.when.isoformat(),
                        "subject": c.subject,
                        "files": [
                            {
                                "status": f.status,
                                "path": f.path,
                                "old_path": f.old_path,
                                "fields": [
                                    {
                                        "path": x.path,
                                        "personal": x.personal,
                                        "old": None if x.personal and not reveal else x.old,
                                        "new": None if x.personal and not reveal else x.new,
                                    }
                                    for x in f.fields
                                ],
                            }
                            for f in c.files
                        ],
                    }
                    for c in commits
                ],
                ensure_ascii=False,
                indent=2,
                default=str,
            )
        )
        return
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False, soft_wrap=True)
    if reveal:
        console.print(
            "[yellow]個人情報の項目も表示しています（--reveal）。画面や印刷の扱いに注意してください。[/]"
        )
    lines: list[str] = []  # one print at the end: rich costs ~0.1 ms a call, thousands of lines here
    for c in commits:
        lines.append(
            f"\n[bold]{wareki(c.when.date())} {c.when:%H:%M}[/]  {escape(c.author)}  "
            f"[dim]{c.sha[:8]}[/]  {escape(c.subject)}"
        )
        for f in c.files:
            moved = f"（{f.old_path} から）" if f.status == "renamed" else ""
            lines.append(f"  {escape(f.path)}  [cyan]{_STATUS_JA[f.status]}[/]{escape(moved)}")
            if f.unreadable:
                lines.append("    [yellow]YAML として読めない内容のため、項目ごとには比べられません[/]")
            if f.status in ("added", "deleted"):
                continue
            for x in f.fields:
                note = "  [dim]（個人情報）[/]" if x.personal and not reveal else ""
                lines.append(
                    f"    {escape(x.path)}: {escape(_show(x.old, x.personal, reveal))} → "
                    f"{escape(_show(x.new, x.personal, reveal))}{note}"
                )
    console.print("\n".join(lines))
