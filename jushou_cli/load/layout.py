"""Which files a case repository holds (RECORDS.md, Layout): the registries at its top and the
`.yaml` files under its record folders, outside folders whose name starts with a dot. The one
rule, shared by the walk of a working tree (`discover`) and by every reading of git's lists
(`listed`, `record_files`): the two must never disagree about what a repository is."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from jushou_cli.model.catalogue.repository import LINKED_FOLDER, STRAY_TEMP_FILE, YML_EXTENSION
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.system.files import TEMP_RE, read_regular, read_regular_stat

REGISTRY_FILES = {
    "jushou.yaml": "config",
    "organizations.yaml": "organizations",
    "members.yaml": "members",
    "resources.yaml": "resources",
    "areas.yaml": "areas",
}
RECORD_FOLDERS = ("cases", "records", "referrals", "meetings", "community", "trainings")
GIT_PATHSPECS = ("--", *REGISTRY_FILES, *RECORD_FOLDERS)  # what git commands are asked about
# A record is a small file; anything larger is refused unread (a pasted-in document, or a file
# made to exhaust the memory of every PC that reads the repository).
MAX_RECORD_BYTES = 2 * 1024 * 1024


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
    lies under `folders` (all record folders, or a part such as `cases/C2024-0001`).
    `on_folder(relative, full)` is told of every folder walked (the kept listing watches them).

    What is listed is what a record's name is given to: a link, a FIFO or a device under such
    a name is listed too, and the reader refuses it with its reason (system/files.read_regular)
    — listed, it is counted among the files that could not be read. Reported here instead:
    `.yml` files (not loaded), a jushou temporary file a killed write left behind, and a
    folder that is a symbolic link (never walked: it could lead anywhere)."""
    if on_folder is not None:
        on_folder(".", str(root))
    found: list[str] = [name for name in REGISTRY_FILES if os.path.lexists(root / name)]
    problems: list[Diagnostic] = [
        STRAY_TEMP_FILE.in_file(name) for name in _names(str(root)) if TEMP_RE.match(name)
    ]
    for folder in folders:
        top = root / folder
        if top.is_symlink():
            problems.append(LINKED_FOLDER.in_file(folder))
        elif top.is_dir():
            _walk(str(top), folder, found, problems, on_folder)
    return sorted(found), problems


def _walk(
    full: str,
    rel: str,
    found: list[str],
    problems: list[Diagnostic],
    on_folder: Callable[[str, str], None] | None,
) -> None:
    if on_folder is not None:
        on_folder(rel, full)
    try:
        with os.scandir(full) as listing:
            entries = list(listing)
    except OSError:  # gone or unreadable meanwhile: as os.walk, nothing to list
        return
    folders: list[tuple[str, str]] = []
    for entry in entries:
        name = entry.name
        if entry.is_dir(follow_symlinks=False):
            if not name.startswith("."):
                folders.append((name, entry.path))
        elif entry.is_symlink() and entry.is_dir():
            if not name.startswith("."):
                problems.append(LINKED_FOLDER.in_file(f"{rel}/{name}"))
        elif name.endswith(".yaml"):
            found.append(f"{rel}/{name}")
        elif name.endswith(".yml"):
            problems.append(YML_EXTENSION.in_file(f"{rel}/{name}"))
        elif TEMP_RE.match(name):
            problems.append(STRAY_TEMP_FILE.in_file(f"{rel}/{name}"))
    for name, path in sorted(folders):
        _walk(path, f"{rel}/{name}", found, problems, on_folder)


def _names(folder: str) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def read_file(root: Path | str, rel: str) -> bytes:
    """A record file's bytes from the working tree: a plain file under the size limit only
    (system/files.read_regular raises NotARecordFile for anything else)."""
    return read_regular(os.path.join(root, rel), MAX_RECORD_BYTES, str(root))


def read_file_stat(root: Path | str, rel: str) -> tuple[bytes, os.stat_result]:
    """read_file, with the file's status when it was opened (its stat signature)."""
    return read_regular_stat(os.path.join(root, rel), MAX_RECORD_BYTES, str(root))
