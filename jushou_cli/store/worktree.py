"""The case repository's git working tree as a report must state it: the commit the figures were
computed from, and the record files that differ from it (so a figure can be reproduced later, or
the reader is warned that it cannot)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from jushou_cli.load.layout import RECORD_FOLDERS, REGISTRY_FILES
from jushou_cli.store import sight
from jushou_cli.system.gitcall import command

# What the figures and the report are made from; changes elsewhere (notes, out/) do not matter.
INPUTS = (*REGISTRY_FILES, *RECORD_FOLDERS, "templates")


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(
            command(root, *args),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError:  # git is not installed
        return None


# Every HEAD this process read: an answer that names one is given on sight (store/sight.py) only
# while HEAD is still that commit.
HEADS_SEEN: list[str | None] = []


def head_commit(root: Path) -> str | None:
    """The commit the figures were computed from (None outside git or before the first commit)."""
    found = sight.head_commit(root)
    HEADS_SEEN.append(found)
    return found


def uncommitted(root: Path) -> list[str] | None:
    """The input files that are modified, added, deleted or untracked (paths relative to the
    top of the git repository, as `git status --porcelain` gives them); None outside git."""
    proc = _git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *INPUTS)
    if proc is None or proc.returncode != 0:
        return None
    paths: list[str] = []
    fields = iter(proc.stdout.split("\0"))
    for entry in fields:
        if len(entry) < 4:
            continue
        paths.append(entry[3:])
        if "R" in entry[:2] or "C" in entry[:2]:
            next(fields, None)  # -z puts a rename's old path in a field of its own
    return paths


def is_ignored(root: Path, relative: str) -> bool | None:
    """Whether git ignores `relative` (a path under root); None outside git."""
    proc = _git(root, "check-ignore", "-q", "--no-index", "--", relative)
    if proc is None or proc.returncode not in (0, 1):
        return None
    return proc.returncode == 0
