"""Agendas through templates/agenda/ (Markdown or HTML); the repository's own templates/ first."""

from __future__ import annotations

from pathlib import Path

from jushou_cli.queries.agenda import Agenda


def render(agenda: Agenda, fmt: str, repo_root: Path | None) -> str:
    """The agenda through templates/agenda/agenda.<fmt>.j2 (the repository's own templates/
    first). HTML is autoescaped. In Markdown, HTML in the data is escaped too (`md_text`: a
    Markdown viewer would render a `<script>` or an `<img>` written into a record), and table
    cells go through `md_cell`."""
    from jushou_cli.render import ecomap
    from jushou_cli.store.templates import shared_environment

    html = fmt == "html"
    filters = {"md_cell": md_cell, "ecomap": ecomap.svg, "ecomap_caption": ecomap.caption}
    env = shared_environment(repo_root, html, filters, finalize=None if html else md_text)
    # What the sandbox refuses and a broken template are jinja's TemplateError: the command
    # names the template (cli/agenda_cmd.py).
    text: str = env.get_template(f"agenda/agenda.{fmt}.j2").render(agenda=agenda)
    return text


def md_text(value: object) -> object:
    """A value printed into Markdown: angle brackets as entities (no HTML from the data); what
    a filter already made safe (`md_cell`'s line breaks) passes."""
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return value.replace("<", "&lt;").replace(">", "&gt;")
    return value


def md_cell(value: object) -> str:
    """One Markdown table cell: a pipe would end the cell and a newline the row."""
    from markupsafe import Markup

    text = "" if value is None else str(md_text(str(value)))
    cell = text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", "\n").replace("\n", "<br>")
    return Markup(cell)
