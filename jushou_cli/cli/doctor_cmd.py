"""jushou doctor"""

from __future__ import annotations

from typing import Annotated

import typer

from jushou_cli.cli.common import RepoOption, ReportFormat, find_repo
from jushou_cli.cli.output import emit
from jushou_cli.store.sight import nearest_repo


def doctor(
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="出力の形式: text / json")
    ] = ReportFormat.text,
    repo: RepoOption = None,
) -> None:
    """この PC で jushou が動くかを調べる（Python、パッケージ、WeasyPrint、日本語フォント、git）。

    Checks the environment; exit 1 when something the main commands need is missing.
    """
    from jushou_cli.render.doctor import RENDERERS, missing
    from jushou_cli.store.templates import repository_templates as own_templates
    from jushou_cli.system.doctor import diagnose, repository_templates

    findings = diagnose()
    root = find_repo(repo) if repo is not None else nearest_repo()
    if root is not None:  # inside a case repository (or --repo): its own templates too
        findings.append(repository_templates(own_templates(root)))
    emit(RENDERERS[fmt](findings))
    raise typer.Exit(1 if missing(findings) else 0)
