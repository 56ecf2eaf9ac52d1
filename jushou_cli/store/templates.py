"""jinja2 environment for everything rendered from templates/: the repository's own
`templates/` overrides the toolkit's file of the same relative name. Filters give every output
the same 和暦 dates and Japanese labels."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from jushou_cli.model import labels
from jushou_cli.model.dates import wareki, wareki_fy
from jushou_cli.model.package_data import templates_dir


def _wareki(value: Any) -> str:
    if isinstance(value, date):
        return wareki(value)
    if isinstance(value, str):
        from jushou_cli.model.dates import iso_date

        parsed = iso_date(value)
        return wareki(parsed) if parsed else value
    return "" if value is None else str(value)


def _committed(root: Path, sha: str) -> Any:
    """The repository's `templates/` as committed at `sha` (for `--at`: the working tree is not
    read). One `git cat-file` per template asked for: a report asks for two or three."""
    import jinja2

    from jushou_cli.store.git import blob

    def get(name: str) -> tuple[str, str, Any] | None:
        data = blob(root, f"{sha}:./templates/{name}")
        if data is None:
            return None
        return data.decode("utf-8"), f"{sha[:12]}:templates/{name}", lambda: True

    return jinja2.FunctionLoader(get)


# One environment per repository, escaping and filters in a process (`shared_environment`): jinja
# compiles a template once per environment, and compiling costs far more than rendering one
# agenda — a handout batch worker or a test rendering every agenda of the sample pays it once
# (docs/performance.md). A template edited meanwhile is compiled again (jinja checks its time).
_SHARED: dict[tuple[str, bool, tuple[str, ...]], Any] = {}


def shared_environment(repo_root: Path | None, autoescape: bool, filters: dict[str, Any]) -> Any:
    """`environment(repo_root, autoescape)` with `filters` added, made once per process."""
    key = (str(repo_root), autoescape, tuple(sorted(filters)))
    env = _SHARED.get(key)
    if env is None:
        env = _SHARED[key] = environment(repo_root, autoescape=autoescape)
        env.filters.update(filters)
    return env


def environment(repo_root: Path | None, autoescape: bool = False, at: str | None = None) -> Any:
    """`at` (a commit sha) reads the repository's own templates from that commit instead of
    from its working tree."""
    import jinja2

    own = jinja2.FileSystemLoader(str(templates_dir()))
    if repo_root and at:
        loader: Any = jinja2.ChoiceLoader([_committed(repo_root, at), own])
    elif repo_root and (repo_root / "templates").is_dir():
        loader = jinja2.FileSystemLoader([str(repo_root / "templates"), str(templates_dir())])
    else:
        loader = own
    env = jinja2.Environment(
        loader=loader,
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
