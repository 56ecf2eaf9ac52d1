"""`jushou agenda --format …`: an agenda through its template, by format name. The repository's
own templates/ come first, so a renderer here also takes the repository's root."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from jushou_cli.queries.agenda import Agenda
from jushou_cli.render.agenda import render

RENDERERS: Mapping[str, Callable[[Agenda, Path | None], str]] = {
    "md": lambda agenda, root: render(agenda, "md", root),
    "html": lambda agenda, root: render(agenda, "html", root),
}
