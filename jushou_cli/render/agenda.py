"""Agendas through templates/agenda/ (Markdown or HTML); the repository's own templates/ first."""

from __future__ import annotations

from pathlib import Path

from jushou_cli.queries.agenda import Agenda


def render(agenda: Agenda, fmt: str, repo_root: Path | None) -> str:
    """The agenda through templates/agenda/agenda.<fmt>.j2 (the repository's own templates/
    first). HTML is autoescaped; Markdown table cells go through `md_cell`."""
    from jushou_cli.store.templates import shared_environment

    env = shared_environment(repo_root, fmt == "html", {"md_cell": md_cell})
    text: str = env.get_template(f"agenda/agenda.{fmt}.j2").render(agenda=agenda)
    return text


def md_cell(value: object) -> str:
    """One Markdown table cell: a pipe would end the cell and a newline the row."""
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "\n").replace("\n", "<br>")
