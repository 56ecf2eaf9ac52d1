"""The `jushou` command. Heavy modules (weasyprint, git, jsonschema, openpyxl) are imported inside
the commands that need them, so `jushou --help` stays fast."""

from __future__ import annotations

import contextlib
import copy
import os
import sys
from collections.abc import Callable
from typing import NoReturn

import typer
import typer.main

from jushou_cli import __version__
from jushou_cli.cli.agenda_cmd import agenda
from jushou_cli.cli.audit_cmd import audit
from jushou_cli.cli.case_cmd import case_app
from jushou_cli.cli.caseload_cmd import list_cases, show_case
from jushou_cli.cli.common import KEEPER
from jushou_cli.cli.completion_cmd import COMPLETE_VAR, completion, register_shells
from jushou_cli.cli.consent_cmd import consent_app
from jushou_cli.cli.doctor_cmd import doctor
from jushou_cli.cli.due_cmd import due
from jushou_cli.cli.find_cmd import find
from jushou_cli.cli.form_cmd import form
from jushou_cli.cli.handout_cmd import handout
from jushou_cli.cli.help_cmd import help_app
from jushou_cli.cli.import_cmd import import_app
from jushou_cli.cli.indicators_cmd import indicators
from jushou_cli.cli.init_cmd import init
from jushou_cli.cli.japanese import install as speak_japanese
from jushou_cli.cli.keys_cmd import encrypt, keys_app
from jushou_cli.cli.log_cmd import log
from jushou_cli.cli.meeting_cmd import meeting_app
from jushou_cli.cli.new_cmd import new_app
from jushou_cli.cli.referral_cmd import referral_app
from jushou_cli.cli.registry_cmd import member_app, org_app, resource_app
from jushou_cli.cli.renumber_cmd import renumber
from jushou_cli.cli.report_cmd import report_app
from jushou_cli.cli.retention_cmd import retention_app
from jushou_cli.cli.validate_cmd import validate
from jushou_cli.cli.watch_cmd import watch_app

speak_japanese()
register_shells()

app = typer.Typer(
    name="jushou",
    help="重層的支援体制整備事業のケース記録ツール (case records of the multi-layered support programme).",
    no_args_is_help=True,
    # `jushou completion SHELL` instead: typer's --install-completion speaks English and edits
    # the user's shell profile unasked.
    add_completion=False,
    # Local variables in a traceback would print personal data.
    pretty_exceptions_show_locals=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"jushou {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="版を表示して終わる"
    ),
) -> None:
    """重層的支援体制整備事業のケース記録ツール"""


app.command("init")(init)
app.command("validate")(validate)
app.command("doctor")(doctor)
app.command("due")(due)
app.command("find")(find)
app.command("indicators")(indicators)
app.command("log")(log)
app.command("audit")(audit)
app.command("renumber")(renumber)
app.command("agenda")(agenda)
app.command("handout")(handout)
app.command("form")(form)
app.add_typer(new_app)
app.add_typer(consent_app)
case_app.command("list")(list_cases)
case_app.command("show")(show_case)
app.add_typer(case_app)
app.add_typer(meeting_app)
app.add_typer(referral_app)
app.add_typer(report_app, name="report")
app.add_typer(member_app)
app.add_typer(org_app)
app.add_typer(resource_app)
app.add_typer(import_app)
app.add_typer(keys_app)
app.command("encrypt")(encrypt)
app.add_typer(retention_app)
app.add_typer(watch_app)
app.command("completion")(completion)
app.add_typer(help_app)


def narrowed(argv: list[str]) -> typer.Typer:
    """The app with only the command `argv` names: typer builds every command's options from
    its function's annotations before it runs one, and one line runs one command. Anything but
    a plain command name first (nothing, an option, a name that is no command, `help`, a shell's
    completion request) gets the whole app, whose messages and help name every command."""
    if not argv or argv[0] == "help" or os.environ.get(COMPLETE_VAR):
        return app
    name = argv[0]
    commands = [c for c in app.registered_commands if c.name == name]
    groups = [g for g in app.registered_groups if typer.main.solve_typer_info_defaults(g).name == name]
    if len(commands) + len(groups) != 1:
        return app
    one = copy.copy(app)  # the same settings and root callback (--version)
    one.registered_commands, one.registered_groups = commands, groups
    return one


def _exit_at_once(code: int) -> NoReturn:
    """Ends the process without freeing what the command kept (common.KEEPER) object by object:
    output is flushed, files were written and closed by the command (fsutil.write_atomic)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`| head`): nothing to say
            stream.flush()
    os._exit(code)


def main(finish: Callable[[int], None] | None = None) -> None:
    """Entry point: a bug must still not print a traceback (it could hold personal data).
    `finish(code)` is told how a command that ran to its end exits (cli/start.py)."""
    KEEPER.on = True
    try:
        narrowed(sys.argv[1:])()
    except SystemExit as done:
        if finish is not None and isinstance(done.code, int | None):
            with contextlib.suppress(Exception):  # only speed is lost
                finish(done.code or 0)
        if KEEPER.kept and isinstance(done.code, int | None):
            _exit_at_once(done.code or 0)
        raise
    except KeyboardInterrupt:
        print("中断しました", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("JUSHOU_DEBUG"):
            raise
        print(
            f"jushou: 内部エラー ({type(exc).__name__})。jushou の不具合です。"
            "再現手順を添えて報告してください（JUSHOU_DEBUG=1 で詳細を表示）",
            file=sys.stderr,
        )
        sys.exit(2)
