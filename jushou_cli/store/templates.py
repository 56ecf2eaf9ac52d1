"""jinja2 environment for everything rendered from templates/: the repository's own
`templates/` overrides the toolkit's file of the same relative name. Filters give every output
the same 和暦 dates and Japanese labels.

A repository's templates are data, not code: anyone who can push to the repository could
otherwise run a program on every office's PC that renders an agenda. Every template renders in
jinja's immutable sandbox (no attribute starting with `_`, no function's globals, no changing
of lists or dicts), so a template can lay out what it is given and nothing else; what the
sandbox refuses, and a template that does not compile, end the command with a message naming
the template (TemplateRefused), never a traceback."""

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
_SHARED: dict[tuple[str, bool, tuple[str, ...], Any], Any] = {}


class TemplateRefused(Exception):
    """A template that cannot be rendered safely or at all; the message is Japanese and names
    the template, the hint says what to do."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def shared_environment(
    repo_root: Path | None, autoescape: bool, filters: dict[str, Any], finalize: Any = None
) -> Any:
    """`environment(repo_root, autoescape, finalize=…)` with `filters` added, made once per
    process."""
    key = (str(repo_root), autoescape, tuple(sorted(filters)), finalize)
    env = _SHARED.get(key)
    if env is None:
        env = _SHARED[key] = environment(repo_root, autoescape=autoescape, finalize=finalize)
        env.filters.update(filters)
    return env


def render(env: Any, name: str, **context: Any) -> str:
    """`name` rendered with `context`; what the sandbox refuses, a template that does not
    compile or that asks for a value it is not given, raise TemplateRefused."""
    import jinja2
    from jinja2.exceptions import SecurityError

    try:
        text: str = env.get_template(name).render(**context)
    except SecurityError as exc:
        raise TemplateRefused(
            f"テンプレート「{name}」が許されない操作をしようとしました ({exc})",
            "リポジトリの templates/ にあるこのファイルを確かめてください"
            "（テンプレートは渡された値を並べることしかできません）。消せば標準のテンプレートに戻ります",
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or name}:{exc.lineno}"
        raise TemplateRefused(
            f"テンプレート {where} の書き方に誤りがあります: {exc.message}",
            "templates/ のこのファイルを直すか、消して標準のテンプレートに戻してください",
        ) from None
    except jinja2.TemplateError as exc:
        raise TemplateRefused(
            f"テンプレート「{name}」を使えません: {exc}",
            "templates/ のこのファイルを直すか、消して標準のテンプレートに戻してください",
        ) from None
    return text


def repository_templates(repo_root: Path) -> list[tuple[str, bool]]:
    """The files of the repository's own templates/ (relative names), each with whether it
    replaces a toolkit template (else it is only used if such a replacement includes it)."""
    own = repo_root / "templates"
    if not own.is_dir():
        return []
    toolkit = templates_dir()
    return sorted(
        (path.relative_to(own).as_posix(), (toolkit / path.relative_to(own)).is_file())
        for path in own.rglob("*")
        if path.is_file()
    )


def _bytecode_cache(autoescape: bool, finalize: Any) -> Any:
    """Compiled templates kept in jushou's cache folder, as jinja keeps them: by template name and
    file, used only while the source's checksum is the same. Compiling the handout's templates
    costs more than rendering them. The generated code depends on the environment's settings, so
    each setting has its own folder; None when no folder can be made (compiled each time)."""
    import hashlib

    import jinja2

    from jushou_cli import __version__
    from jushou_cli.system.platform import cache_dir

    setting = f"{__version__}-{jinja2.__version__}-{autoescape}-{finalize is not None}"
    folder = cache_dir() / "templates" / hashlib.blake2b(setting.encode(), digest_size=8).hexdigest()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def environment(
    repo_root: Path | None, autoescape: bool = False, at: str | None = None, finalize: Any = None
) -> Any:
    """`at` (a commit sha) reads the repository's own templates from that commit instead of
    from its working tree; `finalize` shapes every value a template prints."""
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    own = jinja2.FileSystemLoader(str(templates_dir()))
    if repo_root and at:
        loader: Any = jinja2.ChoiceLoader([_committed(repo_root, at), own])
    elif repo_root and (repo_root / "templates").is_dir():
        loader = jinja2.FileSystemLoader([str(repo_root / "templates"), str(templates_dir())])
    else:
        loader = own
    env = ImmutableSandboxedEnvironment(
        loader=loader,
        bytecode_cache=_bytecode_cache(autoescape, finalize),
        autoescape=autoescape,
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["wareki"] = _wareki
    env.filters["wareki_fy"] = wareki_fy
    env.filters["label"] = lambda code, enum: labels.label(enum, code)
    return env
