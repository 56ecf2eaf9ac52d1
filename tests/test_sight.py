"""Answers given on sight (store/sight.py, cli/start.py): the bytes and exit code of the full
run, and never an answer made from files that changed since.

Every run is a real `jushou` process. A run "on sight" is proved by running it with typer made
unimportable: it can only succeed when the first step answered without loading the commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO, git

TODAY = "2026-12-07"
BLOCKED = (
    "import sys; sys.modules['typer'] = None; sys.argv[0] = 'jushou'; "
    "from jushou_cli.cli.start import main; main()"
)
Run = tuple[int, str, str]


def _run(root: Path, args: list[str], *, env: dict[str, str] | None = None, blocked: bool = False,
         cwd: Path | None = None) -> Run:  # fmt: skip
    how = ["-c", BLOCKED] if blocked else ["-m", "jushou_cli"]
    proc = subprocess.run(
        [sys.executable, *how, *args],
        cwd=cwd or root,
        env={**os.environ, "JUSHOU_TODAY": TODAY, **(env or {})},
        capture_output=True,
    )
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def _on_sight(root: Path, args: list[str], **kw: object) -> Run | None:
    """The run with typer unimportable: its output when it was answered on sight, else None."""
    found = _run(root, args, blocked=True, **kw)  # type: ignore[arg-type]
    if "ModuleNotFoundError" in found[2] or "ImportError" in found[2]:
        return None
    return found


def _age(root: Path) -> None:
    """Files and folders older than the racy window (stat signatures are trusted), and git's
    index told their times, as after any git command."""
    when = time.time() - 3600
    for path in [*root.rglob("*"), root]:
        if ".git" not in path.relative_to(root).parts:
            os.utime(path, (when, when), follow_symlinks=False)
    git(root, "update-index", "-q", "--refresh")


def made_town(tmp_path: Path) -> Path:
    """The sample repository committed to git, its files aged (tests/test_watch.py too)."""
    root = tmp_path / "town"
    shutil.copytree(SAMPLE_REPO, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    _age(root)
    return root


@pytest.fixture
def town(tmp_path: Path) -> Path:
    return made_town(tmp_path)


COMMANDS = [
    ["validate"],
    ["validate", "--format", "github"],  # stdout and stderr
    ["due", "--format", "json"],
    ["case", "list"],
    ["indicators", "--fy", "2025", "--format", "json"],
    ["agenda", "M2024-0004"],
    ["agenda", "C2024-0001", "--timing", "progress", "--date", "2025-03-01", "-f", "html"],
]


def test_an_answer_on_sight_is_the_full_runs_bytes_and_exit_code(town: Path) -> None:
    for args in COMMANDS:
        fresh = _run(town, args, env={"JUSHOU_NO_CACHE": "1"})
        assert _on_sight(town, args) is None, args  # nothing kept yet
        assert _run(town, args) == fresh, args  # kept
        assert _on_sight(town, args) == fresh, args
    assert _on_sight(town, ["validate", "--format", "json"]) is None  # another command line


def test_no_answer_on_sight_after_a_change_until_it_is_made_again(town: Path) -> None:
    def step(args: list[str], label: str) -> None:
        assert _on_sight(town, args) is None, label  # the files changed: never the old answer
        _age(town)
        fresh = _run(town, args, env={"JUSHOU_NO_CACHE": "1"})
        assert _run(town, args) == fresh, label
        assert _on_sight(town, args) == fresh, label

    validate = ["validate", "--format", "github"]
    _run(town, validate)
    case = town / "cases" / "C2024-0002" / "case.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("pseudonym: ", "pseudonym: 新", 1), "utf-8")
    step(validate, "a tracked file edited")
    case.write_text(case.read_text(encoding="utf-8").replace("status: ", "status: x", 1), "utf-8")
    step(validate, "edited again, not staged (an error now)")

    listing = ["case", "list"]
    _run(town, listing)
    git(town, "add", "-A")
    step(listing, "staged")
    shutil.copytree(town / "cases" / "C2024-0001", town / "cases" / "C2024-0099")
    step(listing, "an untracked folder")
    untracked = town / "cases" / "C2024-0099" / "case.yaml"
    untracked.write_text(
        untracked.read_text(encoding="utf-8").replace("pseudonym: ", "pseudonym: 別", 1), "utf-8"
    )
    step(listing, "an untracked file edited")

    indicators = ["indicators", "--fy", "2025", "--format", "json"]
    _run(town, indicators)
    git(town, "add", "-A")
    git(town, "commit", "-q", "-m", "more")
    step(indicators, "committed: the report names HEAD")

    (town / "templates" / "parts").mkdir(parents=True)
    _age(town)
    _run(town, validate)
    (town / "templates" / "parts" / "own.html.j2").write_text("x", encoding="utf-8")
    step(validate, "a template added in a templates folder that was there")

    agenda = ["agenda", "M2024-0004"]  # made from a part: its meetings, cases, registries
    _run(town, agenda)
    meeting = town / "meetings" / "2024" / "M2024-0004.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8") + "# 追記\n", encoding="utf-8")
    step(agenda, "the meeting's file edited")
    record = town / "cases" / "C2024-0001" / "records" / "2024-05-22-visit.yaml"
    shutil.copy(record, record.with_name("2024-05-23-visit.yaml"))
    step(agenda, "a record added to one of its cases")
    members = town / "members.yaml"
    members.write_text(members.read_text(encoding="utf-8") + "# 追記\n", encoding="utf-8")
    step(agenda, "a registry edited")
    areas = town / "areas.yaml"
    kept = areas.read_bytes()
    areas.unlink()
    step(agenda, "a registry removed")
    areas.write_bytes(kept)
    step(agenda, "a registry added (seen by the repository's folder)")
    own = town / "templates" / "agenda" / "agenda.md.j2"
    own.parent.mkdir()
    own.write_text("会議 {{ agenda.header.type_label }} 一\n", encoding="utf-8")
    _age(town)
    _run(town, agenda)
    assert _on_sight(town, agenda) is not None
    stamp = own.stat()
    # the same size, its times put back
    own.write_text("会議 {{ agenda.header.type_label }} 二\n", encoding="utf-8")
    os.utime(own, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    step(agenda, "an untracked template of the repository's own, edited")
    assert "二" in _run(town, agenda)[1]
    git(town, "add", "-A")
    git(town, "commit", "-q", "-m", "own agenda")
    _run(town, agenda)
    own.write_text("会議 {{ agenda.header.type_label }} 三\n", encoding="utf-8")
    step(agenda, "a tracked template edited (git's pathspecs are the record folders)")


def test_what_is_never_answered_on_sight(town: Path) -> None:
    due = ["due", "--format", "json"]
    fresh = _run(town, due)
    assert _on_sight(town, due) == fresh
    assert _on_sight(town, due, env={"JUSHOU_TODAY": "2026-12-08"}) is None  # another day
    assert _on_sight(town, due, cwd=town / "cases") is None  # another folder (paths are relative)
    assert _on_sight(town, due, env={"JUSHOU_NO_CACHE": "1"}) is None

    from jushou_cli.write.state import JOURNAL, state_dir

    journal = state_dir(town) / JOURNAL
    journal.write_text("{}", encoding="utf-8")
    assert _on_sight(town, due) is None  # an interrupted change is finished first
    journal.unlink()
    assert _on_sight(town, due) == fresh

    from jushou_cli.store.keys import RECIPIENTS

    (town / RECIPIENTS).parent.mkdir(exist_ok=True)
    (town / RECIPIENTS).write_text("recipients: []\n", encoding="utf-8")
    assert _on_sight(town, due) is None  # set up for encrypted records: nothing remembered
    (town / RECIPIENTS).unlink()
    (town / RECIPIENTS).parent.rmdir()
    _age(town)

    kept = Path(os.environ["JUSHOU_CACHE_DIR"]) / "sight"
    for answer in kept.iterdir():
        answer.write_bytes(b"not a pickle")
    assert _on_sight(town, due) is None
    assert _run(town, due) == fresh  # a damaged answer is made again
    assert _on_sight(town, due) == fresh
    assert all(p.stat().st_mode & 0o077 == 0 for p in kept.iterdir()) or os.name == "nt"


def test_an_answer_the_memo_does_not_remember_is_never_kept(town: Path) -> None:
    for args in (
        ["validate", "--staged"],
        ["indicators", "--fy", "2025", "--at", "HEAD"],
        ["agenda", "M2024-0004", "-o", "agenda.md", "--force"],  # a file written each time
    ):
        first = _run(town, args)
        assert first[0] == 0, first[2]
        assert _on_sight(town, args) is None, args
