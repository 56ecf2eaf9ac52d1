"""Shared helpers: build a case repository from tests/base_repo plus a case folder's overlay;
and the simulated Windows profile (JUSHOU_SIMULATE_WINDOWS=1), under which README's test command
runs the tests marked `windows_profile` a second time (WINDOWS_PROFILE below)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
BASE_REPO = HERE / "base_repo"
CASES = HERE / "cases"
SAMPLE_REPO = HERE.parent / "sample_repo"
# Test runs stand on a fixed day so that "overdue" does not drift with the calendar.
TODAY = date(2025, 3, 1)
UPDATE = os.environ.get("JUSHOU_UPDATE_SNAPSHOTS") == "1"
# Windows as a town hall's PC has it, on Linux: every `os.name`-dependent branch on its Windows
# side (jushou_cli.system.platform), a folder that cannot be opened as a file (os.open raises
# PermissionError, as on Windows), and the CLI's stdout and stderr as cp932 text streams (a
# Japanese Windows' redirected output). What it cannot simulate: processes that tests start
# (they run as on Linux), Windows' path syntax and its file locking.
SIMULATE_WINDOWS = os.environ.get("JUSHOU_SIMULATE_WINDOWS") == "1"
CONSOLE = "cp932"
# The modules that run a second time under the profile in CI (`-m windows_profile`): every command
# of the README tour, every command in every format (the leak grep runs them all), the writers
# (atomic writes, the lock, kill loops), files, lists as csv/xlsx, init and the hook, the
# Japanese messages and the platform module itself: the part of the suite that exercises what
# differs on Windows, chosen so that the two runs stay well inside CI's time. Modules whose tests
# compare a command's exact text containing characters cp932 spells differently (— as ―, 〜 as
# ～: cli/output.console_streams) fail under the profile by that spelling alone, and are not in it.
WINDOWS_PROFILE = frozenset(
    {
        "test_windows",
        "test_tour",
        "test_japanese",
        "test_writers",
        "test_files",
        "test_list_sheets",
        "test_init_portable",
        "test_cli",
        "test_personal_leaks",
        "test_every_command",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.module is not None and item.module.__name__.rsplit(".", 1)[-1] in WINDOWS_PROFILE:
            item.add_marker(pytest.mark.windows_profile)


def pytest_report_header() -> str:
    return (
        "simulated Windows profile: cp932 console, folders refused by os.open, Windows branches"
        * SIMULATE_WINDOWS
    )


def _decoded(data: bytes) -> str:
    """What a test reads of the CLI's output under the profile, line by line: finished text
    (JSON, CSV, Markdown) is UTF-8 bytes whatever the console, text for people is cp932."""
    lines = []
    for line in data.split(b"\n"):
        try:
            lines.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(line.decode(CONSOLE, "replace"))
    return "\n".join(lines).replace("\r\n", "\n")


if SIMULATE_WINDOWS:
    import typer.testing

    _init = typer.testing.CliRunner.__init__

    def _cp932_runner(self: typer.testing.CliRunner, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("charset", CONSOLE)
        _init(self, *args, **kwargs)  # type: ignore[arg-type]

    typer.testing.CliRunner.__init__ = _cp932_runner  # type: ignore[method-assign]
    typer.testing.Result.output = property(lambda self: _decoded(self.output_bytes))  # type: ignore[method-assign,assignment]
    typer.testing.Result.stdout = property(lambda self: _decoded(self.stdout_bytes))  # type: ignore[method-assign,assignment]
    typer.testing.Result.stderr = property(lambda self: _decoded(self.stderr_bytes))  # type: ignore[method-assign,assignment]


@pytest.fixture(autouse=True)
def simulated_windows(monkeypatch: pytest.MonkeyPatch) -> bool:
    """Under JUSHOU_SIMULATE_WINDOWS=1, each test runs on the simulated Windows (see above)."""
    if not SIMULATE_WINDOWS:
        return False
    from jushou_cli.system import platform

    monkeypatch.setattr(platform, "is_windows", lambda: True)
    monkeypatch.setattr(platform, "is_macos", lambda: False)
    real_open = os.open

    def windows_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        # jushou's own calls only: shutil.rmtree opens folders on Linux, never on Windows
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if caller.startswith("jushou_cli") and not flags & os.O_CREAT and os.path.isdir(path):  # type: ignore[arg-type]
            raise PermissionError(13, "アクセスが拒否されました。", str(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", windows_open)
    return True


def materialize(case_dir: Path, target: Path) -> Path:
    """base_repo, then the case's files/ copied over it, then the paths listed in `remove`."""
    shutil.copytree(BASE_REPO, target)
    overlay = case_dir / "files"
    if overlay.is_dir():
        shutil.copytree(overlay, target, dirs_exist_ok=True, symlinks=True)
    removals = case_dir / "remove"
    if removals.is_file():
        for rel in removals.read_text(encoding="utf-8").split():
            victim = target / rel
            if victim.is_dir():
                shutil.rmtree(victim)
            else:
                victim.unlink()
    return target


def case_today(case_dir: Path) -> date:
    marker = case_dir / "today"
    return date.fromisoformat(marker.read_text().strip()) if marker.is_file() else TODAY


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test's caches in a folder of its own, never the user's real cache folder, and its
    configuration (the identity a command may make: store/keys.py) never in the user's real one
    (the commands a test starts inherit both)."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("JUSHOU_CACHE_DIR", str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    return folder


@pytest.fixture
def base_repo(tmp_path: Path) -> Path:
    return materialize(HERE / "cases" / "_none", tmp_path / "repo")


def snapshot(path: Path, actual: str) -> None:
    """Compares with a pinned file; JUSHOU_UPDATE_SNAPSHOTS=1 rewrites it (review the diff)."""
    if UPDATE or not path.exists():
        path.write_text(actual, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{path} did not exist and was written: review it and run again")
    assert actual == path.read_text(encoding="utf-8")


def git(root: Path, *args: str, who: str = "佐藤", when: str | None = None) -> str:
    """git in `root` as a fixed author (and at a fixed time, when given), never signing; the
    output. Tests of history, --at, --staged and the report share it."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": who,
        "GIT_AUTHOR_EMAIL": "x@example.invalid",
        "GIT_COMMITTER_NAME": who,
        "GIT_COMMITTER_EMAIL": "x@example.invalid",
    }
    if when is not None:
        env |= {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    command = ["git", "-C", str(root), "-c", "commit.gpgsign=false", *args]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def listings(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every listing of a whole repository made from now on (layout.discover without
    `folders`: not an agenda's few folders); the kept listing (listing.py) makes none."""
    import jushou_cli.load.layout as loading

    made: list[Path] = []
    real = loading.discover

    def counting(where: Path, *args: object, **kwargs: object) -> object:
        if not args and "folders" not in kwargs:
            made.append(where)
        return real(where, *args, **kwargs)

    monkeypatch.setattr(loading, "discover", counting)
    return made


@pytest.fixture
def made_in_workers(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Every file new to the index made by two worker processes; the groups they were given."""
    from jushou_cli.store import cold, index

    monkeypatch.setattr(index, "MANY", 0)
    monkeypatch.setattr(cold, "workers", lambda: 2)
    given: list[list[str]] = []
    real = cold.made_parts

    def counting(root: str, base: str, width: int, groups: list[list[str]]) -> object:
        given.extend(groups)
        return real(root, base, width, groups)

    monkeypatch.setattr(cold, "made_parts", counting)
    return given
