"""A new case repository (`jushou init`): git, the registries, editor settings,
.gitattributes, .gitignore and a pre-commit hook that runs `jushou validate`, written together
(journal.commit) under the repository lock."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from jushou_cli.store.git import command
from jushou_cli.write import ids, journal
from jushou_cli.write.ids import BadValue, Refused
from jushou_cli.write.lock import RepositoryLock
from jushou_cli.write.newfile import render

REGISTRY_TEMPLATES = ("jushou.yaml", "organizations.yaml", "members.yaml", "resources.yaml")


@dataclass(frozen=True, slots=True)
class Initialized:
    root: Path
    written: list[str]  # relative paths, the hook as `.git/hooks/pre-commit`
    kept: list[str]  # files that were there already (--force never overwrites)


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


def repository_files(town: str, office: str | None, python: str) -> dict[str, str]:
    """Every file of a new case repository (relative path → text), the hook included."""
    from jushou_cli.model.package_data import schemas_dir
    from jushou_cli.model.records import Rules
    from jushou_cli.write.editor_settings import vscode_settings

    context = {
        "town": town,
        "office": office,
        "rules": Rules(),
        "retention_years": 5,
        "python": shlex.quote(python),
    }
    files = {name: render(None, f"repository/{name}", context) for name in REGISTRY_TEMPLATES}
    files[".vscode/settings.json"] = (
        json.dumps(vscode_settings(schemas_dir()), ensure_ascii=False, indent=2) + "\n"
    )
    files[".gitattributes"] = (
        "# jushou: 記録の YAML は改行 LF で保存する（Windows でも）\n*.yaml text eol=lf\n*.yml text eol=lf\n"
    )
    files[".gitignore"] = "# jushou が作る PDF・Excel などの出力はコミットしない\nout/\n"
    files[HOOK] = render(None, "repository/pre-commit", context)
    return files


HOOK = ".git/hooks/pre-commit"


def init_repository(
    target: Path,
    *,
    town: str = "",
    office: str | None = None,
    office_code: str | None = None,
    force: bool = False,
    python: str = sys.executable,
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
    files = repository_files(town, office, python)
    hooks = Path(_git(target, "rev-parse", "--git-path", "hooks"))
    written, kept = [], []
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
    return Initialized(target.resolve(), written, kept)
