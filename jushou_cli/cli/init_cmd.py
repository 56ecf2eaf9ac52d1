"""jushou init"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from jushou_cli.cli.common import fail, find_repo
from jushou_cli.cli.writing import guarded


def init(
    directory: Annotated[
        Path | None, typer.Argument(metavar="DIR", help="作るフォルダ（なければ作る）", show_default=False)
    ] = None,
    town: Annotated[str, typer.Option("--town", help="自治体名（jushou.yaml の town）")] = "",
    office: Annotated[
        str | None, typer.Option("--office", help="多機関協働事業を行う部署（jushou.yaml の office）")
    ] = None,
    office_code: Annotated[
        str | None,
        typer.Option(
            "--office-code",
            help="この複製の事務所コード（git config jushou.office。ID が C2024-KOM-0001 になる）",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="空でないフォルダにも作る（あるファイルは上書きしない）")
    ] = False,
    repo: Annotated[
        Path | None,
        typer.Option("--repo", help="作るフォルダ（DIR の代わりに。どちらか一つ）", show_default=False),
    ] = None,
    update: Annotated[
        bool,
        typer.Option(
            "--update",
            help="今あるリポジトリのスキーマの写し（.jushou/schemas/）・エディタ設定・フックを、"
            "入っている jushou のものに更新する",
        ),
    ] = False,
) -> None:
    """新しいケース記録のリポジトリを作る（git init、名簿、エディタ設定、コミット前の検査）。

    Creates a case repository: git, registries, editor schema settings and a pre-commit hook.
    """
    from jushou_cli.write import repository

    if directory is not None and repo is not None and directory != repo:
        fail("DIR と --repo が違うフォルダを指しています", "作るフォルダをどちらか一つで指定してください")
    directory = directory or repo
    if update:
        root = find_repo(directory)
        done = guarded(lambda: repository.update_repository(root))
        for rel in done.written:
            print(f"更新: {rel}")
        if not done.written:
            print("更新するものはありません（スキーマの写し・エディタ設定・フックは最新です）")
        _notes(done.notes)
        if done.written:
            print("更新したファイルをコミットしてください（git add .jushou .vscode）")
        return
    if directory is None:
        fail("DIR（作るフォルダ）を指定してください", "例: jushou init ~/jushou-records --town みどり町")
    target = directory.expanduser()
    done = guarded(
        lambda: repository.init_repository(
            target, town=town, office=office, office_code=office_code, force=force
        )
    )
    for rel in done.written:
        print(f"作成: {rel}")
    for rel in done.kept:
        print(f"そのまま: {rel}（すでにあるので書き換えていません）")
    print(f"ケース記録のリポジトリを作りました: {done.root}")
    _notes(done.notes)
    if not town:
        print("jushou: jushou.yaml の town に自治体名を書いてください", file=sys.stderr)
    print("次は organizations.yaml と members.yaml に機関と職員を書き、jushou new case で始めます")


def _notes(notes: list[str]) -> None:
    for line in notes:
        print(f"jushou: {line}", file=sys.stderr)
