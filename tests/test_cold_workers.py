"""A cold run reads and parses in worker processes (store/cold.py) and must give what the
in-process run gives, byte for byte: the same report for every defect case, the same cache
entries, the same output warm afterwards; on Windows the workers are spawned, not forked."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest
from conftest import CASES, case_today, materialize
from typer.testing import CliRunner

from jushou_cli.checks.validate import validate
from jushou_cli.cli.app import app
from jushou_cli.render import diagnostics as show
from jushou_cli.store import cold, index, shelves
from jushou_cli.store.cached import load_cached
from jushou_cli.system import platform

HERE = Path(__file__).resolve().parent
SAMPLE_REPO = HERE.parent / "sample_repo"
CASE_DIRS = sorted(p for p in CASES.iterdir() if p.is_dir() and not p.name.startswith("_"))
FORKS = "fork" in multiprocessing.get_all_start_methods()


@pytest.fixture
def pooled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Workers for any number of files; counts the files each pooled read was given."""
    monkeypatch.setattr(cold, "POOL_FROM", 1)
    monkeypatch.setattr(cold, "workers", lambda: 2)
    calls: list[int] = []
    real = cold.read_many

    def counting(root: Path, rels: Sequence[str], known: frozenset[bytes], *adopt: Any) -> Iterator[Any]:
        calls.append(len(rels))
        return real(root, rels, known, *adopt)

    monkeypatch.setattr(cold, "read_many", counting)
    return calls


def _report(root: Path, case_dir: Path) -> str:
    result = validate(root, case_today(case_dir))
    return "\n".join(show.text(result, show.line_reader(result))) + "\n"


@pytest.mark.skipif(not FORKS, reason="the spawned workers are tested below; forking is quicker")
def test_every_case_reports_the_same_through_workers(
    tmp_path: Path, made_in_workers: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(platform, "is_windows", lambda: False)  # fork: one test spawns below
    for case_dir in CASE_DIRS:
        root = materialize(case_dir, tmp_path / case_dir.name)
        assert _report(root, case_dir) == (case_dir / "expected.txt").read_text(encoding="utf-8"), case_dir
    assert len(made_in_workers) >= len(CASE_DIRS)  # every case's files, a group at a time


def _validate(root: Path, fmt: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["validate", "--repo", str(root), "--format", fmt])
    return result.exit_code, result.output


def _outputs(root: Path) -> list[tuple[int, str]]:
    return [_validate(root, fmt) for fmt in ("json", "text")]


def _broken_sample(tmp_path: Path) -> Path:
    """The sample town with a file of each kind of trouble a worker must report as the process
    does: a schema finding, a YAML error, bytes that are not UTF-8, a link out of the repository."""
    root = tmp_path / "town"
    shutil.copytree(SAMPLE_REPO, root)
    record = sorted(root.glob("cases/*/records/*.yaml"))[0]
    record.write_text(record.read_text(encoding="utf-8").replace("kind: record", "kind: record\ncolour: red"))
    folder = record.parent
    (folder / "2024-01-01-broken.yaml").write_text("kind: record\ndate: [2024\n", encoding="utf-8")
    (folder / "2024-01-02-sjis.yaml").write_bytes("kind: record\nsummary: 相談\n".encode("cp932"))
    (folder / "2024-01-03-link.yaml").symlink_to("/etc/hostname")
    return root


def _age(root: Path) -> None:
    """Files older than the racy window, so that the cache remembers their stat signatures."""
    when = time.time() - 3600
    for path in root.rglob("*.yaml"):
        if not path.is_symlink():
            os.utime(path, (when, when))


def _cold(root: Path) -> None:
    shelves.close(shelves.database(root))
    shutil.rmtree(shelves.cache_dir())


@pytest.mark.parametrize("spawn", [False, True], ids=["fork", "spawn"])
def test_workers_give_the_in_process_output_and_cache(
    tmp_path: Path, made_in_workers: list[list[str]], monkeypatch: pytest.MonkeyPatch, spawn: bool
) -> None:
    if not spawn and not FORKS:
        pytest.skip("no fork on this system")
    monkeypatch.setattr(platform, "is_windows", lambda: spawn)
    root = _broken_sample(tmp_path)
    _age(root)
    with monkeypatch.context() as here:
        here.setattr(index, "MANY", 10**9)  # every file made in this process
        in_process = _outputs(root)
    assert in_process[0][0] == 1
    assert all(f'"{code}"' in in_process[0][1] for code in ("J102", "J003", "J001", "J020"))
    assert made_in_workers == []
    _cold(root)
    given = made_in_workers
    assert _outputs(root) == in_process  # cold, made by the workers; then warm
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*.yaml"))
    # cold: every file (the link too: a worker reports why it is not read); warm: only the link,
    # which no signature stands for (it is read again, and is a group of its own)
    assert sorted(p for group in given[:-1] for p in group) == files
    assert given[-1] == [str(next(root.rglob("*-link.yaml")).relative_to(root))]


def test_workers_that_die_leave_the_files_to_the_process(
    tmp_path: Path, pooled: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _broken_sample(tmp_path)
    monkeypatch.setattr(cold, "POOL_FROM", 10**9)
    expected = load_cached(root)
    _cold(root)
    monkeypatch.setattr(cold, "POOL_FROM", 1)
    real = cold.read_many

    def dying(root: Path, rels: Sequence[str], known: frozenset[bytes], *adopt: Any) -> Iterator[Any]:
        yield from itertools.islice(real(root, rels, known, *adopt), 5)
        raise BrokenProcessPool("a worker was killed")

    monkeypatch.setattr(cold, "read_many", dying)
    again = load_cached(root)
    assert again.diagnostics == expected.diagnostics
    assert [d.path for d in again.repository.documents] == [d.path for d in expected.repository.documents]
