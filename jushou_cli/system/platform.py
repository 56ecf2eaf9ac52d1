"""Which system this PC runs, asked in one place: every branch that differs between Windows,
macOS and Linux goes through these functions, so that the tests' simulated Windows profile
(tests/conftest.py, JUSHOU_SIMULATE_WINDOWS=1) can turn all of them to their Windows side at once.
Callers ask through the module (`platform.is_windows()`), never a name imported from it, which
the profile could not reach."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any


def is_windows() -> bool:
    return os.name == "nt"


def process_context() -> Any:
    """The multiprocessing context for worker processes: fork where the system has it (a
    worker starts with what this process imported), spawn on Windows, which has nothing else
    (and in the tests' simulated Windows profile)."""
    import multiprocessing

    forks = "fork" in multiprocessing.get_all_start_methods() and not is_windows()
    return multiprocessing.get_context("fork" if forks else "spawn")


def is_macos() -> bool:
    return not is_windows() and sys.platform == "darwin"


def linux_family(os_release: Path = Path("/etc/os-release")) -> str | None:
    """ "debian" on Debian, Ubuntu and their derivatives (where an apt line is the fix), the ID
    of another Linux, None on Windows, macOS or when the system does not say."""
    if is_windows() or is_macos():
        return None
    try:
        text = os_release.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    fields = dict(
        line.split("=", 1) for line in text.splitlines() if "=" in line and not line.startswith("#")
    )
    ids = f"{fields.get('ID', '')} {fields.get('ID_LIKE', '')}".replace('"', "").split()
    if any(name in ("debian", "ubuntu") for name in ids):
        return "debian"
    return ids[0] if ids else None


def default_editor() -> tuple[str, str]:
    """The editor `--edit` opens and how to say it: $VISUAL, else $EDITOR, else メモ帳 on Windows
    and a named fallback elsewhere (nano when installed: vi would trap someone who never used it)."""
    for variable in ("VISUAL", "EDITOR"):
        chosen = os.environ.get(variable)
        if chosen:
            return chosen, f"{chosen}（環境変数 {variable}）"
    if is_windows():
        return "notepad", "メモ帳"
    if is_macos():
        return "open -W -t", "テキストエディット"
    from shutil import which

    for name in ("nano", "vi"):
        if which(name):
            return name, name
    return "vi", "vi"


def cache_dir() -> Path:
    """JUSHOU_CACHE_DIR when set (tests point it at a folder of their own), else the system's
    cache folder for jushou: ~/.cache/jushou (or $XDG_CACHE_HOME) on Linux,
    %LOCALAPPDATA%\\jushou\\Cache on Windows, ~/Library/Caches/jushou on macOS."""
    chosen = os.environ.get("JUSHOU_CACHE_DIR")
    if chosen:
        return Path(chosen)
    import platformdirs

    return Path(platformdirs.user_cache_dir("jushou", appauthor=False))
