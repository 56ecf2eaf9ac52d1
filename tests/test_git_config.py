"""git runs only git: a repository whose git configuration names programs — an fsmonitor hook,
clean/smudge filters and a textconv driver (named by a committed .gitattributes), an external
diff, a pager, hooks — is read by every read-only command without any of them running."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO, git
from typer.testing import CliRunner

from jushou_cli.cli.app import app

PROGRAMS = ("fsmonitor", "clean", "smudge", "process", "textconv", "external", "pager", "hook", "askpass")


def hostile(tmp_path: Path) -> tuple[Path, Path]:
    """A git copy of the sample town whose .git/config names a program for everything git can
    run; each program leaves a marker file when run."""
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, root)
    markers = tmp_path / "ran"
    markers.mkdir()
    git(root, "init", "-q")
    (root / ".gitattributes").write_text("*.yaml filter=evil diff=evil merge=evil\n", encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "town", when="2026-01-05T10:00:00")
    for name in PROGRAMS:
        script = tmp_path / f"{name}.sh"
        script.write_text(f"#!/bin/sh\ntouch '{markers / name}'\ncat\n", encoding="utf-8")
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
    hooks = root / ".git" / "hooks"
    for hook in ("post-checkout", "post-commit", "pre-commit", "post-index-change", "reference-transaction"):
        (hooks / hook).write_text(f"#!/bin/sh\ntouch '{markers / 'hook'}'\n", encoding="utf-8")
        (hooks / hook).chmod(0o755)
    settings = {
        "core.fsmonitor": tmp_path / "fsmonitor.sh",
        "filter.evil.clean": tmp_path / "clean.sh",
        "filter.evil.smudge": tmp_path / "smudge.sh",
        "filter.evil.process": tmp_path / "process.sh",
        "diff.evil.textconv": tmp_path / "textconv.sh",
        "diff.external": tmp_path / "external.sh",
        "core.pager": tmp_path / "pager.sh",
        "core.askPass": tmp_path / "askpass.sh",
    }
    for key, value in settings.items():
        git(root, "config", key, str(value))
    # Files touched since they were staged, their bytes the same: git must read them again (and
    # would pass them through the clean filter) to know whether they changed.
    for record in list((root / "cases").glob("*/records/*.yaml"))[:3]:
        os.utime(record, (record.stat().st_atime + 5, record.stat().st_mtime + 5))
    return root, markers


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["validate", "--staged"],
        ["validate", "--at", "HEAD"],
        ["due"],
        ["due", "--at", "HEAD"],
        ["case", "list"],
        ["case", "show", "C2024-0001"],
        ["indicators", "--fy", "2025"],
        ["indicators", "--fy", "2025", "--at", "HEAD"],
        ["log", "C2024-0001"],
        ["audit"],
        ["agenda", "M2024-0004"],
        ["meeting", "list", "--format", "ics"],
        ["handout", "M2024-0004", "--format", "html"],
        ["report", "annual", "--fy", "2024"],
        ["doctor"],
    ],
)
def test_no_configured_program_runs(tmp_path: Path, args: list[str]) -> None:
    root, markers = hostile(tmp_path)
    result = CliRunner().invoke(app, [*args, "--repo", str(root)])
    assert result.exit_code in (0, 1), result.output
    assert sorted(p.name for p in markers.iterdir()) == []


def test_the_programs_would_run_without_the_guard(tmp_path: Path) -> None:
    """The hostile repository is really hostile: plain git runs its programs."""
    root, markers = hostile(tmp_path)
    git(root, "diff-files", "--name-only")
    assert "fsmonitor" in {p.name for p in markers.iterdir()}


def test_gits_own_fsmonitor_daemon_setting_is_kept(tmp_path: Path) -> None:
    from jushou_cli.system.gitcall import command

    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    git(root, "config", "core.fsmonitor", "true")
    argv = command(root, "status")
    assert "core.fsmonitor=true" in argv and f"core.hooksPath={os.devnull}" in argv
    git(root, "config", "core.fsmonitor", "/usr/local/bin/watcher")
    assert "core.fsmonitor=false" in command(root, "status")
