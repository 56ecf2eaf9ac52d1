"""Every word the command line itself says, in Japanese: usage errors, `--help`'s boilerplate and
placeholders.

typer (0.29) carries its own copy of click, whose messages are English f-strings with no gettext
hook, and whose section titles go through gettext with no catalogue. So `install()` puts
Japanese in at the few places they are made — the help formatter (`Usage:` and the section
titles), the `--help` option's text, the placeholder of each parameter's type, the gettext
function typer's help uses, and how a usage error is shown (by the error's kind and its fields,
not by its English text where the kind says enough). It is called once when cli/app.py is
imported, so every command registered on the app, now or later, speaks Japanese;
tests/test_japanese.py runs every command's `--help` and a set of usage errors and fails on any
English phrase typer or click would print.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from typing import IO, Any

import typer.core
from typer import _click
from typer._click import exceptions as click_errors
from typer._click.formatting import HelpFormatter, wrap_text

from jushou_cli.cli.output import console_streams

HELP_TEXT = "この説明を表示して終わる"
HEADINGS = {
    "Options": "オプション",
    "Arguments": "引数",
    "Commands": "コマンド",
    "Positional arguments": "引数",
}
# The gettext strings of typer's own help (typer/core.py), by their English text.
GETTEXT = {
    **HEADINGS,
    "default: {default}": "既定: {default}",
    "required": "必須",
    "env var: {var}": "環境変数: {var}",
    "(dynamic)": "（実行時に決まる）",
    "Aborted!": "中断しました",
    "Missing command.": "コマンドを指定してください。",
    "No such command {name!r}.": "コマンド「{name}」はありません。",
}
USAGE_WORDS = (("[OPTIONS]", "[オプション]"), ("COMMAND [ARGS]...", "コマンド [引数]..."))
# Placeholders of the types typer shows as <int>, <str>…
TYPE_WORDS = {
    "str": "文字列",
    "int": "整数",
    "int range": "整数",
    "float": "数値",
    "float range": "数値",
    "dir": "フォルダ",
    "file": "ファイル",
    "path": "パス",
    "date": "日付",
    "datetime": "日時",
    "bool": "はい/いいえ",
}
# What pydantic (typer's conversions) says, by the error's type.
PYDANTIC = {
    "int_parsing": "整数で書いてください",
    "int_type": "整数で書いてください",
    "float_parsing": "数値で書いてください",
    "bool_parsing": "true か false で書いてください",
    "greater_than_equal": "小さすぎます",
    "less_than_equal": "大きすぎます",
    "greater_than": "小さすぎます",
    "less_than": "大きすぎます",
}


class JapaneseFormatter(HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, japanese in USAGE_WORDS:
            args = args.replace(english, japanese)
        super().write_usage(prog, args, "使い方: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(HEADINGS.get(heading, heading))

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        """click's definition list, measured in terminal columns: a Japanese placeholder
        (--repo フォルダ) is twice as wide as its length."""
        rows = list(rows)
        if not rows:
            return
        first_col = min(max(_width(first) for first, _ in rows), col_max) + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(f"{indent}{first}")
            if not second:
                self.write("\n")
                continue
            if _width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - _width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            text_width = max(self.width - first_col - 2, 10)
            lines = wrap_text(second, text_width, preserve_paragraphs=True).splitlines() or [""]
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _gettext(message: str) -> str:
    return GETTEXT.get(message, message)


def _placeholder(label: str) -> str:
    """`<int>` → 整数; choices (`<text|json|csv>`) as the values themselves."""
    inner = label[1:-1] if label.startswith("<") and label.endswith(">") else label
    listed = inner.startswith("list[") and inner.endswith("]")
    if listed:
        inner = inner[5:-1]
    word = TYPE_WORDS.get(inner, inner)
    return f"{word}…" if listed else word


def _hint(param: Any) -> str:
    """A parameter as the user typed it: --fy, or the argument's placeholder (CASE)."""
    if param is None:
        return ""
    if getattr(param, "param_type_name", "") == "argument":
        return str(param.metavar or param.name or "").upper()
    opts = [o for o in getattr(param, "opts", ()) if o.startswith("--")] or list(getattr(param, "opts", ()))
    return " / ".join(opts) or str(param.name)


def _choices(param: Any) -> list[str]:
    desc = getattr(param, "type_descriptor", None)
    if desc is None or not desc.is_choice or not desc.choices:
        return []
    return [str(getattr(c, "value", c)) for c in desc.choices]


def _bad_value(exc: click_errors.BadParameter) -> str:
    param = exc.param
    where = _hint(param) if param is not None else ", ".join(_as_list(exc.param_hint))
    head = f"{where} の値が正しくありません" if where else "値が正しくありません"
    cause = exc.__cause__
    errors: list[dict[str, Any]] = []
    if cause is not None and hasattr(cause, "errors"):
        errors = list(cause.errors())
    choices = _choices(param)
    if choices:
        given = f"「{errors[0]['input']}」" if errors and "input" in errors[0] else ""
        return f"{head}{'（' + given + '）' if given else ''}。次のどれかにしてください: {', '.join(choices)}"
    if errors:
        first = errors[0]
        value = first.get("input")
        said = PYDANTIC.get(str(first.get("type")), "")
        limit = (first.get("ctx") or {}).get("ge", (first.get("ctx") or {}).get("le"))
        detail = said + (
            f"（{limit}）" if limit is not None and said in ("小さすぎます", "大きすぎます") else ""
        )
        shown = f"（「{value}」）" if value is not None else ""
        return f"{head}{shown}。{detail or 'この値は使えません'}。"
    if _is_japanese(exc.message):
        return f"{head}: {exc.message}"
    return f"{head}。"


