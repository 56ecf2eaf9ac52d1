"""jushou doctor"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from jushou_cli.cli.common import ReportFormat


def doctor(
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="出力の形式: text / json")
    ] = ReportFormat.text,
) -> None:
    """この PC で jushou が動くかを調べる（Python、パッケージ、WeasyPrint、日本語フォント、git）。

    Checks the environment; exit 1 when something the main commands need is missing.
    """
    from jushou_cli.system.doctor import diagnose

    findings = diagnose()
    missing = [f for f in findings if not f.ok and f.required]
    if fmt is ReportFormat.json:
        print(
            json.dumps(
                [
                    {"name": f.name, "ok": f.ok, "detail": f.detail, "fix": f.fix, "required": f.required}
                    for f in findings
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        from rich.console import Console

        console = Console(highlight=False, soft_wrap=True)
        for f in findings:
            mark = "[green]ok[/]" if f.ok else ("[red]NG[/]" if f.required else "[yellow]注意[/]")
            console.print(f"{mark}  {f.name}: {f.detail}")
            if f.fix:
                console.print(f"      → {f.fix}")
        if missing:
            console.print(f"[red]足りないものが {len(missing)} 件あります。上の → を実行してください。[/]")
        else:
            console.print("[green]jushou を使う準備ができています。[/]")
    raise typer.Exit(1 if missing else 0)
