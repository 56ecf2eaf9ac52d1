"""Windows as a first-class platform, checked on any system: writes when a folder cannot be
opened, UTF-8 bytes for finished text under a cp932 console, the cache folder, doctor's fixes
per system. The whole suite also runs under the simulated Windows profile (conftest.py)."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import sys
import tomllib
from pathlib import Path

import platformdirs
import pytest
from conftest import SAMPLE_REPO
from typer.testing import CliRunner

from jushou_cli.cli.app import app
from jushou_cli.store.shelves import cache_dir
from jushou_cli.system import doctor, platform

ROOT = Path(__file__).resolve().parent.parent
TODAY = {"JUSHOU_TODAY": "2026-11-20"}


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAMPLE_REPO, tmp_path / "repo"))


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Windows' side of every branch, and a folder that jushou's own os.open is refused (the
    folders it asked for). Libraries keep their Linux branches here (filelock opens the lock's
    folder on POSIX only), so only jushou's calls are refused."""
    monkeypatch.setattr(platform, "is_windows", lambda: True)
    refused: list[str] = []
    real_open = os.open

    def open_files_only(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: object) -> int:
        caller = sys._getframe(1).f_globals.get("__name__", "")
        if caller.startswith("jushou_cli") and os.path.isdir(path) and not flags & os.O_CREAT:
            refused.append(os.fspath(path))
            raise PermissionError(errno.EACCES, "アクセスが拒否されました。", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", open_files_only)
    return refused


def cases(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "cases").iterdir())


def test_new_case_succeeds_once_where_a_folder_cannot_be_opened(sample: Path, windows: list[str]) -> None:
    """The issue: the case file was written, then the folder flush failed (exit 2), and a retry
    made a duplicate case."""
    before = cases(sample)
    runner = CliRunner()
    args = [
        "new",
        "case",
        "--pseudonym",
        "Zさん",
        "--route",
        "self",
        "--coordinator",
        "sato",
        "--repo",
        str(sample),
    ]
    first = runner.invoke(app, args, env=TODAY)
    assert first.exit_code in (0, 1), first.output  # 1: the new case's own warnings, never 2
    assert "ファイルを書けません" not in first.stderr and "内部エラー" not in first.stderr
    after = cases(sample)
    assert len(after) == len(before) + 1
    created = (set(after) - set(before)).pop()
    assert (sample / "cases" / created / "case.yaml").is_file()
    assert windows == []  # never tried: Windows' branch does not open folders


CP932 = CliRunner(charset="cp932")
UTF8 = CliRunner(charset="utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ["indicators", "--fy", "2025", "--format", "csv"],
        ["indicators", "--fy", "2025", "--format", "json"],
        ["validate", "--format", "json"],
        ["due", "--format", "json"],
        ["case", "list", "--format", "json"],
        ["agenda", "M2024-0001"],
        ["agenda", "M2024-0001", "--format", "html"],
        ["completion", "powershell"],
    ],
    ids=lambda a: " ".join(a),
)
def test_finished_text_is_utf8_bytes_under_a_cp932_console(args: list[str]) -> None:
    """`jushou indicators --format csv > 指標.csv` on a Japanese Windows: the same UTF-8 file as
    anywhere (the BOM of the CSV, em dashes of an agenda would not even encode in cp932)."""
    full = [*args, "--repo", str(SAMPLE_REPO)] if args[0] != "completion" else args
    on_windows = CP932.invoke(app, full, env=TODAY)
    elsewhere = UTF8.invoke(app, full, env=TODAY)
    assert on_windows.exit_code == elsewhere.exit_code and on_windows.exit_code in (0, 1), on_windows.output
    assert "内部エラー" not in on_windows.stderr_bytes.decode("cp932", "replace")
    assert on_windows.stdout_bytes == elsewhere.stdout_bytes
    on_windows.stdout_bytes.decode("utf-8")  # strict: the bytes are UTF-8
    if "csv" in args:
        assert on_windows.stdout_bytes.startswith("\ufeff".encode())  # Excel reads it as UTF-8


def test_text_for_people_in_a_cp932_console_never_fails() -> None:
    for args in (["due"], ["case", "list"], ["indicators", "--fy", "2025"], ["case", "show", "C2024-0001"]):
        result = CP932.invoke(app, [*args, "--repo", str(SAMPLE_REPO)], env=TODAY)
        assert result.exit_code in (0, 1), result.output
        result.stdout_bytes.decode("cp932")  # strict: what the console can show


def test_the_cache_lives_in_the_systems_cache_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("JUSHOU_CACHE_DIR")
    assert cache_dir() == Path(platformdirs.user_cache_dir("jushou", appauthor=False))
    monkeypatch.setenv("JUSHOU_CACHE_DIR", str(tmp_path))
    assert cache_dir() == tmp_path


@pytest.mark.parametrize(
    ("system", "says", "never"),
    [
        ("windows", ("MSYS2", "mingw-w64-x86_64-pango", "--format html"), "apt-get"),
        ("debian", ("sudo apt-get install libpango",), "brew"),
        ("macos", ("brew install pango",), "apt-get"),
        ("fedora", ("Pango",), "apt-get"),
    ],
)
def test_doctor_gives_the_fix_for_the_system_it_runs_on(
    monkeypatch: pytest.MonkeyPatch, system: str, says: tuple[str, ...], never: str
) -> None:
    monkeypatch.setattr(platform, "is_windows", lambda: system == "windows")
    monkeypatch.setattr(platform, "is_macos", lambda: system == "macos")
    monkeypatch.setattr(
        platform, "linux_family", lambda *a: system if system in ("debian", "fedora") else None
    )
    fixes = (doctor.PANGO.here(), doctor.GIT.here(), doctor.HARFBUZZ.here(), doctor.font_fixes().here())
    assert all(part in fixes[0] for part in says)
    assert not any(never in fix for fix in fixes)
    assert "BIZ UDPゴシック" in fixes[3]