def _as_list(value: Sequence[str] | str | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _is_japanese(text: str) -> bool:
    return any(ord(ch) > 0x2E80 for ch in text)


_MESSAGES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"^Got unexpected extra argument\(s\) \((.*)\)$", re.S),
        lambda m: f"余分な引数があります: {m.group(1)}",
    ),
    (
        re.compile(r"^No such command '(.*)'\.(?: Did you mean (.*)\?)?$", re.S),
        lambda m: (
            f"コマンド「{m.group(1)}」はありません。"
            + (f" もしかして: {m.group(2).replace(chr(39), '')}" if m.group(2) else "")
        ),
    ),
    (
        re.compile(r"^Option '(.*)' requires (?:an argument|(\d+) arguments)\.$"),
        lambda m: (
            f"オプション {m.group(1)} には値を{m.group(2) + ' 個' if m.group(2) else ''}"
            "続けて書いてください。"
        ),
    ),
    (
        re.compile(r"^Option '(.*)' does not take a value\.$"),
        lambda m: f"オプション {m.group(1)} には値を書きません。",
    ),
    (re.compile(r"^Missing command\.$"), lambda m: "コマンドを指定してください。"),
    (
        re.compile(r"^(.*?)\.? Did you mean (.*)\?$", re.S),
        lambda m: f"{m.group(1)} もしかして: {m.group(2).replace(chr(39), '')}",
    ),
)


def message(exc: click_errors.ClickException) -> str:
    """A usage error in Japanese: by its kind and fields; known English texts by their pattern;
    a message jushou itself wrote as it is."""
    if isinstance(exc, click_errors.MissingParameter):
        param = exc.param
        if param is not None and getattr(param, "param_type_name", "") == "argument":
            text = f"引数 {_hint(param)} がありません。"
        elif param is not None:
            text = f"オプション {_hint(param)} を指定してください。"
        else:
            text = "指定が足りません。"
        choices = _choices(param)
        return text + (f" 次のどれかです: {', '.join(choices)}" if choices else "")
    if isinstance(exc, click_errors.NoSuchOption):
        text = f"オプション {exc.option_name} はありません。"
        if exc.possibilities:
            text += f" もしかして: {', '.join(sorted(exc.possibilities))}"
        return text
    if isinstance(exc, click_errors.BadParameter):
        return _bad_value(exc)
    for pattern, say in _MESSAGES:
        found = pattern.match(exc.message)
        if found:
            return say(found)
    return exc.message


def _show_usage_error(self: click_errors.UsageError, file: IO[Any] | None = None) -> None:
    stream = sys.stderr if file is None else file
    ctx = self.ctx
    if ctx is not None:
        print(ctx.get_usage(), file=stream)
        if ctx.command.get_help_option(ctx) is not None:
            print(f"使い方の説明: {ctx.command_path} {ctx.help_option_names[0]}", file=stream)
        print(file=stream)
    print(f"エラー: {message(self)}", file=stream)


def _show_error(self: click_errors.ClickException, file: IO[Any] | None = None) -> None:
    print(f"エラー: {message(self)}", file=sys.stderr if file is None else file)


def _help_option(original: Callable[..., Any]) -> Callable[..., Any]:
    def help_option(self: _click.Command, ctx: _click.Context) -> Any:
        option = original(self, ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    return help_option


def _console_first(original: Callable[..., Any]) -> Callable[..., Any]:
    def main(self: Any, *args: Any, **kwargs: Any) -> Any:
        console_streams()
        return original(self, *args, **kwargs)

    return main


_installed = False


def install() -> None:
    """Puts the Japanese in (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    # Each `type: ignore` below: mypy forbids assigning to a library's method or module name,
    # which is exactly what putting Japanese into typer's vendored click takes.
    _click.core.Context.formatter_class = JapaneseFormatter
    _click.core.Command.get_help_option = _help_option(_click.core.Command.get_help_option)  # type: ignore[method-assign]
    typer.core._ = _gettext  # type: ignore[attr-defined]
    display_type = typer.core._TyperParameter.display_type
    typer.core._TyperParameter.display_type = (  # type: ignore[method-assign]
        lambda self, ctx: _placeholder(display_type(self, ctx))
    )
    click_errors.ClickException.show = _show_error  # type: ignore[method-assign]
    click_errors.UsageError.show = _show_usage_error  # type: ignore[method-assign]
    typer.core.TyperGroup.main = _console_first(typer.core.TyperGroup.main)  # type: ignore[method-assign]
    typer.core.TyperCommand.main = _console_first(typer.core.TyperCommand.main)  # type: ignore[method-assign]
