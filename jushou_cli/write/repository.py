"""A new case repository (`jushou init`): git, the registries, editor settings,
.gitattributes, .gitignore and a pre-commit hook that runs `jushou validate`, written together
(journal.commit) under the repository lock.

Nothing of one PC goes into a committed file: the schemas are copied into the repository
(`.jushou/schemas/`) and `.vscode/settings.json` names them by a relative path, the hook finds
`jushou` on PATH. `jushou init --update` refreshes the copies after jushou is upgraded. A
repository that uses the pre-commit framework gets no hook of jushou's own (pre-commit would
move it aside and run in migration mode): the user is told to add jushou's hook to
`.pre-commit-config.yaml` instead."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from jushou_cli.system.gitcall import command
from jushou_cli.write import ids, journal, state
from jushou_cli.write.ids import BadValue, Refused
from jushou_cli.write.lock import RepositoryLock
from jushou_cli.write.newfile import render

REGISTRY_TEMPLATES = ("jushou.yaml", "organizations.yaml", "members.yaml", "resources.yaml")


@dataclass(frozen=True, slots=True)
class Initialized:
    root: Path
    written: list[str]  # relative paths, the hook as `.git/hooks/pre-commit`
    kept: list[str]  # files that were there already (--force never overwrites)
    notes: list[str] = field(default_factory=list)  # what the user should know or do (pre-commit)


def _git(target: Path, *args: str) -> str:
    try:
        proc = subprocess.run(
            command(target, *args, hooks=True),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError:
        raise Refused(
            "git が見つかりません", "git を入れてください（jushou doctor で確かめられます）"
        ) from None
    if proc.returncode != 0:
        raise Refused(f"git {' '.join(args)} に失敗しました: {proc.stderr.strip()}")
    return proc.stdout.strip()


SCHEMAS = ".jushou/schemas"
SETTINGS = ".vscode/settings.json"
PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
OWN_HOOK_MARK = "jushou init が置いた pre-commit フック"
PRE_COMMIT_SNIPPET = """  - repo: local
    hooks:
      - id: jushou-validate
        name: jushou validate --staged
        entry: jushou validate --staged
        language: system
        pass_filenames: false
        always_run: true"""


def schema_files() -> dict[str, str]:
    """The installed jushou's schemas, as the repository keeps a copy of them."""
    from jushou_cli.model.package_data import schemas_dir

    return {
        f"{SCHEMAS}/{path.name}": path.read_text(encoding="utf-8")
        for path in sorted(schemas_dir().glob("*.schema.json"))
    }


def settings_text(existing: str | None = None) -> str:
    """`.vscode/settings.json` naming the repository's own schemas relatively; other settings
    someone added to an existing file are kept."""
    from jushou_cli.write.editor_settings import vscode_settings

    settings: dict[str, object] = {}
    if existing is not None:
        try:
            loaded = json.loads(existing)
        except ValueError:
            loaded = None
        if isinstance(loaded, dict):
            settings = loaded
    settings.update(vscode_settings(f"./{SCHEMAS}"))
    return json.dumps(settings, ensure_ascii=False, indent=2) + "\n"


def repository_files(town: str, office: str | None) -> dict[str, str]:
    """Every file of a new case repository (relative path → text), the hook included."""
    from jushou_cli.model.records import Rules

    context = {"town": town, "office": office, "rules": Rules(), "retention_years": 5}
    files = {name: render(None, f"repository/{name}", context) for name in REGISTRY_TEMPLATES}
    files[SETTINGS] = settings_text()
    files.update(schema_files())
    files[".gitattributes"] = (
        "# jushou: 記録の YAML は改行 LF で保存する（Windows でも）\n*.yaml text eol=lf\n*.yml text eol=lf\n"
        "*.json text eol=lf\n"
    )
    files[".gitignore"] = "# jushou が作る PDF・Excel などの出力はコミットしない\nout/\n"
    files[HOOK] = render(None, "repository/pre-commit", context)
    return files


def _hook_plan(target: Path, hook: Path) -> tuple[bool, list[str]]:
    """Whether jushou writes its own hook, and what to tell the user: not when the repository
    uses pre-commit (its config, or its hook already installed)."""
    existing = hook.read_text(encoding="utf-8", errors="replace") if hook.is_file() else ""
    if "pre-commit" in existing and OWN_HOOK_MARK not in existing and "pre-commit.com" in existing:
        return False, [
            "git の pre-commit フックは pre-commit のものなので、そのままにしました。"
            f"{PRE_COMMIT_CONFIG} に jushou のフックを加えてください:\n{PRE_COMMIT_SNIPPET}"
        ]
    if (target / PRE_COMMIT_CONFIG).is_file():
        return False, [
            f"{PRE_COMMIT_CONFIG} があるので jushou 自身のフックは置きません。"
            f"{PRE_COMMIT_CONFIG} の repos: に次を加え、pre-commit install してください:\n"
            f"{PRE_COMMIT_SNIPPET}"
        ]
    return True, []


