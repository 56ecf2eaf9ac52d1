"""jushou completion SHELL: the script that lets the shell complete jushou's commands and options."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from jushou_cli.cli.common import RepoOption
from jushou_cli.cli.output import finished

COMPLETE_VAR = "_JUSHOU_COMPLETE"  # typer answers a completion request when this is set


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    powershell = "powershell"


def completion(
    shell: Annotated[
        Shell, typer.Argument(metavar="SHELL", help="bash / zsh / powershell", show_default=False)
    ],
    repo: RepoOption = None,
) -> None:
    """シェルの補完（Tab でコマンド・オプションを補う）のスクリプトを表示する。

    bash: jushou completion bash >> ~/.bashrc 、zsh: jushou completion zsh >> ~/.zshrc 、
    PowerShell: jushou completion powershell >> $PROFILE のあと、シェルを開き直す。
    """
    from typer._completion_shared import get_completion_script

    del repo  # accepted like on every command; the script is the same for every repository

    finished(get_completion_script(prog_name="jushou", complete_var=COMPLETE_VAR, shell=shell.value) + "\n")


def register_shells() -> None:
    """The shells typer answers for (its add_completion would add English options instead)."""
    from typer._completion_classes import completion_init

    completion_init()
