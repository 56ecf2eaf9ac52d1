"""jushou help rules: the rules jushou enforces, in words (what a refusal's 規則N refers to)."""

from __future__ import annotations

import typer

from jushou_cli.cli.common import RepoOption

help_app = typer.Typer(
    name="help",
    help="説明を表示する（jushou help rules: 法の規則の一覧）。",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@help_app.command("rules")
def rules(repo: RepoOption = None) -> None:
    """jushou が検査する法の規則（規則1から7まで）を言葉で一覧する。"""
    del repo  # accepted like on every command; the rules are the law's, the same everywhere
    from jushou_cli.model.law import RULES

    print("jushou が検査する規則（スキーマのほかに）:")
    for number, text in RULES.items():
        print(f"  規則{number}: {text}")
    print("一つひとつの指摘の意味と直し方: jushou validate の「ヒント」を読んでください")
