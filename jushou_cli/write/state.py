"""The repository's own state folder, where the lock and the journal of an interrupted change live
(write/journal.py). Standard library only: every command asks whether a change was interrupted,
the first step of a command included (cli/start.py), before the toolkit loads."""

from __future__ import annotations

import os
from pathlib import Path

JOURNAL = "jushou-journal"
LOCAL_STATE = ".jushou"  # the state folder of a repository whose top is not git's top folder


# The state folder ignores itself, but for the schemas `jushou init` keeps there (committed).
STATE_GITIGNORE = (
    "# jushou の作業用ファイル（ロック・書き込みの記録）はコミットしない。スキーマの写しはコミットする\n"
    "*\n!schemas/\n!schemas/*.schema.json\n"
)


def state_dir(root: Path) -> Path:
    """Where the lock and the journal live: the repository's git folder (never committed, never
    pushed), else `.jushou/` at its top, which ignores itself."""
    dot_git = root / ".git"
    if dot_git.is_dir():
        return dot_git
    if dot_git.is_file():  # a linked worktree or a submodule: `gitdir: <path>`
        text = dot_git.read_text(encoding="utf-8", errors="replace").strip()
        if text.startswith("gitdir:"):
            folder = Path(text.removeprefix("gitdir:").strip())
            return folder if folder.is_absolute() else root / folder
    return root / LOCAL_STATE


def ensure_state_dir(root: Path) -> Path:
    folder = state_dir(root)
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / ".gitignore").write_text(STATE_GITIGNORE, encoding="utf-8", newline="\n")
    return folder


def pending(root: Path) -> bool:
    """Whether a change was interrupted: a journal, or a journal or holder file killed while it
    was written (one listing of the state folder: every command may ask)."""
    try:
        names = os.listdir(state_dir(root))
    except OSError:  # no state folder: nothing was ever written under the lock
        return False
    return any(n == JOURNAL or (n.startswith(".jushou") and n.endswith(".tmp")) for n in names)
