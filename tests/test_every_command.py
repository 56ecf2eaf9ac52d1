"""Rules every command keeps, checked over the whole command tree (so a command added later is
covered): each takes --repo."""

from __future__ import annotations

from typing import Any

import typer.main
import typer.testing

from jushou_cli.cli.app import app, narrowed


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


def _out(command: typer.Typer, args: list[str]) -> tuple[int, str, str]:
    result = typer.testing.CliRunner().invoke(command, args, prog_name="jushou")
    return result.exit_code, result.stdout, result.stderr


def test_a_narrowed_app_says_what_the_whole_app_says() -> None:
    """app.main builds only the command a line names (cli/app.narrowed): its help, its usage
    errors and its sub-commands' must be the whole app's, for every command."""
    leaves = _leaves(typer.main.get_command(app))
    checked = 0
    for path, _ in leaves:
        args = list(path)
        one, whole = narrowed(args), app
        if path[0] == "help":  # `jushou help X` explains any command: the whole app
            assert one is whole
            continue
        assert len(typer.main.get_command(one).commands) == 1  # type: ignore[attr-defined]
        for tail in (["--help"], ["--no-such-option"]):  # nothing that would run the command
            assert _out(one, args + tail) == _out(whole, args + tail), (args, tail)
        if len(path) > 1:  # a group's own help and an unknown sub-command
            for tail in (["--help"], ["no-such-command"]):
                line = [path[0], *tail]
                assert _out(one, line) == _out(whole, line), line
        checked += 1
    assert checked > 30


def test_lines_that_name_no_one_command_get_the_whole_app(monkeypatch: Any) -> None:
    for line in ([], ["--help"], ["--version"], ["agend"], ["help", "agenda"], ["-h"]):
        assert narrowed(line) is app, line
    monkeypatch.setenv("_JUSHOU_COMPLETE", "complete_bash")
    assert narrowed(["agenda"]) is app
