"""The yardstick for `jushou --help`: a minimal typer app with default settings and two commands
that import nothing else. `python benchmarks/minimal_typer.py --help`."""

from __future__ import annotations

import typer

app = typer.Typer(help="A minimal typer app (the start-up a typer CLI cannot go below).")


@app.command()
def hello(name: str = typer.Argument("world", help="who to greet")) -> None:
    """Say hello."""
    print(f"hello {name}")


@app.command()
def goodbye(name: str = typer.Argument("world", help="who to leave")) -> None:
    """Say goodbye."""
    print(f"goodbye {name}")


if __name__ == "__main__":
    app()
