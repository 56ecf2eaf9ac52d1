"""jushou validate"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from jushou_cli.cli.common import AtOption, Format, RepoOption, fail, find_repo, load_repository, today


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="確かめるファイルかフォルダ（省略時はリポジトリ全体）", show_default=False),
    ] = None,
    repo: RepoOption = None,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="出力の形式: text / json / github")
    ] = Format.text,
    at: AtOption = None,
) -> None:
    """記録をすべて検査する（YAML・スキーマ・参照・置き場所・法の規則）。エラーがあれば終了コード 1。

    Checks every record: encoding and YAML, schema, references and ids, path agreement and the
    rules of RECORDS.md. Never modifies a file.
    """
    from jushou_cli.render import diagnostics as show
    from jushou_cli.validate import validate as run

    root = find_repo(repo)
    only = None
    if paths:
        only = []
        for given in paths:
            full = given.resolve()
            if not full.exists():
                fail(f"{given} がありません")
            try:
                only.append(full.relative_to(root).as_posix())
            except ValueError:
                fail(f"{given} はリポジトリ {root} の外にあります")
    loaded, _, day = load_repository(root, at)
    result = run(root, day or today(), only, loaded)
    if fmt is Format.json:
        print(show.as_json(result))
    elif fmt is Format.github:
        cwd = Path.cwd()
        for line in show.github(result, lambda p: os.path.relpath(root / p, cwd)):
            print(line)
        print(show.summary(result), file=sys.stderr)
    else:
        for line in show.text(result, show.line_reader(result, from_disk=at is None)):
            print(line)
    raise typer.Exit(1 if result.errors else 0)