HOOK = ".git/hooks/pre-commit"


def init_repository(
    target: Path,
    *,
    town: str = "",
    office: str | None = None,
    office_code: str | None = None,
    force: bool = False,
) -> Initialized:
    """git init, the registries, editor settings, .gitattributes, .gitignore and a pre-commit
    hook that runs `jushou validate`. A folder that is not empty is refused unless `force`;
    even then no existing file is overwritten."""
    if target.exists() and not target.is_dir():
        raise BadValue(f"{target} はフォルダではありません")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise Refused(
            f"{target} は空のフォルダではありません",
            "既にあるフォルダに作るなら --force（あるファイルは上書きしません）",
        )
    if office_code is not None and not ids.OFFICE_RE.match(office_code):
        raise BadValue(
            f"--office-code: 「{office_code}」は事務所コードとして使えません",
            "英大文字で始まる英大文字・数字2〜8文字にしてください（例 KOM）",
        )
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadValue(f"{target} を作れません: {exc.strerror}") from None
    _git(target, "init", "-q")
    files = repository_files(town, office)
    hooks = Path(_git(target, "rev-parse", "--git-path", "hooks"))
    written, kept = [], []
    own_hook, notes = _hook_plan(target, target / hooks / "pre-commit")
    if not own_hook:
        del files[HOOK]
    with RepositoryLock(target, "jushou init"):
        changes = []
        for rel, text in files.items():
            path = (target / hooks / "pre-commit") if rel == HOOK else target / rel
            if path.exists():
                kept.append(rel)
                continue
            # git may keep hooks outside the folder (core.hooksPath): then the path is absolute
            name = path.relative_to(target).as_posix() if path.is_relative_to(target) else str(path)
            mode = 0o755 if rel == HOOK else None
            changes.append(journal.FileChange(name, text.encode("utf-8"), new=True, mode=mode))
            written.append(rel)
        journal.commit(target, "jushou init", changes)
    if office_code is not None:
        _git(target, "config", "jushou.office", office_code)
    return Initialized(target.resolve(), written, kept, notes)


def update_repository(target: Path) -> Initialized:
    """`jushou init --update`: the repository's copy of the schemas and its editor settings
    brought to the installed jushou's, and jushou's own hook to the current one (a hook
    someone else wrote is left alone). A hook of jushou's that pre-commit moved aside
    (`pre-commit.legacy`, which keeps pre-commit in migration mode) is removed."""
    hooks = target / Path(_git(target, "rev-parse", "--git-path", "hooks"))
    wanted = schema_files()
    settings = target / SETTINGS
    wanted[SETTINGS] = settings_text(settings.read_text(encoding="utf-8") if settings.is_file() else None)
    own_hook, notes = _hook_plan(target, hooks / "pre-commit")
    hook = hooks / "pre-commit"
    if own_hook and (
        not hook.exists() or OWN_HOOK_MARK in hook.read_text(encoding="utf-8", errors="replace")
    ):
        wanted[HOOK] = render(None, "repository/pre-commit", {})
    legacy = hooks / "pre-commit.legacy"
    state_ignore = target / state.LOCAL_STATE / ".gitignore"
    if state_ignore.is_file() and "!schemas/" not in state_ignore.read_text(
        encoding="utf-8", errors="replace"
    ):
        wanted[f"{state.LOCAL_STATE}/.gitignore"] = state.STATE_GITIGNORE  # an older jushou's: ignored all
    written, kept = [], []
    with RepositoryLock(target, "jushou init --update"):
        changes = []
        for rel, text in wanted.items():
            path = hook if rel == HOOK else target / rel
            if path.is_file() and path.read_bytes() == text.encode("utf-8"):
                kept.append(rel)
                continue
            name = path.relative_to(target).as_posix() if path.is_relative_to(target) else str(path)
            changes.append(
                journal.FileChange(name, text.encode("utf-8"), mode=0o755 if rel == HOOK else None)
            )
            written.append(rel)
        stale = [
            p for p in sorted((target / SCHEMAS).glob("*.schema.json")) if f"{SCHEMAS}/{p.name}" not in wanted
        ]
        journal.commit(target, "jushou init --update", changes)
        for path in stale:  # a schema the installed jushou no longer has
            path.unlink()
            written.append(f"{SCHEMAS}/{path.name}（削除）")
        if (
            not own_hook
            and legacy.is_file()
            and OWN_HOOK_MARK in legacy.read_text(encoding="utf-8", errors="replace")
        ):
            legacy.unlink()
            notes.append(
                "pre-commit が退避した jushou のフック（pre-commit.legacy）を消しました。"
                "pre-commit はこれで移行モードでなくなります"
            )
    return Initialized(target.resolve(), written, kept, notes)
