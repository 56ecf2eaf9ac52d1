"""jinja2 environment for everything rendered from templates/: the repository's own
`templates/` overrides the toolkit's file of the same relative name. Filters give every output
the same 和暦 dates and Japanese labels."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from jushou_cli import labels
from jushou_cli.dates import wareki, wareki_fy
from jushou_cli.resources import templates_dir


def _wareki(value: Any) -> str:
    if isinstance(value, date):
        return wareki(value)
    if isinstance(value, str):
        from jushou_cli.dates import iso_date

        parsed = iso_date(value)
        return wareki(parsed) if parsed else value
    return "" if value is None else str(value)


def environment(repo_root: Path | None, autoescape: bool = False) -> Any:
    import jinja2

    paths = [str(repo_root / "templates")] if repo_root and (repo_root / "templates").is_dir() else []
    paths.append(str(templates_dir()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["wareki"] = _wareki
    env.filters["wareki_fy"] = wareki_fy
    env.filters["label"] = lambda code, enum: labels.label(enum, code)
    return env
