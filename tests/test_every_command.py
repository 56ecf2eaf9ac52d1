"""Rules every command keeps, checked over the whole command tree (so a command added later is
covered): each takes --repo."""

from __future__ import annotations

from typing import Any

import typer.main

from jushou_cli.cli.app import app


def _leaves(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    # typer may build on its own copy of click: a group is what has sub-commands
    if hasattr(command, "commands"):
        return [leaf for name, sub in command.commands.items() for leaf in _leaves(sub, (*path, name))]
    return [(path, command)]


def test_every_command_takes_repo() -> None:
    leaves = _leaves(typer.main.get_command(app))
    assert len(leaves) > 30
    missing = [
        " ".join(path)
        for path, command in leaves
        if not any("--repo" in getattr(p, "opts", ()) for p in command.params)
    ]
    assert missing == []
