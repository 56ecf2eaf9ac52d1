"""Agendas through templates/agenda/ (Markdown or HTML); the repository's own templates/ first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jushou_cli.agenda import Agenda

# One environment per repository and format in a process, as for handouts: jinja compiles a
# template once per environment (a template edited meanwhile is compiled again: jinja checks its
# file's time). Compiling the agenda templates costs ≈ 20 ms, rendering one agenda ≈ 1 ms: the
# test that renders every agenda of the sample (≈ 1,500) took 32 s, now 2 s.
_ENVIRONMENTS: dict[tuple[str, str], Any] = {}


def render(agenda: Agenda, fmt: str, repo_root: Path | None) -> str:
    """The agenda through templates/agenda/agenda.<fmt>.j2 (the repository's own templates/
    first). HTML is autoescaped; Markdown table cells go through `md_cell`."""
    key = (str(repo_root), fmt)
    env = _ENVIRONMENTS.get(key)
    if env is None:
        from jushou_cli.templating import environment

        env = environment(repo_root, autoescape=fmt == "html")
        env.filters["md_cell"] = md_cell
        _ENVIRONMENTS[key] = env
    text: str = env.get_template(f"agenda/agenda.{fmt}.j2").render(agenda=agenda)
    return text


def md_cell(value: object) -> str:
    """One Markdown table cell: a pipe would end the cell and a newline the row."""
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "\n").replace("\n", "<br>")
