"""jushou renumber"""

from __future__ import annotations

from typing import Annotated

import typer

from jushou_cli.cli.common import RepoOption, fail, find_repo, today


def renumber(
    old: Annotated[str, typer.Argument(help="今の ID（C2024-0002、R2024-0001、M2024-0003 など）")],
    new: Annotated[str, typer.Argument(help="新しい ID（同じ種類。例: C2024-KOM-0002）")],
    file: Annotated[
        str | None,
        typer.Option("--file", help="同じ ID が二つあるとき（合流の後）、番号を変える方のファイルかフォルダ"),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="何を変えるかを表示するだけで書き込まない")
    ] = False,
    repo: RepoOption = None,
) -> None:
    """ケース・つなぐシート・会議の ID を変え、その ID への参照もすべて直す（ファイル・フォルダ名も）。

    Changes an id and every reference to it; every new file is prepared and checked before writing.
    """
    from jushou_cli.checks.validate import validate
    from jushou_cli.render.diagnostics import summary
    from jushou_cli.write.ids import Refused
    from jushou_cli.write.renumber import RenumberError
    from jushou_cli.write.renumber import renumber as run

    root = find_repo(repo)
    try:
        change = run(root, old, new, file, dry_run)
    except RenumberError as exc:
        fail(str(exc), exc.hint, code=exc.exit_code)
    except Refused as exc:  # the repository is busy (exit 2), or an earlier write cannot be finished
        fail(exc.message, exc.hint, code=exc.exit_code)
    except OSError as exc:
        fail(
            f"書き込めません: {exc}",
            "途中まで書き換えた可能性があります。git status で確かめてください",
            code=1,
        )
    print(f"{old} → {new}{'（--dry-run: 書き込んでいません）' if dry_run else ''}")
    for line in change.describe():
        print(f"  {line}")
    if not dry_run:
        print(summary(validate(root, today())))