def test_linux_family_reads_os_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform, "is_windows", lambda: False)
    monkeypatch.setattr(platform, "is_macos", lambda: False)
    release = tmp_path / "os-release"
    release.write_text('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n', encoding="utf-8")
    assert platform.linux_family(release) == "debian"
    release.write_text('ID="fedora"\n', encoding="utf-8")
    assert platform.linux_family(release) == "fedora"
    assert platform.linux_family(tmp_path / "none") is None


def test_dependencies_are_honest() -> None:
    """GitPython was declared and never imported (git runs through system/gitcall.command); openpyxl
    writes the xlsx and is checked."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    names = {d.split(">")[0].split("=")[0].strip().lower() for d in declared}
    assert "gitpython" not in names and "platformdirs" in names
    assert "GitPython" not in doctor.PACKAGES and "openpyxl" in doctor.PACKAGES
    assert {n.lower() for n in doctor.PACKAGES} == names
    for path in (ROOT / "jushou_cli").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import git$|from git import)", source, re.M), path


def test_doctor_names_the_font_the_pdfs_embed() -> None:
    result = CliRunner().invoke(app, ["doctor", "--format", "json"])
    font = next(f for f in json.loads(result.stdout) if f["name"] == "日本語フォント")
    assert font["ok"] and "BIZ UDPゴシック" in font["detail"]  # setup.sh installs it


def test_edit_says_which_editor_it_opens(sample: Path, tmp_path: Path) -> None:
    script = tmp_path / "editor.py"
    script.write_text("import sys\n", encoding="utf-8")
    editor = f"{sys.executable} {script}"
    result = CliRunner().invoke(
        app,
        ["new", "record", "visit", "C2026-0002", "--edit", "--repo", str(sample)],
        env={**TODAY, "EDITOR": editor},
    )
    assert f"{editor}（環境変数 EDITOR）で開きます" in result.stderr
    assert "別のエディタは環境変数 EDITOR で指定できます" in result.stderr


def test_yaml_is_written_with_lf_and_crlf_files_are_read(sample: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["new", "record", "visit", "C2026-0002", "--repo", str(sample)], env=TODAY)
    written = Path(result.stdout.strip())
    assert b"\r\n" not in written.read_bytes()
    member_file = sample / "members.yaml"
    member_file.write_bytes(member_file.read_bytes().replace(b"\n", b"\r\n"))  # saved by メモ帳
    checked = runner.invoke(app, ["validate", "--repo", str(sample)], env=TODAY)
    assert checked.exit_code == 0, checked.output


def test_an_editor_path_with_spaces_and_backslashes(monkeypatch: pytest.MonkeyPatch) -> None:
    from jushou_cli.cli.writing import editor_words

    monkeypatch.setattr(platform, "is_windows", lambda: True)
    assert editor_words('"C:\\Program Files\\Microsoft VS Code\\Code.exe" --wait') == [
        "C:\\Program Files\\Microsoft VS Code\\Code.exe",
        "--wait",
    ]
    assert editor_words("notepad") == ["notepad"]
    monkeypatch.setattr(platform, "is_windows", lambda: False)
    assert editor_words("'/opt/my editor/bin/ed' -w") == ["/opt/my editor/bin/ed", "-w"]


def test_a_cp932_stream_shows_japanese_punctuation_as_shift_jis_spells_it() -> None:
    """〜 (wave dash) and — (em dash) have no cp932 code of their own: a redirected Japanese
    Windows console gets ～ and ― for them, not "?"; a character cp932 lacks entirely is "?"."""
    import subprocess
    import sys

    code = (
        "from jushou_cli.cli.output import console_streams\nconsole_streams()\nprint('10:00〜11:30 — −1 ☃')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, env={**os.environ, "PYTHONIOENCODING": "cp932"}
    ).stdout
    assert out.decode("cp932").rstrip("\r\n") == "10:00～11:30 ― －1 ?"


def test_on_windows_no_watcher_is_asked_nor_started_even_when_git_asks_for_one(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # jushou.watch is set in a clone shared with Linux PCs; Windows has no inotify: the runs
    # look at the files themselves and never start a process that could not watch.
    from jushou_cli.store import watch
    from jushou_cli.system import gitcall

    launched: list[str] = []
    monkeypatch.setattr(watch, "launch", lambda root, stdout: launched.append(root))
    monkeypatch.setattr(gitcall, "wants_watch", lambda root: True)
    assert watch.ask(str(sample), start=True) is None
    if sys.platform.startswith("linux") and not platform.is_windows():  # on Linux it starts one
        assert launched == [str(sample)]
        watch._LAUNCHED.discard(str(sample))
        launched.clear()
    monkeypatch.setattr(platform, "is_windows", lambda: True)
    assert watch.ask(str(sample), start=True) is None and watch.request(str(sample), "status") is None
    assert launched == []
