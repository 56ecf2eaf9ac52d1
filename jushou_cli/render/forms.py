"""Paper forms (`jushou form`): queries/forms.FormContent through templates/form/<kind>.html.j2
(the repository's own templates/ first, rendered in the sandbox with autoescape), and the HTML to
an A4 PDF by the handouts' WeasyPrint path (render/weasy.render_pdf: a Japanese font embedded
or no PDF)."""

from __future__ import annotations

from pathlib import Path

from jushou_cli.queries.forms import FormContent

FORMATS = ("pdf", "html")  # files the command writes, one per format


def render_html(content: FormContent, repo_root: Path | None) -> str:
    from jushou_cli.store.templates import environment

    env = environment(repo_root, autoescape=True)
    html: str = env.get_template(f"form/{content.kind}.html.j2").render(f=content)
    return html


def render_pdf(html: str) -> tuple[bytes, int]:
    """(PDF, pages). Raises render.weasy.PdfUnavailable (WeasyPrint or the font missing)."""
    from jushou_cli.render.weasy import render_pdf as pdf

    data, pages, _ = pdf(html, None)
    return data, pages
