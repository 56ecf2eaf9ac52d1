"""A file a command writes for people (an xlsx list, a printable form): where `-o` says, else
under the repository's git-ignored `out/`; never over a file git tracks, never over an existing
file without `--force` (the checks of the handouts, render/handout_files.check_targets)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jushou_cli.cli.common import fail


def target(root: Path, output: Path | None, default: str) -> Path:
    """The file to write: `-o`, or `<root>/out/<default>`."""
    if output is not None and output.is_dir():
        fail(f"-o: {output} はフォルダです", "書き出すファイルの名前を指定してください")
    return output if output is not None else root / "out" / default


def write_out(root: Path, output: Path | None, default: str, data: bytes, force: bool) -> Path:
    from jushou_cli.queries.agenda_view import AgendaError
    from jushou_cli.render.handout_files import check_targets
    from jushou_cli.system.files import WriteRefused, write_atomic

    path = target(root, output, default)
    try:
        check_targets(root, [path], force, default_place=output is None)
    except AgendaError as exc:
        fail(str(exc), exc.hint, code=exc.exit_code)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data, overwrite=force)
    except WriteRefused as exc:
        fail(str(exc), code=1)
    except OSError as exc:
        fail(f"ファイルを書けません: {exc.strerror}（{exc.filename}）", "書き出す先の権限を確かめてください")
    print(_relative(path.absolute()))
    return path


def _relative(path: Path) -> str:
    """A path the user can paste: relative to the current folder when inside it."""
    import os

    relative = os.path.relpath(path, Path.cwd())
    return str(path) if relative.startswith("..") else relative


class SheetFormat(StrEnum):
    """A list's formats: on screen, JSON, and the two a spreadsheet opens."""

    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="--format xlsx の書き出し先（省略時はリポジトリの out/ の下）",
        show_default=False,
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="すでにあるファイルを上書きする")]
