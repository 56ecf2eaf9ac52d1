"""Every word the command line says is Japanese: each registered command's --help, and usage
errors on every command (cli/japanese.py). Commands added later are walked too."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer.main
from conftest import SAMPLE_REPO
from typer._click import Command, Context
from typer.testing import CliRunner

from jushou_cli.cli.app import app
from jushou_cli.model.dates import DateError, parse_fiscal_year

runner = CliRunner()

# What click, typer and rich print in English (typer 0.29's vendored click, its gettext strings,
# pydantic's conversion errors).
ENGLISH = (
    "Usage:",
    "Options:",
    "Arguments:",
    "Commands:",
    "Options ─",  # rich's panels, should a group turn rich markup on
    "Arguments ─",
    "Commands ─",
    "Show this message",
    "Error:",
    "Missing argument",
    "Missing option",
    "Missing parameter",
    "Missing command",
    "No such option",
    "No such command",
    "Invalid value",
    "Got unexpected",
    "Try '",
    "for help",
    "[default:",
    "required]",
    "requires an argument",
    "does not take a value",
    "Input should",
    "unable to parse",
    "Did you mean",
    "Possible options",
    "Choose from",
    "env var:",
    "Aborted",
    "<str>",
    "<int",
    "<dir>",
    "<path>",
    "<file>",
    "<float",
    "<bool>",
    "[OPTIONS]",
    "COMMAND [ARGS]",
    "TEXT",
    "INTEGER",
)


def english_in(text: str) -> list[str]:
    return [phrase for phrase in ENGLISH if phrase in text]


def command_paths() -> list[tuple[str, ...]]:
    """Every command and group registered on the app, as the words that call it."""
    root = typer.main.get_command(app)
    found: list[tuple[str, ...]] = [()]

    def walk(command: Command, path: tuple[str, ...]) -> None:
        ctx = Context(command, info_name=path[-1] if path else "jushou")
        for name in getattr(command, "list_commands", lambda _: [])(ctx):
            sub = command.get_command(ctx, name)  # type: ignore[attr-defined]
            if sub is not None and not sub.hidden:
                found.append((*path, name))
                walk(sub, (*path, name))

    walk(root, ())
    return found


PATHS = command_paths()


def test_the_walk_finds_the_commands() -> None:
    assert ("validate",) in PATHS and ("new", "case") in PATHS and ("report", "annual") in PATHS


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "jushou")
def test_help_is_japanese(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "使い方: jushou" in result.stdout and "この説明を表示して終わる" in result.stdout
    assert english_in(result.output) == [], result.output


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "jushou")
def test_an_unknown_option_is_said_in_japanese(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--no-such-option"])
    assert result.exit_code == 2
    assert "オプション --no-such-option はありません" in result.stderr
    assert english_in(result.output) == [], result.output


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["case", "show"], "エラー: 引数 CASE がありません。"),
        (["due", "extra", "--repo", str(SAMPLE_REPO)], "エラー: 余分な引数があります: extra"),
        (
            ["due", "--format", "xx"],
            "--format の値が正しくありません（「xx」）。次のどれかにしてください: text, json",
        ),
        (
            ["indicators", "--compare", "many"],
            "--compare の値が正しくありません（「many」）。整数で書いてください",
        ),
        (["indicators", "--compare", "99"], "--compare の値が正しくありません（「99」）"),
        (["due", "--repo"], "オプション --repo には値を続けて書いてください"),
        (["nope"], "コマンド「nope」はありません"),
        (["cas"], "もしかして: case"),
        (["report", "annual"], "オプション --fy を指定してください"),
    ],
)
def test_usage_errors_are_japanese(args: list[str], said: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert said in result.stderr
    assert english_in(result.output) == [], result.output


def test_a_usage_error_shows_the_usage_and_where_help_is() -> None:
    result = runner.invoke(app, ["case", "show"])
    assert result.stderr.startswith(
        "使い方: jushou case show [オプション] {CASE}\n使い方の説明: jushou case show --help"
    )


@pytest.mark.parametrize(
    ("text", "fy"),
    [
        ("2024", 2024),
        ("2024年度", 2024),
        ("R6", 2024),
        ("r6", 2024),
        ("令和6", 2024),
        ("令和6年度", 2024),
        ("令和元年度", 2019),
        ("Ｒ６", 2024),
        ("H30", 2018),
        ("平成31年度", 2019),
    ],
)
def test_fiscal_years_as_people_write_them(text: str, fy: int) -> None:
    assert parse_fiscal_year(text) == fy


@pytest.mark.parametrize("text", ["R0", "平成40年度", "来年", "24"])
def test_fiscal_years_that_are_not(text: str) -> None:
    with pytest.raises(DateError):
        parse_fiscal_year(text)


@pytest.mark.parametrize("fy", ["R6", "令和6", "令和6年度"])
def test_fy_in_wareki_everywhere(fy: str) -> None:
    western = runner.invoke(
        app, ["indicators", "--fy", "2024", "--format", "json", "--repo", str(SAMPLE_REPO)]
    )
    wareki = runner.invoke(app, ["indicators", "--fy", fy, "--format", "json", "--repo", str(SAMPLE_REPO)])
    assert wareki.exit_code == western.exit_code == 0 and wareki.stdout == western.stdout
    listed = runner.invoke(app, ["case", "list", "--fy", fy, "--format", "json", "--repo", str(SAMPLE_REPO)])
    assert (
        listed.exit_code == 0
        and listed.stdout
        == runner.invoke(
            app, ["case", "list", "--fy", "2024", "--format", "json", "--repo", str(SAMPLE_REPO)]
        ).stdout
    )
    wrong = runner.invoke(app, ["indicators", "--fy", "来年", "--repo", str(SAMPLE_REPO)])
    assert wrong.exit_code == 2 and "年度として読めません" in wrong.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh", "powershell"])
def test_completion_prints_a_script(shell: str) -> None:
    result = runner.invoke(app, ["completion", shell])
    assert result.exit_code == 0
    assert "_JUSHOU_COMPLETE" in result.stdout and "jushou" in result.stdout
    if shell == "powershell":
        assert "Register-ArgumentCompleter" in result.stdout


def test_bash_completion_answers() -> None:
    result = runner.invoke(
        app,
        [],
        prog_name="jushou",
        env={"_JUSHOU_COMPLETE": "complete_bash", "COMP_WORDS": "jushou ca", "COMP_CWORD": "1"},
    )
    assert "case" in result.stdout.split()


def test_edit_says_which_editor_it_opens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from jushou_cli.system import platform

    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setattr(platform, "is_windows", lambda: True)
    assert platform.default_editor() == ("notepad", "メモ帳")
    monkeypatch.setattr(platform, "is_windows", lambda: False)
    monkeypatch.setattr(platform, "is_macos", lambda: False)
    editor, name = platform.default_editor()
    assert editor == name and editor in ("nano", "vi")
    monkeypatch.setenv("EDITOR", "code --wait")
    assert platform.default_editor() == ("code --wait", "code --wait（環境変数 EDITOR）")


def test_help_rules_lists_the_rules_in_words() -> None:
    result = runner.invoke(app, ["help", "rules"])
    assert result.exit_code == 0
    assert "規則2: 本人同意のない事例は重層的支援会議にかけられない" in result.stdout
    assert all(f"規則{n}:" in result.stdout for n in range(1, 8))


def test_every_fy_option_reads_wareki() -> None:
    """A --fy typed as int would refuse R6 in English-shaped terms: every command's --fy is read
    by common.cli_fiscal_year (a str option), including commands added later."""
    root = typer.main.get_command(app)
    found = 0
    for path in PATHS:
        command: Command = root
        for word in path:
            command = command.get_command(Context(command), word)  # type: ignore[attr-defined]
        for param in command.params:
            if "--fy" in getattr(param, "opts", ()):
                found += 1
                assert param.type_descriptor.annotation is not int, path  # type: ignore[attr-defined]
    assert found >= 4
