"""Which files a case repository holds (RECORDS.md, Layout): the registries at its top and the
`.yaml` files under its record folders, outside folders whose name starts with a dot. The one
rule, shared by the walk of a working tree (`discover`) and by every reading of git's lists
(`listed`, `record_files`): the two must never disagree about what a repository is."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from jushou_cli.model.catalogue.repository import YML_EXTENSION
from jushou_cli.model.diagnostics import Diagnostic

REGISTRY_FILES = {
    "jushou.yaml": "config",
    "organizations.yaml": "organizations",
    "members.yaml": "members",
    "resources.yaml": "resources",
}
RECORD_FOLDERS = ("cases", "records", "referrals", "meetings")
GIT_PATHSPECS = ("--", *REGISTRY_FILES, *RECORD_FOLDERS)  # what git commands are asked about


def listed(path: str) -> bool:
    """Whether a relative POSIX path names one of the repository's record files."""
    if path in REGISTRY_FILES:
        return True
    parts = path.split("/")
    return (
        len(parts) > 1
        and parts[0] in RECORD_FOLDERS
        and parts[-1].endswith(".yaml")
        and not any(p.startswith(".") for p in parts[1:-1])
    )


def record_files(names: Iterable[str]) -> list[str]:
    """The record files among `names` (paths git listed), sorted as `discover` sorts them."""
    return sorted(n for n in names if listed(n))


def discover(
    root: Path,
    folders: Iterable[str] = RECORD_FOLDERS,
    on_folder: Callable[[str, str], None] | None = None,
) -> tuple[list[str], list[Diagnostic]]:
    """The repository's record files (relative POSIX paths, sorted): the registries and what
    lies under `folders` (all record folders, or a part such as `cases/C2024-0001`). `.yml`
    files in record folders are reported rather than silently skipped. `on_folder(relative,
    full)` is told of every folder walked (the kept listing watches them)."""
    if on_folder is not None:
        on_folder(".", str(root))
    found: list[str] = [name for name in REGISTRY_FILES if (root / name).is_file()]
    problems: list[Diagnostic] = []
    for folder in folders:
        top = root / folder
        if not top.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            rel_dir = Path(dirpath).relative_to(root).as_posix()
            if on_folder is not None:
                on_folder(rel_dir, dirpath)
            for name in filenames:
                if name.endswith(".yaml"):
                    found.append(f"{rel_dir}/{name}")
                elif name.endswith(".yml"):
                    problems.append(YML_EXTENSION.in_file(f"{rel_dir}/{name}"))
    return sorted(found), problems
