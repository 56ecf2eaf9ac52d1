"""jushou doctor"""

from __future__ import annotations

from typing import Annotated

import typer

from jushou_cli.cli.common import ReportFormat
from jushou_cli.cli.output import emit


def doctor(
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="出力の形式: text / json")
    ] = ReportFormat.text,
) -> None:
    """この PC で jushou が動くかを調べる（Python、パッケージ、WeasyPrint、日本語フォント、git）。

    Checks the environment; exit 1 when something the main commands need is missing.
    """
    from jushou_cli.render.doctor import RENDERERS, missing
    from jushou_cli.system.doctor import diagnose

    findings = diagnose()
    emit(RENDERERS[fmt](findings))
    raise typer.Exit(1 if missing(findings) else 0)
